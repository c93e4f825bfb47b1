package ofd

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"strconv"

	"gongwen/internal/deflate"
	"gongwen/internal/spec"
	"gongwen/internal/typeset"
	"gongwen/internal/zipfile"
)

// Names and places in the package (GB/T 33190's package structure: OFD.xml at the root, one
// folder per document, one per page, resources beside the document).
const (
	ns          = "http://www.ofdspec.org/2016"
	docRoot     = "Doc_0/Document.xml"
	publicRes   = "PublicRes.xml"   // fonts, relative to Doc_0
	documentRes = "DocumentRes.xml" // images, relative to Doc_0
	resDir      = "Res"             // BaseLoc of both resource files
	creator     = "Gongwen"
	// pageBox is the physical page in millimetres (A4, GB/T 9704 5.2.1).
	pageBox = "0 0 210 297"
)

// mm converts points to millimetres.
const mm = 25.4 / 72

// xmlHeader starts every XML part.
const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// font is one face's embedded subset.
type font struct {
	id     int
	face   spec.Face
	runes  []rune // sorted
	file   string // name inside Res
	name   string // the face's PostScript name
	family string // the face's family name
	// deflated is the font file as raw deflate data, with crc and size the file's
	// CRC-32 and length: the file itself is never built (fonts.Subset.File would
	// assemble it, 186 KB for Wuchuan, only for the zip entry's CRC).
	deflated []byte
	crc      uint32
	size     int
}

// picture is one distinct PNG.
type picture struct {
	id   int
	file string
	png  []byte
}

// builder assigns object IDs (GB/T 33190 ST_ID: unique within the document, MaxUnitID
// the largest) and collects the parts.
type builder struct {
	lastID int
	fonts  [spec.NumFaces]*font
	images []*picture
	byPNG  map[[32]byte]*picture
}

func (b *builder) id() int { b.lastID++; return b.lastID }

func write(ctx context.Context, lay *typeset.Layout, in Info, src FontSource) ([]byte, error) {
	if len(lay.Pages) == 0 {
		return nil, errors.New("ofd: layout has no pages")
	}
	if in.Date.IsZero() {
		return nil, errors.New("ofd: no document date")
	}
	for _, s := range []struct{ what, v string }{{"title", in.Title}, {"author", in.Author}, {"subject", in.Subject}} {
		if err := checkText(s.v); err != nil {
			return nil, fmt.Errorf("ofd: document %s: %w", s.what, err)
		}
	}
	used, err := usedRunes(lay)
	if err != nil {
		return nil, err
	}
	b := &builder{byPNG: map[[32]byte]*picture{}}
	for _, face := range spec.Faces {
		rs := used[face]
		if len(rs) == 0 {
			continue
		}
		sub, err := src.Cut(face, rs)
		if err != nil {
			return nil, fmt.Errorf("ofd: subset %s face: %w", face, err)
		}
		if err := covers(sub.Runes, sub.GIDs, rs); err != nil {
			return nil, fmt.Errorf("ofd: subset %s face: %w", face, err)
		}
		f := &font{id: b.id(), face: face, runes: rs, name: src.PostScriptName(face), family: src.Family(face)}
		// The subset's compressed form is the PDF's (fonts.Subset.Deflate: made once),
		// its CRC-32 computed from the glyphs' cached ones.
		f.deflated, f.crc, f.size = sub.Deflate(nil), sub.CRC32(nil), sub.Size()
		if f.name == "" {
			f.name = sub.PostScriptName
		}
		if f.name == "" {
			f.name = face.Name()
		}
		if f.family == "" {
			f.family = f.name
		}
		f.file = "font_" + strconv.Itoa(f.id) + ".ttf"
		b.fonts[face] = f
	}
	for pi := range lay.Pages {
		for ii, im := range lay.Pages[pi].Images {
			if !bytes.HasPrefix(im.PNG, []byte("\x89PNG\r\n\x1a\n")) {
				return nil, fmt.Errorf("ofd: page %d image %d is not a PNG", pi+1, ii+1)
			}
			if !finite(im.X) || !finite(im.Y) || !(im.W > 0) || !(im.H > 0) || !finite(im.W) || !finite(im.H) {
				return nil, fmt.Errorf("ofd: page %d image %d at %g, %g sized %g × %g", pi+1, ii+1, im.X, im.Y, im.W, im.H)
			}
			h := sha256.Sum256(im.PNG)
			if b.byPNG[h] == nil {
				m := &picture{id: b.id(), png: im.PNG}
				m.file = "image_" + strconv.Itoa(m.id) + ".png"
				b.byPNG[h] = m
				b.images = append(b.images, m)
			}
		}
	}

	pageIDs := make([]int, len(lay.Pages))
	contents := make([][]byte, len(lay.Pages))
	var buf []byte
	for pi := range lay.Pages {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("ofd: page %d: %w", pi+1, err)
		}
		pageIDs[pi] = b.id()
		buf, err = b.page(buf[:0], &lay.Pages[pi])
		if err != nil {
			return nil, fmt.Errorf("ofd: page %d: %w", pi+1, err)
		}
		contents[pi] = append([]byte(nil), buf...)
	}
	doc, err := b.document(lay, pageIDs)
	if err != nil {
		return nil, err
	}
	pub, docRes := b.publicRes(), b.documentRes()

	// DocID (CT_DocInfo: a UUID-sized identifier) is derived from the document's
	// information and everything the package holds but OFD.xml (the fonts as they
	// are stored, deflated: lossless, so another file is other bytes), so that the
	// same document always gets the same one and a different one never does.
	h := sha256.New()
	for _, v := range []string{in.Title, in.Author, in.Subject, in.Date.Format("2006-01-02")} {
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	h.Write(doc)
	h.Write(pub)
	h.Write(docRes)
	for _, c := range contents {
		h.Write(c)
	}
	for _, f := range b.fonts {
		if f != nil {
			h.Write(f.deflated)
		}
	}
	for _, m := range b.images {
		h.Write(m.png)
	}
	docID := hex.EncodeToString(h.Sum(nil)[:16])
	root := ofdXML(in, docID)

	// The package's size, so that its buffer is allocated once: the fonts and
	// images as they are stored, the XML deflated to about a third (a quarter for
	// pages, half for the small parts), and each entry's two headers (about 80
	// bytes and its name twice). Too small a hint grew the buffer for the fonts,
	// copying it and faulting in a second one (60 page faults of a cold OFD render).
	const entry = 128
	size := len(root) + len(doc)/2 + len(pub) + len(docRes)/2 + 4*entry + 1024
	for _, c := range contents {
		size += len(c)/3 + entry
	}
	for _, f := range b.fonts {
		if f != nil {
			size += len(f.deflated) + entry
		}
	}
	for _, m := range b.images {
		size += len(m.png) + entry
	}
	y, mo, d := in.Date.Date()
	z := zipfile.New(y, int(mo), d, size)
	z.Add("OFD.xml", root, true)
	z.Add(docRoot, doc, true)
	z.Add("Doc_0/"+publicRes, pub, true)
	if docRes != nil {
		z.Add("Doc_0/"+documentRes, docRes, true)
	}
	code := contentCode()
	var zc []byte // a page's compressed content, reused
	for pi, c := range contents {
		if pi%16 == 15 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("ofd: %w", err)
			}
		}
		if code == nil {
			z.Add("Doc_0/"+pagePath(pi), c, true)
			continue
		}
		zc = code.Deflate(zc[:0], c)
		z.AddDeflated("Doc_0/"+pagePath(pi), zc, crc32.ChecksumIEEE(c), len(c))
	}
	for _, f := range b.fonts {
		if f != nil {
			z.AddDeflated("Doc_0/"+resDir+"/"+f.file, f.deflated, f.crc, f.size)
		}
	}
	for _, m := range b.images {
		z.Add("Doc_0/"+resDir+"/"+m.file, m.png, false) // PNG is compressed already
	}
	out, err := z.Bytes()
	if err != nil {
		return nil, fmt.Errorf("ofd: %w", err)
	}
	return out, nil
}

// contentCode is the code the pages' Content.xml are deflated with (contentcode.go,
// trained on the examples' pages: klauspost's stateless encoder spent most of its
// time on each building a code of its own); the other parts, small and each of its
// own kind, go through zipfile's encoder. nil, should the table be damaged, sends
// the pages there too.
var contentCode = deflate.Shipped("OFD page contents", contentLitLens, contentDistLens)

// pagePath is page pi's content, relative to Doc_0.
func pagePath(pi int) string { return "Pages/Page_" + strconv.Itoa(pi) + "/Content.xml" }

// covers checks that the subset draws every rune with a real glyph: a character drawn
// as glyph 0 (.notdef) would be lost.
func covers(subRunes []rune, gids []uint16, want []rune) error {
	if len(gids) != len(subRunes) {
		return fmt.Errorf("subset has %d characters and %d glyphs", len(subRunes), len(gids))
	}
	var missing []rune
	for _, r := range want {
		k, ok := slices.BinarySearch(subRunes, r)
		if !ok || gids[k] == 0 {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		if len(missing) > 10 {
			missing = missing[:10]
		}
		return fmt.Errorf("font lacks %d requested characters, e.g. %q", len(missing), string(missing))
	}
	return nil
}

// usedRunes lists, per face, the characters the layout draws, sorted.
func usedRunes(lay *typeset.Layout) ([spec.NumFaces][]rune, error) {
	used, err := lay.UsedRunes(func(run *typeset.Run) error {
		if !(run.Size > 0) || math.IsInf(run.Size, 0) {
			return fmt.Errorf("run with type size %g", run.Size)
		}
		if !finite(run.Y) || !finite(run.ScaleX) {
			return fmt.Errorf("run at y %g with scale %g", run.Y, run.ScaleX)
		}
		for _, g := range run.Glyphs {
			if !finite(g.X) || !finite(float64(g.W)) {
				return fmt.Errorf("glyph %q at x %g, width %g", g.R, g.X, g.W)
			}
			if !drawable(g.R) {
				return fmt.Errorf("character U+%04X cannot be drawn", g.R)
			}
		}
		return nil
	})
	if err != nil {
		return used, fmt.Errorf("ofd: %w", err)
	}
	return used, nil
}

// finite reports whether v is a number a coordinate can be: no NaN, no infinity, and
// within a kilometre, so that micrometres fit an int64 with room to spare.
func finite(v float64) bool { return v > -3e6 && v < 3e6 }

// drawable reports whether r may stand in a TextCode: a character XML 1.0 allows
// (§2.2) that is not a control character (those have no glyph; the report contract
// rejects them before they get here).
func drawable(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7F && r <= 0x9F, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF, r > 0x10FFFF:
		return false
	}
	return true
}

// checkText rejects text XML cannot carry (control characters, invalid UTF-8 was
// turned into U+FFFD by the range loop and is fine).
func checkText(s string) error {
	for _, r := range s {
		if r == '\t' || r == '\n' {
			continue // metadata may keep a line break; escaped in attributes
		}
		if !drawable(r) {
			return fmt.Errorf("character U+%04X cannot be written", r)
		}
	}
	return nil
}

// appendText appends s escaped for element content or an attribute value (quotes,
// tab and newline as references so that attribute normalisation keeps them).
func appendText(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...) // "]]>" must not appear in content
		case '"':
			b = append(b, "&quot;"...)
		case '\t':
			b = append(b, "&#9;"...)
		case '\n':
			b = append(b, "&#10;"...)
		case '\r':
			b = append(b, "&#13;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// appendMM appends a length in points as millimetres, rounded to 1/1000 mm.
func appendMM(b []byte, pt float64) []byte { return appendNum(b, pt*mm) }

// appendNum appends v rounded to 3 decimals, without "-0".
func appendNum(b []byte, v float64) []byte {
	if m := math.Round(v * 1000); math.Abs(m) < exactThousandths {
		return appendThousandths(b, int64(m))
	}
	v = math.Round(v*1000) / 1000
	if v == 0 {
		v = 0
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

// exactThousandths bounds the counts of thousandths appendThousandths writes:
// below it a float64 holds every thousandth exactly enough that the shortest
// decimal strconv.AppendFloat gives for m/1000 is m/1000's own digits.
const exactThousandths = 1 << 40

// appendThousandths appends m/1000 in decimal without trailing zeros, as
// strconv.AppendFloat(b, float64(m)/1000, 'f', -1, 64) does for |m| below
// exactThousandths (but for "-0"), with integer arithmetic: the OFD's
// coordinates went through the float formatter, a tenth of the writer's
// instructions.
func appendThousandths(b []byte, m int64) []byte {
	if m < 0 {
		b = append(b, '-')
		m = -m
	}
	b = strconv.AppendInt(b, m/1000, 10)
	f := m % 1000
	if f == 0 {
		return b
	}
	b = append(b, '.', byte('0'+f/100))
	if f%100 != 0 {
		b = append(b, byte('0'+f/10%10))
		if f%10 != 0 {
			b = append(b, byte('0'+f%10))
		}
	}
	return b
}

// microns is a length in points as whole micrometres: glyph positions are rounded once,
// absolutely, so that DeltaX sums never drift from the typesetter's positions.
func microns(pt float64) int64 { return int64(math.Round(pt * mm * 1000)) }

func appendMicrons(b []byte, v int64) []byte {
	if v > -exactThousandths && v < exactThousandths {
		return appendThousandths(b, v)
	}
	return appendNum(b, float64(v)/1000)
}

// appendBox appends an ST_Box "x y w h" of micrometres.
func appendBox(b []byte, x, y, w, h int64) []byte {
	b = appendMicrons(b, x)
	b = append(b, ' ')
	b = appendMicrons(b, y)
	b = append(b, ' ')
	b = appendMicrons(b, w)
	b = append(b, ' ')
	return appendMicrons(b, h)
}

// appendColor appends a CT_Color element (RGB, 0-255: the default colour space).
func appendColor(b []byte, elem string, c typeset.Color) []byte {
	b = append(b, "<ofd:"...)
	b = append(b, elem...)
	b = append(b, ` Value="`...)
	b = strconv.AppendUint(b, uint64(c.R), 10)
	b = append(b, ' ')
	b = strconv.AppendUint(b, uint64(c.G), 10)
	b = append(b, ' ')
	b = strconv.AppendUint(b, uint64(c.B), 10)
	return append(b, `"/>`...)
}

// page appends one page's Content.xml. Images blended with Multiply (the seal) go
// beneath the text: OFD 1.0 has no blend modes, and dark ink drawn over the seal reads
// as Multiply would show it; other images go on top.
func (b *builder) page(out []byte, p *typeset.Page) ([]byte, error) {
	out = append(out, xmlHeader...)
	out = append(out, `<ofd:Page xmlns:ofd="`+ns+`"><ofd:Content><ofd:Layer ID="`...)
	out = strconv.AppendInt(out, int64(b.id()), 10)
	out = append(out, `" Type="Body">`...)
	for i := range p.Images {
		if p.Images[i].Multiply {
			out = b.imageObject(out, &p.Images[i])
		}
	}
	for _, r := range p.Rules {
		var err error
		if out, err = b.pathObject(out, r); err != nil {
			return nil, err
		}
	}
	for ri := range p.Runs {
		run := &p.Runs[ri]
		if len(run.Glyphs) == 0 {
			continue
		}
		out = b.textObject(out, run)
	}
	for i := range p.Images {
		if !p.Images[i].Multiply {
			out = b.imageObject(out, &p.Images[i])
		}
	}
	out = append(out, "</ofd:Layer></ofd:Content></ofd:Page>"...)
	return out, nil
}

// textObject appends a run as one TextObject with one TextCode: X, Y the first glyph's
// origin on the baseline, DeltaX the distance from each glyph to the next, so that
// every glyph lands where the typesetter put it and the text extracts as one string.
func (b *builder) textObject(out []byte, run *typeset.Run) []byte {
	f := b.fonts[run.Font]
	gs := run.Glyphs
	// The boundary (CT_GraphicUnit: the object's enclosing box, outside which it is
	// clipped) is the line's extent with room for any glyph's ink: a quarter em left,
	// an em and a quarter above the baseline, almost half an em below. TextCode
	// coordinates are relative to it, in whole micrometres like the glyphs, so that
	// box plus offset is exactly the typesetter's position.
	em := microns(run.Size)
	left, right := microns(gs[0].X), microns(gs[0].X)
	for _, g := range gs { // glyphs need not advance (overprinting)
		x := microns(g.X)
		left, right = min(left, x), max(right, x+max(em, microns(float64(g.W))))
	}
	bx, by := left-em/4, microns(run.Y)-em*5/4
	out = append(out, `<ofd:TextObject ID="`...)
	out = strconv.AppendInt(out, int64(b.id()), 10)
	out = append(out, `" Boundary="`...)
	out = appendBox(out, bx, by, right+em/4-bx, em*7/4)
	out = append(out, `" Font="`...)
	out = strconv.AppendInt(out, int64(f.id), 10)
	out = append(out, `" Size="`...)
	out = appendMM(out, run.Size)
	if run.ScaleX > 0 && run.ScaleX != 1 {
		out = append(out, `" HScale="`...)
		out = appendNum(out, run.ScaleX)
	}
	out = append(out, `">`...)
	if run.Color != (typeset.Color{}) {
		out = appendColor(out, "FillColor", run.Color)
	}
	out = append(out, `<ofd:TextCode X="`...)
	out = appendMicrons(out, microns(gs[0].X)-bx)
	out = append(out, `" Y="`...)
	out = appendMicrons(out, microns(run.Y)-by)
	if len(gs) > 1 {
		out = append(out, `" DeltaX="`...)
		out = appendDeltas(out, gs)
	}
	out = append(out, `">`...)
	for _, g := range gs {
		switch g.R {
		case '&':
			out = append(out, "&amp;"...)
		case '<':
			out = append(out, "&lt;"...)
		case '>':
			out = append(out, "&gt;"...)
		default:
			out = appendRune(out, g.R)
		}
	}
	return append(out, "</ofd:TextCode></ofd:TextObject>"...)
}

func appendRune(b []byte, r rune) []byte {
	if r < 0x80 {
		return append(b, byte(r))
	}
	return append(b, string(r)...)
}

// appendDeltas appends the DeltaX list of gs (one value fewer than glyphs). Equal
// neighbours, as in every justified CJK line, go in GB/T 33190's "g n d" form (ST_Array
// of DeltaX: n repetitions of d) when that is shorter.
func appendDeltas(b []byte, gs []typeset.Glyph) []byte {
	prev := microns(gs[0].X)
	ds := make([]int64, len(gs)-1)
	for i := 1; i < len(gs); i++ {
		x := microns(gs[i].X)
		ds[i-1] = x - prev
		prev = x
	}
	for i := 0; i < len(ds); {
		j := i + 1
		for j < len(ds) && ds[j] == ds[i] {
			j++
		}
		if i > 0 {
			b = append(b, ' ')
		}
		if n := j - i; n >= 3 {
			b = append(b, "g "...)
			b = strconv.AppendInt(b, int64(n), 10)
			b = append(b, ' ')
			b = appendMicrons(b, ds[i])
		} else {
			for k := i; k < j; k++ {
				if k > i {
					b = append(b, ' ')
				}
				b = appendMicrons(b, ds[k])
			}
		}
		i = j
	}
	return b
}

// pathObject appends a rule as a stroked line.
func (b *builder) pathObject(out []byte, r typeset.Rule) ([]byte, error) {
	for _, v := range []float64{r.X1, r.Y1, r.X2, r.Y2, r.Width} {
		if !finite(v) {
			return nil, fmt.Errorf("rule with coordinate %g", v)
		}
	}
	// The boundary is the line's box grown by the line width on every side (room for
	// the stroke); the path's coordinates are relative to it.
	x1, y1, x2, y2, lw := microns(r.X1), microns(r.Y1), microns(r.X2), microns(r.Y2), microns(r.Width)
	bx, by := min(x1, x2)-lw, min(y1, y2)-lw
	out = append(out, `<ofd:PathObject ID="`...)
	out = strconv.AppendInt(out, int64(b.id()), 10)
	out = append(out, `" Boundary="`...)
	out = appendBox(out, bx, by, max(x1, x2)+lw-bx, max(y1, y2)+lw-by)
	out = append(out, `" LineWidth="`...)
	out = appendMicrons(out, lw)
	out = append(out, `">`...)
	if r.Color != (typeset.Color{}) {
		out = appendColor(out, "StrokeColor", r.Color)
	}
	out = append(out, "<ofd:AbbreviatedData>M "...)
	out = appendMicrons(out, x1-bx)
	out = append(out, ' ')
	out = appendMicrons(out, y1-by)
	out = append(out, " L "...)
	out = appendMicrons(out, x2-bx)
	out = append(out, ' ')
	out = appendMicrons(out, y2-by)
	return append(out, "</ofd:AbbreviatedData></ofd:PathObject>"...), nil
}

// imageObject appends an image: the unit square mapped onto its box by the CTM
// (CT_Image).
func (b *builder) imageObject(out []byte, im *typeset.Image) []byte {
	m := b.byPNG[sha256.Sum256(im.PNG)]
	out = append(out, `<ofd:ImageObject ID="`...)
	out = strconv.AppendInt(out, int64(b.id()), 10)
	out = append(out, `" Boundary="`...)
	out = appendMM(out, im.X)
	out = append(out, ' ')
	out = appendMM(out, im.Y)
	out = append(out, ' ')
	out = appendMM(out, im.W)
	out = append(out, ' ')
	out = appendMM(out, im.H)
	out = append(out, `" CTM="`...)
	out = appendMM(out, im.W)
	out = append(out, " 0 0 "...)
	out = appendMM(out, im.H)
	out = append(out, ` 0 0" ResourceID="`...)
	out = strconv.AppendInt(out, int64(m.id), 10)
	return append(out, `"/>`...)
}

// document is Doc_0/Document.xml: the common data (MaxUnitID, the A4 page area, the
// resource files), the pages and the outline. It is built last, so MaxUnitID is the
// largest ID given.
func (b *builder) document(lay *typeset.Layout, pageIDs []int) ([]byte, error) {
	out := []byte(xmlHeader)
	out = append(out, `<ofd:Document xmlns:ofd="`+ns+`"><ofd:CommonData><ofd:MaxUnitID>`...)
	out = strconv.AppendInt(out, int64(b.lastID), 10)
	out = append(out, `</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>`+pageBox+`</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>`+publicRes+`</ofd:PublicRes>`...)
	if len(b.images) > 0 {
		out = append(out, `<ofd:DocumentRes>`+documentRes+`</ofd:DocumentRes>`...)
	}
	out = append(out, `</ofd:CommonData><ofd:Pages>`...)
	for pi, id := range pageIDs {
		out = append(out, `<ofd:Page ID="`...)
		out = strconv.AppendInt(out, int64(id), 10)
		out = append(out, `" BaseLoc="`...)
		out = append(out, pagePath(pi)...)
		out = append(out, `"/>`...)
	}
	out = append(out, `</ofd:Pages>`...)
	if len(lay.Bookmarks) > 0 {
		var err error
		if out, err = outlines(out, lay, pageIDs); err != nil {
			return nil, err
		}
	}
	return append(out, `</ofd:Document>`...), nil
}

// outlines appends the outline of the numbered headings (Document.xml Outlines), nested as
// the headings are: an entry sits under the nearest heading of a higher level before
// it, so that a skipped level never leaves an entry without a parent.
func outlines(out []byte, lay *typeset.Layout, pageIDs []int) ([]byte, error) {
	out = append(out, `<ofd:Outlines>`...)
	var open []int // levels of the enclosing entries
	for _, bm := range lay.Bookmarks {
		if bm.Page < 0 || bm.Page >= len(pageIDs) {
			return nil, fmt.Errorf("ofd: bookmark %q on page index %d of %d", bm.Title, bm.Page, len(pageIDs))
		}
		if !finite(bm.Y) {
			return nil, fmt.Errorf("ofd: bookmark %q at y %g", bm.Title, bm.Y)
		}
		if err := checkText(bm.Title); err != nil {
			return nil, fmt.Errorf("ofd: bookmark %q: %w", bm.Title, err)
		}
		for len(open) > 0 && open[len(open)-1] >= bm.Level {
			out = append(out, `</ofd:OutlineElem>`...)
			open = open[:len(open)-1]
		}
		out = append(out, `<ofd:OutlineElem Title="`...)
		out = appendText(out, bm.Title)
		out = append(out, `"><ofd:Actions><ofd:Action Event="CLICK"><ofd:Goto><ofd:Dest Type="XYZ" PageID="`...)
		out = strconv.AppendInt(out, int64(pageIDs[bm.Page]), 10)
		out = append(out, `" Left="0" Top="`...)
		out = appendMM(out, bm.Y)
		out = append(out, `"/></ofd:Goto></ofd:Action></ofd:Actions>`...)
		open = append(open, bm.Level)
	}
	for range open {
		out = append(out, `</ofd:OutlineElem>`...)
	}
	return append(out, `</ofd:Outlines>`...), nil
}

// publicRes is Doc_0/PublicRes.xml: the embedded fonts.
func (b *builder) publicRes() []byte {
	out := []byte(xmlHeader)
	out = append(out, `<ofd:Res xmlns:ofd="`+ns+`" BaseLoc="`+resDir+`">`...)
	var any bool
	for _, f := range b.fonts {
		if f == nil {
			continue
		}
		if !any {
			out = append(out, `<ofd:Fonts>`...)
			any = true
		}
		out = append(out, `<ofd:Font ID="`...)
		out = strconv.AppendInt(out, int64(f.id), 10)
		out = append(out, `" FontName="`...)
		out = appendText(out, f.name)
		out = append(out, `" FamilyName="`...)
		out = appendText(out, f.family)
		out = append(out, `"><ofd:FontFile>`...)
		out = append(out, f.file...)
		out = append(out, `</ofd:FontFile></ofd:Font>`...)
	}
	if any {
		out = append(out, `</ofd:Fonts>`...)
	}
	return append(out, `</ofd:Res>`...)
}

// documentRes is Doc_0/DocumentRes.xml: the images, or nil when there are none.
func (b *builder) documentRes() []byte {
	if len(b.images) == 0 {
		return nil
	}
	out := []byte(xmlHeader)
	out = append(out, `<ofd:Res xmlns:ofd="`+ns+`" BaseLoc="`+resDir+`"><ofd:MultiMedias>`...)
	for _, m := range b.images {
		out = append(out, `<ofd:MultiMedia ID="`...)
		out = strconv.AppendInt(out, int64(m.id), 10)
		out = append(out, `" Type="Image" Format="PNG"><ofd:MediaFile>`...)
		out = append(out, m.file...)
		out = append(out, `</ofd:MediaFile></ofd:MultiMedia>`...)
	}
	return append(out, `</ofd:MultiMedias></ofd:Res>`...)
}

// ofdXML is the entry file: the document's information and where its root is.
func ofdXML(in Info, docID string) []byte {
	out := []byte(xmlHeader)
	out = append(out, `<ofd:OFD xmlns:ofd="`+ns+`" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>`...)
	out = append(out, docID...)
	out = append(out, `</ofd:DocID>`...)
	for _, e := range []struct{ name, v string }{{"Title", in.Title}, {"Author", in.Author}, {"Subject", in.Subject}} {
		if e.v == "" {
			continue
		}
		out = append(out, "<ofd:"+e.name+">"...)
		out = appendText(out, e.v)
		out = append(out, "</ofd:"+e.name+">"...)
	}
	date := in.Date.Format("2006-01-02")
	out = append(out, `<ofd:CreationDate>`+date+`</ofd:CreationDate><ofd:ModDate>`+date+`</ofd:ModDate><ofd:Creator>`+creator+`</ofd:Creator></ofd:DocInfo><ofd:DocRoot>`+docRoot+`</ofd:DocRoot></ofd:DocBody></ofd:OFD>`...)
	return out
}
