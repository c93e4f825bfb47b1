// Package deflate writes zlib streams (RFC 1950, 1951) with a fixed Huffman code:
// one dynamic block whose header is computed once per code, and a greedy LZ77
// parse. For the many small streams of a document (a PDF's pages and ToUnicode
// maps), where a general compressor spends most of its time building a code for
// each stream from its symbol counts, a code trained on streams of the same kind
// costs a few bytes a stream and none of that work.
package deflate

import (
	"fmt"
	"log/slog"
	"math/bits"
	"slices"
	"sync"
)

const (
	// NumLit and NumDist are how many literal/length and distance symbols deflate
	// has: 256 bytes, end of block, 29 lengths; 30 distances.
	NumLit  = 286
	NumDist = 30
	// EndBlock is the end-of-block symbol.
	EndBlock = 256
	// MaxMatch is the longest match, Window the farthest distance.
	MaxMatch = 258
	Window   = 1 << 15
	// MaxBits is the longest Huffman code deflate allows.
	MaxBits  = 15
	minMatch = 4 // this encoder's: 3-byte matches rarely pay for their distance
)

var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	// lengthSym[l-3] is the length symbol (0-28, i.e. 257-285) of match length l.
	lengthSym [256]uint8
	// distSymLow[d-1] for d ≤ 256, distSymHigh[(d-1)>>7] beyond.
	distSymLow  [256]uint8
	distSymHigh [256]uint8
)

func init() {
	for s := range 28 {
		for l := lengthBase[s]; l < lengthBase[s+1]; l++ {
			lengthSym[l-3] = uint8(s)
		}
	}
	lengthSym[255] = 28
	for s := range NumDist {
		end := int(distBase[s]) + 1<<distExtra[s]
		for d := int(distBase[s]); d < end; d++ {
			if d > 256 {
				// Codes beyond 256 span whole 128-distance blocks.
				for b := (d - 1) >> 7; b <= (end-2)>>7; b++ {
					distSymHigh[b] = uint8(s)
				}
				break
			}
			distSymLow[d-1] = uint8(s)
		}
	}
}

func distSym(d int) uint8 {
	if d <= 256 {
		return distSymLow[d-1]
	}
	return distSymHigh[(d-1)>>7]
}

// DistSym is the distance symbol (0-29) of distance d (1-32768); DistBase and
// DistExtra are a distance symbol's first distance and number of extra bits.
func DistSym(d int) uint8 { return distSym(d) }

func DistBase(s uint8) int { return int(distBase[s]) }

func DistExtra(s uint8) uint8 { return distExtra[s] }

// LengthSym is the length symbol (0-28, i.e. 257-285) of match length l (3-258);
// LengthBase and LengthExtra are a length symbol's first length and number of
// extra bits.
func LengthSym(l int) uint8 { return lengthSym[l-3] }

func LengthBase(s uint8) int { return int(lengthBase[s]) }

func LengthExtra(s uint8) uint8 { return lengthExtra[s] }

// Huff is a Huffman code ready to write: its bits reversed (deflate sends codes
// most significant bit first into a stream filled from the least significant bit)
// and its length.
type Huff struct {
	Bits uint32
	Len  uint8
}

// Code is a literal/length and a distance code, with the dynamic block header that
// declares them, for any number of streams.
type Code struct {
	// lit[b] is literal b's code, bits | length<<16, for the literals' inner loop.
	lit [256]uint32
	eob Huff
	// length[l-3] is the code of match length l with its extra bits.
	length [256]Huff
	dist   [NumDist]Huff
	// head is the block's header, whole bytes; tail and tailBits its last bits.
	head     []byte
	tail     uint64
	tailBits uint
}

// Shipped returns a function that builds the code of a generated file's lengths on
// its first call and returns it from then on (a process that writes no such stream
// never builds it). Lengths that make no complete code (a damaged generated file)
// give nil and one warning naming what, so that the caller compresses those
// streams another way rather than writing them wrong.
func Shipped(what string, litLens [NumLit]uint8, distLens [NumDist]uint8) func() *Code {
	return sync.OnceValue(func() *Code {
		c, err := NewCode(litLens, distLens)
		if err != nil {
			slog.Warn("deflate: shipped code unusable, compressing another way", "streams", what, "err", err)
			return nil
		}
		return c
	})
}

// NewCode builds the codes of the given lengths. Every symbol must have a code, so
// that any bytes encode, and the lengths must make complete codes (what inflaters
// check).
func NewCode(litLens [NumLit]uint8, distLens [NumDist]uint8) (*Code, error) {
	if err := complete(litLens[:]); err != nil {
		return nil, fmt.Errorf("deflate: literal/length code: %w", err)
	}
	if err := complete(distLens[:]); err != nil {
		return nil, fmt.Errorf("deflate: distance code: %w", err)
	}
	c := &Code{}
	lit := Canonical(litLens[:])
	for b := range 256 {
		c.lit[b] = lit[b].Bits | uint32(lit[b].Len)<<16
	}
	c.eob = lit[EndBlock]
	for l := 3; l <= MaxMatch; l++ {
		s := lengthSym[l-3]
		h := lit[257+int(s)]
		c.length[l-3] = Huff{h.Bits | uint32(l-int(lengthBase[s]))<<h.Len, h.Len + lengthExtra[s]}
	}
	copy(c.dist[:], Canonical(distLens[:]))
	words, nbits := DynamicHeader(litLens[:], distLens[:])
	for i := 0; i < nbits/8; i++ {
		c.head = append(c.head, byte(words[i/8]>>(8*(i%8))))
	}
	if c.tailBits = uint(nbits % 8); c.tailBits > 0 {
		i := nbits / 8
		c.tail = words[i/8] >> (8 * (i % 8)) & (1<<c.tailBits - 1)
	}
	return c, nil
}

// complete checks that every symbol has a code of at most MaxBits bits and that the
// code is complete (Kraft's sum is exactly 1).
func complete(lens []uint8) error {
	var sum uint64
	for s, l := range lens {
		if l == 0 || l > MaxBits {
			return fmt.Errorf("symbol %d: code length %d", s, l)
		}
		sum += 1 << (MaxBits - l)
	}
	if sum != 1<<MaxBits {
		return fmt.Errorf("code lengths not a complete code (Kraft sum %d/%d)", sum, 1<<MaxBits)
	}
	return nil
}

// canonical assigns the canonical Huffman codes (RFC 1951 §3.2.2) of lengths.
func Canonical(lengths []uint8) []Huff {
	var count [MaxBits + 1]int
	for _, l := range lengths {
		count[l]++
	}
	count[0] = 0
	var next [MaxBits + 2]uint32
	code := uint32(0)
	for b := 1; b <= MaxBits; b++ {
		code = (code + uint32(count[b-1])) << 1
		next[b] = code
	}
	out := make([]Huff, len(lengths))
	for s, l := range lengths {
		if l == 0 {
			continue
		}
		c := next[l]
		next[l]++
		out[s] = Huff{bits.Reverse32(c) >> (32 - l), l}
	}
	return out
}

// huffLengths returns Huffman code lengths of at most limit bits for the symbol
// frequencies; symbols of frequency 0 get no code. It halves the frequencies until
// the longest code fits, which keeps the code complete.
func HuffLengths(freq []uint32, limit int) []uint8 {
	f := slices.Clone(freq)
	for {
		l := huffmanDepths(f)
		if slices.Max(l) <= uint8(limit) {
			return l
		}
		for i, v := range f {
			if v > 0 {
				f[i] = (v + 1) / 2
			}
		}
	}
}

// huffmanDepths is plain Huffman: the depth of every symbol of nonzero frequency in
// the tree the two-queue method builds, ties broken by symbol order (deterministic).
// A lone symbol gets length 1.
func huffmanDepths(freq []uint32) []uint8 {
	type node struct {
		w      uint64
		parent int
	}
	var leaves []int
	for s, v := range freq {
		if v > 0 {
			leaves = append(leaves, s)
		}
	}
	out := make([]uint8, len(freq))
	if len(leaves) == 1 {
		out[leaves[0]] = 1
		return out
	}
	if len(leaves) == 0 {
		return out
	}
	slices.SortStableFunc(leaves, func(a, b int) int {
		switch {
		case freq[a] < freq[b]:
			return -1
		case freq[a] > freq[b]:
			return 1
		}
		return 0
	})
	nodes := make([]node, 0, 2*len(leaves))
	for _, s := range leaves {
		nodes = append(nodes, node{uint64(freq[s]), -1})
	}
	li, qi := 0, len(leaves) // next unused leaf, next unused internal node
	pick := func() int {
		if li < len(leaves) && (qi >= len(nodes) || nodes[li].w <= nodes[qi].w) {
			li++
			return li - 1
		}
		qi++
		return qi - 1
	}
	for range len(leaves) - 1 {
		a, b := pick(), pick()
		nodes = append(nodes, node{nodes[a].w + nodes[b].w, -1})
		nodes[a].parent, nodes[b].parent = len(nodes)-1, len(nodes)-1
	}
	depth := make([]uint8, len(nodes))
	for i := len(nodes) - 2; i >= 0; i-- {
		depth[i] = depth[nodes[i].parent] + 1
	}
	for i, s := range leaves {
		out[s] = depth[i]
	}
	return out
}

// clOrder is the order in which the code length code's lengths are sent.
var clOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// dynamicHeader returns a final dynamic block's header: BFINAL, BTYPE 10, and the
// code lengths, run-length coded with the code length code (RFC 1951 §3.2.7), as a
// bit string of nbits bits (least significant bit first).
func DynamicHeader(litLens, distLens []uint8) (words []uint64, nbits int) {
	nlit, ndist := len(litLens), len(distLens)
	for nlit > 257 && litLens[nlit-1] == 0 {
		nlit--
	}
	for ndist > 1 && distLens[ndist-1] == 0 {
		ndist--
	}
	seq := append(slices.Clone(litLens[:nlit]), distLens[:ndist]...)
	type clSym struct{ sym, extra, nextra uint8 }
	var syms []clSym
	for i := 0; i < len(seq); {
		v, run := seq[i], 1
		for i+run < len(seq) && seq[i+run] == v {
			run++
		}
		i += run
		if v == 0 {
			for run >= 11 {
				r := min(run, 138)
				syms = append(syms, clSym{18, uint8(r - 11), 7})
				run -= r
			}
			if run >= 3 {
				syms = append(syms, clSym{17, uint8(run - 3), 3})
				run = 0
			}
		} else {
			syms = append(syms, clSym{v, 0, 0})
			run--
			for run >= 3 {
				r := min(run, 6)
				syms = append(syms, clSym{16, uint8(r - 3), 2})
				run -= r
			}
		}
		for ; run > 0; run-- {
			syms = append(syms, clSym{v, 0, 0})
		}
	}
	var freq [19]uint32
	for _, s := range syms {
		freq[s.sym]++
	}
	clLens := HuffLengths(freq[:], 7)
	cl := Canonical(clLens)
	nclen := 19
	for nclen > 4 && clLens[clOrder[nclen-1]] == 0 {
		nclen--
	}
	var w bitString
	w.add(1|2<<1, 3) // BFINAL, BTYPE 10
	w.add(uint64(nlit-257), 5)
	w.add(uint64(ndist-1), 5)
	w.add(uint64(nclen-4), 4)
	for _, s := range clOrder[:nclen] {
		w.add(uint64(clLens[s]), 3)
	}
	for _, s := range syms {
		w.add(uint64(cl[s.sym].Bits), uint(cl[s.sym].Len))
		if s.nextra > 0 {
			w.add(uint64(s.extra), uint(s.nextra))
		}
	}
	return w.words, w.nbits
}

// bitString is a growing bit string, least significant bit first; add takes at
// most 32 bits, none set above them.
type bitString struct {
	words []uint64
	nbits int
}

func (b *bitString) add(v uint64, nb uint) {
	if b.nbits%64 == 0 {
		b.words = append(b.words, 0)
	}
	s := uint(b.nbits % 64)
	b.words[len(b.words)-1] |= v << s
	if s+nb > 64 {
		b.words = append(b.words, v>>(64-s))
	}
	b.nbits += int(nb)
}
