package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"unicode/utf16"

	"gongwen/internal/zipfile"
)

// Why the fonts are not registered with gofpdf: its UTF-8 font path costs about
// 3 ms of CPU per font and document whatever the subset's size (it parses the font
// twice, JSON-encodes a 65,536-entry width table to name it, builds a 128 KB
// CIDToGIDMap and a fresh 1 MB zlib writer per stream), i.e. 15 ms for the five
// roles against a 10 ms budget for the whole render. gofpdf draws everything else;
// the writer shows text by CID with raw operators, and finish adds the five subsets
// as standard Type0/CIDFontType2 fonts (Identity-H, ToUnicode) to the file gofpdf
// wrote, one per face the document uses. gofpdf's page compression is off for the same reason (a new zlib writer
// per page): finish compresses the page contents with pooled writers.

// finish rewrites gofpdf's file in one pass: page content streams compressed, the
// shared resource dictionary (object 2, which every page uses) naming the fonts,
// the font objects appended after gofpdf's last object, and a new cross-reference
// table and trailer.
func finish(doc []byte, fonts []*subsetFont, ims ...*rasterImage) ([]byte, error) {
	return finishContext(context.Background(), doc, fonts, ims...)
}

// finishContext is finish that stops when ctx ends, checked every 64 objects
// (compressing a large document's pages takes tens of milliseconds).
func finishContext(ctx context.Context, doc []byte, fonts []*subsetFont, ims ...*rasterImage) ([]byte, error) {
	return finishPages(ctx, doc, nil, fonts, ims...)
}

// finishPages is finishContext that appends tails[n] to the content stream of page
// n+1 (gofpdf numbers page n's content object 2+2n) before compressing it.
func finishPages(ctx context.Context, doc []byte, tails [][]byte, fonts []*subsetFont, ims ...*rasterImage) ([]byte, error) {
	xrefAt, n, offsets, root, info, err := parseTail(doc)
	if err != nil {
		return nil, fmt.Errorf("pdf: read gofpdf output: %w", err)
	}
	if n < 3 {
		return nil, errors.New("pdf: gofpdf output has no resource dictionary")
	}
	order := make([]int, 0, n-1)
	for j := 1; j < n; j++ {
		order = append(order, j)
	}
	slices.SortFunc(order, func(a, b int) int { return offsets[a] - offsets[b] })
	if offsets[order[0]] <= 0 || offsets[order[len(order)-1]] >= xrefAt {
		return nil, errors.New("pdf: gofpdf's objects are not where expected")
	}

	out := make([]byte, 0, len(doc)/2+64<<10)
	out = append(out, doc[:offsets[order[0]]]...)
	// Font objects are numbered after gofpdf's, in order.
	firsts := make([]int, len(fonts))
	next := n
	for i, f := range fonts {
		firsts[i] = next
		next += numObjects(f)
	}
	imgFirst := next // images after the fonts (image.go)
	next += numImageObjects(ims)
	newOff := make([]int, n, next)
	for i, j := range order {
		if i%64 == 63 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("pdf: %w", err)
			}
		}
		end := xrefAt
		if i+1 < len(order) {
			end = offsets[order[i+1]]
		}
		obj := doc[offsets[j]:end]
		newOff[j] = len(out)
		switch {
		case j == 2:
			if out, err = appendResources(out, obj, fonts, firsts, ims, imgFirst); err != nil {
				return nil, err
			}
		case j >= 4 && j%2 == 0 && (j-2)/2 <= len(tails):
			if out, err = appendStream(out, j, obj, tails[(j-2)/2-1]); err != nil {
				return nil, err
			}
		default:
			if out, err = appendObject(out, j, obj); err != nil {
				return nil, err
			}
		}
	}
	// The fonts' objects are built concurrently: compressing the font files is most
	// of the first render's work (later ones find their glyphs' codes cached).
	chunks := make([][]byte, len(fonts))
	rel := make([][]int, len(fonts))
	errs := make([]error, len(fonts))
	var wg sync.WaitGroup
	for i, f := range fonts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			chunks[i], rel[i], errs[i] = appendFont(nil, f, firsts[i])
		}()
	}
	wg.Wait()
	for i := range fonts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		for _, o := range rel[i] {
			newOff = append(newOff, len(out)+o)
		}
		out = append(out, chunks[i]...)
	}
	var imgOffs []int
	out, imgOffs = appendImages(out, ims, imgFirst)
	newOff = append(newOff, imgOffs...)

	xref := len(out)
	size := len(newOff)
	out = fmt.Appendf(out, "xref\n0 %d\n0000000000 65535 f \n", size)
	for _, o := range newOff[1:] {
		out = fmt.Appendf(out, "%010d 00000 n \n", o)
	}
	out = fmt.Appendf(out, "trailer\n<<\n/Size %d\n/Root %d 0 R\n/Info %d 0 R\n>>\nstartxref\n%d\n%%%%EOF\n", size, root, info, xref)
	return out, nil
}

// appendResources copies the resource dictionary with the fonts named in it.
func appendResources(out, obj []byte, fonts []*subsetFont, firsts []int, ims []*rasterImage, imgFirst int) ([]byte, error) {
	emptyFonts := []byte("2 0 obj\n<<\n/ProcSet [/PDF /Text /ImageB /ImageC /ImageI]\n/Font <<\n>>\n")
	if !bytes.HasPrefix(obj, emptyFonts) {
		return nil, errors.New("pdf: gofpdf's resource dictionary is not as expected")
	}
	splice := len(emptyFonts) - len(">>\n")
	out = append(out, obj[:splice]...)
	for i, f := range fonts {
		out = fmt.Appendf(out, "/%s %d 0 R\n", resourceName(f.face), firsts[i])
	}
	if len(ims) == 0 {
		return append(out, obj[splice:]...), nil
	}
	// gofpdf, given no images or graphics states, writes an empty XObject
	// dictionary and no ExtGState after the fonts.
	emptyXObjects := []byte(">>\n/XObject <<\n>>\n")
	rest := obj[splice:]
	if !bytes.HasPrefix(rest, emptyXObjects) || bytes.Contains(rest, []byte("/ExtGState")) {
		return nil, errors.New("pdf: gofpdf's resource dictionary is not as expected")
	}
	xobjects, extGState := resourceImages(ims, imgFirst)
	out = append(out, ">>\n/XObject <<\n"...)
	out = append(out, xobjects...)
	out = append(out, ">>\n"...)
	out = append(out, extGState...)
	return append(out, rest[len(emptyXObjects):]...), nil
}

// appendObject copies an object, compressing an uncompressed stream (gofpdf's page
// contents).
func appendObject(out []byte, num int, obj []byte) ([]byte, error) {
	return appendStream(out, num, obj, nil)
}

// appendStream is appendObject for a stream that continues with tail (the rest of
// a page's content, see writeContext).
func appendStream(out []byte, num int, obj, tail []byte) ([]byte, error) {
	head := fmt.Sprintf("%d 0 obj\n<</Length ", num)
	if !bytes.HasPrefix(obj, []byte(head)) {
		if tail != nil {
			return nil, fmt.Errorf("pdf: object %d: not the page content stream expected", num)
		}
		return append(out, obj...), nil
	}
	rest := obj[len(head):]
	k := bytes.IndexByte(rest, '>')
	if k < 0 {
		return nil, fmt.Errorf("pdf: object %d: unexpected stream dictionary", num)
	}
	length, err := strconv.Atoi(string(rest[:k]))
	rest = rest[k:]
	const open, closing = ">>\nstream\n", "\nendstream\nendobj\n"
	if err != nil || !bytes.HasPrefix(rest, []byte(open)) || len(rest) != len(open)+length+len(closing) ||
		!bytes.HasSuffix(rest, []byte(closing)) {
		return nil, fmt.Errorf("pdf: object %d: unexpected stream", num)
	}
	data := rest[len(open) : len(open)+length]
	if len(tail) > 0 {
		data = append(append(make([]byte, 0, len(data)+len(tail)), data...), tail...)
	}
	z, err := deflate(data)
	if err != nil {
		return nil, err
	}
	out = fmt.Appendf(out, "%d 0 obj\n<</Filter /FlateDecode /Length %d>>\nstream\n", num, len(z))
	out = append(out, z...)
	return append(out, closing...), nil
}

var trailerRE = regexp.MustCompile(`^trailer\n<<\n/Size (\d+)\n/Root (\d+) 0 R\n/Info (\d+) 0 R\n>>\nstartxref\n(\d+)\n%%EOF\n$`)

// parseTail reads gofpdf's cross-reference table and trailer: the xref's position,
// the object count and every object's offset (index = object number; 0 unused).
func parseTail(doc []byte) (xrefAt, n int, offsets []int, root, info int, err error) {
	i := bytes.LastIndex(doc, []byte("\ntrailer\n"))
	if i < 0 {
		return 0, 0, nil, 0, 0, errors.New("no trailer")
	}
	m := trailerRE.FindSubmatch(doc[i+1:])
	if m == nil {
		return 0, 0, nil, 0, 0, errors.New("unexpected trailer")
	}
	n, _ = strconv.Atoi(string(m[1]))
	root, _ = strconv.Atoi(string(m[2]))
	info, _ = strconv.Atoi(string(m[3]))
	xrefAt, _ = strconv.Atoi(string(m[4]))
	head := fmt.Sprintf("xref\n0 %d\n0000000000 65535 f \n", n)
	if xrefAt < 0 || xrefAt > i || !bytes.HasPrefix(doc[xrefAt:], []byte(head)) {
		return 0, 0, nil, 0, 0, errors.New("unexpected cross-reference table")
	}
	entries := doc[xrefAt+len(head) : i+1]
	if len(entries) != 20*(n-1) {
		return 0, 0, nil, 0, 0, errors.New("cross-reference table size mismatch")
	}
	offsets = make([]int, n)
	for j := 1; j < n; j++ {
		e := entries[20*(j-1):]
		if offsets[j], err = strconv.Atoi(string(e[:10])); err != nil {
			return 0, 0, nil, 0, 0, fmt.Errorf("cross-reference entry %d: %w", j, err)
		}
	}
	return xrefAt, n, offsets, root, info, nil
}

// identityGIDs reports whether CID i is glyph i for every CID, as in the subsets
// internal/fonts cuts (glyphs numbered in character order): the CIDToGIDMap is then
// the name /Identity instead of a stream.
func (f *subsetFont) identityGIDs() bool {
	for i, g := range f.gids {
		if int(g) != i+1 {
			return false
		}
	}
	return true
}

// numObjects is the number of PDF objects appendFont writes for f.
func numObjects(f *subsetFont) int {
	if f.identityGIDs() {
		return 5
	}
	return 6
}

// appendFont writes the objects of a font subset, numbered from first: Type0 font,
// CIDFontType2, descriptor, font file, ToUnicode map and, unless it is the identity,
// the CIDToGIDMap; it returns their offsets in out.
func appendFont(out []byte, f *subsetFont, first int) ([]byte, []int, error) {
	offs := make([]int, numObjects(f))
	cidToGID := fmt.Sprintf("%d 0 R", first+5)
	if len(offs) == 5 {
		cidToGID = "/Identity"
	}
	name := fontName(f)
	offs[0] = len(out)
	out = fmt.Appendf(out, "%d 0 obj\n<</Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R>>\nendobj\n",
		first, name, first+1, first+4)

	offs[1] = len(out)
	out = fmt.Appendf(out, "%d 0 obj\n<</Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor %d 0 R /CIDToGIDMap %s /DW %d",
		first+1, name, first+2, cidToGID, defaultWidth)
	out = appendWidths(out, f.adv)
	out = append(out, ">>\nendobj\n"...)

	offs[2] = len(out)
	b := f.bbox
	out = fmt.Appendf(out, "%d 0 obj\n<</Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [%d %d %d %d] /ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 %d 0 R>>\nendobj\n",
		first+2, name, b[0], b[1], b[2], b[3], f.ascent, f.descent, f.capHeight, first+3)

	z := f.sub.Zlib() // here, in the font's goroutine: the first document's glyphs are encoded now
	offs[3] = len(out)
	out = fmt.Appendf(out, "%d 0 obj\n<</Length %d /Length1 %d /Filter /FlateDecode>>\nstream\n", first+3, len(z), len(f.ttf))
	out = append(out, z...)
	out = append(out, "\nendstream\nendobj\n"...)

	z, err := deflate(toUnicode(f.runes))
	if err != nil {
		return nil, offs, err
	}
	offs[4] = len(out)
	out = fmt.Appendf(out, "%d 0 obj\n<</Length %d /Filter /FlateDecode>>\nstream\n", first+4, len(z))
	out = append(out, z...)
	out = append(out, "\nendstream\nendobj\n"...)
	if len(offs) == 5 {
		return out, offs, nil
	}

	// CIDToGIDMap: glyph id of every CID, two bytes each (CID 0 is .notdef).
	m := make([]byte, 2*(len(f.gids)+1))
	for i, g := range f.gids {
		m[2*i+2], m[2*i+3] = byte(g>>8), byte(g)
	}
	if z, err = deflate(m); err != nil {
		return nil, offs, err
	}
	offs[5] = len(out)
	out = fmt.Appendf(out, "%d 0 obj\n<</Length %d /Filter /FlateDecode>>\nstream\n", first+5, len(z))
	out = append(out, z...)
	out = append(out, "\nendstream\nendobj\n"...)
	return out, offs, nil
}

// defaultWidth is the /DW of every font, in 1/1000 em: the CJK cell. /W lists only
// the characters of another width (Latin, digits, some punctuation).
const defaultWidth = 1000

// appendWidths appends " /W [...]" for the CIDs (numbered from 1) whose advance is
// not defaultWidth, as runs of consecutive CIDs, c [w1 w2 …]; nothing when all are.
func appendWidths(out []byte, adv []int) []byte {
	start := len(out)
	out = append(out, " /W ["...)
	some, open := false, false
	for i, w := range adv {
		if w == defaultWidth {
			if open {
				out = append(out, ']')
				open = false
			}
			continue
		}
		if open {
			out = append(out, ' ')
		} else {
			if some {
				out = append(out, ' ')
			}
			out = strconv.AppendInt(out, int64(i+1), 10)
			out = append(out, " ["...)
			some, open = true, true
		}
		out = strconv.AppendInt(out, int64(w), 10)
	}
	if !some {
		return out[:start]
	}
	if open {
		out = append(out, ']')
	}
	return append(out, ']')
}

// toUnicode is the ToUnicode CMap of CIDs 1…len(runes): runs of consecutive CIDs for
// consecutive BMP characters (digits, 一二三…) as one bfrange, the rest as bfchar.
// A character beyond the BMP (𠮷 U+20BB7) maps to its UTF-16BE surrogate pair
// <D842DFB7>, as the CMap's UTF-16 destination strings require.
func toUnicode(runes []rune) []byte {
	type span struct {
		cid  int // first CID
		n    int
		from rune
	}
	var ranges, chars []span
	for i := 0; i < len(runes); {
		j := i + 1
		// A bfrange may change only the last byte of its source and destination codes.
		for j < len(runes) && runes[j] == runes[j-1]+1 && (i+1)>>8 == (j+1)>>8 && runes[i]>>8 == runes[j]>>8 && runes[j] <= 0xFFFF {
			j++
		}
		s := span{cid: i + 1, n: j - i, from: runes[i]}
		if s.n > 1 {
			ranges = append(ranges, s)
		} else {
			chars = append(chars, s)
		}
		i = j
	}
	b := make([]byte, 0, 256+15*len(chars)+22*len(ranges))
	b = append(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"...)
	hex4 := func(b []byte, v int) []byte {
		return append(b, '<', hexDigits[v>>12&15], hexDigits[v>>8&15], hexDigits[v>>4&15], hexDigits[v&15], '>')
	}
	// At most 100 entries per block, as the CMap specification asks.
	for i := 0; i < len(chars); i += 100 {
		chunk := chars[i:min(i+100, len(chars))]
		b = strconv.AppendInt(b, int64(len(chunk)), 10)
		b = append(b, " beginbfchar\n"...)
		for _, c := range chunk {
			b = hex4(b, c.cid)
			b = append(b, ' ')
			b = hexUTF16(b, c.from)
			b = append(b, '\n')
		}
		b = append(b, "endbfchar\n"...)
	}
	for i := 0; i < len(ranges); i += 100 {
		chunk := ranges[i:min(i+100, len(ranges))]
		b = strconv.AppendInt(b, int64(len(chunk)), 10)
		b = append(b, " beginbfrange\n"...)
		for _, r := range chunk {
			b = hex4(b, r.cid)
			b = append(b, ' ')
			b = hex4(b, r.cid+r.n-1)
			b = append(b, ' ')
			b = hex4(b, int(r.from))
			b = append(b, '\n')
		}
		b = append(b, "endbfrange\n"...)
	}
	return append(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"...)
}

// hexUTF16 appends r as a CMap destination string in UTF-16BE: <4E2D>, or for a
// character beyond the BMP its surrogate pair as one string, <D842DFB7>.
func hexUTF16(b []byte, r rune) []byte {
	b = append(b, '<')
	for _, u := range utf16.AppendRune(nil, r) {
		b = append(b, hexDigits[u>>12&15], hexDigits[u>>8&15], hexDigits[u>>4&15], hexDigits[u&15])
	}
	return append(b, '>')
}

// The font files are compressed by internal/fonts (fonts.Subset.Zlib: each glyph's
// code made once per process, shared by every document, PDF, OFD and DOCX alike).
// The other streams (pages, ToUnicode maps, CIDToGIDMaps) are a few KB each, where
// a level above BestSpeed buys little: zipfile.Zlib compresses them at level 1 with
// the compressors the DOCX's parts share (one set of tables per process, not one
// per format).

// deflate compresses a stream other than a font file.
func deflate(b []byte) ([]byte, error) {
	out, err := zipfile.Zlib(make([]byte, 0, len(b)*3/4+64), b)
	if err != nil {
		return nil, fmt.Errorf("pdf: compress: %w", err)
	}
	return out, nil
}
