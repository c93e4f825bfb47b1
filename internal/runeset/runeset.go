// Package runeset holds the sets of characters a document draws, as its writers need
// them: collected without a map, listed in order, and each member's rank in that list
// (its CID in the subset font) found in a few instructions. Maps of runes were a tenth
// of the PDF writer's work once the fonts were compressed cheaply: a hash per glyph.
//
// The BMP is cut into 256 blocks of 256 characters, and a set or an index holds bits
// only for the blocks it uses, densely: a report's characters fall in a hundred
// blocks at most (ASCII, punctuation, some 80 of the 82 CJK blocks), so a set is
// about 3 KB and an index 5 KB, where a bit for every BMP character took 8 KB and
// 12 KB, each page of which a cold process faults in.
package runeset

import (
	"math/bits"
	"slices"
)

// Set is a set of characters. The zero value is empty and ready to use.
type Set struct {
	top    [256]uint16 // each BMP block's number in blocks, + 1; 0: no member yet
	blocks [][4]uint64 // a bit per character of each block used, in order of first use
	rest   []rune      // beyond the BMP (CJK Extensions B–G), unsorted, with repeats
}

// Add puts r in the set.
func (s *Set) Add(r rune) {
	if r >= 0 && r < 1<<16 {
		b := s.top[r>>8]
		if b == 0 {
			if s.blocks == nil {
				s.blocks = make([][4]uint64, 0, 32)
			}
			s.blocks = append(s.blocks, [4]uint64{})
			b = uint16(len(s.blocks))
			s.top[r>>8] = b
		}
		s.blocks[b-1][r>>6&3] |= 1 << (r & 63)
		return
	}
	s.rest = append(s.rest, r)
}

// Reset empties the set, keeping its memory for the next use.
func (s *Set) Reset() {
	if len(s.blocks) > 0 {
		s.top = [256]uint16{}
	}
	s.blocks = s.blocks[:0]
	s.rest = s.rest[:0]
}

// Sorted lists the members in ascending order, each once.
func (s *Set) Sorted() []rune {
	n := 0
	for i := range s.blocks {
		for _, w := range s.blocks[i] {
			n += bits.OnesCount64(w)
		}
	}
	out := make([]rune, 0, n+len(s.rest))
	for hi, b := range s.top {
		if b == 0 {
			continue
		}
		for k, w := range s.blocks[b-1] {
			for w != 0 {
				out = append(out, rune(hi<<8|k<<6|bits.TrailingZeros64(w)))
				w &= w - 1
			}
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
	top    [256]uint16 // each BMP block's number in blocks, + 1; 0: no member
	blocks []indexBlock
	nBMP   int
	rest   []rune // the members beyond the BMP, sorted
}

// indexBlock is a BMP block's members: a bit per character, and the members before
// each word of 64.
type indexBlock struct {
	bits   [4]uint64
	before [4]uint32
}

// NewIndex indexes sorted, a list in ascending order without repeats.
func NewIndex(sorted []rune) *Index {
	// The block numbers are worked out on the stack and copied: the fresh index's
	// page, read first, would be mapped twice in a cold process (the zero page, then
	// a copy at the first write).
	var top [256]uint16
	k, used := 0, 0
	for ; k < len(sorted) && sorted[k] < 1<<16; k++ {
		if r := sorted[k]; r >= 0 && top[r>>8] == 0 {
			top[r>>8] = 1 // counted; numbered below
			used++
		}
	}
	x := &Index{nBMP: k, rest: sorted[k:], blocks: make([]indexBlock, used)}
	b := 0
	for i := range top {
		if top[i] != 0 {
			b++
			top[i] = uint16(b)
		}
	}
	x.top = top
	// The last member's word of 64 characters: each new word's before is written
	// first, so that a fresh block's page is written before it is read.
	word := rune(-1)
	for i, r := range sorted[:k] {
		if r < 0 {
			continue
		}
		blk := &x.blocks[top[r>>8]-1]
		w := r >> 6 & 3
		if r>>6 != word {
			word = r >> 6
			blk.before[w] = uint32(i)
		}
		blk.bits[w] |= 1 << (r & 63)
	}
	return x
}

// Rank returns r's position in the list, and whether it is there.
func (x *Index) Rank(r rune) (int, bool) {
	if r >= 0 && r < 1<<16 {
		b := x.top[r>>8]
		if b == 0 {
			return 0, false
		}
		blk := &x.blocks[b-1]
		w, bit := blk.bits[r>>6&3], uint64(1)<<(r&63)
		if w&bit == 0 {
			return 0, false
		}
		return int(blk.before[r>>6&3]) + bits.OnesCount64(w&(bit-1)), true
	}
	i, ok := slices.BinarySearch(x.rest, r)
	return x.nBMP + i, ok
}
