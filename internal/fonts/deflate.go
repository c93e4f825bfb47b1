package fonts

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"
	"unsafe"
)

// A small deflate (RFC 1951) encoder for font files. Compressing the subsets was
// most of a render's time (klauspost/compress level 7: ~75 % of a warm PDF), yet a
// glyph's outline is the same bytes in every document. So each glyph is encoded once
// per process, with LZ77 matches only inside itself and the Huffman codes of one
// fixed table (glyphtable.go), and cached as a bit string (glyphcache.go); a subset's
// file is then one dynamic block with that table: the tables around glyf encoded on
// the fly with the same codes, the glyphs' bit strings concatenated.

const (
	numLit   = 286 // literal/length symbols: 256 bytes, end of block, 29 lengths
	numDist  = 30
	endBlock = 256
	minMatch = 3
	maxMatch = 258
	window   = 1 << 15
	maxBits  = 15 // longest Huffman code deflate allows
	// maxLiteralBits bounds the glyph code's literal/length codes (bitWriter.literals).
	maxLiteralBits = 14
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
	for s := range numDist {
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

// hcode is a Huffman code ready to write: its bits reversed (deflate sends codes
// most significant bit first into a stream filled from the least significant bit)
// and its length.
type hcode struct {
	bits uint32
	n    uint8
}

// codeTable is one literal/length and distance code, with the dynamic block header
// that declares it.
type codeTable struct {
	litLens  [numLit]uint8
	distLens [numDist]uint8
	lit      [numLit]hcode
	// byteCode[b] is literal b's code, bits | length<<16, for literals' inner loop.
	byteCode [256]uint32
	// length[l-3] is the code of match length l with its extra bits.
	length [256]hcode
	dist   [numDist]hcode
	// header is the dynamic block header (BFINAL set, BTYPE 10, the code lengths) as
	// a bit string of headerBits bits.
	header     []uint64
	headerBits int
}

// newCodeTable builds the codes of the given lengths. Every symbol must have a code
// (any byte string can then be encoded) and the lengths must make complete codes.
func newCodeTable(litLens [numLit]uint8, distLens [numDist]uint8) *codeTable {
	t := &codeTable{litLens: litLens, distLens: distLens}
	lit := canonical(litLens[:])
	for i := range lit {
		t.lit[i] = lit[i]
	}
	for b := range 256 {
		t.byteCode[b] = lit[b].bits | uint32(lit[b].n)<<16
	}
	for l := minMatch; l <= maxMatch; l++ {
		s := lengthSym[l-3]
		c := lit[257+int(s)]
		t.length[l-3] = hcode{c.bits | uint32(l-int(lengthBase[s]))<<c.n, c.n + lengthExtra[s]}
	}
	dist := canonical(distLens[:])
	copy(t.dist[:], dist)
	var w bitWriter
	writeDynamicHeader(&w, litLens[:], distLens[:])
	t.header, t.headerBits = w.words()
	return t
}

// canonical assigns the canonical Huffman codes (RFC 1951 §3.2.2) of lengths.
func canonical(lengths []uint8) []hcode {
	var count [maxBits + 1]int
	for _, l := range lengths {
		count[l]++
	}
	count[0] = 0
	var next [maxBits + 2]uint32
	code := uint32(0)
	for b := 1; b <= maxBits; b++ {
		code = (code + uint32(count[b-1])) << 1
		next[b] = code
	}
	out := make([]hcode, len(lengths))
	for s, l := range lengths {
		if l == 0 {
			continue
		}
		c := next[l]
		next[l]++
		out[s] = hcode{bits.Reverse32(c) >> (32 - l), l}
	}
	return out
}

// huffLengths returns Huffman code lengths of at most limit bits for the symbol
// frequencies; symbols of frequency 0 get no code. It halves the frequencies until
// the longest code fits, which keeps the code complete (what inflaters check).
func huffLengths(freq []uint32, limit int) []uint8 {
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

// writeDynamicHeader writes a final dynamic block's header: BFINAL, BTYPE 10, and the
// code lengths, run-length coded with the code length code (RFC 1951 §3.2.7).
func writeDynamicHeader(w *bitWriter, litLens, distLens []uint8) {
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
	clLens := huffLengths(freq[:], 7)
	cl := canonical(clLens)
	nclen := 19
	for nclen > 4 && clLens[clOrder[nclen-1]] == 0 {
		nclen--
	}
	w.reserve(len(syms)*3 + 64)
	w.bits(1|2<<1, 3) // BFINAL, BTYPE 10
	w.bits(uint64(nlit-257), 5)
	w.bits(uint64(ndist-1), 5)
	w.bits(uint64(nclen-4), 4)
	for _, s := range clOrder[:nclen] {
		w.bits(uint64(clLens[s]), 3)
	}
	for _, s := range syms {
		w.bits(uint64(cl[s.sym].bits), uint(cl[s.sym].n))
		if s.nextra > 0 {
			w.bits(uint64(s.extra), uint(s.nextra))
		}
	}
}

// bitWriter collects deflate's bit stream, least significant bit first. Bytes go
// out 8 at a time into buf's spare room (reserve keeps at least 8 bytes of it):
// k bytes are done, acc holds the n bits after them (n < 32 between calls).
type bitWriter struct {
	buf []byte
	k   int
	acc uint64
	n   uint
}

// reserve makes room for n more bytes.
func (w *bitWriter) reserve(n int) {
	if len(w.buf)-w.k < n+8 {
		nb := make([]byte, w.k+n+8+len(w.buf)/2)
		copy(nb, w.buf[:w.k])
		w.buf = nb
	}
}

// bits writes the nb low bits of v (nb ≤ 32). The caller has reserved room.
func (w *bitWriter) bits(v uint64, nb uint) {
	w.acc |= v << (w.n & 63)
	w.n += nb
	if w.n >= 32 {
		binary.LittleEndian.PutUint64(w.buf[w.k:], w.acc)
		w.k += int(w.n >> 3)
		w.acc >>= w.n & 56
		w.n &= 7
	}
}

// literals writes data as literals, four at a time between two stores. The
// caller has reserved room.
func (w *bitWriter) literals(t *codeTable, data []byte) {
	acc, n, k, buf := w.acc, w.n, w.k, w.buf
	binary.LittleEndian.PutUint64(buf[k:], acc)
	k += int(n >> 3)
	acc >>= n & 56
	n &= 7
	codes := &t.byteCode
	// Four codes of at most maxLiteralBits and 7 bits left over fit in acc.
	i := 0
	for ; i+4 <= len(data); i += 4 {
		q := data[i : i+4 : i+4]
		c := uint64(codes[q[0]])
		acc |= (c & 0xFFFF) << (n & 63)
		n += uint(c >> 16)
		c = uint64(codes[q[1]])
		acc |= (c & 0xFFFF) << (n & 63)
		n += uint(c >> 16)
		c = uint64(codes[q[2]])
		acc |= (c & 0xFFFF) << (n & 63)
		n += uint(c >> 16)
		c = uint64(codes[q[3]])
		acc |= (c & 0xFFFF) << (n & 63)
		n += uint(c >> 16)
		binary.LittleEndian.PutUint64(buf[k:], acc)
		k += int(n >> 3)
		acc >>= n & 56
		n &= 7
	}
	for _, b := range data[i:] {
		c := codes[b]
		acc |= uint64(c&0xFFFF) << (n & 63)
		n += uint(c >> 16)
	}
	w.acc, w.n, w.k = acc, n, k
	if n >= 32 {
		w.bits(0, 0)
	}
}

// appendBits appends a bit string of nbits bits held in words (least significant
// bit first), 64 bits at a time whatever the alignment.
func (w *bitWriter) appendBits(words []uint64, nbits int) {
	full := nbits / 64
	w.reserve(8*full + 16)
	binary.LittleEndian.PutUint64(w.buf[w.k:], w.acc)
	w.k += int(w.n >> 3)
	w.acc >>= w.n & 56
	w.n &= 7
	dst := w.buf[w.k : w.k+8*full]
	w.k += 8 * full
	acc, s := w.acc, w.n&63
	if s == 0 {
		for _, v := range words[:full] {
			binary.LittleEndian.PutUint64(dst, v)
			dst = dst[8:]
		}
	} else {
		rs := 64 - s
		for _, v := range words[:full] {
			binary.LittleEndian.PutUint64(dst, acc|v<<s)
			dst = dst[8:]
			acc = v >> rs
		}
	}
	w.acc = acc
	if r := uint(nbits % 64); r > 0 {
		v := words[full] & (1<<r - 1)
		if r > 32 {
			w.bits(v&(1<<32-1), 32)
			w.bits(v>>32, r-32)
		} else {
			w.bits(v, r)
		}
	}
}

// putWords, putBits and flushAcc write in wide mode: acc holds up to 63 bits and
// whole words go out, for appendGlyphs; the caller has reserved room. flushAcc
// goes back to the invariant of the other methods (n < 32).

// putWords appends a bit string of nbits bits held in words (least significant
// bit first), a word at a time whatever the alignment.
func (w *bitWriter) putWords(words []uint64, nbits int) {
	full := nbits >> 6
	ws := words[:full]
	n, k, acc := w.n&63, w.k, w.acc
	dst := w.buf[k : k+8*len(ws)]
	acc = shiftWords(dst, ws, acc, n)
	k += len(dst)
	if r := uint(nbits & 63); r > 0 {
		v := words[full] & (1<<r - 1)
		acc |= v << n
		if n += r; n >= 64 {
			binary.LittleEndian.PutUint64(w.buf[k:], acc)
			k += 8
			n -= 64
			acc = v >> ((r - n) & 63)
		}
	}
	w.acc, w.n, w.k = acc, n, k
}

// shiftWords stores ws after the n bits of acc (n < 64) into dst, 8 bytes a word,
// and returns the n bits left over. v·2^n's 128-bit product is both v<<n and the
// v>>(64-n) carried into the next word: one multiplication, no shift register.
func shiftWords(dst []byte, ws []uint64, acc uint64, n uint) uint64 {
	m := uint64(1) << (n & 63)
	// Four words a step, read and written through pointers below n4 (within both
	// slices): re-slicing dst and ws a step cost as much as the multiplications.
	nw := min(len(ws), len(dst)/8)
	n4 := nw &^ 3
	wp, dp := unsafe.Pointer(unsafe.SliceData(ws)), unsafe.Pointer(unsafe.SliceData(dst))
	if n4 > 0 {
		for i := 0; i < n4; i += 4 {
			q, d := (*[4]uint64)(unsafe.Add(wp, 8*i)), (*[32]byte)(unsafe.Add(dp, 8*i))
			h0, l0 := bits.Mul64(q[0], m)
			h1, l1 := bits.Mul64(q[1], m)
			h2, l2 := bits.Mul64(q[2], m)
			h3, l3 := bits.Mul64(q[3], m)
			binary.LittleEndian.PutUint64(d[0:], acc|l0)
			binary.LittleEndian.PutUint64(d[8:], h0|l1)
			binary.LittleEndian.PutUint64(d[16:], h1|l2)
			binary.LittleEndian.PutUint64(d[24:], h2|l3)
			acc = h3
		}
	}
	// The last words likewise, below nw (their bounds checks were two fifths of the
	// function's instructions).
	for i := n4; i < nw; i++ {
		hi, lo := bits.Mul64(*(*uint64)(unsafe.Add(wp, 8*i)), m)
		binary.LittleEndian.PutUint64((*[8]byte)(unsafe.Add(dp, 8*i))[:], acc|lo)
		acc = hi
	}
	return acc
}

// putBits appends the nb bits of v (nb < 64, no bits above them) in wide mode.
func (w *bitWriter) putBits(v uint64, nb uint) {
	w.acc |= v << w.n
	if w.n += nb; w.n >= 64 {
		binary.LittleEndian.PutUint64(w.buf[w.k:], w.acc)
		w.k += 8
		w.n -= 64
		w.acc = v >> (nb - w.n)
	}
}

// flushAcc ends wide mode.
func (w *bitWriter) flushAcc() {
	binary.LittleEndian.PutUint64(w.buf[w.k:], w.acc)
	w.k += int(w.n >> 3)
	w.acc >>= w.n & 56
	w.n &= 7
}

// bytes ends the stream on a byte boundary (zero bits) and returns it; w is reset.
func (w *bitWriter) bytes() []byte {
	w.reserve(8)
	binary.LittleEndian.PutUint64(w.buf[w.k:], w.acc)
	out := w.buf[:w.k+int(w.n+7)/8]
	*w = bitWriter{}
	return out
}

// words returns what was written as a bit string; w is reset for reuse.
func (w *bitWriter) words() ([]uint64, int) {
	nbits := w.nbits()
	out := make([]uint64, (nbits+63)/64)
	w.wordsInto(out)
	return out, nbits
}

// nbits is how many bits were written.
func (w *bitWriter) nbits() int { return 8*w.k + int(w.n) }

// wordsInto stores what was written as a bit string in out, of (nbits()+63)/64
// words; w is reset for reuse.
func (w *bitWriter) wordsInto(out []uint64) {
	nbits := w.nbits()
	w.reserve(16)
	binary.LittleEndian.PutUint64(w.buf[w.k:], w.acc)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(w.buf[8*i:])
	}
	if r := nbits % 64; r > 0 {
		out[len(out)-1] &= 1<<uint(r) - 1
	}
	w.k, w.acc, w.n = 0, 0, 0
}

// glyphCodes is the code every subset's file is written with (glyphtable.go).
var glyphCodes = sync.OnceValue(func() *codeTable { return newCodeTable(glyphLitLens, glyphDistLens) })
