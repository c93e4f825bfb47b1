package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"unicode/utf16"
	"unsafe"

	"gongwen/internal/touch"
)

// face is one parsed TrueType font. Only what width questions and subsetting need is
// parsed; the table slices point into the original bytes (the go:embed data for the
// stand-ins), nothing large is copied.
type face struct {
	data        []byte
	family      string
	psName      string // name ID 6
	names       faceNames
	unitsPerEm  float64
	numGlyphs   int
	numHMetrics int
	locaLong    bool
	tables      map[string][]byte
	hmtx        []byte
	loca        []byte
	glyf        []byte
	// The character maps are read from the font's own bytes when first asked: cmap4 is
	// the format 4 subtable, cmap12 the format 12 one (nil when absent), both with their
	// segments or groups in order and disjoint, as the specification requires. A BMP
	// character is searched for on its first lookup and remembered in runes; characters
	// beyond the BMP are searched for each time. Building the table of every character
	// at load cost 4.3 M instructions in a process that looks up a few thousand; blocks
	// of 256 characters, remembered whole, took 512 bytes for each block a document
	// touched (85 KB of fresh pages for a cold render's 739 characters in 171 blocks).
	cmap4, cmap12 []byte
	runes         atomic.Pointer[runeTable]
	runesMu       sync.Mutex   // serialises replacing runes
	nRunes        atomic.Int32 // characters in runes
	// gid and sup are built at load instead when a subtable's segments or groups are
	// out of order (a search would miss some): gid maps every BMP character to its
	// glyph id, sup the characters beyond the BMP.
	gid *[0x10000]uint16
	sup map[rune]uint16
	// codes caches the glyphs' compressed forms (glyphcache.go).
	codes glyphCache
	// pre is the face's shipped code file (codefile.go), nil for most faces.
	pre *precomputed
}

// glyphID is r's glyph, 0 when the font lacks it.
func (f *face) glyphID(r rune) uint16 {
	if f.gid != nil {
		switch {
		case r >= 0 && r < 0xFFFF:
			return f.gid[r]
		case r > 0xFFFF && r <= 0x10FFFF:
			return f.sup[r]
		}
		return 0
	}
	switch {
	case r >= 0 && r < 0xFFFF:
		if t := f.runes.Load(); t != nil {
			s, key := t.slots, uint32(r)+1
			mask := uint(len(s) - 1)
			for h := uint(t.home(r)) & mask; ; h = (h + 1) & mask {
				v := s[h].Load()
				if v>>16 == key { // the usual case first
					return uint16(v)
				}
				if v == 0 {
					break
				}
			}
		}
		return f.lookupBMP(r)
	case r > 0xFFFF && r <= 0x10FFFF:
		return f.lookup12(r)
	}
	return 0
}

// runeTable remembers BMP characters' glyphs: open addressing with linear probing,
// slots of (character+1)<<16 | glyph id, 0 for a free one (which ends a search). It
// is replaced by one twice as large, under runesMu, when half full; slots are never
// cleared.
type runeTable struct {
	slots []atomic.Uint32 // a power of two
	shift uint            // 32 - log2(len(slots))
}

func (t *runeTable) home(r rune) uint32 { return uint32(r) * 0x9E3779B1 >> (t.shift & 31) }

// lookupBMP searches for BMP character r (below U+FFFF) and remembers its glyph.
func (f *face) lookupBMP(r rune) uint16 {
	g := f.lookup4(r)
	if g == 0 {
		g = f.lookup12(r)
	}
	// Glyph ids are below 65535 (numGlyphs is a uint16).
	f.remember((uint32(r)+1)<<16 | uint32(g))
	return g
}

// remember stores slot value v in runes without a lock (a compare-and-swap on a
// free slot); the table is replaced under runesMu when half full. A character stored
// in the old table while it is copied is lost from the new one, and looked up again.
func (f *face) remember(v uint32) {
	for {
		t := f.runes.Load()
		if t == nil || 2*(int(f.nRunes.Load())+1) > len(t.slots) {
			f.growRunes(t)
			continue
		}
		mask := uint32(len(t.slots) - 1)
		h := t.home(rune(v>>16 - 1))
		// Never more probes than slots, should racing stores have filled the table.
		for range t.slots {
			w := t.slots[h].Load()
			switch {
			case w == 0:
				if !t.slots[h].CompareAndSwap(0, v) {
					continue // taken meanwhile: look at it again
				}
				f.nRunes.Add(1)
				return
			case w>>16 == v>>16:
				return // remembered by another goroutine (the same glyph)
			}
			h = (h + 1) & mask
		}
		return
	}
}

// growRunes replaces runes, unless another goroutine did since it was old, by a
// table twice as large holding the same characters: 1 KB at first, so that the faces
// a document uses little (the title's, the page numbers') share pages.
func (f *face) growRunes(old *runeTable) {
	f.runesMu.Lock()
	defer f.runesMu.Unlock()
	if f.runes.Load() != old {
		return
	}
	b := uint(8)
	if old != nil {
		b = 33 - old.shift
	}
	t := &runeTable{slots: make([]atomic.Uint32, 1<<b), shift: 32 - b}
	touch.Pages(t.slots) // probed before it is stored into
	n := 0
	if old != nil {
		mask := uint32(len(t.slots) - 1)
		for i := range old.slots {
			if w := old.slots[i].Load(); w != 0 {
				h := t.home(rune(w>>16 - 1))
				for t.slots[h].Load() != 0 {
					h = (h + 1) & mask
				}
				t.slots[h].Store(w)
				n++
			}
		}
	}
	f.nRunes.Store(int32(n))
	f.runes.Store(t) // readers of the old table look the new characters up again
}

// lookup4 finds BMP character c (below U+FFFF) in the ordered format 4 subtable: what
// parseCmap4 would have stored for it.
func (f *face) lookup4(c rune) uint16 {
	sub := f.cmap4
	if sub == nil {
		return 0
	}
	be := binary.BigEndian
	segX2 := int(be.Uint16(sub[6:]))
	n := segX2 / 2
	// The first segment ending at c or later (checkCmap4 checked the arrays' bounds).
	ends := sub[14 : 14+2*n]
	if n == 0 {
		return 0
	}
	// Read through a pointer: m < n keeps each read within ends, and the bounds
	// checks were half of the search's instructions.
	p := unsafe.Pointer(unsafe.SliceData(ends))
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if e := (*[2]byte)(unsafe.Add(p, 2*m)); rune(e[0])<<8|rune(e[1]) < c {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == n {
		return 0
	}
	s := lo
	start := int(be.Uint16(sub[16+segX2+2*s:]))
	if int(c) < start {
		return 0
	}
	delta := be.Uint16(sub[16+2*segX2+2*s:])
	ro := int(be.Uint16(sub[16+3*segX2+2*s:]))
	var g uint16
	if ro == 0 {
		g = uint16(c) + delta
	} else {
		// The segment's glyph array; an entry past the table maps to nothing.
		p := 16 + 3*segX2 + 2*s + ro + 2*(int(c)-start)
		if p+2 > len(sub) {
			return 0
		}
		if g = be.Uint16(sub[p:]); g != 0 {
			g += delta
		}
	}
	if int(g) >= f.numGlyphs {
		return 0
	}
	return g
}

// lookup12 finds c in the ordered format 12 subtable: what parseCmap12 would have
// stored for it.
func (f *face) lookup12(c rune) uint16 {
	sub := f.cmap12
	if sub == nil {
		return 0
	}
	be := binary.BigEndian
	n := int(be.Uint32(sub[12:]))
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int64(be.Uint32(sub[16+12*m+4:])) < int64(c) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == n {
		return 0
	}
	g := sub[16+12*lo:]
	start := int64(be.Uint32(g))
	if int64(c) < start {
		return 0
	}
	id := int64(be.Uint32(g[8:])) + int64(c) - start
	if id <= 0 || id >= int64(f.numGlyphs) {
		return 0
	}
	return uint16(id)
}

// has reports whether the font draws r.
func (f *face) has(r rune) bool { return f.glyphID(r) != 0 }

// problem is a reason a font file cannot be used, with what the operator can do.
type problem struct {
	what, fix string
}

func (p *problem) Error() string { return p.what }

var (
	errTTC = &problem{"is a TrueType collection (TTC), which gofpdf cannot read",
		"extract the one face you want as a single .ttf (for example with fontTools: TTCollection(path).fonts[i].save(\"role.ttf\"))"}
	errCFF = &problem{"has CFF (PostScript) outlines (an OpenType .otf), which gofpdf cannot read",
		"convert it to TrueType outlines (for example with fontTools' otf2ttf or FontForge) and save it as .ttf"}
)

func corrupt(format string, a ...any) error {
	return &problem{"is not a usable TrueType font: " + fmt.Sprintf(format, a...),
		"replace it with an intact TrueType (.ttf) file"}
}

// parseFace checks everything gofpdf and Subset rely on, so that no later step can
// index out of range, and builds the character map.
func parseFace(data []byte) (*face, error) { return parse(data, false) }

// parseEmbedded parses a face embedded in the executable: its bytes are the program's
// own, checked in full by TestEmbeddedFilesParse, so the scans over every glyph offset
// and character map segment (a third of a face's load) are skipped; the checks that
// bound every table still run, glyph stays in range without them, and a cmap out of
// order would only misfind characters (in a build whose tests fail).
func parseEmbedded(data []byte) (*face, error) { return parse(data, true) }

func parse(data []byte, embedded bool) (*face, error) {
	if len(data) < 12 {
		return nil, corrupt("file too short (%d bytes)", len(data))
	}
	switch tag := string(data[:4]); tag {
	case "ttcf":
		return nil, errTTC
	case "OTTO":
		return nil, errCFF
	case "\x00\x01\x00\x00", "true":
	default:
		return nil, corrupt("unknown signature %q", tag)
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	if 12+16*n > len(data) {
		return nil, corrupt("table directory runs past the end of the file")
	}
	f := &face{data: data, tables: make(map[string][]byte, n)}
	for i := 0; i < n; i++ {
		rec := data[12+16*i:]
		tag := string(rec[:4])
		off := int64(binary.BigEndian.Uint32(rec[8:]))
		ln := int64(binary.BigEndian.Uint32(rec[12:]))
		if off+ln > int64(len(data)) {
			return nil, corrupt("table %q runs past the end of the file", tag)
		}
		f.tables[tag] = data[off : off+ln]
	}
	if _, ok := f.tables["CFF "]; ok {
		return nil, errCFF
	}
	for _, t := range []string{"head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf"} {
		if f.tables[t] == nil {
			return nil, corrupt("no %q table", t)
		}
	}
	head := f.tables["head"]
	if len(head) < 54 {
		return nil, corrupt("head table too short")
	}
	upem := binary.BigEndian.Uint16(head[18:])
	if upem < 16 || upem > 16384 {
		return nil, corrupt("unitsPerEm %d out of range", upem)
	}
	f.unitsPerEm = float64(upem)
	switch binary.BigEndian.Uint16(head[50:]) {
	case 0:
	case 1:
		f.locaLong = true
	default:
		return nil, corrupt("unknown loca format")
	}
	if binary.BigEndian.Uint16(head[52:]) != 0 {
		return nil, corrupt("unknown glyph data format")
	}
	maxp := f.tables["maxp"]
	if len(maxp) < 6 {
		return nil, corrupt("maxp table too short")
	}
	f.numGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	if f.numGlyphs == 0 {
		return nil, corrupt("no glyphs")
	}
	hhea := f.tables["hhea"]
	if len(hhea) < 36 {
		return nil, corrupt("hhea table too short")
	}
	f.numHMetrics = int(binary.BigEndian.Uint16(hhea[34:]))
	if f.numHMetrics == 0 || f.numHMetrics > f.numGlyphs {
		return nil, corrupt("numberOfHMetrics %d out of range", f.numHMetrics)
	}
	f.hmtx = f.tables["hmtx"]
	if len(f.hmtx) < 4*f.numHMetrics+2*(f.numGlyphs-f.numHMetrics) {
		return nil, corrupt("hmtx table too short")
	}
	f.loca, f.glyf = f.tables["loca"], f.tables["glyf"]
	if need := (f.numGlyphs + 1) * f.locaEntry(); len(f.loca) < need {
		return nil, corrupt("loca table too short")
	}
	if !embedded {
		if g := f.badLoca(); g >= 0 {
			return nil, corrupt("glyph %d has a bad offset", g)
		}
	}
	if os2 := f.tables["OS/2"]; len(os2) >= 10 {
		// gofpdf refuses these (printing an error) and the licence forbids subsetting
		// and embedding such a font in a PDF.
		if fs := binary.BigEndian.Uint16(os2[8:]); fs == 0x0002 || fs&0x0300 != 0 {
			return nil, &problem{fmt.Sprintf("forbids subset embedding in a PDF (OS/2 fsType 0x%04X)", fs),
				"use a font whose licence allows embedding, or ask the vendor for an embeddable version"}
		}
	}
	if err := f.parseCmap(embedded); err != nil {
		return nil, err
	}
	f.names = readNames(f.tables["name"])
	f.family = f.names.family
	f.psName = f.names.postScript
	return f, nil
}

// scan runs on a face parsed by parseEmbedded the checks parseFace makes: every glyph
// offset and the character maps' order.
func (f *face) scan() error {
	if g := f.badLoca(); g >= 0 {
		return corrupt("glyph %d has a bad offset", g)
	}
	f.cmap4, f.cmap12 = nil, nil
	return f.parseCmap(false)
}

// badLoca is the first glyph whose offset is below the previous one or past the glyf
// table, -1 when there is none: then every glyph's bytes are in the table. It reads
// the offsets a word at a time (32 bytes a step for long offsets) without a branch
// (through locaAt this check took 24 instructions a glyph, a third of loading a face)
// and finds the glyph to name only on a bad table.
func (f *face) badLoca() int {
	// acc collects every difference offset - previous offset: its sign bit is set when
	// one was negative (offsets are below 2^32, differences fit in an int64).
	var acc, prev int64
	if f.locaLong {
		loca := f.loca[:4*(f.numGlyphs+1)]
		i := 0
		for ; i+32 <= len(loca); i += 32 {
			p := (*[32]byte)(loca[i : i+32]) // one bounds check for eight offsets
			v0, v1, v2, v3 := be64a(p, 0), be64a(p, 8), be64a(p, 16), be64a(p, 24)
			a, b, c, d := int64(v0>>32), int64(v0&0xFFFFFFFF), int64(v1>>32), int64(v1&0xFFFFFFFF)
			e, g, h, k := int64(v2>>32), int64(v2&0xFFFFFFFF), int64(v3>>32), int64(v3&0xFFFFFFFF)
			acc |= (a - prev) | (b - a) | (c - b) | (d - c) | (e - d) | (g - e) | (h - g) | (k - h)
			prev = k
		}
		for ; i+8 <= len(loca); i += 8 {
			v := be64(loca, i)
			a, b := int64(v>>32), int64(v&0xFFFFFFFF)
			acc |= (a - prev) | (b - a)
			prev = b
		}
		if i+4 <= len(loca) {
			a := int64(binary.BigEndian.Uint32(loca[i:]))
			acc |= a - prev
			prev = a
		}
	} else {
		loca := f.loca[:2*(f.numGlyphs+1)]
		i := 0
		for ; i+8 <= len(loca); i += 8 {
			v := be64(loca, i)
			a, b, c, d := int64(v>>48), int64(v>>32&0xFFFF), int64(v>>16&0xFFFF), int64(v&0xFFFF)
			acc |= (a - prev) | (b - a) | (c - b) | (d - c)
			prev = d
		}
		for ; i+2 <= len(loca); i += 2 {
			a := int64(binary.BigEndian.Uint16(loca[i:]))
			acc |= a - prev
			prev = a
		}
		prev *= 2
	}
	if acc < 0 || prev > int64(len(f.glyf)) {
		return f.firstBadLoca()
	}
	return -1
}

// be64a is the big-endian word at p[i:] (i a constant: no bounds check).
func be64a(p *[32]byte, i int) uint64 { return binary.BigEndian.Uint64(p[i : i+8]) }

// be64 is the big-endian word at b[i:].
func be64(b []byte, i int) uint64 { return binary.BigEndian.Uint64(b[i:]) }

// firstBadLoca finds, on a bad table, the glyph the error names: the first whose
// offset decreases or runs past the glyf table.
func (f *face) firstBadLoca() int {
	prev := 0
	for g := 0; g <= f.numGlyphs; g++ {
		o := f.locaAt(g)
		if o < prev || o > len(f.glyf) {
			return g
		}
		prev = o
	}
	return -1
}

func (f *face) locaEntry() int {
	if f.locaLong {
		return 4
	}
	return 2
}

func (f *face) locaAt(g int) int {
	if f.locaLong {
		return int(binary.BigEndian.Uint32(f.loca[4*g:]))
	}
	return 2 * int(binary.BigEndian.Uint16(f.loca[2*g:]))
}

// glyph returns the outline bytes of glyph g (empty for blank glyphs).
func (f *face) glyph(g int) []byte {
	// Clamped: an embedded face's offsets are not scanned at load (parseEmbedded). A
	// plain check would make glyph too costly to inline.
	b := min(f.locaAt(g+1), len(f.glyf))
	return f.glyf[min(f.locaAt(g), b):b]
}

// advance is glyph g's advance width in font units.
func (f *face) advance(g int) int {
	if g >= f.numHMetrics {
		g = f.numHMetrics - 1
	}
	return int(binary.BigEndian.Uint16(f.hmtx[4*g:]))
}

// lsb is glyph g's left side bearing in font units, as stored.
func (f *face) lsb(g int) []byte {
	if g < f.numHMetrics {
		return f.hmtx[4*g+2 : 4*g+4]
	}
	o := 4*f.numHMetrics + 2*(g-f.numHMetrics)
	return f.hmtx[o : o+2]
}

// parseCmap reads the Unicode character maps: the BMP subtable (format 4: platform 3
// encoding 1 first, then any platform 0 one) and, when present, the full-repertoire
// one (format 12: platform 3 encoding 10 or platform 0), which adds the characters
// beyond the BMP. A font needs at least one of them. An embedded face's subtables are
// taken as ordered (parseEmbedded).
func (f *face) parseCmap(embedded bool) error {
	cmap := f.tables["cmap"]
	if len(cmap) < 4 {
		return corrupt("cmap table too short")
	}
	n := int(binary.BigEndian.Uint16(cmap[2:]))
	if 4+8*n > len(cmap) {
		return corrupt("cmap table too short")
	}
	var sub4, sub12 []byte
	for i := 0; i < n; i++ {
		rec := cmap[4+8*i:]
		plat, enc := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[2:])
		off := int(binary.BigEndian.Uint32(rec[4:]))
		if !(plat == 3 && (enc == 1 || enc == 10) || plat == 0) || off+4 > len(cmap) {
			continue
		}
		switch binary.BigEndian.Uint16(cmap[off:]) {
		case 4:
			if sub4 == nil {
				sub4 = cmap[off:]
			}
		case 12:
			if sub12 == nil {
				sub12 = cmap[off:]
			}
		}
	}
	if sub4 == nil && sub12 == nil {
		return &problem{"has no Unicode character map (cmap format 4 or 12)",
			"use a .ttf with a Windows Unicode (3,1) format 4 or (3,10) format 12 cmap, as fonts for Chinese text normally have"}
	}
	ordered := true
	if sub4 != nil {
		ok, err := checkCmap4(sub4, embedded)
		if err != nil {
			return err
		}
		ordered = ok
	}
	if sub12 != nil {
		ok, err := checkCmap12(sub12, embedded)
		if err != nil {
			return err
		}
		ordered = ordered && ok
	}
	if ordered {
		f.cmap4, f.cmap12 = sub4, sub12
		return nil
	}
	// Out of order: build the tables, which give what a search would for an ordered
	// subtable (later segments win in format 4, the first mapping in format 12 for
	// the BMP and the last beyond it).
	f.gid = new([0x10000]uint16)
	if sub4 != nil {
		if err := f.parseCmap4(sub4); err != nil {
			return err
		}
	}
	if sub12 != nil {
		return f.parseCmap12(sub12)
	}
	return nil
}

// checkCmap4 checks a format 4 subtable's bounds as parseCmap4 does and tells whether
// its segments are in order and disjoint (each starts after the previous one's end);
// boundsOnly takes the order as given.
func checkCmap4(sub []byte, boundsOnly bool) (ordered bool, err error) {
	if len(sub) < 14 {
		return false, corrupt("cmap format 4 too short")
	}
	segX2 := int(binary.BigEndian.Uint16(sub[6:]))
	if segX2%2 != 0 || 16+4*segX2 > len(sub) {
		return false, corrupt("cmap format 4 segments run past the table")
	}
	if boundsOnly {
		return true, nil
	}
	ends, starts := sub[14:14+segX2], sub[16+segX2:16+2*segX2]
	starts = starts[:len(ends)]
	// Each segment must start after the previous one's end and not after its own: the
	// sign bits of acc collect start-prevEnd-1 and end-start, four segments a word.
	var acc int64
	prevEnd := int64(-1)
	i := 0
	for ; i+8 <= len(ends); i += 8 {
		e, s := be64(ends, i), be64(starts, i)
		e0, e1, e2, e3 := int64(e>>48), int64(e>>32&0xFFFF), int64(e>>16&0xFFFF), int64(e&0xFFFF)
		s0, s1, s2, s3 := int64(s>>48), int64(s>>32&0xFFFF), int64(s>>16&0xFFFF), int64(s&0xFFFF)
		acc |= (s0 - prevEnd - 1) | (e0 - s0) | (s1 - e0 - 1) | (e1 - s1) |
			(s2 - e1 - 1) | (e2 - s2) | (s3 - e2 - 1) | (e3 - s3)
		prevEnd = e3
	}
	for ; i+2 <= len(ends); i += 2 {
		e, s := int64(binary.BigEndian.Uint16(ends[i:])), int64(binary.BigEndian.Uint16(starts[i:]))
		acc |= (s - prevEnd - 1) | (e - s)
		prevEnd = e
	}
	return acc >= 0, nil
}

// checkCmap12 checks a format 12 subtable as parseCmap12 does and tells whether its
// groups are in order and disjoint; boundsOnly checks the table's bounds only and takes
// the groups as valid and in order.
func checkCmap12(sub []byte, boundsOnly bool) (ordered bool, err error) {
	be := binary.BigEndian
	if len(sub) < 16 {
		return false, corrupt("cmap format 12 too short")
	}
	n := int64(be.Uint32(sub[12:]))
	if 16+12*n > int64(len(sub)) {
		return false, corrupt("cmap format 12 groups run past the table")
	}
	if boundsOnly {
		return true, nil
	}
	// The sign bits of acc collect end-start, 0x10FFFF-end (a group out of range) and
	// of ord start-prevEnd-1 (groups out of order); the group to name is found on error.
	var acc, ord int64
	prevEnd := int64(-1)
	groups := sub[16 : 16+12*n]
	for i := 0; i+12 <= len(groups); i += 12 {
		v := be64(groups, i)
		start, end := int64(v>>32), int64(v&0xFFFFFFFF)
		acc |= (end - start) | (0x10FFFF - end)
		ord |= start - prevEnd - 1
		prevEnd = end
	}
	if acc < 0 {
		for i := int64(0); i < n; i++ {
			g := sub[16+12*i:]
			// end <= 0x10FFFF and start <= end bound end-start too.
			if start, end := be.Uint32(g), be.Uint32(g[4:]); end < start || end > 0x10FFFF {
				return false, corrupt("cmap format 12 group %d is out of range", i)
			}
		}
	}
	return ord >= 0, nil
}

func (f *face) parseCmap4(sub []byte) error {
	if len(sub) < 14 {
		return corrupt("cmap format 4 too short")
	}
	// The stored length is 16 bits and overflows in big fonts; trust the arrays
	// (bounded by the table end) rather than the length.
	segX2 := int(binary.BigEndian.Uint16(sub[6:]))
	if segX2%2 != 0 || 16+4*segX2 > len(sub) {
		return corrupt("cmap format 4 segments run past the table")
	}
	ends := sub[14:]
	starts := sub[16+segX2:]
	deltas := sub[16+2*segX2:]
	ranges := sub[16+3*segX2:]
	for s := 0; s < segX2/2; s++ {
		end := int(binary.BigEndian.Uint16(ends[2*s:]))
		start := int(binary.BigEndian.Uint16(starts[2*s:]))
		delta := binary.BigEndian.Uint16(deltas[2*s:])
		ro := int(binary.BigEndian.Uint16(ranges[2*s:]))
		for c := start; c <= end && c < 0xFFFF; c++ {
			var g uint16
			if ro == 0 {
				g = uint16(c) + delta
			} else {
				p := 16 + 3*segX2 + 2*s + ro + 2*(c-start)
				if p+2 > len(sub) {
					break
				}
				if g = binary.BigEndian.Uint16(sub[p:]); g != 0 {
					g += delta
				}
			}
			if int(g) < f.numGlyphs {
				f.gid[c] = g
			}
		}
	}
	return nil
}

// parseCmap12 reads a format 12 subtable (sequential map groups): the characters
// beyond the BMP go to sup; BMP ones fill gid where the format 4 subtable had none.
func (f *face) parseCmap12(sub []byte) error {
	be := binary.BigEndian
	if len(sub) < 16 {
		return corrupt("cmap format 12 too short")
	}
	n := int64(be.Uint32(sub[12:]))
	if 16+12*n > int64(len(sub)) {
		return corrupt("cmap format 12 groups run past the table")
	}
	f.sup = make(map[rune]uint16)
	for i := int64(0); i < n; i++ {
		g := sub[16+12*i:]
		start, end, gid := int64(be.Uint32(g)), int64(be.Uint32(g[4:])), int64(be.Uint32(g[8:]))
		if end < start || end > 0x10FFFF || end-start > 0x10FFFF {
			return corrupt("cmap format 12 group %d is out of range", i)
		}
		for c := start; c <= end; c++ {
			id := gid + c - start
			if id <= 0 || id >= int64(f.numGlyphs) {
				continue
			}
			switch {
			case c < 0xFFFF:
				if f.gid[c] == 0 {
					f.gid[c] = uint16(id)
				}
			case c > 0xFFFF:
				f.sup[rune(c)] = uint16(id)
			}
		}
	}
	return nil
}

// faceNames are the English names of a font's name table that a subset keeps.
type faceNames struct {
	family     string // typographic family (ID 16) or family (ID 1)
	subfamily  string // ID 17 or 2
	full       string // ID 4
	postScript string // ID 6
}

// readNames reads the font's English names (Windows Unicode, US English preferred,
// else any Windows Unicode or Macintosh Roman record).
func readNames(name []byte) faceNames {
	return faceNames{
		family:     nameString(name, 16, 1),
		subfamily:  nameString(name, 17, 2),
		full:       nameString(name, 4, 4),
		postScript: nameString(name, 6, 6),
	}
}

// nameString is the font's English name with ID pref if present, else with ID id,
// from the name table; "" when it has neither.
func nameString(name []byte, pref, id uint16) string {
	if len(name) < 6 {
		return ""
	}
	n := int(binary.BigEndian.Uint16(name[2:]))
	strs := int(binary.BigEndian.Uint16(name[4:]))
	best, bestScore := "", 0
	for i := 0; i < n && 6+12*i+12 <= len(name); i++ {
		r := name[6+12*i:]
		plat, enc, lang, rid := binary.BigEndian.Uint16(r), binary.BigEndian.Uint16(r[2:]),
			binary.BigEndian.Uint16(r[4:]), binary.BigEndian.Uint16(r[6:])
		ln, off := int(binary.BigEndian.Uint16(r[8:])), int(binary.BigEndian.Uint16(r[10:]))
		if (rid != id && rid != pref) || strs+off+ln > len(name) {
			continue
		}
		raw := name[strs+off : strs+off+ln]
		var s string
		score := 0
		switch {
		case plat == 3 && (enc == 1 || enc == 10) && ln%2 == 0:
			u := make([]uint16, ln/2)
			for j := range u {
				u[j] = binary.BigEndian.Uint16(raw[2*j:])
			}
			s = string(utf16.Decode(u))
			score = 2
			if lang == 0x409 {
				score = 4
			}
		case plat == 1 && enc == 0:
			s = string(raw)
			score = 1
		default:
			continue
		}
		if rid == pref && pref != id {
			score++
		}
		if score > bestScore && s != "" {
			best, bestScore = s, score
		}
	}
	return best
}

var errEmpty = errors.New("no characters")
