package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"gongwen/internal/spec"
)

// subsetFont is one role's per-document font subset, read just far enough to embed
// it. Text is encoded as CIDs: the document's characters of this font numbered from
// 1 in code point order, so that every CID stands for exactly one character (two
// characters drawn by one glyph still copy as themselves); a CIDToGIDMap maps CIDs
// to the subset's glyphs.
type subsetFont struct {
	role  spec.Role
	ttf   []byte
	runes []rune          // sorted; CID i+1 is runes[i]
	cid   map[rune]uint16 // inverse of runes
	gids  []uint16        // glyph of CID i+1
	adv   []int           // advance of CID i+1, in 1/1000 em (as written to /W)

	bbox                       [4]int // 1/1000 em
	ascent, descent, capHeight int
}

// advance is r's advance in em, exactly as a PDF reader computes it from /W.
func (f *subsetFont) advance(r rune) float64 { return float64(f.adv[f.cid[r]-1]) / 1000 }

// parseSubset reads a TrueType subset and checks that it maps every rune (sorted,
// distinct) to a glyph: a character drawn as glyph 0 would be lost.
func parseSubset(ttf []byte, runes []rune) (*subsetFont, error) {
	tables, err := tableDir(ttf)
	if err != nil {
		return nil, err
	}
	need := func(tag string, n int) ([]byte, error) {
		t := tables[tag]
		if len(t) < n {
			return nil, fmt.Errorf("font has no %q table or it is truncated", tag)
		}
		return t, nil
	}
	head, err := need("head", 54)
	if err != nil {
		return nil, err
	}
	hhea, err := need("hhea", 36)
	if err != nil {
		return nil, err
	}
	maxp, err := need("maxp", 6)
	if err != nil {
		return nil, err
	}
	upem := float64(u16(head, 18))
	if upem < 16 || upem > 16384 {
		return nil, fmt.Errorf("font has unitsPerEm %v", upem)
	}
	scale := func(v int16) int { return int(math.Round(float64(v) * 1000 / upem)) }
	numGlyphs := int(u16(maxp, 4))
	numHM := int(u16(hhea, 34))
	hmtx, err := need("hmtx", 4*numHM)
	if err != nil {
		return nil, err
	}
	if numHM == 0 || numHM > numGlyphs {
		return nil, fmt.Errorf("font has %d horizontal metrics for %d glyphs", numHM, numGlyphs)
	}
	width := func(g uint16) int {
		return int(math.Round(float64(u16(hmtx, 4*min(int(g), numHM-1))) * 1000 / upem))
	}
	f := &subsetFont{ttf: ttf, runes: runes, cid: make(map[rune]uint16, len(runes)),
		gids: make([]uint16, len(runes)), adv: make([]int, len(runes))}
	if len(runes) > 0xFFFE {
		return nil, errors.New("too many characters for one font")
	}
	f.bbox = [4]int{scale(i16(head, 36)), scale(i16(head, 38)), scale(i16(head, 40)), scale(i16(head, 42))}
	f.ascent, f.descent = scale(i16(hhea, 4)), scale(i16(hhea, 6))
	f.capHeight = f.ascent
	if os2 := tables["OS/2"]; len(os2) >= 90 && u16(os2, 0) >= 2 {
		f.capHeight = scale(i16(os2, 88))
	}

	cmap, err := cmapFormat4(tables["cmap"])
	if err != nil {
		return nil, err
	}
	var missing []rune
	for i, r := range runes {
		g := lookup4(cmap, r)
		if g == 0 || int(g) >= numGlyphs {
			missing = append(missing, r)
			continue
		}
		f.cid[r] = uint16(i + 1)
		f.gids[i] = g
		f.adv[i] = width(g)
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		if len(missing) > 10 {
			missing = missing[:10]
		}
		return nil, fmt.Errorf("font lacks %d requested characters, e.g. %q", len(missing), string(missing))
	}
	return f, nil
}

func tableDir(ttf []byte) (map[string][]byte, error) {
	if len(ttf) < 12 {
		return nil, errors.New("not a TrueType font: too short")
	}
	if v := u32(ttf, 0); v != 0x00010000 && v != 0x74727565 {
		return nil, fmt.Errorf("not a TrueType (glyf) font: version %#08x", v)
	}
	n := int(u16(ttf, 4))
	if len(ttf) < 12+16*n {
		return nil, errors.New("table directory truncated")
	}
	out := make(map[string][]byte, n)
	for i := 0; i < n; i++ {
		rec := ttf[12+16*i:]
		off, ln := int(u32(rec, 8)), int(u32(rec, 12))
		if off < 0 || ln < 0 || off+ln > len(ttf) || off+ln < off {
			return nil, fmt.Errorf("table %q out of range", rec[:4])
		}
		out[string(rec[:4])] = ttf[off : off+ln]
	}
	return out, nil
}

// cmapFormat4 finds the first Unicode BMP subtable, (3,1) or (0,*), in format 4.
func cmapFormat4(cmap []byte) ([]byte, error) {
	if len(cmap) < 4 {
		return nil, errors.New("font has no cmap table")
	}
	num := int(u16(cmap, 2))
	if len(cmap) < 4+8*num {
		return nil, errors.New("cmap encoding records truncated")
	}
	for i := 0; i < num; i++ {
		rec := cmap[4+8*i:]
		pid, eid, off := u16(rec, 0), u16(rec, 2), int(u32(rec, 4))
		if !(pid == 3 && eid == 1 || pid == 0) || off < 0 || off+14 > len(cmap) {
			continue
		}
		if u16(cmap, off) != 4 {
			continue
		}
		sub := cmap[off:]
		if ln := int(u16(cmap, off+2)); ln <= len(sub) {
			sub = sub[:ln]
		}
		segX2 := int(u16(sub, 6))
		if segX2 == 0 || len(sub) < 16+4*segX2 {
			return nil, errors.New("cmap format 4 subtable truncated")
		}
		return sub, nil
	}
	return nil, errors.New("font has no Unicode cmap in format 4")
}

// lookup4 maps r through a format 4 subtable; 0 means unmapped.
func lookup4(sub []byte, r rune) uint16 {
	if r < 0 || r > 0xFFFF {
		return 0
	}
	segX2 := int(u16(sub, 6))
	segs := segX2 / 2
	// Binary search on the end codes.
	lo, hi := 0, segs
	for lo < hi {
		m := (lo + hi) / 2
		if int(u16(sub, 14+2*m)) < int(r) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == segs {
		return 0
	}
	start := int(u16(sub, 16+segX2+2*lo))
	if start > int(r) {
		return 0
	}
	delta := u16(sub, 16+2*segX2+2*lo)
	roAt := 16 + 3*segX2 + 2*lo
	ro := int(u16(sub, roAt))
	if ro == 0 {
		return uint16(int(r) + int(delta))
	}
	at := roAt + ro + 2*(int(r)-start)
	if at+2 > len(sub) {
		return 0
	}
	g := u16(sub, at)
	if g == 0 {
		return 0
	}
	return g + delta
}

func u16(b []byte, at int) uint16 { return binary.BigEndian.Uint16(b[at:]) }
func i16(b []byte, at int) int16  { return int16(binary.BigEndian.Uint16(b[at:])) }
func u32(b []byte, at int) uint32 { return binary.BigEndian.Uint32(b[at:]) }
