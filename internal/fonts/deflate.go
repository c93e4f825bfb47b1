package fonts

import (
	"encoding/binary"
	"math/bits"
	"sync"
	"unsafe"

	"gongwen/internal/deflate"
)

// A small deflate (RFC 1951) encoder for font files. Compressing the subsets was
// most of a render's time (klauspost/compress level 7: ~75 % of a warm PDF), yet a
// glyph's outline is the same bytes in every document. So each glyph is encoded once
// per process, with LZ77 matches only inside itself and the Huffman codes of one
// fixed table (glyphtable.go), and cached as a bit string (glyphcache.go); a subset's
// file is then one dynamic block with that table: the tables around glyf encoded on
// the fly with the same codes, the glyphs' bit strings concatenated.

// The format's numbers, and the code building shared with the PDF's text streams,
// are internal/deflate's.
const (
	numLit   = deflate.NumLit
	numDist  = deflate.NumDist
	endBlock = deflate.EndBlock
	minMatch = 3
	maxMatch = deflate.MaxMatch
	window   = deflate.Window
	maxBits  = deflate.MaxBits
	// maxLiteralBits bounds the glyph code's literal/length codes (bitWriter.literals).
	maxLiteralBits = 14
)

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
		s := deflate.LengthSym(l)
		c := lit[257+int(s)]
		t.length[l-3] = hcode{c.bits | uint32(l-deflate.LengthBase(s))<<c.n, c.n + deflate.LengthExtra(s)}
	}
	dist := canonical(distLens[:])
	copy(t.dist[:], dist)
	t.header, t.headerBits = deflate.DynamicHeader(litLens[:], distLens[:])
	return t
}

// canonical is deflate.Canonical as hcodes.
func canonical(lengths []uint8) []hcode {
	out := make([]hcode, len(lengths))
	for i, c := range deflate.Canonical(lengths) {
		out[i] = hcode{c.Bits, c.Len}
	}
	return out
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
