package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// checkCmap verifies that a TrueType font maps every rune to a glyph in the cmap
// subtable gofpdf reads (the first Unicode one in format 4). gofpdf silently draws
// glyph 0 (a blank or a box) for an unmapped character; a document must never
// lose a character that way.
func checkCmap(ttf []byte, runes []rune) error {
	sub, err := cmapFormat4(ttf)
	if err != nil {
		return err
	}
	segX2 := int(u16(sub, 6))
	if segX2 == 0 || len(sub) < 16+4*segX2 {
		return errors.New("cmap format 4 subtable truncated")
	}
	ends := sub[14:]
	starts := sub[16+segX2:]
	deltas := sub[16+2*segX2:]
	offsets := sub[16+3*segX2:]
	runes = slices.Clone(runes)
	slices.Sort(runes) // segments are sorted: walk them once
	var missing []rune
	seg := 0
	for _, r := range runes {
		for seg < segX2/2 && int(u16(ends, 2*seg)) < int(r) {
			seg++
		}
		if seg == segX2/2 || int(u16(starts, 2*seg)) > int(r) {
			missing = append(missing, r)
			continue
		}
		var gid int
		if ro := int(u16(offsets, 2*seg)); ro == 0 {
			gid = (int(r) + int(u16(deltas, 2*seg))) & 0xFFFF
		} else {
			at := 16 + 3*segX2 + 2*seg + ro + 2*(int(r)-int(u16(starts, 2*seg)))
			if at+2 > len(sub) {
				return errors.New("cmap format 4 glyph index out of range")
			}
			if gid = int(u16(sub, at)); gid != 0 {
				gid = (gid + int(u16(deltas, 2*seg))) & 0xFFFF
			}
		}
		if gid == 0 {
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

// cmapFormat4 finds the subtable gofpdf uses: the first (3,1) or (0,*) encoding
// record whose subtable has format 4.
func cmapFormat4(ttf []byte) ([]byte, error) {
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
	var cmap []byte
	for i := 0; i < n; i++ {
		rec := ttf[12+16*i:]
		if string(rec[:4]) != "cmap" {
			continue
		}
		off, ln := int(u32(rec, 8)), int(u32(rec, 12))
		if off < 0 || ln < 4 || off+ln > len(ttf) || off+ln < off {
			return nil, errors.New("cmap table out of range")
		}
		cmap = ttf[off : off+ln]
	}
	if cmap == nil {
		return nil, errors.New("font has no cmap table")
	}
	num := int(u16(cmap, 2))
	if len(cmap) < 4+8*num {
		return nil, errors.New("cmap encoding records truncated")
	}
	for i := 0; i < num; i++ {
		rec := cmap[4+8*i:]
		pid, eid, off := u16(rec, 0), u16(rec, 2), int(u32(rec, 4))
		if !(pid == 3 && eid == 1 || pid == 0) || off+14 > len(cmap) || off < 0 {
			continue
		}
		if u16(cmap, off) != 4 {
			continue
		}
		ln := int(u16(cmap, off+2))
		if off+ln > len(cmap) {
			ln = len(cmap) - off // some fonts overstate the length of a large subtable
		}
		return cmap[off : off+ln], nil
	}
	return nil, errors.New("font has no Unicode cmap in format 4 (gofpdf reads only that)")
}

func u16(b []byte, at int) uint16 { return binary.BigEndian.Uint16(b[at:]) }
func u32(b []byte, at int) uint32 { return binary.BigEndian.Uint32(b[at:]) }
