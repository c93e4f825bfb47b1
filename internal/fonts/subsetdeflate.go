package fonts

import (
	"encoding/binary"
	"sync"
)

// A subset's compressed font file is a stored block holding the file's first 32
// bytes, then one dynamic block with glyphCodes' table: the tables before glyf
// encoded here, each glyph's cached bit string (composites, whose bytes the subset
// renumbers, encoded here), the tables after glyf, end of block. Nothing after the
// first 32 bytes refers back into them, so the DOCX's obfuscated copy (those bytes
// XORed with a key, ECMA-376 Part 1 §17.8.1) shares every block but the first.

// obfuscated is how many leading bytes font obfuscation changes.
const obfuscated = 32

// packing is what compressing a subset cut by subset needs, and the result: zlib
// is the zlib stream (RFC 1950), whose deflate data is zlib[2:len(zlib)-4].
type packing struct {
	src   *face
	order []uint16 // the source's glyph ids, in the subset's order
	// codes are the glyphs' cached codes when cut (nil: not cached yet, or a
	// composite); sums the glyphSums of those not cached (nil when all were).
	codes   []*glyphCode
	sums    [][2]uint32
	glyfAt  int // glyf's offset in the file
	glyfLen int
	align   int // glyphs padded to a multiple of align+1 bytes
	once    sync.Once
	zlib    []byte
}

// storedLen is the first block's size: header byte, LEN, NLEN, the 32 bytes.
const storedLen = 5 + obfuscated

var lzPool = sync.Pool{New: func() any { return new(lz) }}

var zeros [8]byte

// Zlib returns the font file as a zlib stream (RFC 1950), for a PDF's FlateDecode
// font stream; computed once per subset (safe for concurrent use). Do not modify it.
func (s *Subset) Zlib() []byte {
	if s.packing == nil {
		return pack(s.TTF, nil) // a caller's own Subset
	}
	p := s.packing
	p.once.Do(func() { p.zlib = pack(s.TTF, p) })
	return p.zlib
}

// Deflate returns the font file as raw deflate data (RFC 1951), for a zip entry.
// With key non-nil the data is of the obfuscated font instead: its first 32 bytes
// XORed with key[i%16] (ECMA-376 Part 1 §17.8.1). Do not modify the result of a
// nil key; a key's result is the caller's.
func (s *Subset) Deflate(key *[16]byte) []byte {
	z := s.Zlib()
	raw := z[2 : len(z)-4]
	if key == nil {
		return raw
	}
	if len(s.TTF) <= obfuscated { // no stored block: the whole file is the XORed bytes
		b := make([]byte, len(s.TTF))
		for i := range b {
			b[i] = s.TTF[i] ^ key[i%16]
		}
		z := pack(b, nil)
		return z[2 : len(z)-4]
	}
	out := make([]byte, len(raw))
	copy(out, raw)
	for i := range obfuscated {
		out[5+i] ^= key[i%16]
	}
	return out
}

// pack compresses ttf, with the glyphs' cached encodings when c says where they are.
func pack(ttf []byte, c *packing) []byte {
	t := glyphCodes()
	var w bitWriter
	w.reserve(len(ttf)*3/4 + 2*storedLen + 1024)
	// zlib header: deflate, 32 KB window, no dictionary, fastest-level hint (the
	// 16-bit value is a multiple of 31).
	w.buf[0], w.buf[1] = 0x78, 0x01
	w.k = 2
	n := min(len(ttf), obfuscated)
	if len(ttf) > obfuscated {
		// Stored block, not final: BFINAL 0, BTYPE 00, padding to the byte.
		w.buf[2] = 0
		binary.LittleEndian.PutUint16(w.buf[3:], uint16(n))
		binary.LittleEndian.PutUint16(w.buf[5:], ^uint16(n))
		copy(w.buf[7:], ttf[:n])
		w.k = 2 + storedLen
	} else {
		n = 0 // one block for a file too short to obfuscate
	}
	w.appendBits(t.header, t.headerBits)
	e := lzPool.Get().(*lz)
	defer lzPool.Put(e)
	var adler uint32
	if c == nil || c.glyfAt < n || c.glyfAt+c.glyfLen > len(ttf) {
		// Not cut by subset: the file in one piece.
		e.fast(&w, t, ttf[n:])
		adler = adler32Sum(ttf)
	} else {
		e.fast(&w, t, ttf[n:c.glyfAt])
		c.src.encodeGlyphs(c.order, c.codes, c.sums, e, t)
		var p int
		adler, p = w.appendGlyphs(t, ttf, c, adler32Sum(ttf[:c.glyfAt]), e)
		e.fast(&w, t, ttf[p:])
		adler = adlerCombine(adler, adler32Sum(ttf[p:]), len(ttf)-p)
	}
	w.reserve(8)
	eob := t.lit[endBlock]
	w.bits(uint64(eob.bits), uint(eob.n))
	return binary.BigEndian.AppendUint32(w.bytes(), adler)
}

// appendGlyphs writes the glyphs of c, each followed by its padding's zero
// literals: the cached bit strings concatenated a 64-bit word at a time, the
// composites encoded from ttf with e. It returns the Adler-32 of ttf up to the end
// of glyf from adler, that of the bytes before glyf, and where glyf ends.
func (w *bitWriter) appendGlyphs(t *codeTable, ttf []byte, c *packing, adler uint32, e *lz) (uint32, int) {
	room := 0
	for _, gc := range c.codes {
		if gc != nil {
			room += 8*len(gc.words) + 8
		}
	}
	w.reserve(room + 16)
	zero := uint64(t.byteCode[0] & 0xFFFF)
	zeroBits := uint(t.byteCode[0] >> 16)
	// Adler-32's sums, reduced every 64 glyphs: a1 < 2^24, a2 < 2^47 in between.
	a1, a2 := uint64(adler&0xFFFF), uint64(adler>>16)
	p := c.glyfAt
	for i, gc := range c.codes {
		var pad int
		if gc == nil { // a composite: its renumbered bytes
			old := c.order[i]
			size := len(c.src.glyph(int(old)))
			g := ttf[p : p+size]
			w.flushAcc()
			e.fast(w, t, g)
			a := adlerCombine(uint32(a2%adlerMod)<<16|uint32(a1%adlerMod), adler32Sum(g), size)
			a1, a2 = uint64(a&0xFFFF), uint64(a>>16)
			p += size
			pad = (size+c.align)&^c.align - size
			w.reserve(room + 16)
		} else {
			w.putWords(gc.words, gc.nbits)
			l := uint64(gc.size % adlerMod)
			s1, s2 := uint64(gc.adler&0xFFFF), uint64(gc.adler>>16)
			// The glyph's own sums, less its Adler-32's initial 1 and L·1.
			a2 += a1*l + s2 + adlerMod - l
			a1 += s1 + adlerMod - 1
			p += gc.size
			pad = (gc.size+c.align)&^c.align - gc.size
		}
		for range pad {
			w.putBits(zero, zeroBits)
		}
		p += pad
		a2 += a1 * uint64(pad)
		if i&63 == 63 {
			a1 %= adlerMod
			a2 %= adlerMod
		}
	}
	w.flushAcc()
	return uint32(a2%adlerMod)<<16 | uint32(a1%adlerMod), p
}
