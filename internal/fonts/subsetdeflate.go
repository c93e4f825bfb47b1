package fonts

import (
	"encoding/binary"
	"hash/crc32"
	"slices"
	"sync"
	"sync/atomic"

	"gongwen/internal/adler"
	"gongwen/internal/touch"
)

// A subset's compressed font file is a stored block holding the file's first 32
// bytes, then one dynamic block with glyphCodes' table: the tables before glyf
// encoded here, each glyph's cached bit string (composites, whose bytes the subset
// renumbers, encoded here), the tables after glyf, end of block. Nothing after the
// first 32 bytes refers back into them, so the DOCX's obfuscated copy (those bytes
// XORed with a key, ECMA-376 Part 1 §17.8.1) shares every block but the first.

// obfuscated is how many leading bytes font obfuscation changes.
const obfuscated = 32

// packing is a subset's file and what compressing it needs, and the results: zlib
// is the zlib stream (RFC 1950), whose deflate data is zlib[2:len(zlib)-4]. A cut
// subset's file is pre, the glyphs (the source's bytes but comp's, each padded to a
// multiple of align+1 bytes), post; nobody builds it unless asked (File: the PDF
// needs only its size). raw is instead a caller's own file (RawSubset).
type packing struct {
	raw       []byte
	pre, post []byte
	// preCode and postCode say how pre's and post's bytes are compressed.
	preCode, postCode []codeSpan
	src               *face
	order             []uint16       // the source's glyph ids, in the subset's order
	locs              []uint32       // glyph i is the source's glyf[locs[2i]:locs[2i+1]]
	comp              map[int][]byte // the composite glyphs' renumbered bytes, by index
	// codes are the glyphs' cached codes when cut (nil: not cached yet, or a
	// composite), never changed after (read by CRC32 in any goroutine); sums the
	// glyphSums of those not cached (nil when all were).
	codes   []*glyphCode
	sums    [][2]uint32
	glyfLen int
	align   int
	once    sync.Once
	zlib    []byte
	// asked is set once Zlib has been called (AppendDeflate then copies its result).
	asked atomic.Bool
	built sync.Once
	file  []byte
	mem   *subsetMem // what the slices are cut from: Release gives it to later cuts
}

// RawSubset is a Subset of a caller's own font file, compressed as it is (a test's
// or a writer's stand-in): only its File, Size, Zlib and Deflate mean anything until
// the caller sets the other fields.
func RawSubset(ttf []byte) *Subset { return &Subset{packing: &packing{raw: ttf}} }

// Release gives the subset's memory to later cuts, which then write over it. Call it
// once nothing calls the subset's methods any more nor reads its Runes, GIDs,
// Advances or Prefix, which are that memory: a DOCX that cut the subset for itself
// alone once its archive holds the compressed font, a render once all its writers
// are done. What File, Zlib, Deflate and DeflateParts returned is not that memory
// and stays (a render's PDF parts hold the shared stream). The subset's fields are
// cleared, so a use after fails rather than reading another subset's bytes; a
// second Release does nothing. A subset not released is the collector's, as any.
func (s *Subset) Release() {
	p := s.packing
	if p == nil || p.mem == nil {
		return
	}
	m := p.mem
	s.Runes, s.GIDs, s.Advances, s.packing = nil, nil, nil, nil
	if cap(m.codes) > maxKeptGlyphs {
		return // a rare giant's memory is not kept for the process's life
	}
	clear(m.codes[:cap(m.codes)]) // an idle buffer keeps no glyph's code alive
	spareSubsets.Put(m)
}

// maxKeptGlyphs bounds the subsets whose memory Release keeps (a report's largest
// has 500-2,000 glyphs): what the pool holds stays under 16 × 200 KB or so.
const maxKeptGlyphs = 8192

// Size is the font file's length in bytes, without building it.
func (s *Subset) Size() int {
	switch p := s.packing; {
	case p == nil:
		return 0
	case p.pre == nil:
		return len(p.raw)
	default:
		return len(p.pre) + p.glyfLen + len(p.post)
	}
}

// File returns the TrueType file, built on the first call (safe for concurrent
// use). Do not modify it.
func (s *Subset) File() []byte {
	p := s.packing
	if p == nil {
		return nil
	}
	if p.pre == nil {
		return p.raw
	}
	p.built.Do(func() {
		b := make([]byte, s.Size())
		k := copy(b, p.pre)
		for i := range p.order {
			g := p.src.glyf[p.locs[2*i]:p.locs[2*i+1]]
			if c, ok := p.comp[i]; ok {
				g = c
			}
			copy(b[k:], g)
			k += (len(g) + p.align) &^ p.align // padding bytes are already zero
		}
		copy(b[k:], p.post)
		p.file = b
	})
	return p.file
}

// Prefix is the start of the font file without building it: for a cut subset its
// table directory and the tables before glyf (OS/2 among them, whose fsType a DOCX
// writer checks), else the whole file. Do not modify it.
func (s *Subset) Prefix() []byte {
	if p := s.packing; p != nil && p.pre != nil {
		return p.pre
	}
	return s.File()
}

// CRC32 is the CRC-32 (IEEE) of the font file, or with key non-nil of the obfuscated
// file Deflate(key) holds, computed from the file's pieces without building it.
func (s *Subset) CRC32(key *[16]byte) uint32 {
	p := s.packing
	var head [obfuscated]byte
	pre := s.Prefix()
	n := copy(head[:], pre)
	if key != nil {
		for i := range n {
			head[i] ^= key[i%16]
		}
	}
	crc := crc32.Update(crc32.ChecksumIEEE(head[:n]), crc32.IEEETable, pre[n:])
	if p == nil || p.pre == nil {
		return crc
	}
	// The glyphs' cached CRCs moved into place (crc.go), their bytes unread; the
	// others' are computed.
	tab := crc32.IEEETable
	for i, gc := range p.codes {
		size, c := 0, uint32(0)
		switch {
		case gc != nil:
			size, c = int(gc.size), gc.crc
		default:
			g := p.src.glyf[p.locs[2*i]:p.locs[2*i+1]]
			if b, ok := p.comp[i]; ok {
				g = b
			}
			size, c = len(g), crc32.ChecksumIEEE(g)
		}
		crc = crcCombine(crc, c, size)
		// The padding's zero bytes, a table step each (hash/crc32's bytewise update).
		for range (size+p.align)&^p.align - size {
			crc = ^(tab[byte(^crc)] ^ ^crc>>8)
		}
	}
	return crc32.Update(crc, tab, p.post)
}

// storedLen is the first block's size: header byte, LEN, NLEN, the 32 bytes.
const storedLen = 5 + obfuscated

// lzFree holds idle match finders for any goroutine to take; pack holds one only
// while it encodes (not while it copies the glyphs' codes), so that the PDF's font
// goroutines mostly share one. (A sync.Pool keeps what a goroutine puts in its P's
// own slot, which a goroutine on the other P cannot take: a cold render made two, 16
// KB of fresh pages each.) At most 4 are kept.
var lzFree struct {
	sync.Mutex
	l []*lz
}

func getLZ() *lz {
	lzFree.Lock()
	defer lzFree.Unlock()
	if n := len(lzFree.l); n > 0 {
		e := lzFree.l[n-1]
		lzFree.l = lzFree.l[:n-1]
		return e
	}
	e := new(lz)
	touch.Pages(e.head[:]) // probed before it is stored into
	return e
}

func putLZ(e *lz) {
	lzFree.Lock()
	defer lzFree.Unlock()
	if len(lzFree.l) < 4 {
		lzFree.l = append(lzFree.l, e)
	}
}

// fastLZ encodes data with an idle match finder.
func fastLZ(w *bitWriter, t *codeTable, data []byte) {
	e := getLZ()
	e.fast(w, t, data)
	putLZ(e)
}

var zeros [8]byte

// Zlib returns the font file as a zlib stream (RFC 1950), for a PDF's FlateDecode
// font stream; computed once per subset (safe for concurrent use). Do not modify it.
func (s *Subset) Zlib() []byte {
	p := s.packing
	if p == nil {
		return pack(nil, nil) // a caller's own Subset without a file
	}
	p.asked.Store(true)
	p.once.Do(func() {
		if p.pre == nil {
			p.zlib = pack(p.raw, nil)
		} else {
			p.zlib = pack(p.pre, p)
		}
	})
	return p.zlib
}

// Deflate returns the font file as raw deflate data (RFC 1951), for a zip entry.
// With key non-nil the data is of the obfuscated font instead: its first 32 bytes
// XORed with key[i%16] (ECMA-376 Part 1 §17.8.1). Do not modify the result of a
// nil key; a key's result is the caller's.
func (s *Subset) Deflate(key *[16]byte) []byte {
	head, rest := s.DeflateParts(key)
	if head == nil {
		return rest
	}
	return append(head[:len(head):len(head)], rest...)
}

// DeflateParts is Deflate(key) in two pieces to be written one after the other, so
// that a writer need not copy the compressed font (a DOCX's largest font part is
// 130 KB): head, the caller's, and rest, shared like Deflate(nil)'s (do not modify
// it). With key nil head is nil; otherwise head is the first block with the file's
// first 32 bytes obfuscated (nothing after it refers back to them), or the whole
// data of a file too short for a stored block (rest nil).
func (s *Subset) DeflateParts(key *[16]byte) (head, rest []byte) {
	z := s.Zlib()
	raw := z[2 : len(z)-4]
	if key == nil {
		return nil, raw
	}
	if s.Size() <= obfuscated { // no stored block: the whole file is the XORed bytes
		ttf := s.File()
		b := make([]byte, len(ttf))
		for i := range b {
			b[i] = ttf[i] ^ key[i%16]
		}
		z := pack(b, nil)
		return z[2 : len(z)-4], nil
	}
	head = make([]byte, storedLen)
	copy(head, raw)
	for i := range obfuscated {
		head[5+i] ^= key[i%16]
	}
	return head, raw[storedLen:]
}

// AppendDeflate appends Deflate(key)'s bytes to dst and returns it. When nobody has
// asked the subset for its zlib stream (Zlib, Deflate, DeflateParts: a PDF or OFD of
// the same render), the font is compressed straight into dst, no stream of its own
// made and kept: a DOCX alone then neither allocates the compressed fonts (157 KB
// for Wuchuan's five, garbage after the render) nor copies them. Otherwise, or should
// that stream be asked for later, the shared one is made and copied, as before (the
// bytes are the same either way).
func (s *Subset) AppendDeflate(dst []byte, key *[16]byte) []byte {
	p := s.packing
	if p == nil || p.pre == nil || s.Size() <= obfuscated || p.asked.Load() {
		head, rest := s.DeflateParts(key)
		return append(append(dst, head...), rest...)
	}
	start := len(dst)
	dst = packInto(dst, p.pre, p, false)
	if key != nil {
		for i := range obfuscated {
			dst[start+5+i] ^= key[i%16]
		}
	}
	return dst
}

// DeflateBound is at least the length of AppendDeflate's bytes: exactly it when the
// zlib stream is made already, else the room its compression reserves.
func (s *Subset) DeflateBound() int {
	p := s.packing
	if p == nil || p.pre == nil || s.Size() <= obfuscated || p.asked.Load() {
		head, rest := s.DeflateParts(nil)
		return len(head) + len(rest)
	}
	return packRoom(p.pre, p, p.codes) + 8 // bitWriter.reserve's margin
}

// packRoom is how many bytes pack reserves for pre and c's file, the glyphs coded
// by codes (nil: a composite or one not yet encoded, bounded by its bytes).
func packRoom(pre []byte, c *packing, codes []*glyphCode) int {
	room := 2 * len(pre)
	if c != nil {
		room += 2 * len(c.post)
		for i, gc := range codes {
			switch {
			case gc != nil:
				room += 8*gc.nwords() + 8
			case c.comp[i] != nil:
				room += 2*len(c.comp[i]) + 24
			default:
				room += 2*int(c.locs[2*i+1]-c.locs[2*i]) + 24
			}
		}
	}
	return room + 2*storedLen + 8*len(glyphCodes().header) + 64
}

// pack compresses a file as a zlib stream: pre alone (c nil), or c's file, which
// pre starts.
func pack(pre []byte, c *packing) []byte { return packInto(nil, pre, c, true) }

// packInto appends pack's stream to dst, or with zlib false its raw deflate data
// (no header, no Adler-32).
func packInto(dst, pre []byte, c *packing, zlib bool) []byte {
	t := glyphCodes()
	// Room for all of it, so that the buffer is never copied to grow: lz.fast's
	// bound for the tables, the glyphs' codes and their padding (a literal each).
	size := len(pre)
	var codes []*glyphCode // c's, those Cut lacked encoded
	if c != nil {
		size += c.glyfLen + len(c.post)
		codes = c.codes
		if slices.Contains(codes, nil) { // not cached, or composites
			// A copy: c.codes stays as Cut left it, for CRC32 to read in any goroutine.
			codes = slices.Clone(codes)
			e := getLZ()
			c.src.encodeGlyphs(c.order, codes, c.sums, e, t)
			putLZ(e)
		}
	}
	// The bit writer works in dst's spare capacity, which it grows if short.
	w := bitWriter{buf: dst[:cap(dst)], k: len(dst)}
	w.reserve(packRoom(pre, c, codes))
	at := w.k // where the deflate data starts
	if zlib {
		// zlib header: deflate, 32 KB window, no dictionary, fastest-level hint (the
		// 16-bit value is a multiple of 31).
		w.buf[at], w.buf[at+1] = 0x78, 0x01
		at += 2
		w.k = at
	}
	n := min(len(pre), obfuscated)
	if size > obfuscated {
		// Stored block, not final: BFINAL 0, BTYPE 00, padding to the byte.
		w.buf[at] = 0
		binary.LittleEndian.PutUint16(w.buf[at+1:], uint16(n))
		binary.LittleEndian.PutUint16(w.buf[at+3:], ^uint16(n))
		copy(w.buf[at+5:], pre[:n])
		w.k = at + storedLen
	} else {
		n = 0 // one block for a file too short to obfuscate
	}
	w.appendBits(t.header, t.headerBits)
	var preCode []codeSpan
	if c != nil {
		preCode = c.preCode
	}
	encodeSpans(&w, t, pre, n, preCode)
	sum := uint32(1)
	if zlib {
		sum = adler.Checksum(pre)
	}
	if c != nil {
		sum = w.appendGlyphs(t, c, codes, sum)
		encodeSpans(&w, t, c.post, 0, c.postCode)
		if zlib {
			sum = adler.Combine(sum, adler.Checksum(c.post), len(c.post))
		}
	}
	w.reserve(8)
	eob := t.lit[endBlock]
	w.bits(uint64(eob.bits), uint(eob.n))
	if !zlib {
		return w.bytes()
	}
	return binary.BigEndian.AppendUint32(w.bytes(), sum)
}

// appendGlyphs writes the glyphs of c, whose codes are codes (nil: a composite),
// each followed by its padding's zero literals: the cached bit strings concatenated
// a 64-bit word at a time, the composites encoded here. It returns the Adler-32 of
// the file up to the end of the glyphs from sum, that of the bytes before them.
func (w *bitWriter) appendGlyphs(t *codeTable, c *packing, codes []*glyphCode, sum uint32) uint32 {
	room := 0
	for _, gc := range codes {
		if gc != nil {
			room += 8*gc.nwords() + 8
		}
	}
	w.reserve(room + 16) // pack reserved it all: no copy
	rest := room
	zero := uint64(t.byteCode[0] & 0xFFFF)
	zeroBits := uint(t.byteCode[0] >> 16)
	// Adler-32's sums, reduced every 64 glyphs: a1 < 2^24, a2 < 2^47 in between.
	a1, a2 := uint64(sum&0xFFFF), uint64(sum>>16)
	for i, gc := range codes {
		var pad int
		if gc == nil { // a composite: its renumbered bytes
			g := c.comp[i]
			size := len(g)
			w.flushAcc()
			fastLZ(w, t, g)
			a := adler.Combine(uint32(a2%adler.Mod)<<16|uint32(a1%adler.Mod), adler.Checksum(g), size)
			a1, a2 = uint64(a&0xFFFF), uint64(a>>16)
			pad = (size+c.align)&^c.align - size
			w.reserve(rest + 16)
		} else {
			ws := gc.words()
			w.putWords(ws, gc.nbits)
			rest -= 8*len(ws) + 8
			size := int(gc.size)
			l := uint64(size % adler.Mod)
			s1, s2 := uint64(gc.adler&0xFFFF), uint64(gc.adler>>16)
			// The glyph's own sums, less its Adler-32's initial 1 and L·1.
			a2 += a1*l + s2 + adler.Mod - l
			a1 += s1 + adler.Mod - 1
			pad = (size+c.align)&^c.align - size
		}
		for range pad {
			w.putBits(zero, zeroBits)
		}
		a2 += a1 * uint64(pad)
		if i&63 == 63 {
			a1 %= adler.Mod
			a2 %= adler.Mod
		}
	}
	w.flushAcc()
	return uint32(a2%adler.Mod)<<16 | uint32(a1%adler.Mod)
}
