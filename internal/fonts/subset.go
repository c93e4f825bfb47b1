package fonts

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"

	"gongwen/internal/spare"
)

// Composite glyph flags (TrueType glyf).
const (
	argWords     = 0x0001
	haveScale    = 0x0008
	moreComps    = 0x0020
	haveXYScale  = 0x0040
	haveTwoByTwo = 0x0080
)

// components returns the offsets, inside a composite glyph's bytes, of its
// components' glyph ids. ok is false when the data is malformed.
func components(g []byte) (offs []int, ok bool) {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil, true
	}
	p := 10
	for {
		if p+4 > len(g) {
			return nil, false
		}
		flags := binary.BigEndian.Uint16(g[p:])
		offs = append(offs, p+2)
		p += 4
		if flags&argWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&haveTwoByTwo != 0:
			p += 8
		}
		if flags&moreComps == 0 {
			return offs, p <= len(g)
		}
	}
}

// faceStatic is what every subset of a face shares, made on the face's first cut.
type faceStatic struct {
	psName                string
	os2, name, post, maxp []byte
	head, hhea            []byte // the first 54 and 36 bytes, to patch per subset
	bbox                  [4]int
	ascent, descent, capH int
}

func (f *face) static() *faceStatic {
	if s := f.codes.static.Load(); s != nil {
		return s
	}
	be := binary.BigEndian
	s := &faceStatic{psName: postScriptName(f.names), os2: f.tables["OS/2"], name: nameTable(f.names),
		post: f.postTable(), maxp: f.tables["maxp"], head: f.tables["head"][:54], hhea: f.tables["hhea"][:36]}
	h := s.head
	s.bbox = [4]int{int(int16(be.Uint16(h[36:]))), int(int16(be.Uint16(h[38:]))),
		int(int16(be.Uint16(h[40:]))), int(int16(be.Uint16(h[42:])))}
	s.ascent, s.descent = int(int16(be.Uint16(s.hhea[4:]))), int(int16(be.Uint16(s.hhea[6:])))
	s.capH = s.ascent
	if len(s.os2) >= 90 && be.Uint16(s.os2) >= 2 {
		if c := int(int16(be.Uint16(s.os2[88:]))); c > 0 { // Fandol's is 0: unset
			s.capH = c
		}
	}
	f.codes.static.CompareAndSwap(nil, s)
	return f.codes.static.Load()
}

// idMap maps old glyph ids to new ones: open addressing in one slice of
// (old+1)<<16 | new, 0 for a free slot (a Go map was a tenth of a warm cut), at most
// half full: it grows as composites' components are added (sized for the characters'
// glyphs alone, it could fill up and never find a free slot).
type idMap struct {
	slots []uint32
	shift uint
}

// newIDMap is a map sized for n glyphs, in spare's room when it is large enough.
func newIDMap(spare []uint32, n int) idMap {
	b := uint(4)
	for 1<<b < 2*n {
		b++
	}
	slots := reuse(spare, 1<<b)
	clear(slots)
	return idMap{slots: slots, shift: 32 - b}
}

// subsetMem is the memory of a Subset's slices: a released subset's (Release) is
// cut into by a later cut instead of allocated, 37 KB for Wuchuan's five subsets, a
// third of what a DOCX render allocates besides its output.
type subsetMem struct {
	runes       []rune
	order, gids []uint16
	locs        []uint32
	codes       []*glyphCode
	adv         []int
	file        []byte
}

// spareSubsets holds the memory of released subsets, a render's five or so each
// for the renders on a machine's cores.
var spareSubsets = spare.New[*subsetMem](16)

// cutScratch is what a cut needs only while it runs (the id map, the glyphs' source
// ids, loca, hmtx and cmap before assemble copies them into the file), kept for the
// next cut instead of left to the collector: some 26 KB for a report's five subsets.
type cutScratch struct {
	slots            []uint32
	src              []uint16
	loca, hmtx, cmap []byte
}

var spareCuts = spare.New[*cutScratch](4)

// reuse is s with length n when its capacity allows (its old contents kept), else a
// new slice.
func reuse[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// grow doubles the table, keeping its entries.
func (m *idMap) grow() {
	old := m.slots
	m.slots, m.shift = make([]uint32, 2*len(old)), m.shift-1
	for _, e := range old {
		if e != 0 {
			*m.slot(uint16(e>>16 - 1)) = e
		}
	}
}

// slot is where g is or would go.
func (m *idMap) slot(g uint16) *uint32 {
	mask := uint32(len(m.slots) - 1)
	for h := (uint32(g) * 0x9E3779B1) >> m.shift; ; h = (h + 1) & mask {
		s := &m.slots[h]
		if *s == 0 || *s>>16 == uint32(g)+1 {
			return s
		}
	}
}

func (m *idMap) get(g uint16) uint16 { return uint16(*m.slot(g)) }

// subset writes a TrueType file with glyph 0 (.notdef), the glyphs of runes (which
// must all be in the font) and their composite components, renumbered from 1 in
// character order, so that consecutive characters make one cmap segment.
func (f *face) subset(runes []rune) (*Subset, error) {
	mem, ok := spareSubsets.Get()
	if !ok {
		mem = new(subsetMem)
	}
	rs := append(mem.runes[:0], runes...)
	if !slices.IsSorted(rs) {
		slices.Sort(rs)
	}
	rs = slices.Compact(rs)
	sc, ok := spareCuts.Get()
	if !ok {
		sc = new(cutScratch)
	}
	defer spareCuts.Put(sc)
	src := reuse(sc.src, len(rs)) // each rune's glyph in the face
	sc.src = src
	var missing []string
	for i, r := range rs {
		if src[i] = f.glyphID(r); src[i] == 0 {
			missing = append(missing, fmt.Sprintf("U+%04X %c", r, r))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("font lacks %d characters: %s", len(missing), strings.Join(missing, ", "))
	}
	st := f.static()

	// old glyph id -> new glyph id; order lists old ids by new id.
	ids := newIDMap(sc.slots, len(rs)+1)
	defer func() { sc.slots = ids.slots }() // grown, perhaps, by composites
	order := slices.Grow(mem.order[:0], len(rs)+1)
	add := func(g uint16) uint16 {
		s := ids.slot(g)
		if *s != 0 {
			return uint16(*s)
		}
		n := uint16(len(order))
		*s = (uint32(g)+1)<<16 | uint32(n)
		order = append(order, g)
		return n
	}
	add(0)
	cmapGIDs := reuse(mem.gids, len(rs)) // every entry set below
	for i, g := range src {
		cmapGIDs[i] = add(g)
	}
	// Components are appended after the mapped glyphs; the loop also reaches nested
	// ones. locs[2i] and locs[2i+1] bound glyph i in the face's glyf. A cached glyph
	// is no composite (those are never cached): its bytes are not read here (a
	// cache miss each in a font of megabytes).
	// A glyph the cache lacks is looked up in the code file here, which stores its
	// checksum halves and CRC-32: they need not be computed from its bytes.
	locs := slices.Grow(mem.locs[:0], 2*len(order))
	codes := slices.Grow(mem.codes[:0], len(order))
	var composites []int // their indices in order
	var cf *codeFile
	cfOpened := false
	var fresh []glyphCode // the code file's codes, carved from one block
	for i := 0; i < len(order); i++ {
		old := order[i]
		start, end := f.locaAt(int(old)), f.locaAt(int(old)+1)
		locs = append(locs, uint32(start), uint32(end))
		if start == end {
			codes = append(codes, emptyGlyph)
			continue
		}
		gc := f.codes.get(old)
		if gc != nil {
			codes = append(codes, gc)
			continue
		}
		// The code file has simple glyphs only: one it has is not read here.
		if !cfOpened {
			cf, cfOpened = f.pre.get(f), true
		}
		if cf != nil {
			if c, ok := cf.lookup(old, end-start); ok {
				if fresh == nil {
					fresh = make([]glyphCode, 0, len(order)-i)
				}
				fresh = append(fresh, c)
				codes = append(codes, &fresh[len(fresh)-1])
				continue
			}
		}
		g := f.glyf[start:end]
		if !composite(g) {
			codes = append(codes, nil) // encoded when packed
			continue
		}
		codes = append(codes, nil)
		composites = append(composites, i)
		offs, ok := components(g)
		if !ok {
			return nil, fmt.Errorf("glyph %d: malformed composite", order[i])
		}
		for _, o := range offs {
			c := binary.BigEndian.Uint16(g[o:])
			if int(c) >= f.numGlyphs {
				return nil, fmt.Errorf("glyph %d: component %d out of range", order[i], c)
			}
			add(c)
			if 2*len(order) > len(ids.slots) {
				ids.grow() // sized for the characters' glyphs, not their components
			}
		}
		if len(order) > 0xFFFF {
			return nil, fmt.Errorf("too many glyphs")
		}
	}
	if fresh != nil {
		f.cache(codes) // those of the cache already stay
	}
	n := len(order)

	// The cached codes carry each glyph's checksum; the others are summed here
	// (and handed to the encoder, which caches them with the codes).
	var sums [][2]uint32
	pos := 0
	for i := range order {
		pos += (int(locs[2*i+1]-locs[2*i]) + 1) &^ 1
		if codes[i] == nil {
			if sums == nil {
				sums = make([][2]uint32, n)
			}
			sums[i] = glyphSums(f.glyf[locs[2*i]:locs[2*i+1]]) // composites: redone below
		}
	}

	// The short loca format (offsets/2 in 16 bits, glyphs 2-byte aligned) when the
	// glyphs fit in 128 KB, as a typical document's do: half the loca's bytes and
	// less padding. Otherwise long offsets and 4-byte alignment.
	short, align := true, 1
	if pos > 2*0xFFFF {
		short, align = false, 3
	}

	// glyf is written straight into the output (it is most of the bytes); loca and
	// hmtx are filled here, and glyf's checksum is the sum of its glyphs'.
	entry := 4
	if short {
		entry = 2
	}
	// Every byte of both is written below.
	loca, hmtx := reuse(sc.loca, entry*(n+1)), reuse(sc.hmtx, 4*n)
	sc.loca, sc.hmtx = loca, hmtx
	advMax := 0
	var glyfSum uint32
	pos = 0
	be := binary.BigEndian
	srcH, nh := f.hmtx, f.numHMetrics
	lastAdv := uint32(be.Uint16(srcH[4*(nh-1):])) << 16
	for i, old := range order {
		if short {
			be.PutUint16(loca[2*i:], uint16(uint(pos)>>1))
		} else {
			be.PutUint32(loca[4*i:], uint32(pos))
		}
		if c := codes[i]; c != nil {
			glyfSum += placedSum(c.sum, pos)
		} else if sums != nil {
			glyfSum += placedSum(sums[i], pos)
		}
		pos += (int(locs[2*i+1]-locs[2*i]) + align) &^ align
		// The glyph's advance and left side bearing (advance and lsb), as one word: a
		// long metric as it is, or the last advance and the glyph's own bearing.
		var m uint32
		if g := int(old); g < nh {
			m = be.Uint32(srcH[4*g:])
		} else {
			m = lastAdv | uint32(be.Uint16(srcH[4*nh+2*(g-nh):]))
		}
		be.PutUint32(hmtx[4*i:], m)
		advMax = max(advMax, int(m>>16))
	}
	if short {
		binary.BigEndian.PutUint16(loca[2*n:], uint16(pos/2))
	} else {
		binary.BigEndian.PutUint32(loca[4*n:], uint32(pos))
	}
	// The composites' renumbered bytes, and their sums instead of the source's.
	// (The other glyphs are not read for it: those from the cache or the code file
	// never are.)
	var comp map[int][]byte
	if len(composites) > 0 {
		comp = make(map[int][]byte, len(composites))
		p, next := 0, 0
		for i := range order {
			size := int(locs[2*i+1] - locs[2*i])
			if next < len(composites) && composites[next] == i {
				next++
				g := f.glyf[locs[2*i]:locs[2*i+1]]
				glyfSum -= placedSum(sums[i], p)
				b := slices.Clone(g)
				offs, _ := components(g)
				for _, o := range offs {
					binary.BigEndian.PutUint16(b[o:], ids.get(binary.BigEndian.Uint16(g[o:])))
				}
				sums[i] = glyphSums(b)
				glyfSum += placedSum(sums[i], p)
				comp[i] = b
			}
			p += (size + align) &^ align
		}
	}

	cmap, err := cmapTable(sc.cmap, rs, cmapGIDs)
	sc.cmap = cmap
	if err != nil {
		return nil, err
	}

	head := slices.Clone(st.head)
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set at the end
	binary.BigEndian.PutUint16(head[50:], 1) // indexToLocFormat: long
	if short {
		binary.BigEndian.PutUint16(head[50:], 0)
	}
	advances := reuse(mem.adv, len(rs)) // the subset's own metrics, before hmtx is cut short
	for i, g := range cmapGIDs {
		advances[i] = int(be.Uint16(hmtx[4*int(g):]))
	}
	hmtx, nm := shortMetrics(hmtx)
	hhea := slices.Clone(st.hhea)
	binary.BigEndian.PutUint16(hhea[10:], uint16(advMax))
	binary.BigEndian.PutUint16(hhea[34:], uint16(nm))
	maxp := slices.Clone(st.maxp)
	binary.BigEndian.PutUint16(maxp[4:], uint16(n))

	// In tag order (assemble's), the hinting programs last: they travel with the
	// glyphs that call them (operator fonts).
	tables := make([]table, 0, 14)
	if len(st.os2) > 0 {
		tables = append(tables, table{tag: "OS/2", data: st.os2})
	}
	tables = append(tables, table{tag: "cmap", data: cmap, code: codeCmap})
	for _, t := range []string{"cvt ", "fpgm", "gasp"} {
		if d := f.tables[t]; len(d) > 0 {
			tables = append(tables, table{tag: t, data: d})
		}
	}
	glyf := len(tables)
	tables = append(tables, table{tag: "glyf", size: pos, sum: glyfSum},
		table{tag: "head", data: head}, table{tag: "hhea", data: hhea}, table{tag: "hmtx", data: hmtx, code: codeLiterals},
		table{tag: "loca", data: loca, code: codeLiterals}, table{tag: "maxp", data: maxp}, table{tag: "name", data: st.name},
		table{tag: "post", data: st.post})
	if d := f.tables["prep"]; len(d) > 0 {
		tables = append(tables, table{tag: "prep", data: d})
	}
	file, glyfAt, preCode, postCode := assemble(mem.file, tables, glyf)
	// pre's capacity ends where glyf goes: an append to it cannot reach post.
	pre, post := file[:glyfAt:glyfAt], file[glyfAt:]
	sub := &Subset{PostScriptName: st.psName, Runes: rs, GIDs: cmapGIDs, Advances: advances,
		UnitsPerEm: int(f.unitsPerEm), BBox: st.bbox, Ascent: st.ascent, Descent: st.descent, CapHeight: st.capH,
		packing: &packing{pre: pre, post: post, src: f, order: order, locs: locs, comp: comp, codes: codes, sums: sums,
			glyfLen: pos, align: align, preCode: preCode, postCode: postCode, mem: mem}}
	// What the subset is made of, as grown, for the next cut once it is released.
	mem.runes, mem.order, mem.gids, mem.locs, mem.codes, mem.adv = rs, order, cmapGIDs, locs, codes, advances
	mem.file = file[:0]
	return sub, nil
}

// cmapTable maps sorted runes to glyph ids: a Windows Unicode BMP subtable (format 4)
// for the BMP characters and, when there are characters beyond it, a Windows Unicode
// full-repertoire subtable (format 12) for all of them, as the OpenType specification
// asks of fonts with supplementary characters. The format 4 subtable is written in
// place, its segments counted first (it was built apart, from a list of segments,
// and copied), in spare's room when that is large enough.
func cmapTable(spare []byte, rs []rune, gids []uint16) ([]byte, error) {
	nb, _ := slices.BinarySearch(rs, 0x10000)
	ns := format4Segments(rs[:nb], gids[:nb]) + 1 // and the final 0xFFFF one
	length := 16 + 8*ns
	if length > 0xFFFF {
		return nil, fmt.Errorf("too many characters for one cmap (%d segments)", ns)
	}
	be := binary.BigEndian
	if nb == len(rs) {
		b := reuse(spare, 12+length)
		clear(b)
		be.PutUint16(b[2:], 1)  // one encoding record
		be.PutUint16(b[4:], 3)  // Windows
		be.PutUint16(b[6:], 1)  // Unicode BMP
		be.PutUint32(b[8:], 12) // offset
		putFormat4(b[12:], rs, gids, ns)
		return b, nil
	}
	f12 := cmapFormat12(rs, gids)
	b := reuse(spare, 20+length)
	clear(b)
	be.PutUint16(b[2:], 2)
	be.PutUint16(b[4:], 3)
	be.PutUint16(b[6:], 1)
	be.PutUint32(b[8:], 20)
	be.PutUint16(b[12:], 3)
	be.PutUint16(b[14:], 10) // Unicode full repertoire
	be.PutUint32(b[16:], uint32(20+length))
	putFormat4(b[20:], rs[:nb], gids[:nb], ns)
	return append(b, f12...), nil
}

// cmapFormat12 is a format 12 subtable: one group per run of consecutive characters
// with consecutive glyphs.
func cmapFormat12(rs []rune, gids []uint16) []byte {
	type group struct{ start, end, gid uint32 }
	var gs []group
	for i, r := range rs {
		c, g := uint32(r), uint32(gids[i])
		if k := len(gs) - 1; k >= 0 && gs[k].end+1 == c && gs[k].gid+c-gs[k].start == g {
			gs[k].end = c
			continue
		}
		gs = append(gs, group{c, c, g})
	}
	be := binary.BigEndian
	b := make([]byte, 16+12*len(gs))
	be.PutUint16(b, 12)
	be.PutUint32(b[4:], uint32(len(b)))
	be.PutUint32(b[12:], uint32(len(gs)))
	for i, g := range gs {
		be.PutUint32(b[16+12*i:], g.start)
		be.PutUint32(b[20+12*i:], g.end)
		be.PutUint32(b[24+12*i:], g.gid)
	}
	return b
}

// format4Segments is how many segments of consecutive characters with consecutive
// glyphs a format 4 subtable maps sorted BMP runes in.
func format4Segments(rs []rune, gids []uint16) int {
	n := 0
	var end, delta uint16
	gids = gids[:len(rs)]
	for i, r := range rs {
		c, g := uint16(r), gids[i]
		if n > 0 && end+1 == c && c+delta == g {
			end = c
			continue
		}
		n++
		end, delta = c, g-c
	}
	return n
}

// putFormat4 writes into s (16+8·ns bytes, zeroed) the format 4 subtable mapping
// sorted BMP runes to glyph ids in ns segments (format4Segments's and the final
// 0xFFFF one).
func putFormat4(s []byte, rs []rune, gids []uint16, ns int) {
	be := binary.BigEndian
	length := 16 + 8*ns
	s = s[:length]
	be.PutUint16(s[0:], 4)
	be.PutUint16(s[2:], uint16(length))
	be.PutUint16(s[6:], uint16(2*ns))
	sr, es := 1, 0
	for sr*2 <= ns {
		sr *= 2
		es++
	}
	be.PutUint16(s[8:], uint16(2*sr))
	be.PutUint16(s[10:], uint16(es))
	be.PutUint16(s[12:], uint16(2*ns-2*sr))
	// The end codes at 14, the start codes at 16+2ns, the deltas at 16+4ns; the
	// idRangeOffsets stay 0.
	ends, starts, deltas := s[14:16+2*ns], s[16+2*ns:16+4*ns], s[16+4*ns:16+6*ns]
	k := -1
	var end, delta uint16
	gids = gids[:len(rs)]
	for i, r := range rs {
		c, g := uint16(r), gids[i]
		if k >= 0 && end+1 == c && c+delta == g {
			end = c
			continue
		}
		if k >= 0 {
			be.PutUint16(ends[2*k:], end)
		}
		k++
		end, delta = c, g-c
		be.PutUint16(starts[2*k:], c)
		be.PutUint16(deltas[2*k:], delta)
	}
	if k >= 0 {
		be.PutUint16(ends[2*k:], end)
	}
	k++
	be.PutUint16(ends[2*k:], 0xFFFF)
	be.PutUint16(starts[2*k:], 0xFFFF)
	be.PutUint16(deltas[2*k:], 1)
}

// postTable is a format 3 post table (no glyph names) with the source's metrics.
func (f *face) postTable() []byte {
	p := make([]byte, 32)
	binary.BigEndian.PutUint32(p, 0x00030000)
	if src := f.tables["post"]; len(src) >= 16 {
		copy(p[4:16], src[4:16])
	}
	return p
}

// postScriptName is the face's PostScript name, or one made from its family when it
// has none: printable ASCII without the characters PostScript and PDF names forbid.
func postScriptName(n faceNames) string {
	src := n.postScript
	if src == "" {
		src = n.family
	}
	ps := make([]rune, 0, len(src))
	for _, r := range src {
		if r > ' ' && r < 0x7F && !strings.ContainsRune("[](){}<>/%#", r) {
			ps = append(ps, r)
		}
	}
	if len(ps) == 0 {
		return "Gongwen"
	}
	return string(ps[:min(len(ps), 63)])
}

// nameTable is a format 0 name table with the face's own family, subfamily, full and
// PostScript names in the Windows Unicode encoding, so that a reader's font panel
// names the face that drew the text.
func nameTable(n faceNames) []byte {
	family := n.family
	if family == "" {
		family = "Gongwen"
	}
	sub := n.subfamily
	if sub == "" {
		sub = "Regular"
	}
	full := n.full
	if full == "" {
		full = family
	}
	recs := []struct {
		id uint16
		s  string
	}{{1, family}, {2, sub}, {3, full}, {4, full}, {6, postScriptName(n)}}
	cnt := len(recs)
	b := make([]byte, 6+12*cnt)
	binary.BigEndian.PutUint16(b[2:], uint16(cnt))
	binary.BigEndian.PutUint16(b[4:], uint16(6+12*cnt))
	var strs []byte
	for i, r := range recs {
		u := utf16.Encode([]rune(r.s))
		rec := b[6+12*i:]
		binary.BigEndian.PutUint16(rec[0:], 3)
		binary.BigEndian.PutUint16(rec[2:], 1)
		binary.BigEndian.PutUint16(rec[4:], 0x409)
		binary.BigEndian.PutUint16(rec[6:], r.id)
		binary.BigEndian.PutUint16(rec[8:], uint16(2*len(u)))
		binary.BigEndian.PutUint16(rec[10:], uint16(len(strs)))
		for _, c := range u {
			strs = binary.BigEndian.AppendUint16(strs, c)
		}
	}
	return append(b, strs...)
}

// table is one sfnt table: data, or (glyf) size bytes whose checksum is sum.
type table struct {
	tag  string
	data []byte
	size int
	sum  uint32
	code tableCode // how its bytes are compressed (tablecode.go)
}

// shortMetrics cuts hmtx (a long metric for every glyph) to the specification's
// short form: long metrics up to the last change of advance, then only the left
// side bearings, the last advance applying to them. A CJK subset's glyphs after its
// first few share one advance, so about half hmtx's bytes go. It returns the table
// and its number of long metrics (hhea.numberOfHMetrics).
func shortMetrics(hmtx []byte) ([]byte, int) {
	n := len(hmtx) / 4
	be := binary.BigEndian
	nm := n
	for nm > 1 && be.Uint16(hmtx[4*(nm-2):]) == be.Uint16(hmtx[4*(nm-1):]) {
		nm--
	}
	for i := nm; i < n; i++ {
		be.PutUint16(hmtx[4*nm+2*(i-nm):], be.Uint16(hmtx[4*i+2:]))
	}
	return hmtx[:4*nm+2*(n-nm)], nm
}

// assemble lays out the sfnt of tables, which are in tag order: directory, tables
// 4-byte aligned, checksums and head.checkSumAdjustment as the specification asks.
// It writes, into buf's memory (or new memory), all but the bytes of
// tables[glyf], whose size and sum are given: file[:glyfAt] is the file before them
// (the directory and the tables before glyf), file[glyfAt:] the file after them
// (glyf's padding and the tables after). preCode and postCode say how their bytes
// are compressed (tablecode.go), each table's padding with it.
func assemble(buf []byte, tables []table, glyf int) (file []byte, glyfAt int, preCode, postCode []codeSpan) {
	n := len(tables)
	size := 12 + 16*n
	for i := range tables {
		if tables[i].data != nil {
			tables[i].size = len(tables[i].data)
		}
		size += (tables[i].size + 3) &^ 3
	}
	// The directory is written whole below, the tables and their padding too.
	out := slices.Grow(buf[:0], size-tables[glyf].size)[:12+16*n]
	be := binary.BigEndian
	be.PutUint32(out, 0x00010000)
	be.PutUint16(out[4:], uint16(n))
	sr, es := 1, 0
	for sr*2 <= n {
		sr *= 2
		es++
	}
	be.PutUint16(out[6:], uint16(16*sr))
	be.PutUint16(out[8:], uint16(es))
	be.PutUint16(out[10:], uint16(16*n-16*sr))
	headAt := -1
	off := len(out) // in the file; len(out) lags by glyf's size after glyf
	var sum uint32  // the file's checksum: the directory's and the (padded) tables'
	for i, t := range tables {
		padded := (t.size + 3) &^ 3
		at := len(out)
		c := t.sum
		if i == glyf {
			glyfAt = at
			out = out[:at+padded-t.size] // glyf's padding
			clear(out[at:])
		} else {
			out = out[:at+padded] // within capacity
			clear(out[at+copy(out[at:], t.data):])
			c = checksum(out[at:])
		}
		if t.tag == "head" {
			headAt = at
		}
		switch {
		case i < glyf:
			preCode = addSpan(preCode, at, at+padded, t.code)
		case i > glyf:
			postCode = addSpan(postCode, at-glyfAt, at-glyfAt+padded, t.code)
		}
		rec := out[12+16*i:]
		copy(rec, t.tag)
		sum += c
		be.PutUint32(rec[4:], c)
		be.PutUint32(rec[8:], uint32(off))
		be.PutUint32(rec[12:], uint32(t.size))
		off += padded
	}
	if headAt >= 0 {
		be.PutUint32(out[headAt+8:], 0xB1B0AFBA-sum-checksum(out[:12+16*n]))
	}
	return out, glyfAt, preCode, postCode
}

// checksum is the sfnt checksum: the sum of b's big-endian 32-bit words, the last
// one padded with zeros.
func checksum(b []byte) uint32 {
	var s0, s1 uint64 // 64-bit sums of 32-bit words: no overflow below 4 GB
	i := 0
	for ; i+16 <= len(b); i += 16 {
		q := b[i : i+16 : i+16]
		v, u := binary.BigEndian.Uint64(q), binary.BigEndian.Uint64(q[8:])
		s0 += v>>32 + u>>32
		s1 += v&0xFFFFFFFF + u&0xFFFFFFFF
	}
	var last [16]byte
	copy(last[:], b[i:])
	v, u := binary.BigEndian.Uint64(last[:]), binary.BigEndian.Uint64(last[8:])
	return uint32(s0 + s1 + v>>32 + v + u>>32 + u)
}
