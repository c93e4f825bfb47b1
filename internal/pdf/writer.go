package pdf

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"

	"gongwen/internal/spec"
	"gongwen/internal/typeset"
)

// Creator and Producer of every file.
const (
	creator  = "Gongwen"
	producer = "Gongwen (github.com/jung-kurt/gofpdf 1.16.2)"
)

// posTolerance is how far (points) a drawn glyph may stray from the typesetter's X
// before a run is split into another text-showing operation.
const posTolerance = 0.01

// write draws lay as a PDF: gofpdf makes the pages, rules, outline and document
// information; text is shown with raw operators in the fonts finish adds (see
// embed.go for why gofpdf's own font path is not used).
func write(lay *typeset.Layout, in info, src fontSource) (out []byte, err error) {
	return writeContext(context.Background(), lay, in, src)
}

// writeContext is write that stops when ctx ends, checked before every page.
func writeContext(ctx context.Context, lay *typeset.Layout, in info, src fontSource) ([]byte, error) {
	parts, err := writeParts(ctx, lay, in, src)
	if err != nil {
		return nil, err
	}
	return bytes.Join(parts, nil), nil
}

// writeParts is writeContext that answers with the file in parts (see finishPages).
func writeParts(ctx context.Context, lay *typeset.Layout, in info, src fontSource) (out [][]byte, err error) {
	defer func() {
		// A bug here or in gofpdf must come back as an error, never a crash.
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("pdf: internal error: %v", p)
		}
	}()
	if len(lay.Pages) == 0 {
		return nil, errors.New("pdf: layout has no pages")
	}
	if in.Date.IsZero() {
		return nil, errors.New("pdf: no document date") // gofpdf would use the clock
	}
	used, err := usedRunes(lay)
	if err != nil {
		return nil, err
	}
	var fonts [spec.NumFaces]*subsetFont
	var embedded []*subsetFont
	for _, face := range spec.Faces {
		runes := used[face]
		if len(runes) == 0 {
			continue
		}
		sub, err := src.Cut(face, runes)
		if err != nil {
			return nil, fmt.Errorf("pdf: subset %s face: %w", face, err)
		}
		f, err := newSubsetFont(face, sub, runes)
		if err != nil {
			return nil, fmt.Errorf("pdf: subset %s face: %w", face, err)
		}
		fonts[face] = f
		embedded = append(embedded, f)
	}

	marks := make([][]int, len(lay.Pages)) // bookmark indexes per page, in document order
	for i, b := range lay.Bookmarks {
		if b.Page < 0 || b.Page >= len(lay.Pages) {
			return nil, fmt.Errorf("pdf: bookmark %q on page index %d of %d", b.Title, b.Page, len(lay.Pages))
		}
		marks[b.Page] = append(marks[b.Page], i)
	}
	outline := outlineLevels(lay.Bookmarks)
	// The outline is written by finishPages, as gofpdf would, not by gofpdf: its
	// objects were a sixth of its Output's instructions (fmt for every line).
	entries := make([]outlineEntry, 0, len(lay.Bookmarks))

	pdf := gofpdf.NewCustom(&gofpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "pt",
		Size:           gofpdf.SizeType{Wd: spec.PageWidth, Ht: spec.PageHeight},
	})
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCompression(false) // finish compresses the pages
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(in.Date)
	pdf.SetModificationDate(in.Date)
	// Text strings go in as UTF-16BE with a byte-order mark, which gofpdf passes
	// through (it converts only while one of its own UTF-8 fonts is selected).
	pdf.SetTitle(textString(in.Title), false)
	pdf.SetAuthor(textString(in.Author), false)
	pdf.SetSubject(textString(in.Subject), false)
	pdf.SetCreator(textString(creator), false)
	pdf.SetProducer(textString(producer), false)

	wb := writerPool.Get().(*writerBuffers)
	defer writerPool.Put(wb)
	buf := wb.tails[:0] // every page's tail, one after the other
	if n := tailsSize(lay); cap(buf) < n {
		// Allocated once at about its size: grown from empty, each step would copy
		// it and touch a new buffer's every page (in a cold process, fresh pages).
		buf = make([]byte, 0, n)
	}
	ends := make([]int, len(lay.Pages))
	var ims images
	// Each page's runs and images are kept here, not handed to gofpdf: its Output
	// would copy every page's content several times in one uninterruptible call
	// (some 60 ms of CPU on the densest document); finish appends each after
	// gofpdf's own part of the page (its rules), giving the same stream.
	tails := make([][]byte, len(lay.Pages))
	for pi := range lay.Pages {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("pdf: page %d: %w", pi+1, err)
		}
		page := &lay.Pages[pi]
		pdf.AddPage()
		for _, bi := range marks[pi] {
			b := &lay.Bookmarks[bi]
			entries = append(entries, outlineEntry{title: b.Title, level: outline[bi], page: pi + 1, y: b.Y})
		}
		for _, r := range page.Rules {
			pdf.SetDrawColor(int(r.Color.R), int(r.Color.G), int(r.Color.B))
			pdf.SetLineWidth(r.Width)
			pdf.Line(r.X1, r.Y1, r.X2, r.Y2)
		}
		// One text object per page: the font, size and character spacing set are
		// text state, which lasts from one line to the next (each set only when it
		// changes), and each line's start is a move from the last one's.
		ts := textState{hex: wb.hex[:0], advs: wb.advs[:0]}
		for ri := range page.Runs {
			run := &page.Runs[ri]
			if len(run.Glyphs) == 0 {
				continue
			}
			if !ts.open {
				buf = append(buf, "BT\n"...)
				ts.open = true
			}
			buf = appendColor(buf, run.Color, &ts.fill)
			buf = append(ts.appendRun(buf, run, fonts[run.Font]), '\n')
		}
		if ts.open {
			buf = append(buf, "ET\n"...)
		}
		wb.hex, wb.advs = ts.hex, ts.advs
		if ts.fill != (typeset.Color{}) {
			buf = append(buf, "0 g\n"...) // gofpdf's own drawing assumes black
		}
		for _, im := range page.Images {
			i, err := ims.add(im.PNG, im.Pixels)
			if err != nil {
				return nil, fmt.Errorf("pdf: page %d: %w", pi+1, err)
			}
			buf = append(appendImage(buf, i, im), '\n')
		}
		ends[pi] = len(buf)
		if err := pdf.Error(); err != nil {
			return nil, fmt.Errorf("pdf: page %d: %w", pi+1, err)
		}
	}

	wb.tails = buf[:0]
	start := 0
	for pi, end := range ends {
		tails[pi] = buf[start:end:end]
		start = end
	}
	doc := &wb.doc
	doc.Reset()
	// gofpdf's file without the text: the catalogue, information, outline and
	// each page's dictionary and rules (about 600 bytes a page). Grow clears what it
	// adds, so too large a figure costs as much as growing.
	doc.Grow(2048 + 1024*len(lay.Pages) + 256*len(lay.Bookmarks))
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	if err := pdf.Output(doc); err != nil {
		return nil, fmt.Errorf("pdf: write: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return finishPages(ctx, doc.Bytes(), tails, embedded, entries, ims.list...)
}

// tailsSize is about the bytes of the pages' tails writeContext appends for lay
// (a little more, as a rule): four hex digits a glyph and some 50 bytes a run
// (font, colour, position and the string's brackets), about 80 an image.
func tailsSize(lay *typeset.Layout) int {
	n := 0
	for pi := range lay.Pages {
		p := &lay.Pages[pi]
		n += 16 + 64*len(p.Runs) + 128*len(p.Images)
		for ri := range p.Runs {
			n += 4 * len(p.Runs[ri].Glyphs)
		}
	}
	return n
}

// writerBuffers are the reused memory of a write: the pages' tails and gofpdf's
// file, both read by finishPages and no longer needed once it has returned.
type writerBuffers struct {
	tails []byte
	doc   bytes.Buffer
	hex   []uint32 // appendRun's scratch
	advs  []float64
}

var writerPool = sync.Pool{New: func() any { return new(writerBuffers) }}

// textState is what a page's text object has set so far: every page starts with
// no font, character spacing 0, black, and the text matrix at the origin.
type textState struct {
	open   bool // within BT … ET
	face   spec.Face
	size   int64 // type size in 1/1000 pt; 0: no font set yet
	tc     int64 // character spacing in 1/10,000 of text space
	fill   typeset.Color
	scaled bool  // the line matrix scales horizontally (set by Tm, not Td)
	x, y   int64 // the line matrix's origin, in 1/1000 pt
	// per-glyph scratch of appendRun
	hex  []uint32 // each glyph's CID as four hex digits (hexCID)
	advs []float64
}

// appendRun appends the operators showing a run. Glyphs whose gaps are uniform (a
// justified CJK line: every glyph one cell apart) go out as one string with the gap
// as character spacing (Tc); the run is split where the gap changes. Positions are
// rounded to 1/1000 pt, Tc to 1/10,000; a move (Td) is the difference of two rounded
// positions, so that a reader adding them up lands where Tm would have put it.
func (ts *textState) appendRun(b []byte, run *typeset.Run, f *subsetFont) []byte {
	gs := run.Glyphs
	// A narrowed run (ScaleX) is drawn with a horizontally scaled text matrix: its
	// advances and character spacing are in unscaled text space, scale times
	// shorter on the page.
	scale := run.ScaleX
	if scale <= 0 {
		scale = 1
	}
	if size := milli(run.Size); f.face != ts.face || size != ts.size {
		b = append(b, '/')
		b = append(b, resourceName(f.face)...)
		b = append(b, ' ')
		b = appendFixed(b, size, 3)
		b = append(b, " Tf "...)
		ts.face, ts.size = f.face, size
	}
	hex, advs := slices.Grow(ts.hex[:0], len(gs))[:len(gs)], slices.Grow(ts.advs[:0], len(gs))[:len(gs)]
	k := run.Size * scale / 1000
	for i := range gs {
		cid := f.cidOf(gs[i].R)
		w := 0.0
		h := hexCID(0)
		if cid > 0 {
			w = float64(f.adv[cid-1]) * k
			h = f.hex[cid-1]
		}
		hex[i], advs[i] = h, w
	}
	ts.hex, ts.advs = hex, advs
	y := milli(spec.PageHeight - run.Y)
	for i := 0; i < len(gs); {
		j := i + 1
		c := 0.0
		if j < len(gs) {
			c = math.Round((gs[j].X-gs[i].X-advs[i])/scale*1e4) / 1e4
		}
		p := gs[i].X
		for j < len(gs) {
			p += advs[j-1] + c*scale
			if math.Abs(p-gs[j].X) > posTolerance {
				break
			}
			j++
		}
		if tc := int64(math.Round(c * 1e4)); j-i > 1 && tc != ts.tc {
			b = appendFixed(b, tc, 4)
			b = append(b, " Tc "...)
			ts.tc = tc
		}
		x := milli(gs[i].X)
		if scale != 1 || ts.scaled {
			// A squeezed run, or the first after one: a whole text matrix (scale 1 is
			// written "1").
			b = appendFixed(b, milli(scale), 3)
			b = append(b, " 0 0 1 "...)
			b = appendFixed(b, x, 3)
			b = append(b, ' ')
			b = appendFixed(b, y, 3)
			b = append(b, " Tm <"...)
			ts.scaled = scale != 1
		} else {
			b = appendFixed(b, x-ts.x, 3)
			b = append(b, ' ')
			b = appendFixed(b, y-ts.y, 3)
			b = append(b, " Td <"...)
		}
		ts.x, ts.y = x, y
		b = slices.Grow(b, 4*(j-i))
		for _, h := range hex[i:j] {
			b = binary.BigEndian.AppendUint32(b, h)
		}
		b = append(b, "> Tj"...)
		if j < len(gs) {
			b = append(b, ' ')
		}
		i = j
	}
	return b
}

const hexDigits = "0123456789ABCDEF"

// hexCID is a CID's four hex digits, the first in the high byte.
func hexCID(cid uint16) uint32 {
	return uint32(hexDigits[cid>>12])<<24 | uint32(hexDigits[cid>>8&15])<<16 | uint32(hexDigits[cid>>4&15])<<8 | uint32(hexDigits[cid&15])
}

// milli is v in 1/1000, rounded.
func milli(v float64) int64 { return int64(math.Round(v * 1000)) }

// appendFixed appends v/10^places in decimal without trailing zeros (what
// strconv.AppendFloat(v/10^places, 'f', -1, 64) writes, but for -0).
func appendFixed(b []byte, v int64, places int) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	var unit int64 = 1000
	if places == 4 {
		unit = 10000
	}
	b = strconv.AppendInt(b, v/unit, 10)
	frac := v % unit
	if frac == 0 {
		return b
	}
	b = append(b, '.')
	for unit /= 10; frac > 0; unit /= 10 {
		b = append(b, byte('0'+frac/unit))
		frac %= unit
	}
	return b
}

// appendNum appends v rounded to 1/1000 pt.
func appendNum(b []byte, v float64) []byte {
	return appendFixed(b, milli(v), 3)
}

// textString encodes s as a PDF text string: UTF-16BE with a byte-order mark.
// Invalid UTF-8 becomes U+FFFD, as utf16.Encode([]rune(s)) gave.
func textString(s string) string {
	b := make([]byte, 2, 2+2*len(s)) // a UTF-8 byte gives at most two
	b[0], b[1] = 0xFE, 0xFF
	for _, r := range s {
		if r > 0xFFFF {
			hi, lo := utf16.EncodeRune(r)
			b = append(b, byte(hi>>8), byte(hi), byte(lo>>8), byte(lo))
			continue
		}
		b = append(b, byte(r>>8), byte(r))
	}
	return string(b)
}

// usedRunes lists, per face, the characters the layout draws, sorted. Control
// characters, surrogates and code points beyond Unicode have no glyph: the sorted
// lists are checked for them (a few hundred characters, not every glyph), and only
// when one is found is the layout walked again to name the first page that draws
// one.
func usedRunes(lay *typeset.Layout) ([spec.NumFaces][]rune, error) {
	used, err := lay.UsedRunes(checkSize)
	if err != nil {
		return used, fmt.Errorf("pdf: %w", err)
	}
	for _, rs := range used {
		for _, r := range rs {
			if !drawable(r) {
				_, err := lay.UsedRunes(checkRun)
				return used, fmt.Errorf("pdf: %w", err)
			}
		}
	}
	return used, nil
}

func drawable(r rune) bool {
	return r >= 0x20 && r <= unicode.MaxRune && (r < 0xD800 || r > 0xDFFF) && r != 0x7F
}

func checkSize(run *typeset.Run) error {
	if run.Size <= 0 {
		return fmt.Errorf("run with type size %g", run.Size)
	}
	return nil
}

func checkRun(run *typeset.Run) error {
	if err := checkSize(run); err != nil {
		return err
	}
	for _, g := range run.Glyphs {
		if !drawable(g.R) {
			return fmt.Errorf("character U+%04X cannot be drawn", g.R)
		}
	}
	return nil
}

// outlineLevels maps heading levels (1-4) to gofpdf outline levels (0-based): an
// entry's depth is the number of open headings above it, so a skipped level (a
// level-3 heading right under a level-1 one) never leaves an entry without a parent
// (gofpdf links an entry to the last entry one level up).
func outlineLevels(bs []typeset.Bookmark) []int {
	out := make([]int, len(bs))
	var open []int // levels of the enclosing headings
	for i, b := range bs {
		for len(open) > 0 && open[len(open)-1] >= b.Level {
			open = open[:len(open)-1]
		}
		out[i] = len(open)
		open = append(open, b.Level)
	}
	return out
}

// resourceName is the font's name in the pages' resource dictionary.
func resourceName(face spec.Face) string { return "GW" + face.Name() }

// fontName is the subset's BaseFont: the six-letter subset tag (PDF 32000 9.6.4),
// derived from the face and its characters so that the same document gets the same
// tag, "+" and the face's own PostScript name ("ABCDEF+FandolFang-Regular"), so that
// a reader's font panel names the face that drew the text.
func fontName(f *subsetFont) string {
	// FNV-1a (64-bit) of the face's name, the PostScript name and the characters in
	// UTF-8, folded here: through hash/fnv it was a call and an interface call a
	// character.
	const offset64, prime64 = 14695981039346656037, 1099511628211
	v := uint64(offset64)
	for _, s := range [...]string{f.face.Name(), f.name} {
		for i := 0; i < len(s); i++ {
			v = (v ^ uint64(s[i])) * prime64
		}
	}
	var u [utf8.UTFMax]byte
	for _, r := range f.runes {
		switch {
		case r >= 0 && r < utf8.RuneSelf:
			v = (v ^ uint64(r)) * prime64
		case r >= 0x800 && r < 0x10000 && (r < 0xD800 || r > 0xDFFF): // most of them: three bytes
			v = (v ^ uint64(0xE0|r>>12)) * prime64
			v = (v ^ uint64(0x80|r>>6&0x3F)) * prime64
			v = (v ^ uint64(0x80|r&0x3F)) * prime64
		default:
			for _, c := range u[:utf8.EncodeRune(u[:], r)] {
				v = (v ^ uint64(c)) * prime64
			}
		}
	}
	tag := make([]byte, 6, 7+len(f.name))
	for i := range tag {
		tag[i] = byte('A' + v%26)
		v /= 26
	}
	return string(append(append(tag, '+'), f.name...))
}
