package pdf

import (
	"encoding/xml"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongwen/internal/testtool"
)

// The document form read back from the PDF with tools nobody here wrote (mutool's
// stext and trace, pdfimages, pdftoppm), against the standard's numbers written
// out here as literals (GB/T 9704-2012 7.2-7.5; shared/gbt9704.md "The document
// form"), never spec's constants.
const (
	litMM        = 72 / 25.4
	litTypeTop   = 37 * litMM
	litTypeLeft  = 28 * litMM
	litTypeRight = (28 + 156) * litMM
	litTypeBot   = (37 + 225) * litMM
	litCell      = 156 * litMM / 28
	litPitch     = 28.95 // 22 lines on the type area (DOCX linePitch 579)
)

// traceStroke is one stroked line of `mutool trace`, in top-down page coordinates.
type traceStroke struct {
	width          float64
	color          string
	x1, y1, x2, y2 float64
}

type traceImage struct {
	x, y, w, h float64
	multiply   bool
}

// trace reads the strokes and images of each page with `mutool trace`.
func trace(t *testing.T, pdf []byte) (strokes [][]traceStroke, images [][]traceImage) {
	t.Helper()
	tool := testtool.Require(t, "mutool")
	out, err := exec.Command(tool, "trace", writeTemp(t, pdf)).Output()
	if err != nil {
		t.Fatalf("mutool trace: %v", err)
	}
	dec := xml.NewDecoder(strings.NewReader(string(out)))
	page := -1
	var cur *traceStroke
	var m [6]float64
	multiply := 0
	attr := func(se xml.StartElement, name string) string {
		for _, a := range se.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	num := func(s string) float64 { f, _ := strconv.ParseFloat(s, 64); return f }
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "page":
				page++
				strokes = append(strokes, nil)
				images = append(images, nil)
			case "group":
				if attr(e, "blendmode") == "Multiply" {
					multiply++
				}
			case "stroke_path":
				cur = &traceStroke{width: num(attr(e, "linewidth")), color: attr(e, "color")}
				for i, f := range strings.Fields(attr(e, "transform")) {
					if i < 6 {
						m[i] = num(f)
					}
				}
			case "moveto", "lineto":
				if cur != nil {
					x, y := num(attr(e, "x")), num(attr(e, "y"))
					px, py := m[0]*x+m[2]*y+m[4], m[1]*x+m[3]*y+m[5]
					if e.Name.Local == "moveto" {
						cur.x1, cur.y1 = px, py
					} else {
						cur.x2, cur.y2 = px, py
					}
				}
			case "fill_image":
				f := strings.Fields(attr(e, "transform"))
				if len(f) == 6 && page >= 0 {
					images[page] = append(images[page], traceImage{x: num(f[4]), y: num(f[5]), w: num(f[0]), h: num(f[3]), multiply: multiply > 0})
				}
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "stroke_path":
				if cur != nil && page >= 0 {
					strokes[page] = append(strokes[page], *cur)
				}
				cur = nil
			case "group":
				if multiply > 0 {
					multiply--
				}
			}
		}
	}
	return strokes, images
}

// charsOf finds text on a page: the characters of the first occurrence of s.
func charsOf(page []stextChar, s string) []stextChar {
	want := []rune(s)
	for i := 0; i+len(want) <= len(page); i++ {
		ok := true
		for j, r := range want {
			if page[i+j].C != r {
				ok = false
				break
			}
		}
		if ok {
			return page[i : i+len(want)]
		}
	}
	return nil
}

// slotTop is the top of the grid slot holding a baseline.
func slotTop(baseline float64) float64 {
	return litTypeTop + math.Floor((baseline-litTypeTop)/litPitch)*litPitch
}

func TestDocumentFormReadBack(t *testing.T) {
	doc := exampleDoc(t, "all-fields-document.json")
	res, lay := render(t, doc)
	pdf := res.Bytes
	// Everything checkDocument checks but the body's grid geometry, which the 版头
	// leaves on purpose (the 标志 is placed in millimetres, off the grid).
	qpdfCheck(t, pdf)
	assertFontsEmbedded(t, pdf)
	assertGlyphs(t, lay, pdf)
	assertParagraphs(t, doc, lay)
	assertReadingText(t, doc, lay, pdf)
	assertOutline(t, doc, pdf)
	pages := readStext(t, pdf)
	colors := readColors(t, pdf)
	strokes, images := trace(t, pdf)
	near := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s: %.3f, want %.3f (±%.2f)", what, got, want, tol)
		}
	}

	// 版头: 份号, 密级, 紧急程度 flush left on lines 1-3.
	p1 := pages[0]
	for i, s := range []string{"000001", "秘密★1年", "特急"} {
		cs := charsOf(p1, s)
		if cs == nil {
			t.Fatalf("page 1 lacks %q", s)
		}
		near(s+" left edge", cs[0].X, litTypeLeft, 0.05)
		near(s+" line", slotTop(cs[0].Y), litTypeTop+float64(i)*litPitch, 0.05)
	}
	// The 标志: red, about 15 mm tall, centred, its ink's top 35 mm below the type area.
	organ := charsOf(p1, "示例市司法局文件")
	if organ == nil {
		t.Fatal("page 1 lacks the 标志")
	}
	for _, c := range organ {
		if col := colors[0][charKey(c)]; col != "#ff0000" {
			t.Errorf("标志 %q is %s, want red #ff0000", c.C, col)
		}
		near("标志 size (about 15 mm)", c.Size, 15*litMM, 0.1*litMM)
	}
	near("标志 centre", (organ[0].X+organ[len(organ)-1].X+organ[len(organ)-1].W)/2, (litTypeLeft+litTypeRight)/2, 0.5)
	ink := rasterise(t, pdf, 1, 1)[0]
	s := float64(inkDPI) / 72
	top := -1.0
	from, left, right := (litTypeTop+31*litMM)*s, litTypeLeft*s, litTypeRight*s
	for y := int(from); y < ink.h && top < 0; y++ {
		for x := int(left); x < int(right); x++ {
			if ink.dark[y*ink.w+x] {
				top = float64(y) / s
				break
			}
		}
	}
	t.Logf("标志 ink top %.2f mm below the type area", (top-litTypeTop)/litMM)
	if d := (top - litTypeTop) / litMM; d < 35-0.2 || d > 36.5 {
		t.Errorf("the 标志's ink starts %.2f mm below the type area, want 35 mm (its em box's top; ink up to 1.5 mm lower)", d)
	}

	// 发文字号 left with a one-character indent, 签发人 right with a one-character
	// gap, on one line.
	num := charsOf(p1, "示司〔2025〕3号")
	signer := charsOf(p1, "签发人：张三")
	names := charsOf(p1, "李四")
	if num == nil || signer == nil || names == nil {
		t.Fatal("page 1 lacks the 发文字号 or the 签发人")
	}
	near("发文字号 baseline = 签发人 baseline", num[0].Y, signer[0].Y, 0.01)
	// Two blank lines between the 标志 (its em box ends 35 + 15 mm below the type
	// area's top) and the 发文字号's line.
	if gap := (slotTop(num[0].Y) - (litTypeTop + (35+15)*litMM)) / litPitch; gap < 2 || gap >= 3 {
		t.Errorf("the 发文字号's line starts %.2f lines below the 标志, want two blank lines", gap)
	}
	near("发文字号 left indent", num[0].X, litTypeLeft+litCell, 0.05)
	// A CJK character's cell is its advance on the grid (its glyph box is the em).
	near("签发人 right gap", names[len(names)-1].X+litCell, litTypeRight-litCell, 0.1)
	// Red separator: type-area wide, 0.5 mm, 4 mm below the 发文字号's baseline.
	var sep *traceStroke
	for i, st := range strokes[0] {
		if st.color == "1 0 0" {
			sep = &strokes[0][i]
		}
	}
	if sep == nil {
		t.Fatal("page 1 has no red rule")
	}
	near("separator width", sep.width, 0.5*litMM, 0.01)
	near("separator y", sep.y1, num[0].Y+4*litMM, 0.05)
	near("separator left", math.Min(sep.x1, sep.x2), litTypeLeft, 0.05)
	near("separator right", math.Max(sep.x1, sep.x2), litTypeRight, 0.05)
	// The title two blank lines below it.
	title := charsOf(p1, "示例市司法局")
	for _, c := range p1 {
		if c.Size == 22 {
			title = []stextChar{c}
			break
		}
	}
	if gap := (slotTop(title[0].Y) - sep.y1) / litPitch; gap < 2 || gap >= 3 {
		t.Errorf("the title's line starts %.2f lines below the separator, want two blank lines", gap)
	}

	// Sealed signature (7.3.5.1) on page 4: the date four characters from the right
	// edge, the name centred over it, the seal (42 mm, soft mask, Multiply) centred
	// on them, the name and date below its centre, its top within a line of the
	// attachment note.
	p4 := pages[3]
	date := charsOf(p4, "2025年1月15日")
	var issuer []stextChar
	for i := range p4 {
		if cs := charsOf(p4[i:], "示例市司法局"); cs != nil && cs[0].Size == 16 && cs[0].Y < date[0].Y && date[0].Y-cs[0].Y < 1.5*litPitch {
			issuer = cs
			break
		}
	}
	if date == nil || issuer == nil {
		t.Fatal("page 4 lacks the signature")
	}
	dateRight := date[len(date)-1].X + litCell
	near("date right gap", dateRight, litTypeRight-4*litCell, 0.1)
	dateMid := (date[0].X + dateRight) / 2
	near("name centred over the date", (issuer[0].X+issuer[len(issuer)-1].X+litCell)/2, dateMid, 0.1)
	if len(images[3]) != 1 {
		t.Fatalf("page 4 has %d images, want the seal", len(images[3]))
	}
	seal := images[3][0]
	if !seal.multiply {
		t.Error("the seal is not drawn with the Multiply blend mode")
	}
	near("seal width", seal.w, 42*litMM, 0.01)
	near("seal height", seal.h, 42*litMM, 0.01)
	near("seal centred on the date", seal.x+seal.w/2, dateMid, 0.1)
	centre := seal.y + seal.h/2
	if !(centre < issuer[0].Y-16*0.5 && centre < date[0].Y && date[0].Y < seal.y+seal.h) {
		t.Errorf("seal centre %.2f, name baseline %.2f, date baseline %.2f, seal bottom %.2f: name and date must sit in the seal's lower half",
			centre, issuer[0].Y, date[0].Y, seal.y+seal.h)
	}
	if bottom := seal.y + seal.h; bottom > slotTop(date[0].Y)+litPitch+0.01 {
		t.Errorf("the seal reaches %.2f, below the date's line (%.2f)", bottom, slotTop(date[0].Y)+litPitch)
	}
	last := charsOf(p4, "3.示例市司法局行政规范性文件目录")
	if last == nil {
		t.Fatal("page 4 lacks the attachment note's last line")
	}
	bodyBottom := slotTop(last[0].Y) + litPitch
	if d := seal.y - bodyBottom; d < 0 || d > litPitch {
		t.Errorf("the seal's top is %.2f pt below the attachment note's line, want 0 to one line", d)
	}
	if out := pdfImagesList(t, pdf); !regexp.MustCompile(`(?m)^\s*4\s+\d+\s+image\s+600\s+600`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^\s*4\s+\d+\s+smask\s+600\s+600`).MatchString(out) {
		t.Errorf("pdfimages does not list the seal with its soft mask on page 4:\n%s", out)
	}
	// 附注 on the line after the date, two characters in.
	note := charsOf(p4, "（此件公开发布）")
	if note == nil {
		t.Fatal("page 4 lacks the 附注")
	}
	near("附注 line", note[0].Y, date[0].Y+litPitch, 0.05)
	near("附注 indent", note[0].X, litTypeLeft+2*litCell, 0.05)

	// The attachment page: 附件1 flush left on line 1, its title centred on line 3.
	p5 := pages[4]
	label := charsOf(p5, "附件1")
	atitle := charsOf(p5, "2024年度行政执法数据统计表")
	if label == nil || atitle == nil {
		t.Fatal("page 5 lacks the attachment's label or title")
	}
	near("附件1 line", slotTop(label[0].Y), litTypeTop, 0.05)
	near("附件1 left", label[0].X, litTypeLeft, 0.05)
	near("attachment title line", slotTop(atitle[0].Y), litTypeTop+2*litPitch, 0.05)
	near("attachment title size", atitle[0].Size, 22, 0.01)

	// 版记 on page 6, the back of the third sheet: thick, thin, thick rules, the
	// last on the type area's bottom edge; no page number there.
	if res.Pages != 6 {
		t.Fatalf("%d pages, want 6 (the 版记 on an even page of its own)", res.Pages)
	}
	rules := strokes[5]
	if len(rules) != 3 {
		t.Fatalf("page 6 has %d rules, want 3", len(rules))
	}
	for i, want := range []float64{0.35, 0.25, 0.35} {
		near("版记 rule "+strconv.Itoa(i)+" width", rules[i].width, want*litMM, 0.01)
		near("版记 rule left", math.Min(rules[i].x1, rules[i].x2), litTypeLeft, 0.05)
		near("版记 rule right", math.Max(rules[i].x1, rules[i].x2), litTypeRight, 0.05)
	}
	near("last 版记 rule's lower edge on the type area's bottom edge", rules[2].y1+rules[2].width/2, litTypeBot, 0.05)
	printed := charsOf(pages[5], "2025年1月16日印发")
	cc := charsOf(pages[5], "抄送：市委办公室")
	if printed == nil || cc == nil {
		t.Fatal("page 6 lacks the 版记's text")
	}
	near("印发 line on the last grid line", slotTop(printed[0].Y), litTypeTop+21*litPitch, 0.05)
	near("印发日期 right gap", printed[len(printed)-1].X+14, litTypeRight-14, 0.1)
	near("抄送 left gap", cc[0].X, litTypeLeft+14, 0.05)
	near("抄送 size", cc[0].Size, 14, 0.01)
	for i, p := range pdfText(t, pdf) {
		has := regexp.MustCompile(`—\s*` + strconv.Itoa(i+1) + `\s*—`).MatchString(p)
		if has != (i < 5) {
			t.Errorf("page %d: page number printed %v, want %v", i+1, has, i < 5)
		}
	}
}

func pdfImagesList(t *testing.T, pdf []byte) string {
	t.Helper()
	tool := testtool.Require(t, "pdfimages")
	out, err := exec.Command(tool, "-list", writeTemp(t, pdf)).Output()
	if err != nil {
		t.Fatalf("pdfimages: %v", err)
	}
	return string(out)
}

// charKey identifies a character of readStext in readColors' map.
func charKey(c stextChar) string {
	return string(c.C) + "@" + strconv.FormatFloat(math.Round(c.X*100)/100, 'f', 2, 64) + "," + strconv.FormatFloat(math.Round(c.Y*100)/100, 'f', 2, 64)
}

// readColors maps each character of `mutool draw -F stext` to its colour.
func readColors(t *testing.T, pdf []byte) []map[string]string {
	t.Helper()
	tool := testtool.Require(t, "mutool")
	out, err := exec.Command(tool, "draw", "-q", "-F", "stext", "-o", "-", writeTemp(t, pdf)).Output()
	if err != nil {
		t.Fatalf("mutool draw: %v", err)
	}
	var res []map[string]string
	dec := xml.NewDecoder(strings.NewReader(string(out)))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "page":
			res = append(res, map[string]string{})
		case "char":
			var c, x, y, col string
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "c":
					c = a.Value
				case "x":
					x = a.Value
				case "y":
					y = a.Value
				case "color":
					col = a.Value
				}
			}
			xf, _ := strconv.ParseFloat(x, 64)
			yf, _ := strconv.ParseFloat(y, 64)
			r := []rune(c)
			if len(r) == 1 && len(res) > 0 {
				res[len(res)-1][charKey(stextChar{C: r[0], X: xf, Y: yf})] = col
			}
		}
	}
	return res
}

// A 标志 wider than the type area is narrowed (the text matrix scales it), never
// wrapped or let out: read back, its glyphs span the type area exactly and the
// text copies intact.
func TestLongOrganNarrowed(t *testing.T) {
	data := readExampleBytes(t, "all-fields-document.json")
	long := "示例市司法局示例市人力资源和社会保障局示例市财政局联合文件"
	data = []byte(strings.Replace(string(data), `"organ": "示例市司法局文件"`, `"organ": "`+long+`"`, 1))
	doc := docFromJSON(t, data)
	res, lay := render(t, doc)
	assertParagraphs(t, doc, lay)
	assertReadingText(t, doc, lay, res.Bytes)
	cs := charsOf(readStext(t, res.Bytes)[0], long)
	if cs == nil {
		t.Fatal("page 1 lacks the 标志")
	}
	// Every glyph where the layout put it (mutool states a narrowed run's size as
	// its scaled width, so sizes are not compared here).
	var want []float64
	for _, r := range lay.Pages[0].Runs {
		if r.ScaleX > 0 && r.ScaleX < 1 {
			for _, g := range r.Glyphs {
				want = append(want, g.X)
			}
		}
	}
	if len(want) != len(cs) {
		t.Fatalf("%d narrowed glyphs in the layout, %d read back", len(want), len(cs))
	}
	for i := range cs {
		if math.Abs(cs[i].X-want[i]) > 0.01 {
			t.Errorf("标志 glyph %d at %.3f, layout %.3f", i, cs[i].X, want[i])
		}
	}
	n := float64(len(cs))
	step := (cs[len(cs)-1].X - cs[0].X) / (n - 1)
	if l, r := cs[0].X, cs[0].X+step*n; l < litTypeLeft-0.01 || r > litTypeRight+0.01 || r-l < 156*litMM-1 || math.Abs((l+r)/2-(litTypeLeft+litTypeRight)/2) > 0.05 {
		t.Errorf("标志 spans %.2f..%.2f, want the type area %.2f..%.2f, centred", l, r, litTypeLeft, litTypeRight)
	}
	if step >= 42.5 {
		t.Errorf("glyphs %.2f pt apart: not narrowed", step)
	}
}

func readExampleBytes(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// BenchmarkRenderDocumentForm renders the document-form example (版头, seal, an
// attachment page, 版记) beside BenchmarkRenderAllFields, the same report published.
func BenchmarkRenderDocumentForm(b *testing.B) {
	benchRender(b, exampleDoc(b, "all-fields-document.json"))
}

func BenchmarkRenderAllFields(b *testing.B) {
	benchRender(b, exampleDoc(b, "all-fields.json"))
}

// appendResources names the images and the Multiply state in gofpdf's resource
// dictionary, and refuses a dictionary it does not know rather than guess.
func TestResourcesWithImages(t *testing.T) {
	obj := []byte("2 0 obj\n<<\n/ProcSet [/PDF /Text /ImageB /ImageC /ImageI]\n/Font <<\n>>\n/XObject <<\n>>\n>>\nendobj\n")
	ims := []*rasterImage{{w: 1, h: 1}}
	out, err := appendResources(nil, obj, nil, nil, ims, 40)
	if err != nil {
		t.Fatal(err)
	}
	want := "2 0 obj\n<<\n/ProcSet [/PDF /Text /ImageB /ImageC /ImageI]\n/Font <<\n>>\n/XObject <<\n/GWim0 40 0 R\n>>\n/ExtGState <<\n/GWmultiply 42 0 R\n>>\n>>\nendobj\n"
	if string(out) != want {
		t.Errorf("resources:\n%s\nwant\n%s", out, want)
	}
	for _, bad := range []string{
		"2 0 obj\n<<\n/ProcSet [/PDF /Text /ImageB /ImageC /ImageI]\n/Font <<\n>>\n/XObject <<\n/I1 9 0 R\n>>\n>>\nendobj\n",
		"2 0 obj\n<<\n/ProcSet [/PDF /Text /ImageB /ImageC /ImageI]\n/Font <<\n>>\n/XObject <<\n>>\n/ExtGState <<\n/GS1 9 0 R\n>>\n>>\nendobj\n",
	} {
		if _, err := appendResources(nil, []byte(bad), nil, nil, ims, 40); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
