package fonts

import "math/bits"

// CRC-32 (IEEE) of a concatenation from the pieces' CRCs, as zlib's crc32_combine:
// crc(a‖b) = crc(a)·x^(8·len(b)) mod P ⊕ crc(b), in the reflected representation of
// hash/crc32. A DOCX's font part is checked by the CRC of its file; with each
// glyph's CRC cached, the file's comes without reading the glyphs' bytes (a cache
// miss each, scattered through fonts of megabytes).

const crcPoly = 0xEDB88320 // crc32.IEEE, reflected

// multModP is a·b mod P (a ≠ 0).
func multModP(a, b uint32) uint32 {
	m, p := uint32(1)<<31, uint32(0)
	for {
		if a&m != 0 {
			p ^= b
			if a&(m-1) == 0 {
				return p
			}
		}
		m >>= 1
		if b&1 != 0 {
			b = b>>1 ^ crcPoly
		} else {
			b >>= 1
		}
	}
}

// x2n is x^(2^k) mod P.
func x2n(k int) uint32 {
	p := uint32(1) << 30 // x^1
	for range k {
		p = multModP(p, p)
	}
	return p
}

// crcShiftBits is how many of a length's low bits crcShifts has tables for:
// glyphs are shorter than 64 KB.
const crcShiftBits = 16

// crcShiftTable[k] (crctable.go) multiplies a CRC by x^(8·2^k) mod P, a byte of it
// a table: the product is linear in the CRC. It is generated (TestCRCShiftTable
// -update-crc-table) rather than built on first use: building it was 400 K
// instructions, as much as a cold render's CRC-32s of all its DOCX fonts.
// crcShift is c·x^(8·n) mod P: the CRC of a piece moved n bytes on.
func crcShift(c uint32, n int) uint32 {
	t := &crcShiftTable
	for m := uint(n); m != 0; m &= m - 1 { // n's set bits only
		k := bits.TrailingZeros(m)
		if k < crcShiftBits {
			tk := &t[k]
			c = tk[0][c&0xFF] ^ tk[1][c>>8&0xFF] ^ tk[2][c>>16&0xFF] ^ tk[3][c>>24]
		} else {
			c = multModP(x2n(k+3), c)
		}
	}
	return c
}

// crcCombine is the CRC-32 of a‖b from a's CRC c1 and b's c2, b of len2 bytes.
func crcCombine(c1, c2 uint32, len2 int) uint32 { return crcShift(c1, len2) ^ c2 }
