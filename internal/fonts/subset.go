package fonts

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"
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

// subset writes a TrueType file with glyph 0 (.notdef), the glyphs of runes (which
// must all be in the font) and their composite components, renumbered from 1 in
// character order, so that consecutive characters make one cmap segment.
func (f *face) subset(runes []rune) (*Subset, error) {
	rs := slices.Clone(runes)
	slices.Sort(rs)
	rs = slices.Compact(rs)
	var missing []string
	for _, r := range rs {
		if !f.has(r) {
			missing = append(missing, fmt.Sprintf("U+%04X %c", r, r))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("font lacks %d characters: %s", len(missing), strings.Join(missing, ", "))
	}

	// old glyph id -> new glyph id; order lists old ids by new id.
	newID := make(map[uint16]uint16, len(rs)+1)
	order := make([]uint16, 0, len(rs)+1)
	add := func(g uint16) uint16 {
		if n, ok := newID[g]; ok {
			return n
		}
		n := uint16(len(order))
		newID[g] = n
		order = append(order, g)
		return n
	}
	add(0)
	cmapGIDs := make([]uint16, len(rs))
	for i, r := range rs {
		cmapGIDs[i] = add(f.glyphID(r))
	}
	// Components are appended after the mapped glyphs; the loop also reaches nested ones.
	for i := 0; i < len(order); i++ {
		g := f.glyph(int(order[i]))
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
		}
		if len(order) > 0xFFFF {
			return nil, fmt.Errorf("too many glyphs")
		}
	}
	n := len(order)

	// The short loca format (offsets/2 in 16 bits, glyphs 2-byte aligned) when the
	// glyphs fit in 128 KB, as a typical document's do: half the loca's bytes and
	// less padding. Otherwise long offsets and 4-byte alignment.
	short, pos := true, 0
	for _, old := range order {
		pos += (len(f.glyph(int(old))) + 1) &^ 1
	}
	align := 1
	if pos > 2*0xFFFF {
		short, align = false, 3
	}
	pad := func(n int) int { return (n + align) &^ align }

	// glyf is written straight into the output (it is most of the bytes); loca and
	// hmtx are filled here.
	entry := 4
	if short {
		entry = 2
	}
	loca := make([]byte, entry*(n+1))
	putLoca := func(i, off int) {
		if short {
			binary.BigEndian.PutUint16(loca[2*i:], uint16(off/2))
		} else {
			binary.BigEndian.PutUint32(loca[4*i:], uint32(off))
		}
	}
	hmtx := make([]byte, 4*n)
	advMax := 0
	pos = 0
	for i, old := range order {
		putLoca(i, pos)
		pos += pad(len(f.glyph(int(old))))
		adv := f.advance(int(old))
		advMax = max(advMax, adv)
		binary.BigEndian.PutUint16(hmtx[4*i:], uint16(adv))
		copy(hmtx[4*i+2:], f.lsb(int(old)))
	}
	putLoca(n, pos)
	fillGlyf := func(dst []byte) {
		p := 0
		for _, old := range order {
			g := f.glyph(int(old))
			copy(dst[p:], g)
			offs, _ := components(g)
			for _, o := range offs {
				binary.BigEndian.PutUint16(dst[p+o:], newID[binary.BigEndian.Uint16(g[o:])])
			}
			p += pad(len(g)) // padding bytes are already zero
		}
	}

	cmap, err := cmapTable(rs, cmapGIDs)
	if err != nil {
		return nil, err
	}

	head := slices.Clone(f.tables["head"][:54])
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set at the end
	binary.BigEndian.PutUint16(head[50:], 1) // indexToLocFormat: long
	if short {
		binary.BigEndian.PutUint16(head[50:], 0)
	}
	hhea := slices.Clone(f.tables["hhea"][:36])
	binary.BigEndian.PutUint16(hhea[10:], uint16(advMax))
	binary.BigEndian.PutUint16(hhea[34:], uint16(n))
	maxp := slices.Clone(f.tables["maxp"])
	binary.BigEndian.PutUint16(maxp[4:], uint16(n))

	tables := []table{
		{tag: "cmap", data: cmap}, {tag: "head", data: head}, {tag: "hhea", data: hhea}, {tag: "hmtx", data: hmtx},
		{tag: "loca", data: loca}, {tag: "maxp", data: maxp}, {tag: "name", data: nameTable(f.names)},
		{tag: "post", data: f.postTable()}, {tag: "glyf", size: pos, fill: fillGlyf},
	}
	// Hinting programs travel with the glyphs that call them (operator fonts).
	for _, t := range []string{"OS/2", "cvt ", "fpgm", "gasp", "prep"} {
		if d := f.tables[t]; len(d) > 0 {
			tables = append(tables, table{tag: t, data: d})
		}
	}
	ttf := assemble(tables)
	sub := &Subset{TTF: ttf, PostScriptName: postScriptName(f.names), Runes: rs, GIDs: cmapGIDs, Advances: make([]int, len(rs)),
		UnitsPerEm: int(f.unitsPerEm),
		packing:    &packing{src: f, order: order, glyfAt: tableAt(ttf, "glyf"), glyfLen: pos, align: align}}
	for i, r := range rs {
		sub.Advances[i] = f.advance(int(f.glyphID(r)))
	}
	be := binary.BigEndian
	h := f.tables["head"]
	sub.BBox = [4]int{int(int16(be.Uint16(h[36:]))), int(int16(be.Uint16(h[38:]))),
		int(int16(be.Uint16(h[40:]))), int(int16(be.Uint16(h[42:])))}
	sub.Ascent, sub.Descent = int(int16(be.Uint16(hhea[4:]))), int(int16(be.Uint16(hhea[6:])))
	sub.CapHeight = sub.Ascent
	if os2 := f.tables["OS/2"]; len(os2) >= 90 && be.Uint16(os2) >= 2 {
		if c := int(int16(be.Uint16(os2[88:]))); c > 0 { // Fandol's is 0: unset
			sub.CapHeight = c
		}
	}
	return sub, nil
}

// cmapTable maps sorted runes to glyph ids: a Windows Unicode BMP subtable (format 4)
// for the BMP characters and, when there are characters beyond it, a Windows Unicode
// full-repertoire subtable (format 12) for all of them, as the OpenType specification
// asks of fonts with supplementary characters.
func cmapTable(rs []rune, gids []uint16) ([]byte, error) {
	nb, _ := slices.BinarySearch(rs, 0x10000)
	f4, err := cmapFormat4(rs[:nb], gids[:nb])
	if err != nil {
		return nil, err
	}
	be := binary.BigEndian
	if nb == len(rs) {
		b := make([]byte, 12, 12+len(f4))
		be.PutUint16(b[2:], 1)  // one encoding record
		be.PutUint16(b[4:], 3)  // Windows
		be.PutUint16(b[6:], 1)  // Unicode BMP
		be.PutUint32(b[8:], 12) // offset
		return append(b, f4...), nil
	}
	f12 := cmapFormat12(rs, gids)
	b := make([]byte, 20, 20+len(f4)+len(f12))
	be.PutUint16(b[2:], 2)
	be.PutUint16(b[4:], 3)
	be.PutUint16(b[6:], 1)
	be.PutUint32(b[8:], 20)
	be.PutUint16(b[12:], 3)
	be.PutUint16(b[14:], 10) // Unicode full repertoire
	be.PutUint32(b[16:], uint32(20+len(f4)))
	b = append(b, f4...)
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

// cmapFormat4 is a format 4 subtable mapping sorted BMP runes to glyph ids.
func cmapFormat4(rs []rune, gids []uint16) ([]byte, error) {
	type seg struct{ start, end, delta uint16 }
	segs := make([]seg, 0, 16)
	for i, r := range rs {
		c, g := uint16(r), gids[i]
		if k := len(segs) - 1; k >= 0 && segs[k].end+1 == c && c+segs[k].delta == g {
			segs[k].end = c
			continue
		}
		segs = append(segs, seg{c, c, g - c})
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF, 1})
	ns := len(segs)
	length := 16 + 8*ns
	if length > 0xFFFF {
		return nil, fmt.Errorf("too many characters for one cmap (%d segments)", ns)
	}
	s := make([]byte, length)
	be := binary.BigEndian
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
	for i, sg := range segs {
		be.PutUint16(s[14+2*i:], sg.end)
		be.PutUint16(s[16+2*ns+2*i:], sg.start)
		be.PutUint16(s[16+4*ns+2*i:], sg.delta)
		// idRangeOffset stays 0.
	}
	return s, nil
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

// table is one sfnt table: data, or size bytes that fill writes in place.
type table struct {
	tag  string
	data []byte
	size int
	fill func(dst []byte)
}

func (t table) len() int {
	if t.fill != nil {
		return t.size
	}
	return len(t.data)
}

// assemble writes the sfnt: directory sorted by tag, tables 4-byte aligned, checksums
// and head.checkSumAdjustment as the specification asks.
func assemble(tables []table) []byte {
	slices.SortFunc(tables, func(a, b table) int { return strings.Compare(a.tag, b.tag) })
	n := len(tables)
	size := 12 + 16*n
	for _, t := range tables {
		size += (t.len() + 3) &^ 3
	}
	out := make([]byte, 12+16*n, size)
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
	var sum uint32 // the file's checksum: the directory's and the (padded) tables'
	for i, t := range tables {
		off := len(out)
		out = out[:off+(t.len()+3)&^3] // within capacity: zeroed
		if t.fill != nil {
			t.fill(out[off:])
		} else {
			copy(out[off:], t.data)
		}
		rec := out[12+16*i:]
		copy(rec, t.tag)
		c := checksum(out[off:])
		sum += c
		be.PutUint32(rec[4:], c)
		be.PutUint32(rec[8:], uint32(off))
		be.PutUint32(rec[12:], uint32(t.len()))
		if t.tag == "head" {
			headAt = off
		}
	}
	if headAt >= 0 {
		be.PutUint32(out[headAt+8:], 0xB1B0AFBA-sum-checksum(out[:12+16*n]))
	}
	return out
}

// tableAt is where the table tag starts in an sfnt that assemble wrote, -1 when
// it has none.
func tableAt(ttf []byte, tag string) int {
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	for i := range n {
		rec := ttf[12+16*i:]
		if string(rec[:4]) == tag {
			return int(binary.BigEndian.Uint32(rec[8:]))
		}
	}
	return -1
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
