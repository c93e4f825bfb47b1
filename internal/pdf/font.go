package pdf

import (
	"errors"
	"fmt"
	"math"

	"gongwen/internal/fonts"
	"gongwen/internal/runeset"
	"gongwen/internal/spec"
)

// subsetFont is one face's per-document font subset, read just far enough to embed
// it. Text is encoded as CIDs: the document's characters of this font numbered from
// 1 in code point order, so that every CID stands for exactly one character (two
// characters drawn by one glyph still copy as themselves); a CIDToGIDMap maps CIDs
// to the subset's glyphs.
type subsetFont struct {
	face  spec.Face
	name  string         // the face's PostScript name, without the subset tag
	size  int            // the font file's bytes (Length1)
	sub   *fonts.Subset  // the font file, compressed (Zlib)
	runes []rune         // sorted; CID i+1 is runes[i]
	cid   *runeset.Index // inverse of runes
	gids  []uint16       // glyph of CID i+1
	adv   []int          // advance of CID i+1, in 1/1000 em (as written to /W)
	hex   []uint32       // CID i+1 as the four hex digits a content stream shows (hexCID)

	bbox                       [4]int // 1/1000 em
	ascent, descent, capHeight int
}

// advance is r's advance in em, exactly as a PDF reader computes it from /W.
func (f *subsetFont) advance(r rune) float64 { return float64(f.adv[f.cidOf(r)-1]) / 1000 }

// cidOf is r's CID: its position in runes, from 1. r must be one of them (the writer
// cuts the subset from the layout's own characters).
func (f *subsetFont) cidOf(r rune) uint16 {
	k, ok := f.cid.Rank(r)
	if !ok {
		return 0 // .notdef, as the map this replaced gave
	}
	return uint16(k + 1)
}

// newSubsetFont takes a subset cut by internal/fonts for the runes (sorted, distinct)
// and checks that it draws every one of them: a character drawn as glyph 0 would be
// lost. Widths are converted to the PDF's 1/1000 em.
func newSubsetFont(face spec.Face, sub *fonts.Subset, runes []rune) (*subsetFont, error) {
	if len(sub.GIDs) != len(sub.Runes) || len(sub.Advances) != len(sub.Runes) {
		return nil, fmt.Errorf("subset has %d characters, %d glyphs and %d advances", len(sub.Runes), len(sub.GIDs), len(sub.Advances))
	}
	if sub.UnitsPerEm < 16 || sub.UnitsPerEm > 16384 {
		return nil, fmt.Errorf("font has unitsPerEm %d", sub.UnitsPerEm)
	}
	if len(runes) > 0xFFFE {
		return nil, errors.New("too many characters for one font")
	}
	upem := float64(sub.UnitsPerEm)
	scale := func(v int) int { return int(math.Round(float64(v) * 1000 / upem)) }
	name := sub.PostScriptName
	if name == "" {
		name = "Gongwen" + face.Name()
	}
	f := &subsetFont{face: face, name: name, size: sub.Size(), sub: sub, runes: runes, cid: runeset.NewIndex(runes),
		gids: make([]uint16, len(runes)), adv: make([]int, len(runes)), hex: make([]uint32, len(runes)),
		bbox:   [4]int{scale(sub.BBox[0]), scale(sub.BBox[1]), scale(sub.BBox[2]), scale(sub.BBox[3])},
		ascent: scale(sub.Ascent), descent: scale(sub.Descent), capHeight: scale(sub.CapHeight)}
	var missing []rune
	// Both lists are sorted: one walk through sub.Runes finds every rune.
	k := 0
	for i, r := range runes {
		for k < len(sub.Runes) && sub.Runes[k] < r {
			k++
		}
		if k == len(sub.Runes) || sub.Runes[k] != r || sub.GIDs[k] == 0 {
			missing = append(missing, r)
			continue
		}
		f.gids[i] = sub.GIDs[k]
		f.adv[i] = scale(sub.Advances[k])
		f.hex[i] = hexCID(uint16(i + 1))
	}
	if len(missing) > 0 {
		if len(missing) > 10 {
			missing = missing[:10]
		}
		return nil, fmt.Errorf("font lacks %d requested characters, e.g. %q", len(missing), string(missing))
	}
	return f, nil
}
