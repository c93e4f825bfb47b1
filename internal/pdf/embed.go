package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"unicode/utf16"

	"gongwen/internal/deflate"
	"gongwen/internal/spare"
	"gongwen/internal/spec"
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
// per page): finish compresses the page contents itself (see compressor).

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
	parts, err := finishPages(ctx, doc, nil, fonts, nil, ims...)
	if err != nil {
		return nil, err
	}
	return bytes.Join(parts, nil), nil
}

// finishPages is finishContext that appends tails[n] to the content stream of page
// n+1 (gofpdf numbers page n's content object 2+2n) before compressing it. The file
// comes back in parts, in order: the writer's own bytes (fresh memory, no pooled
// buffer) between the fonts' compressed files, which are internal/fonts' own, shared
// by every render and never to be modified. A caller wanting one slice joins them:
// the same one copy of the font files as writing them into the file here.
func finishPages(ctx context.Context, doc []byte, tails [][]byte, fonts []*subsetFont, outline []outlineEntry, ims ...*rasterImage) ([][]byte, error) {
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

	// The fonts' objects are built concurrently with the pages: compressing the font
	// files is most of the first render's work (later ones find their glyphs' codes
	// cached).
	firsts := make([]int, len(fonts))
	next := n
	for i, f := range fonts {
		firsts[i] = next
		next += numObjects(f)
	}
	imgFirst := next // images after the fonts (image.go)
	next += numImageObjects(ims)
	outlineFirst := next // the outline's entries, then its root, last
	if len(outline) > 0 {
		next += len(outline) + 1
	}
	parts := make([]fontObjects, len(fonts))
	// The fonts are shared out, largest first, between one goroutine per core but
	// this one and this goroutine once it has done the pages: a goroutine per font
	// was five fresh stacks to fault in and grow, for work two cores do anyway.
	byBytes := make([]int, len(fonts))
	for i := range byBytes {
		byBytes[i] = i
	}
	slices.SortStableFunc(byBytes, func(a, b int) int { return fonts[b].size - fonts[a].size })
	var claimed atomic.Int32
	buildFonts := func() {
		for {
			k := int(claimed.Add(1)) - 1
			if k >= len(byBytes) {
				return
			}
			i := byBytes[k]
			parts[i] = fontFileOf(fonts[i], firsts[i])
		}
	}
	var wg sync.WaitGroup
	for range min(len(fonts), max(1, runtime.GOMAXPROCS(0)-1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buildFonts()
		}()
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	// gofpdf's file and the pages' tails compressed (to about a third; half is
	// counted): one allocation, not a buffer grown and copied several times.
	headSize := len(doc) + 1024
	for _, t := range tails {
		headSize += len(t) / 2
	}
	// The file's first part: this render's own, as parts are (a pooled buffer would
	// be a later render's).
	headBuf := make([]byte, 0, headSize)
	catalogAdd := []byte(nil)
	if len(outline) > 0 {
		catalogAdd = append(appendInt(append(catalogAdd, "/Outlines "...), outlineFirst+len(outline)), " 0 R\n/PageMode /UseOutlines\n"...)
	}
	head, err := appendGofpdfObjects(ctx, headBuf, doc, tails, order, offsets, xrefAt, fonts, firsts, ims, imgFirst, root, catalogAdd, sc)
	// The fonts' small streams (ToUnicode, CIDToGIDMap) are compressed here, after
	// the pages, not in the fonts' goroutines: a ToUnicode map (0.4-4 KB) costs
	// internal/deflate about 40 instructions a byte, and a CIDToGIDMap goes through
	// zipfile's stateless compressor, whose hash table on the stack a font
	// goroutine would have to grow its stack for.
	fontTails := make([]fontTail, len(fonts))
	for i, f := range fonts {
		if err != nil {
			break
		}
		fontTails[i], err = fontTailOf(f, firsts[i])
	}
	if err != nil {
		claimed.Store(int32(len(byBytes))) // no font left to start: the file is dropped
	}
	buildFonts()
	wg.Wait()
	if err != nil {
		return nil, err
	}
	for i, f := range fonts {
		parts[i].setTail(fontTails[i], numObjects(f))
	}
	size := next
	total := xrefLen(size, root, info, 0)
	for i := range fonts {
		total += len(parts[i].head) + len(parts[i].tail)
	}
	for _, im := range ims {
		total += 512 + len(im.rgb) + len(im.alpha)
	}
	for _, e := range outline {
		total += 160 + 2*len(e.title) // the title in UTF-16, a few escapes
	}
	total += 20 // startxref's digits
	// The rest of the file: the writer's bytes after head alone (a few KB); the font
	// files (most of the file) and head referenced where they are, not copied (in a
	// cold process every page copied to is a fresh page to fault in).
	out := make([]byte, 0, total)
	files := make([]int, 0, len(fonts)) // where in out each font file goes
	shift := len(head)                  // the bytes of the file before the end of out not in it
	newOff := sc.offs[:0]
	defer func() { sc.offs = newOff[:0] }()
	newOff = append(newOff, sc.objOff[:n]...)
	for i := range fonts {
		at := len(out) + shift
		for _, o := range parts[i].offs { // head, file and tail are one run of the file
			newOff = append(newOff, at+o)
		}
		out = append(out, parts[i].head...)
		files = append(files, len(out))
		shift += len(parts[i].file)
		out = append(out, parts[i].tail...)
	}
	imgAt := len(newOff)
	var imgOffs []int
	out, imgOffs = appendImages(out, ims, imgFirst)
	newOff = append(newOff, imgOffs...)
	out, newOff = appendOutline(out, newOff, outline, outlineFirst)
	for k := imgAt; k < len(newOff); k++ {
		newOff[k] += shift
	}
	out = appendXref(out, newOff, root, info, shift)
	res := make([][]byte, 0, 2*len(fonts)+2)
	res = append(res, slices.Clip(head))
	from := 0
	for i := range fonts {
		to := files[i]
		res = append(res, out[from:to:to], slices.Clip(parts[i].file))
		from = to
	}
	return append(res, out[from:len(out):len(out)]), nil
}

// scratch is the reused memory of one finishPages: the new offsets of gofpdf's
// objects, the whole file's offsets.
type scratch struct {
	objOff []int
	offs   []int
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// appendGofpdfObjects appends gofpdf's objects (those up to its cross-reference
// table) in their order in doc: page contents compressed with their tails, the
// resource dictionary naming the fonts and images. It leaves each object's offset
// (by number) in sc.objOff.
func appendGofpdfObjects(ctx context.Context, out, doc []byte, tails [][]byte, order, offsets []int, xrefAt int,
	fonts []*subsetFont, firsts []int, ims []*rasterImage, imgFirst, root int, catalogAdd []byte, sc *scratch) ([]byte, error) {
	out = append(out, doc[:offsets[order[0]]]...)
	newOff := slices.Grow(sc.objOff[:0], len(offsets))[:len(offsets)]
	defer func() { sc.objOff = newOff }()
	newOff[0] = 0
	var err error
	for i, j := range order {
		if i%64 == 63 {
			if err := ctx.Err(); err != nil {
				return out, fmt.Errorf("pdf: %w", err)
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
				return out, err
			}
		case j >= 4 && j%2 == 0 && (j-2)/2 <= len(tails):
			if out, err = appendStream(out, j, obj, tails[(j-2)/2-1]); err != nil {
				return out, err
			}
		case j == root && len(catalogAdd) > 0:
			// The outline's entries, where gofpdf puts them: before the name dictionary.
			k := bytes.Index(obj, []byte("\n/Names <<\n"))
			if k < 0 || !bytes.HasPrefix(obj, []byte(strconv.Itoa(j)+" 0 obj\n<<\n/Type /Catalog\n")) {
				return out, errors.New("pdf: gofpdf's catalogue is not as expected")
			}
			out = append(append(append(out, obj[:k+1]...), catalogAdd...), obj[k+1:]...)
		default:
			if out, err = appendObject(out, j, obj); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// outlineEntry is a bookmark: its title, its level in the outline (0: top), the
// page (from 1) and the height on it (points from the top) it goes to.
type outlineEntry struct {
	title string
	level int
	page  int
	y     float64
}

// appendOutline appends the outline's objects, numbered from first, as gofpdf's
// putbookmarks wrote them (entry objects, then the root), and their offsets to offs.
// An entry's parent is the last entry one level up (the root for level 0); its
// previous and next siblings are the entries of its level around it under that
// parent.
func appendOutline(out []byte, offs []int, es []outlineEntry, first int) ([]byte, []int) {
	nb := len(es)
	if nb == 0 {
		return out, offs
	}
	type links struct{ parent, prev, next, first, last int }
	ls := make([]links, nb)
	for i := range ls {
		ls[i] = links{prev: -1, next: -1, first: -1, last: -1}
	}
	var lru []int // the last entry of each level
	level := 0
	for i, e := range es {
		for len(lru) <= e.level {
			lru = append(lru, 0)
		}
		if e.level > 0 {
			parent := lru[e.level-1]
			ls[i].parent = parent
			ls[parent].last = i
			if e.level > level {
				ls[parent].first = i
			}
		} else {
			ls[i].parent = nb
		}
		if e.level <= level && i > 0 {
			prev := lru[e.level]
			ls[prev].next = i
			ls[i].prev = prev
		}
		lru[e.level] = i
		level = e.level
	}
	ref := func(out []byte, key string, i int) []byte {
		return append(appendInt(append(out, key...), first+i), " 0 R"...)
	}
	for i, e := range es {
		offs = append(offs, len(out))
		out = append(appendInt(out, first+i), " 0 obj\n<</Title ("...)
		out = appendEscaped(out, textString(e.title))
		out = append(ref(append(out, ")\n"...), "/Parent ", ls[i].parent), '\n')
		for _, l := range [...]struct {
			key string
			to  int
		}{{"/Prev ", ls[i].prev}, {"/Next ", ls[i].next}, {"/First ", ls[i].first}, {"/Last ", ls[i].last}} {
			if l.to != -1 {
				out = append(ref(out, l.key, l.to), '\n')
			}
		}
		out = append(appendInt(append(out, "/Dest ["...), 1+2*e.page), " 0 R /XYZ 0 "...)
		out = strconv.AppendFloat(out, spec.PageHeight-e.y, 'f', 2, 64)
		out = append(out, " null]\n/Count 0>>\nendobj\n"...)
	}
	offs = append(offs, len(out))
	out = append(appendInt(out, first+nb), " 0 obj\n<</Type /Outlines"...)
	out = append(ref(out, " /First ", 0), '\n')
	out = append(ref(out, "/Last ", lru[0]), ">>\nendobj\n"...)
	return out, offs
}

// appendEscaped appends s escaped for a literal string, as gofpdf escapes one: a
// backslash before each backslash and parenthesis, and a carriage return as \r.
func appendEscaped(out []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '(', ')':
			out = append(out, '\\', c)
		case '\r':
			out = append(out, '\\', 'r')
		default:
			out = append(out, c)
		}
	}
	return out
}

// xrefLen is the length of the cross-reference table and trailer appendXref writes
// for size objects, but for the digits of startxref's offset (given as xref).
func xrefLen(size, root, info, xref int) int {
	digits := func(v int) int { return len(strconv.Itoa(v)) }
	return len("xref\n0 \n0000000000 65535 f \n") + digits(size) + 20*(size-1) +
		len("trailer\n<<\n/Size \n/Root  0 R\n/Info  0 R\n>>\nstartxref\n\n%%EOF\n") +
		digits(size) + digits(root) + digits(info) + digits(xref)
}

// appendXref appends the cross-reference table of the objects at offs (index =
// object number, 0 unused) and the trailer, out being all of the file but shift
// bytes (the font files, kept apart).
func appendXref(out []byte, offs []int, root, info, shift int) []byte {
	xref := len(out) + shift
	size := len(offs)
	out = append(out, "xref\n0 "...)
	out = strconv.AppendInt(out, int64(size), 10)
	out = append(out, "\n0000000000 65535 f \n"...)
	for _, o := range offs[1:] {
		var e [20]byte
		copy(e[:], "0000000000 00000 n \n")
		for k := 9; o > 0; k-- {
			e[k] = byte('0' + o%10)
			o /= 10
		}
		out = append(out, e[:]...)
	}
	out = append(out, "trailer\n<<\n/Size "...)
	out = strconv.AppendInt(out, int64(size), 10)
	out = append(out, "\n/Root "...)
	out = strconv.AppendInt(out, int64(root), 10)
	out = append(out, " 0 R\n/Info "...)
	out = strconv.AppendInt(out, int64(info), 10)
	out = append(out, " 0 R\n>>\nstartxref\n"...)
	out = strconv.AppendInt(out, int64(xref), 10)
	return append(out, "\n%%EOF\n"...)
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
		out = append(append(out, '/'), resourceName(f.face)...)
		out = append(appendInt(append(out, ' '), firsts[i]), " 0 R\n"...)
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
	var hb [32]byte // "num 0 obj\n<</Length ", without fmt: this runs for every object
	head := append(strconv.AppendInt(hb[:0], int64(num), 10), " 0 obj\n<</Length "...)
	if !bytes.HasPrefix(obj, head) {
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
	c := getCompressor()
	defer putCompressor(c)
	z, err := c.compress(pageCode(), rest[len(open):len(open)+length], tail)
	if err != nil {
		return nil, err
	}
	out = strconv.AppendInt(out, int64(num), 10)
	out = append(out, " 0 obj\n<</Filter /FlateDecode /Length "...)
	out = strconv.AppendInt(out, int64(len(z)), 10)
	out = append(out, ">>\nstream\n"...)
	out = append(out, z...)
	return append(out, closing...), nil
}

// trailerParts are gofpdf's trailer without its four numbers (before each number,
// and the end).
var trailerParts = [...]string{"trailer\n<<\n/Size ", "\n/Root ", " 0 R\n/Info ", " 0 R\n>>\nstartxref\n", "\n%%EOF\n"}

// trailerFields reads gofpdf's trailer, the whole of t: its /Size, /Root and /Info
// and the cross-reference table's offset. Matched by hand, not by a regular
// expression: that one was compiled in every process, about 1 % of a cold PDF
// render's instructions.
func trailerFields(t []byte) (n, root, info, xrefAt int, ok bool) {
	var v [len(trailerParts) - 1]int
	for k, p := range trailerParts {
		if len(t) < len(p) || string(t[:len(p)]) != p {
			return 0, 0, 0, 0, false
		}
		t = t[len(p):]
		if k == len(v) {
			break
		}
		d := 0
		for d < len(t) && t[d] >= '0' && t[d] <= '9' {
			d++
		}
		if v[k], ok = decimal(t[:d]); !ok {
			return 0, 0, 0, 0, false
		}
		t = t[d:]
	}
	return v[0], v[1], v[2], v[3], len(t) == 0
}

// decimal is the value of b, one to 18 decimal digits.
func decimal(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	x := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		x = x*10 + int(c-'0')
	}
	return x, true
}

// parseTail reads gofpdf's cross-reference table and trailer: the xref's position,
// the object count and every object's offset (index = object number; 0 unused).
func parseTail(doc []byte) (xrefAt, n int, offsets []int, root, info int, err error) {
	i := bytes.LastIndex(doc, []byte("\ntrailer\n"))
	if i < 0 {
		return 0, 0, nil, 0, 0, errors.New("no trailer")
	}
	n, root, info, xrefAt, ok := trailerFields(doc[i+1:])
	if !ok {
		return 0, 0, nil, 0, 0, errors.New("unexpected trailer")
	}
	var hb [64]byte
	head := append(strconv.AppendInt(append(hb[:0], "xref\n0 "...), int64(n), 10), "\n0000000000 65535 f \n"...)
	if xrefAt > i || !bytes.HasPrefix(doc[xrefAt:], head) {
		return 0, 0, nil, 0, 0, errors.New("unexpected cross-reference table")
	}
	entries := doc[xrefAt+len(head) : i+1]
	if len(entries) != 20*(n-1) {
		return 0, 0, nil, 0, 0, errors.New("cross-reference table size mismatch")
	}
	offsets = make([]int, n)
	for j := 1; j < n; j++ {
		e := entries[20*(j-1):]
		if offsets[j], ok = decimal(e[:10]); !ok {
			return 0, 0, nil, 0, 0, fmt.Errorf("cross-reference entry %d: %q is not an offset", j, e[:10])
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

// fontObjects are the objects of a font subset: head (Type0 font, CIDFontType2,
// descriptor, the font file's dictionary), file (the compressed font file, shared
// with internal/fonts: not to be modified) and tail (the end of the font file's
// stream, the ToUnicode map and, unless it is the identity, the CIDToGIDMap); offs
// are the objects' offsets in head, file and tail put together.
type fontObjects struct {
	head, file, tail []byte
	offs             []int
}

// endStream ends a stream object.
const endStream = "\nendstream\nendobj\n"

// fontFileOf builds the head and file of a font subset's objects, numbered from
// first, and the offsets of the first four objects.
func fontFileOf(f *subsetFont, first int) fontObjects {
	num := numObjects(f)
	offs := make([]int, 4, num)
	name := fontName(f)
	// Written with strconv, not fmt.Appendf: seven formatted objects a font were
	// about 1 % of a render's instructions.
	out := make([]byte, 0, 768+len(f.adv)/2)
	offs[0] = len(out)
	out = append(appendInt(out, first), " 0 obj\n<</Type /Font /Subtype /Type0 /BaseFont /"...)
	out = append(append(out, name...), " /Encoding /Identity-H /DescendantFonts ["...)
	out = append(appendInt(out, first+1), " 0 R] /ToUnicode "...)
	out = append(appendInt(out, first+4), " 0 R>>\nendobj\n"...)

	offs[1] = len(out)
	out = append(appendInt(out, first+1), " 0 obj\n<</Type /Font /Subtype /CIDFontType2 /BaseFont /"...)
	out = append(append(out, name...), " /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor "...)
	out = append(appendInt(out, first+2), " 0 R /CIDToGIDMap "...)
	if num == 6 {
		out = append(appendInt(out, first+5), " 0 R"...)
	} else {
		out = append(out, "/Identity"...)
	}
	out = appendInt(append(out, " /DW "...), defaultWidth)
	out = appendWidths(out, f.adv)
	out = append(out, ">>\nendobj\n"...)

	offs[2] = len(out)
	b := f.bbox
	out = append(appendInt(out, first+2), " 0 obj\n<</Type /FontDescriptor /FontName /"...)
	out = append(append(out, name...), " /Flags 4 /FontBBox ["...)
	for i, v := range b {
		if i > 0 {
			out = append(out, ' ')
		}
		out = appendInt(out, v)
	}
	out = appendInt(append(out, "] /ItalicAngle 0 /Ascent "...), f.ascent)
	out = appendInt(append(out, " /Descent "...), f.descent)
	out = appendInt(append(out, " /CapHeight "...), f.capHeight)
	out = append(appendInt(append(out, " /StemV 80 /FontFile2 "...), first+3), " 0 R>>\nendobj\n"...)

	z := f.sub.Zlib() // here, in the font's goroutine: the first document's glyphs are encoded now
	offs[3] = len(out)
	out = append(appendInt(out, first+3), " 0 obj\n<</Length "...)
	out = appendInt(out, len(z))
	out = append(appendInt(append(out, " /Length1 "...), f.size), " /Filter /FlateDecode>>\nstream\n"...)
	return fontObjects{head: out, file: z, offs: offs}
}

// fontTailOf builds the tail of a font subset's objects (see fontObjects),
// numbered from first: the end of the font file's stream, then the ToUnicode map
// and, unless it is the identity, the CIDToGIDMap.
func fontTailOf(f *subsetFont, first int) (fontTail, error) {
	c := getCompressor()
	defer putCompressor(c)
	c.src = toUnicode(c.src[:0], f.runes)
	zu, err := c.compress(cmapCode(), c.src, nil)
	if err != nil {
		return fontTail{}, err
	}
	tail := make([]byte, 0, 2*len(endStream)+64+len(zu))
	tail = append(tail, endStream...)
	var at [2]int
	at[0] = len(tail)
	tail = appendStreamHead(tail, first+4, len(zu))
	tail = append(tail, zu...)
	tail = append(tail, endStream...)
	if numObjects(f) == 6 {
		// CIDToGIDMap: glyph id of every CID, two bytes each (CID 0 is .notdef).
		m := append(c.src[:0], 0, 0)
		for _, g := range f.gids {
			m = append(m, byte(g>>8), byte(g))
		}
		c.src = m
		if zu, err = c.compress(nil, m, nil); err != nil {
			return fontTail{}, err
		}
		at[1] = len(tail)
		tail = appendStreamHead(tail, first+5, len(zu))
		tail = append(tail, zu...)
		tail = append(tail, endStream...)
	}
	return fontTail{tail, at}, nil
}

// appendStreamHead appends the head of compressed stream object num, length bytes.
func appendStreamHead(b []byte, num, length int) []byte {
	b = append(appendInt(b, num), " 0 obj\n<</Length "...)
	return append(appendInt(b, length), " /Filter /FlateDecode>>\nstream\n"...)
}

// appendInt appends v in decimal.
func appendInt(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) }

// fontTail is a font's tail (see fontObjects) and where its objects start in it.
type fontTail struct {
	b  []byte
	at [2]int // ToUnicode, CIDToGIDMap
}

// setTail gives o its tail and the offsets of the objects in it: n objects in all.
func (o *fontObjects) setTail(t fontTail, n int) {
	o.tail = t.b
	base := len(o.head) + len(o.file)
	for k := 0; len(o.offs) < n; k++ {
		o.offs = append(o.offs, base+t.at[k])
	}
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

// toUnicode appends the ToUnicode CMap of CIDs 1…len(runes) to b: for each run of
// CIDs sharing their high byte (a bfrange may change only the last byte of its
// source codes) one bfrange with an array of destinations, the characters in CID
// order. That is seven bytes a character where a bfchar entry per character took
// fourteen. A character beyond the BMP (𠮷 U+20BB7) maps to its UTF-16BE
// surrogate pair <D842DFB7>, as the CMap's UTF-16 destination strings require.
func toUnicode(b []byte, runes []rune) []byte {
	b = slices.Grow(b, 320+7*len(runes)+16*(len(runes)/256+1))
	b = append(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"...)
	hex4 := func(b []byte, v int) []byte {
		return append(b, '<', hexDigits[v>>12&15], hexDigits[v>>8&15], hexDigits[v>>4&15], hexDigits[v&15], '>')
	}
	n := len(runes)   // CIDs 1…n
	lines := n>>8 + 1 // line k: CIDs 256k…256k+255 (from 1 on the first)
	if n == 0 {
		lines = 0
	}
	// At most 100 entries per block, as the CMap specification asks.
	for k0 := 0; k0 < lines; k0 += 100 {
		k1 := min(k0+100, lines)
		b = strconv.AppendInt(b, int64(k1-k0), 10)
		b = append(b, " beginbfrange\n"...)
		for k := k0; k < k1; k++ {
			lo, hi := max(k<<8, 1), min(k<<8+255, n)
			b = hex4(b, lo)
			b = append(b, ' ')
			b = hex4(b, hi)
			b = append(b, " ["...)
			for c := lo; c <= hi; c++ {
				if c > lo {
					b = append(b, ' ')
				}
				b = hexUTF16(b, runes[c-1])
			}
			b = append(b, "]\n"...)
		}
		b = append(b, "endbfrange\n"...)
	}
	return append(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"...)
}

// hexUTF16 appends r as a CMap destination string in UTF-16BE: <4E2D>, or for a
// character beyond the BMP its surrogate pair as one string, <D842DFB7>.
func hexUTF16(b []byte, r rune) []byte {
	b = append(b, '<')
	if r > 0xFFFF {
		hi, lo := utf16.EncodeRune(r)
		b = append(b, hexDigits[hi>>12&15], hexDigits[hi>>8&15], hexDigits[hi>>4&15], hexDigits[hi&15])
		r = lo
	}
	return append(b, hexDigits[r>>12&15], hexDigits[r>>8&15], hexDigits[r>>4&15], hexDigits[r&15], '>')
}

// The font files are compressed by internal/fonts (fonts.Subset.Zlib: each glyph's
// code made once per process, shared by every document, PDF, OFD and DOCX alike).
// The pages and ToUnicode maps, a few KB of text each, are written by
// internal/deflate with a code trained on the examples' streams (streamcode.go):
// a general compressor spent most of its time on them building a code for each
// stream. The CIDToGIDMaps and images go through zipfile.Zlib (klauspost/compress
// at level 1, with the compressors the DOCX's parts share).

// compressor is a zlib writer's buffers reused across documents: the stream built
// first (src) and its compressed form (dst). The encoders' state comes from their
// packages' process-wide pools for each stream.
type compressor struct {
	src, dst []byte
}

// spareCompressors keeps up to four compressors' buffers (a sync.Pool had a render
// in two grow fresh ones). Four covers the pages and the ToUnicode maps on two cores.
var spareCompressors = spare.New[*compressor](4)

func getCompressor() *compressor {
	if c, ok := spareCompressors.Get(); ok {
		return c
	}
	return new(compressor)
}

func putCompressor(c *compressor) { spareCompressors.Put(c) }

// compress compresses a and b, one after the other, as one zlib stream into c.dst:
// valid until c is used again or put back in the pool. With code (a text stream's,
// streamcode.go) the stream is written with it, else by zipfile.Zlib.
func (c *compressor) compress(code *deflate.Code, a, b []byte) ([]byte, error) {
	if code != nil {
		c.dst = code.Zlib(c.dst[:0], a, b)
		return c.dst, nil
	}
	var err error
	if c.dst, err = zipfile.Zlib(c.dst[:0], a, b); err != nil {
		return nil, fmt.Errorf("pdf: compress: %w", err)
	}
	return c.dst, nil
}

// zlibOf compresses a stream other than a font file into a slice of its own.
func zlibOf(b []byte) ([]byte, error) {
	out, err := zipfile.Zlib(make([]byte, 0, len(b)*3/4+64), b)
	if err != nil {
		return nil, fmt.Errorf("pdf: compress: %w", err)
	}
	return out, nil
}

// pageCode and cmapCode are the codes the page contents and the ToUnicode maps are
// written with (streamcode.go); nil, should the table be damaged, sends those
// streams through zipfile.Zlib instead.
var (
	pageCode = deflate.Shipped("PDF page contents", pageLitLens, pageDistLens)
	cmapCode = deflate.Shipped("PDF ToUnicode maps", cmapLitLens, cmapDistLens)
)
