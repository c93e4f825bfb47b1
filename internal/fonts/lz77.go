package fonts

import (
	"encoding/binary"
	"math/bits"

	"gongwen/internal/deflate"
)

const hashBits = 12

// lz is an LZ77 match finder over one piece of data at a time (a glyph, the tables
// before or after glyf): matches never reach outside the piece, so a piece encodes
// the same wherever it lands. Positions are stored offset by base, which grows with
// every piece, so that the hash table needs no clearing between pieces.
type lz struct {
	head [1 << hashBits]int32 // base-offset position + 1 of the last occurrence
	base int32
	// freq, when set, counts the symbols written (training a table: glyphtable.go).
	freq *[numLit + numDist]uint32
}

// lits writes data as literals.
func (e *lz) lits(w *bitWriter, t *codeTable, data []byte) {
	if e.freq != nil {
		for _, b := range data {
			e.freq[b]++
		}
	}
	w.literals(t, data)
}

func (e *lz) match(w *bitWriter, t *codeTable, l, d int) {
	lc := t.length[l-3]
	ds := deflate.DistSym(d)
	dc := t.dist[ds]
	w.bits(uint64(lc.bits), uint(lc.n))
	w.bits(uint64(dc.bits)|uint64(d-deflate.DistBase(ds))<<dc.n, uint(dc.n)+uint(deflate.DistExtra(ds)))
	if e.freq != nil {
		e.freq[257+int(deflate.LengthSym(l))]++
		e.freq[numLit+int(ds)]++
	}
}

// matchLen is the length of the common prefix of a and b (len(a) == len(b)).
func matchLen(a, b []byte) int {
	n := 0
	for len(a)-n >= 8 {
		x := binary.LittleEndian.Uint64(a[n:]) ^ binary.LittleEndian.Uint64(b[n:])
		if x != 0 {
			return n + bits.TrailingZeros64(x)/8
		}
		n += 8
	}
	for n < len(a) && a[n] == b[n] {
		n++
	}
	return n
}

// fast is encode with one candidate per position (the last one of the same hash):
// the glyphs are short and repeat little inside themselves, so a longer search buys
// under 0.1 % (measured on the Wuchuan subsets) for several times the time.
func (e *lz) fast(w *bitWriter, t *codeTable, data []byte) {
	n := len(data)
	if e.base > 1<<30 {
		e.head = [1 << hashBits]int32{}
		e.base = 0
	}
	off := e.base
	e.base += int32(n) + 1
	w.reserve(2*n + 16)
	if n < 4 {
		e.lits(w, t, data)
		return
	}
	head := &e.head
	lit := 0 // data[lit:p] are literals not written yet
	v := uint32(data[0])<<8 | uint32(data[1])
	ahead := data[2:] // ahead[p] is data[p+2]: indexes the compiler sees in range
	for p := 0; p < len(ahead); p++ {
		// v holds data[p], data[p+1], data[p+2].
		v = (v<<8 | uint32(ahead[p])) & 0xFFFFFF
		h := (v * 0x9E3779B1) >> (32 - hashBits)
		c := head[h]
		head[h] = off + int32(p) + 1
		if c <= off {
			continue
		}
		j := int(c - off - 1)
		d := p - j
		// A hash collision or an old candidate, told by its first 3 bytes (v) before
		// matchLen's slicing: the same decision as matchLen's l < minMatch.
		if uint32(data[j])<<16|uint32(data[j+1])<<8|uint32(data[j+2]) != v || d > window {
			continue
		}
		limit := min(maxMatch, n-p)
		l := matchLen(data[j:j+limit], data[p:p+limit])
		ds := deflate.DistSym(d)
		// Worth it when the literals would take more bits; the sum stops once they do.
		g := -int32(t.length[l-3].n) - int32(t.dist[ds].n) - int32(deflate.DistExtra(ds))
		for _, b := range data[p : p+l] {
			if g += int32(t.lit[b].n); g > 0 {
				break
			}
		}
		if g <= 0 {
			continue
		}
		if lit < p { // back-to-back matches: no literals (a call of ~40 instructions)
			e.lits(w, t, data[lit:p])
		}
		e.match(w, t, l, d)
		lit = p + l
		// The positions inside the match are only hashed (candidates for later ones).
		for p++; p < lit && p < len(ahead); p++ {
			v = (v<<8 | uint32(ahead[p])) & 0xFFFFFF
			head[(v*0x9E3779B1)>>(32-hashBits)] = off + int32(p) + 1
		}
		p-- // the loop's p++ makes it lit
	}
	e.lits(w, t, data[lit:])
}
