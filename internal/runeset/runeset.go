// Package runeset holds the sets of characters a document draws, as its writers need
// them: collected without a map, listed in order, and each member's rank in that list
// (its CID in the subset font) found in a few instructions. Maps of runes were a tenth
// of the PDF writer's work once the fonts were compressed cheaply: a hash per glyph.
package runeset

import (
	"math/bits"
	"slices"
)

// Set is a set of characters: a bit per BMP character (8 KB), the rest in a list.
// The zero value is empty and ready to use.
type Set struct {
	bmp  [1 << 16 / 64]uint64
	rest []rune // beyond the BMP (CJK Extensions B–G), unsorted, with repeats
}

// Add puts r in the set.
func (s *Set) Add(r rune) {
	if r >= 0 && r < 1<<16 {
		s.bmp[r>>6] |= 1 << (r & 63)
		return
	}
	s.rest = append(s.rest, r)
}

// Sorted lists the members in ascending order, each once.
func (s *Set) Sorted() []rune {
	n := 0
	for _, w := range s.bmp {
		n += bits.OnesCount64(w)
	}
	out := make([]rune, 0, n+len(s.rest))
	for i, w := range s.bmp {
		for w != 0 {
			out = append(out, rune(i<<6+bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
	if len(s.rest) > 0 {
		rest := slices.Clone(s.rest)
		slices.Sort(rest)
		out = append(out, slices.Compact(rest)...)
	}
	return out
}

// Index finds a character's position in a sorted list of distinct characters.
type Index struct {
	bmp    [1 << 16 / 64]uint64
	before [1 << 16 / 64]uint32 // members in the words before this one
	nBMP   int
	rest   []rune // the members beyond the BMP, sorted
}

// NewIndex indexes sorted, a list in ascending order without repeats.
func NewIndex(sorted []rune) *Index {
	x := &Index{}
	k := 0
	for ; k < len(sorted) && sorted[k] < 1<<16; k++ {
		if r := sorted[k]; r >= 0 {
			x.bmp[r>>6] |= 1 << (r & 63)
		}
	}
	x.nBMP = k
	x.rest = sorted[k:]
	var n uint32
	for i, w := range x.bmp {
		x.before[i] = n
		n += uint32(bits.OnesCount64(w))
	}
	return x
}

// Rank returns r's position in the list, and whether it is there.
func (x *Index) Rank(r rune) (int, bool) {
	if r >= 0 && r < 1<<16 {
		w, bit := x.bmp[r>>6], uint64(1)<<(r&63)
		if w&bit == 0 {
			return 0, false
		}
		return int(x.before[r>>6]) + bits.OnesCount64(w&(bit-1)), true
	}
	i, ok := slices.BinarySearch(x.rest, r)
	return x.nBMP + i, ok
}
