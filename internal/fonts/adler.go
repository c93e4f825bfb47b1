package fonts

import "encoding/binary"

// adler32Sum is hash/adler32.Checksum eight bytes a step: every glyph of a cold
// process is summed, and the byte-at-a-time loop cost about 5 instructions a byte.
// Of a block b0..b7, s1 grows by their sum and s2 by 8·s1 + 8·b0 + 7·b1 + … + b7;
// both sums come from one multiplication of four 16-bit lanes each (bytes 0, 2, 4, 6
// and 1, 3, 5, 7), no lane exceeding 16 bits.
func adler32Sum(p []byte) uint32 {
	const (
		lanes = 0x00FF00FF00FF00FF
		even  = 2 | 4<<16 | 6<<32 | 8<<48 // lane 3 of e·even: 8·b0 + 6·b2 + 4·b4 + 2·b6
		odd   = 1 | 3<<16 | 5<<32 | 7<<48 // lane 3 of o·odd: 7·b1 + 5·b3 + 3·b5 + b7
		ones  = 1 | 1<<16 | 1<<32 | 1<<48
		chunk = 1 << 16 // bytes between reductions: s2 stays far below 2^64
	)
	s1, s2 := uint64(1), uint64(0)
	for len(p) > 0 {
		q := p[:min(len(p), chunk)]
		p = p[len(q):]
		for len(q) >= 8 {
			x := binary.LittleEndian.Uint64(q)
			q = q[8:]
			e, o := x&lanes, x>>8&lanes
			s2 += 8*s1 + (e*even)>>48 + (o*odd)>>48
			s1 += ((e + o) * ones) >> 48
		}
		for _, b := range q {
			s1 += uint64(b)
			s2 += s1
		}
		s1 %= adlerMod
		s2 %= adlerMod
	}
	return uint32(s2<<16 | s1)
}
