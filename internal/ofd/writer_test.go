package ofd

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongwen/internal/fonts"
	"gongwen/internal/spec"
	"gongwen/internal/typeset"
)

var testInfo = Info{Title: "示例市司法局2024年法治政府建设年度报告", Author: "示例市司法局",
	Subject: "示例市司法局 2024年度报告", Date: time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)}

// line places text in the role's own face from x0 (points) on baseline y, one
// advance of size apart.
func line(role spec.Role, size, y, x0 float64, text string) typeset.Run {
	return faceLine(spec.RoleFace(role), size, y, x0, text)
}

// faceLine is line in any face (the fallback face among them).
func faceLine(face spec.Face, size, y, x0 float64, text string) typeset.Run {
	run := typeset.Run{Font: face, Size: size, Y: y}
	for i, r := range []rune(text) {
		run.Glyphs = append(run.Glyphs, typeset.Glyph{R: r, X: x0 + float64(i)*size, W: float32(size)})
	}
	return run
}

func testPNG(t testing.TB, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for y := 0; y < 8; y++ {
		for x := 0; x < 8; x++ {
			if (x-4)*(x-4)+(y-4)*(y-4) < 12 {
				img.Set(x, y, c)
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// formLayout is a hand-built layout with what the document form adds: a red, condensed
// 发文机关标志, a red separator, a seal (Multiply) on two pages, a non-blended image.
func formLayout(t testing.TB) *typeset.Layout {
	red := typeset.Color{R: 0xE6, G: 0, B: 0}
	seal := testPNG(t, color.RGBA{R: 255, A: 255})
	logo := testPNG(t, color.RGBA{B: 255, A: 128})
	mark := line(spec.RoleTitle, 60, 150, 80, "示例市司法局文件")
	mark.Color, mark.ScaleX = red, 0.72
	for i := range mark.Glyphs { // condensed glyphs advance by their condensed width
		mark.Glyphs[i].X = 80 + float64(i)*60*0.72
		mark.Glyphs[i].W = 60 * 0.72
	}
	return &typeset.Layout{
		Pages: []typeset.Page{
			{Number: 1, Runs: []typeset.Run{mark, line(spec.RoleFangsong, 16, 300, 79.37, "正文第一行")},
				Rules:  []typeset.Rule{{X1: 79.37, Y1: 200, X2: 515.91, Y2: 200, Width: 1.5, Color: red}, {X1: 79.37, Y1: 400, X2: 515.91, Y2: 400, Width: 0.5}},
				Images: []typeset.Image{{X: 400, Y: 250, W: 120, H: 120, PNG: seal, Multiply: true}, {X: 10, Y: 10, W: 20, H: 20, PNG: logo}}},
			{Number: 2, Kind: typeset.RecordPage, Runs: []typeset.Run{line(spec.RoleFangsong, 16, 300, 79.37, "第二页")},
				Images: []typeset.Image{{X: 400, Y: 250, W: 120, H: 120, PNG: seal, Multiply: true}}},
		},
		Bookmarks: []typeset.Bookmark{{Level: 1, Title: "一、总体", Page: 0, Y: 280}, {Level: 3, Title: "1. 细则", Page: 1, Y: 280}, {Level: 2, Title: "（一）分项", Page: 1, Y: 290}},
	}
}

func TestDocumentFormDrawn(t *testing.T) {
	lay := formLayout(t)
	out, err := Write(lay, testInfo, defaultFonts(t))
	if err != nil {
		t.Fatal(err)
	}
	p := readPackage(t, out)
	validate(t, p)
	fontCoverage(t, p)

	// The seal is stored once and shown on both pages, beneath the text.
	if len(p.media) != 2 {
		t.Fatalf("%d images stored, want 2 (the seal once, the logo once)", len(p.media))
	}
	var sealID int
	for id, loc := range p.media {
		if bytes.Equal(p.files[loc], lay.Pages[0].Images[0].PNG) {
			sealID = id
		}
		if !strings.HasPrefix(loc, "Doc_0/Res/") || !strings.HasSuffix(loc, ".png") {
			t.Errorf("image at %s", loc)
		}
	}
	if sealID == 0 {
		t.Fatal("no image resource holds the seal's bytes")
	}
	kinds := func(pi int) []string {
		var ks []string
		for _, o := range p.pages[pi].Layers[0].Objects {
			ks = append(ks, o.XMLName.Local)
		}
		return ks
	}
	if got := strings.Join(kinds(0), " "); got != "ImageObject PathObject PathObject TextObject TextObject ImageObject" {
		t.Errorf("page 1 draws %s: want the Multiply seal first, the other image last", got)
	}
	first := p.pages[0].Layers[0].Objects[0]
	if first.ResourceID != sealID {
		t.Errorf("first object shows resource %d, want the seal %d", first.ResourceID, sealID)
	}
	// 400 250 120 120 pt in mm.
	if first.Boundary != "141.111 88.194 42.333 42.333" || first.CTM != "42.333 0 0 42.333 0 0" {
		t.Errorf("seal Boundary %q CTM %q", first.Boundary, first.CTM)
	}
	if p.pages[1].Layers[0].Objects[0].ResourceID != sealID {
		t.Error("page 2 does not show the same seal resource")
	}

	objs := p.pages[0].Layers[0].Objects
	rule, plain, mark, body := objs[1], objs[2], objs[3], objs[4]
	if rule.Stroke == nil || rule.Stroke.Value != "230 0 0" || rule.LineWidth != "0.529" {
		t.Errorf("red rule: stroke %+v width %q", rule.Stroke, rule.LineWidth)
	}
	// From (79.37, 200) to (515.91, 200) pt, 1.5 pt wide: in mm, relative to a box
	// grown by the width.
	if rule.Boundary != "27.471 70.027 155.06 1.058" || rule.Data != "M 0.529 0.529 L 154.531 0.529" {
		t.Errorf("rule boundary %q path %q", rule.Boundary, rule.Data)
	}
	if plain.Stroke != nil {
		t.Errorf("black rule has a stroke colour %+v (black is the default)", plain.Stroke)
	}
	if mark.Fill == nil || mark.Fill.Value != "230 0 0" || mark.HScale != "0.72" {
		t.Errorf("标志: fill %+v HScale %q", mark.Fill, mark.HScale)
	}
	if body.Fill != nil || body.HScale != "" {
		t.Errorf("body text: fill %+v HScale %q", body.Fill, body.HScale)
	}
	if got := p.pageText(0); got != "示例市司法局文件正文第一行" {
		t.Errorf("page 1 text %q", got)
	}
	// A skipped level (3 under 1) nests under the open heading; 2 then closes it.
	if o := p.doc.Outlines; len(o) != 1 || len(o[0].Children) != 2 || o[0].Children[0].Title != "1. 细则" || o[0].Children[1].Title != "（一）分项" {
		t.Errorf("outline %+v", o)
	}
}

// TestHostileText: markup characters in text, titles and bookmarks come back as
// themselves and never break the XML.
func TestHostileText(t *testing.T) {
	hostile := `]]><![CDATA[ & <b>"x'</b> &amp; ]]>`
	lay := &typeset.Layout{Pages: []typeset.Page{{Number: 1, Runs: []typeset.Run{
		line(spec.RoleFangsong, 16, 300, 79.37, hostile),
		line(spec.RoleSong, 14, 700, 250, "— 1 —"),
	}}}, Bookmarks: []typeset.Bookmark{{Level: 1, Title: hostile + "\t\n", Page: 0, Y: 280}}}
	in := testInfo
	in.Title, in.Author, in.Subject = hostile, "<issuer>", "&&"
	out, err := Write(lay, in, defaultFonts(t))
	if err != nil {
		t.Fatal(err)
	}
	p := readPackage(t, out)
	validate(t, p)
	for name := range p.parts {
		d := xml.NewDecoder(bytes.NewReader(p.files[name]))
		for {
			_, err := d.Token()
			if err != nil {
				if err.Error() != "EOF" {
					t.Fatalf("%s is not well-formed: %v", name, err)
				}
				break
			}
		}
	}
	if got := p.pageText(0); got != hostile+"— 1 —" {
		t.Errorf("text %q", got)
	}
	info := p.root.Bodies[0].Info
	if info.Title != hostile || info.Author != "<issuer>" || info.Subject != "&&" {
		t.Errorf("DocInfo %q %q %q", info.Title, info.Author, info.Subject)
	}
	if got := p.doc.Outlines[0].Title; got != hostile+"\t\n" {
		t.Errorf("outline title %q", got)
	}
}

type fakeSource struct {
	*fonts.Set
	cut func(spec.Face, []rune) (*fonts.Subset, error)
}

func (f fakeSource) Cut(face spec.Face, rs []rune) (*fonts.Subset, error) { return f.cut(face, rs) }

func TestWriteRefuses(t *testing.T) {
	set := defaultFonts(t)
	ok := func() *typeset.Layout {
		return &typeset.Layout{Pages: []typeset.Page{{Number: 1, Runs: []typeset.Run{line(spec.RoleFangsong, 16, 300, 80, "正文")}}}}
	}
	tests := []struct {
		name   string
		change func(*typeset.Layout, *Info) FontSource
		want   string
	}{
		{"no pages", func(l *typeset.Layout, _ *Info) FontSource { l.Pages = nil; return set }, "no pages"},
		{"no date", func(_ *typeset.Layout, in *Info) FontSource { in.Date = time.Time{}; return set }, "no document date"},
		{"control character", func(l *typeset.Layout, _ *Info) FontSource {
			l.Pages[0].Runs[0].Glyphs[0].R = 0x01
			return set
		}, "U+0001"},
		{"C1 control", func(l *typeset.Layout, _ *Info) FontSource { l.Pages[0].Runs[0].Glyphs[0].R = 0x85; return set }, "U+0085"},
		{"noncharacter", func(l *typeset.Layout, _ *Info) FontSource { l.Pages[0].Runs[0].Glyphs[0].R = 0xFFFE; return set }, "U+FFFE"},
		{"control in title", func(_ *typeset.Layout, in *Info) FontSource { in.Title = "a\x00b"; return set }, "title"},
		{"unknown face", func(l *typeset.Layout, _ *Info) FontSource { l.Pages[0].Runs[0].Font = 99; return set }, "unknown face"},
		{"zero size", func(l *typeset.Layout, _ *Info) FontSource { l.Pages[0].Runs[0].Size = 0; return set }, "type size"},
		{"NaN rule", func(l *typeset.Layout, _ *Info) FontSource {
			l.Pages[0].Rules = []typeset.Rule{{X1: math.NaN(), Width: 1}}
			return set
		}, "coordinate"},
		{"NaN glyph", func(l *typeset.Layout, _ *Info) FontSource { l.Pages[0].Runs[0].Glyphs[1].X = math.NaN(); return set }, "glyph"},
		{"infinite baseline", func(l *typeset.Layout, _ *Info) FontSource { l.Pages[0].Runs[0].Y = math.Inf(1); return set }, "run at y"},
		{"empty image", func(l *typeset.Layout, _ *Info) FontSource {
			l.Pages[0].Images = []typeset.Image{{W: 0, H: 1, PNG: []byte("\x89PNG\r\n\x1a\n")}}
			return set
		}, "sized"},
		{"NaN bookmark", func(l *typeset.Layout, _ *Info) FontSource {
			l.Bookmarks = []typeset.Bookmark{{Level: 1, Title: "一、", Y: math.NaN()}}
			return set
		}, "at y"},
		{"not a PNG", func(l *typeset.Layout, _ *Info) FontSource {
			l.Pages[0].Images = []typeset.Image{{W: 1, H: 1, PNG: []byte("GIF89a")}}
			return set
		}, "not a PNG"},
		{"bookmark off the end", func(l *typeset.Layout, _ *Info) FontSource {
			l.Bookmarks = []typeset.Bookmark{{Level: 1, Title: "一、", Page: 3}}
			return set
		}, "page index 3"},
		{"glyph 0", func(_ *typeset.Layout, _ *Info) FontSource {
			return fakeSource{set, func(f spec.Face, rs []rune) (*fonts.Subset, error) {
				sub, err := set.Cut(f, rs)
				if err == nil {
					sub.GIDs[0] = 0
				}
				return sub, err
			}}
		}, "lacks 1 requested"},
		{"panic in the font source", func(_ *typeset.Layout, _ *Info) FontSource {
			return fakeSource{set, func(spec.Face, []rune) (*fonts.Subset, error) { return nil, nil }}
		}, "internal error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lay, in := ok(), testInfo
			src := tc.change(lay, &in)
			out, err := Write(lay, in, src)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if out != nil {
				t.Error("output beside an error")
			}
		})
	}
}

func TestDocIDFollowsContent(t *testing.T) {
	set := defaultFonts(t)
	a, err := Write(formLayout(t), testInfo, set)
	if err != nil {
		t.Fatal(err)
	}
	lay := formLayout(t)
	lay.Pages[1].Runs[0].Glyphs[0].X += 1
	b, err := Write(lay, testInfo, set)
	if err != nil {
		t.Fatal(err)
	}
	ida, idb := readPackage(t, a).root.Bodies[0].Info.DocID, readPackage(t, b).root.Bodies[0].Info.DocID
	if ida == idb {
		t.Errorf("a moved glyph kept DocID %s", ida)
	}
	in := testInfo
	in.Author = "另一机关"
	d, err := Write(formLayout(t), in, set)
	if err != nil {
		t.Fatal(err)
	}
	if readPackage(t, d).root.Bodies[0].Info.DocID == ida {
		t.Error("another author kept the DocID")
	}
	c, _ := Write(formLayout(t), testInfo, set)
	if !bytes.Equal(a, c) {
		t.Error("the same layout gave different bytes")
	}
}

func TestAppendDeltas(t *testing.T) {
	gs := func(xs ...float64) []typeset.Glyph {
		var out []typeset.Glyph
		for _, x := range xs {
			out = append(out, typeset.Glyph{X: x / (25.4 / 72)}) // xs in mm
		}
		return out
	}
	tests := []struct {
		xs   []float64
		want string
	}{
		{[]float64{0, 1}, "1"},
		{[]float64{0, 1, 2}, "1 1"},
		{[]float64{0, 1, 2, 3}, "g 3 1"},
		{[]float64{10, 15.5, 21, 26.5, 27, 30.25}, "g 3 5.5 0.5 3.25"},
		{[]float64{0, 2, 2.5, 3, 3.5, 3.5}, "2 g 3 0.5 0"},
	}
	for _, tc := range tests {
		got := string(appendDeltas(nil, gs(tc.xs...)))
		if got != tc.want {
			t.Errorf("%v: %q, want %q", tc.xs, got, tc.want)
		}
		if n := len(expandDeltas(t, got)); n != len(tc.xs)-1 {
			t.Errorf("%v: %d values for %d glyphs", tc.xs, n, len(tc.xs))
		}
	}
}

// TestNonBMPText: characters outside the BMP (𠮷 U+20BB7, as in names; 𬌗 U+2C317 of
// 通用规范汉字表) are one character of their TextCode with one DeltaX step each, not two
// UTF-16 halves, in the real faces that have them: the song face's own, and the
// fallback face, which draws them for the fangsong role (FandolFang has none).
func TestNonBMPText(t *testing.T) {
	set := defaultFonts(t)
	const rare = "𠮷𬌗𠮷"
	for _, r := range rare {
		if f, _, ok := set.Glyph(spec.RoleFangsong, r); !ok || f != spec.FaceFallback {
			t.Fatalf("U+%04X in the fangsong role: face %s, ok %v; want the fallback face", r, f, ok)
		}
	}
	if f, _, ok := set.Glyph(spec.RoleSong, '𬌗'); !ok || f != spec.RoleFace(spec.RoleSong) {
		t.Fatalf("𬌗 in the song role: face %s, ok %v; want the song face", f, ok)
	}
	lay := &typeset.Layout{Pages: []typeset.Page{{Number: 1, Runs: []typeset.Run{
		line(spec.RoleSong, 16, 200, 80, "张𬌗同志"), // the song face has 𬌗 itself, not 𠮷
		line(spec.RoleFangsong, 16, 300, 80, "张"),
		faceLine(spec.FaceFallback, 16, 300, 96, rare),
		line(spec.RoleFangsong, 16, 300, 144, "同志"),
	}}}}
	out, err := Write(lay, testInfo, set)
	if err != nil {
		t.Fatal(err)
	}
	p := readPackage(t, out)
	validate(t, p)
	fontCoverage(t, p)
	objs := p.objects[0]
	if len(objs) != 4 {
		t.Fatalf("%d text objects, want 4", len(objs))
	}
	for i, want := range []struct {
		text, font string
	}{{"张𬌗同志", "NotoSerifCJKsc-Regular"}, {"张", "FandolFang-Regular"}, {rare, "NotoSerifCJKsc-Light"}, {"同志", "FandolFang-Regular"}} {
		o := objs[i]
		if o.Text != want.text || len(o.X) != len([]rune(want.text)) {
			t.Fatalf("object %d: text %q with %d positions, want %q", i, o.Text, len(o.X), want.text)
		}
		if got := p.fonts[o.Font].FontName; got != want.font {
			t.Errorf("object %d (%q): font %s, want %s", i, o.Text, got, want.font)
		}
		for k := 1; k < len(o.X); k++ {
			if d := o.X[k] - o.X[k-1]; math.Abs(d-16*25.4/72) > 0.001 {
				t.Errorf("object %d: step %d %.4f mm, want one 16 pt advance", i, k, d)
			}
		}
	}
}

// TestConcurrentWrites: writers share pooled compressors; concurrent documents still
// come out byte-identical (run under -race in CI's spirit).
func TestConcurrentWrites(t *testing.T) {
	set := defaultFonts(t)
	want, err := Write(formLayout(t), testInfo, set)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			got, err := Write(formLayout(t), testInfo, set)
			if err == nil && !bytes.Equal(got, want) {
				err = errors.New("concurrent write gave different bytes")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestAppendNum: the integer formatting writes what strconv.AppendFloat wrote for
// the value rounded to thousandths (the formatter it replaced), "-0" aside, from
// sub-micrometre steps to the edge where it hands over to the float formatter.
func TestAppendNum(t *testing.T) {
	oldNum := func(v float64) string {
		v = math.Round(v*1000) / 1000
		if v == 0 {
			v = 0
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	vals := []float64{0, -0.0, 0.0004, -0.0004, 0.0005, -0.0005, 0.001, -0.001, 0.01, 0.1, 1, 12.5, -12.05, 210, 297.0001,
		1<<40/1000 - 0.001, -(1<<40/1000 - 0.001), 1<<40/1000 + 1, 1e15, -1e15, 123456789.123}
	for range 20000 {
		scale := math.Pow(10, float64(rng.IntN(13)-3))
		vals = append(vals, (rng.Float64()*2-1)*scale)
	}
	for _, v := range vals {
		if got, want := string(appendNum(nil, v)), oldNum(v); got != want {
			t.Fatalf("appendNum(%v) = %q, want %q", v, got, want)
		}
	}
	for range 20000 {
		m := rng.Int64N(1<<42) - 1<<41
		if got, want := string(appendMicrons(nil, m)), oldNum(float64(m)/1000); got != want {
			t.Fatalf("appendMicrons(%d) = %q, want %q", m, got, want)
		}
	}
}
