package deflate

import (
	"encoding/binary"
	"math/bits"
	"unsafe"

	"gongwen/internal/adler"
	"gongwen/internal/spare"
	"gongwen/internal/touch"
)

const hashBits = 12

// matcher is the state of an LZ77 parse: the last position of each hash of 4
// bytes. Positions are stored offset by base, which grows with every stream, so
// that the table needs no clearing between streams.
type matcher struct {
	head [1 << hashBits]int32 // base-offset position + 1
	base int32
	join []byte // the parts of a stream put together
	// freq, when set, counts the symbols written (Train).
	freq *[NumLit + NumDist]uint32
}

// spareMatchers keeps idle matchers (16 KB each).
var spareMatchers = spare.New[*matcher](4)

func getMatcher() *matcher {
	if m, ok := spareMatchers.Get(); ok {
		return m
	}
	m := new(matcher)
	touch.Pages(m.head[:]) // probed before it is stored into
	return m
}

func putMatcher(m *matcher) { spareMatchers.Put(m) }

// Zlib appends to dst the concatenation of parts as one zlib stream (RFC 1950)
// written with c: one final dynamic block. Safe for concurrent use.
func (c *Code) Zlib(dst []byte, parts ...[]byte) []byte {
	m := getMatcher()
	defer putMatcher(m)
	var in []byte
	switch nonEmpty(parts) {
	case 0:
	case 1:
		for _, p := range parts {
			if len(p) > 0 {
				in = p
			}
		}
	default: // matches reach across the parts: one piece
		m.join = m.join[:0]
		for _, p := range parts {
			m.join = append(m.join, p...)
		}
		in = m.join
	}
	// deflate, 32 KB window, no dictionary, fastest-level hint (a multiple of 31)
	dst = m.encode(append(dst, 0x78, 0x01), c, in, true)
	return binary.BigEndian.AppendUint32(dst, adler.Checksum(in))
}

// Deflate appends data to dst as raw deflate data (RFC 1951, a zip entry's):
// one final dynamic block written with c. Safe for concurrent use.
func (c *Code) Deflate(dst, data []byte) []byte {
	m := getMatcher()
	defer putMatcher(m)
	return m.encode(dst, c, data, true)
}

// DeflatePiece appends data to dst as a piece of a raw deflate stream: one dynamic
// block written with c, final when final (Deflate's bytes), else not final and
// followed by an empty stored block that leaves the stream byte-aligned (what a
// compressor's sync flush writes), so that pieces compressed apart, each referring
// back only into itself, join into one stream. Safe for concurrent use.
func (c *Code) DeflatePiece(dst, data []byte, final bool) []byte {
	m := getMatcher()
	defer putMatcher(m)
	return m.encode(dst, c, data, final)
}

func nonEmpty(parts [][]byte) (n int) {
	for _, p := range parts {
		if len(p) > 0 {
			n++
		}
	}
	return n
}

// load32, load64 and byteAt read data at i through its pointer dp; the caller
// has checked that the bytes are there (no bounds checks in the inner loops).
func load32(dp unsafe.Pointer, i int) uint32 {
	return binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(dp, i))[:])
}

func load64(dp unsafe.Pointer, i int) uint64 {
	return binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(dp, i))[:])
}

func byteAt(dp unsafe.Pointer, i int) byte { return *(*byte)(unsafe.Add(dp, i)) }

// matchLen is the length of the common prefix of data[j:j+max] and data[p:p+max]
// (j < p, p+max ≤ len(data)).
func matchLen(dp unsafe.Pointer, j, p, max int) int {
	n := 0
	for ; n+8 <= max; n += 8 {
		if x := load64(dp, j+n) ^ load64(dp, p+n); x != 0 {
			return n + bits.TrailingZeros64(x)>>3
		}
	}
	for n < max && byteAt(dp, j+n) == byteAt(dp, p+n) {
		n++
	}
	return n
}

// encode appends the deflate block of data to dst, final or followed by an empty
// stored block. Greedy parse, one candidate per
// position (the last of its hash); of the positions inside a match only the last
// two are hashed: on the examples' PDF pages and CMaps, hashing them all bought
// another 1.2 % of the bytes for a tenth more instructions, none cost 1 % more bytes.
func (m *matcher) encode(dst []byte, c *Code, data []byte, final bool) []byte {
	n := len(data)
	if m.base > 1<<30 {
		m.head = [1 << hashBits]int32{}
		m.base = 0
	}
	off := m.base
	m.base += int32(n) + 1
	// Room for it all, written 8 bytes at a time: a literal takes at most 15 bits,
	// a match (4 bytes or more) at most 48.
	k := len(dst) + len(c.head)
	dst = append(dst, c.head...)
	if !final {
		dst[k-len(c.head)] &^= 1 // BFINAL, the header's first bit
	}
	dst = grow(dst, 2*n+32)
	buf := unsafe.Pointer(unsafe.SliceData(dst))
	acc, nb := c.tail, c.tailBits
	dp := unsafe.Pointer(unsafe.SliceData(data))
	head := &m.head
	codes := &c.lit
	p := 0
	for last := n - minMatch; p <= last; {
		x := load32(dp, p)
		h := (x * 0x9E3779B1) >> (32 - hashBits)
		cand := head[h]
		head[h] = off + int32(p) + 1
		if j := int(cand - off - 1); cand > off && p-j <= Window && load32(dp, j) == x {
			// The next 8 bytes here, the rest (rarely) by matchLen: a call spills
			// every register of the loop.
			l := minMatch
			if p+minMatch+8 <= n {
				if y := load64(dp, j+minMatch) ^ load64(dp, p+minMatch); y != 0 {
					l += bits.TrailingZeros64(y) >> 3
				} else {
					l += 8 + matchLen(dp, j+minMatch+8, p+minMatch+8, min(MaxMatch, n-p)-minMatch-8)
				}
			} else {
				l += matchLen(dp, j+minMatch, p+minMatch, n-p-minMatch)
			}
			d := p - j
			ds := distSym(d)
			lc, dc := c.length[l-3], c.dist[ds]
			dn := uint(dc.Len) + uint(distExtra[ds])
			// A match of 4 or 5 bytes is worth it only when their literals would
			// take more bits (taking them all cost 5 % more bytes on PDF pages).
			take := l > 5
			if !take {
				g := codes[byte(x)]>>16 + codes[byte(x>>8)]>>16 + codes[byte(x>>16)]>>16 + codes[x>>24]>>16
				if l == 5 {
					g += codes[byteAt(dp, p+4)] >> 16
				}
				take = g > uint32(lc.Len)+uint32(dn)
			}
			if take {
				acc |= uint64(lc.Bits) << (nb & 63)
				nb += uint(lc.Len)
				k, acc, nb = spill(buf, k, acc, nb)
				acc |= (uint64(dc.Bits) | uint64(d-int(distBase[ds]))<<(dc.Len&63)) << nb
				nb += dn
				if nb >= 32 {
					k, acc, nb = spill(buf, k, acc, nb)
				}
				if m.freq != nil {
					m.count(data[p:p+l], ds)
				}
				p += l
				// The match's last two positions, candidates for later matches.
				for q := p - 2; q < p && q <= last; q++ {
					head[(load32(dp, q)*0x9E3779B1)>>(32-hashBits)] = off + int32(q) + 1
				}
				continue
			}
		}
		lc := uint64(codes[byte(x)])
		acc |= (lc & 0xFFFF) << (nb & 63)
		nb += uint(lc >> 16)
		if nb >= 32 {
			k, acc, nb = spill(buf, k, acc, nb)
		}
		p++
	}
	for ; p < n; p++ {
		lc := uint64(codes[data[p]])
		acc |= (lc & 0xFFFF) << (nb & 63)
		nb += uint(lc >> 16)
		if nb >= 32 {
			k, acc, nb = spill(buf, k, acc, nb)
		}
	}
	acc |= uint64(c.eob.Bits) << (nb & 63)
	nb += uint(c.eob.Len)
	if !final {
		nb += 3 // a stored block's header, BFINAL 0 and BTYPE 00: zero bits
	}
	binary.LittleEndian.PutUint64((*[8]byte)(unsafe.Add(buf, k))[:], acc)
	k += int(nb+7) >> 3
	if !final { // the stored block's LEN 0 and NLEN
		binary.LittleEndian.PutUint32((*[4]byte)(unsafe.Add(buf, k))[:], 0xFFFF0000)
		k += 4
	}
	if m.freq != nil {
		for _, b := range data {
			m.freq[b]++
		}
		m.freq[EndBlock]++
	}
	return dst[:k]
}

// spill stores acc's 8 bytes at buf+k (the room is reserved) and keeps what is not
// whole bytes yet: the bit writer's one step, inlined.
func spill(buf unsafe.Pointer, k int, acc uint64, nb uint) (int, uint64, uint) {
	binary.LittleEndian.PutUint64((*[8]byte)(unsafe.Add(buf, k))[:], acc)
	return k + int(nb>>3), acc >> (nb & 56), nb & 7
}

// count records a match of the bytes b at distance symbol ds for Train: its
// symbols, and its bytes taken back from the literals encode adds for all bytes.
func (m *matcher) count(b []byte, ds uint8) {
	m.freq[257+int(lengthSym[len(b)-3])]++
	m.freq[NumLit+int(ds)]++
	for _, v := range b {
		m.freq[v]--
	}
}

// grow returns b with room for n more bytes beyond its length, as spare capacity.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b
	}
	nb := make([]byte, len(b), len(b)+n)
	copy(nb, b)
	return nb
}
