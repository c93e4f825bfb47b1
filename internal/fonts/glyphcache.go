package fonts

import (
	"encoding/binary"
	"hash/crc32"
	"sync"
	"sync/atomic"
	"unsafe"

	"gongwen/internal/adler"
	"gongwen/internal/touch"
)

// glyphCode is one glyph's outline encoded on its own (lz.fast, glyphCodes' table):
// a bit string that fits anywhere in a block with that table.
// 40 bytes (the words as a pointer, not a slice): a cold render makes one for each of
// its glyphs.
type glyphCode struct {
	w     *uint64 // the first of the bit string's words (nil: none)
	nbits int
	size  uint32 // the glyph's bytes (loca's offsets are 32-bit)
	adler uint32 // Adler-32 of the glyph's bytes, to combine into the file's
	crc   uint32 // CRC-32 of them, likewise (crc.go)
	// sum is the glyph's part of the sfnt checksum (glyphSums), so that a subset's
	// glyf table is summed without reading its bytes.
	sum [2]uint32
	gid uint16 // the glyph's id in its face, for the cache
}

// words is the bit string.
func (c *glyphCode) words() []uint64 { return unsafe.Slice(c.w, c.nwords()) }

// nwords is how many words the bit string takes.
func (c *glyphCode) nwords() int { return int(uint(c.nbits+63) >> 6) }

// newGlyphCode is the code of words, nbits long, of a glyph of size bytes.
func newGlyphCode(words []uint64, nbits, size int, adler, crc uint32, sum [2]uint32) glyphCode {
	var w *uint64
	if len(words) > 0 {
		w = &words[0]
	}
	return glyphCode{w: w, nbits: nbits, size: uint32(size), adler: adler, crc: crc, sum: sum}
}

// glyphCache holds a face's encoded glyphs: an open-addressing table of codes by
// glyph id (lock-free reads: a warm render looks up every glyph of its subsets),
// replaced by one twice as large, under mu, when it is half full. The encoding of a
// glyph depends on its bytes only, so a render's output never depends on what is
// cached. (Blocks of 256 ids took 2 KB for each block a document touched: 232 KB, a
// page fault for each 4 KB, in a cold render whose 743 glyphs fill 20 KB of tables.)
type glyphCache struct {
	table atomic.Pointer[cacheTable]
	mu    sync.Mutex // serialises puts and growth
	n     int        // codes in the table, under mu
	// static is what every subset of the face shares (subset.go).
	static atomic.Pointer[faceStatic]
}

// cacheTable's slots hold codes, each at its id's hash or after it (linear
// probing); nil ends a search. A code is never removed.
type cacheTable struct {
	slots []atomic.Pointer[glyphCode] // a power of two
	shift uint                        // 32 - log2(len(slots))
}

func (t *cacheTable) home(g uint16) uint32 { return uint32(g) * 0x9E3779B1 >> (t.shift & 31) }

// get is glyph g's cached code, nil when not cached.
func (c *glyphCache) get(g uint16) *glyphCode {
	t := c.table.Load()
	if t == nil {
		return nil
	}
	mask := uint32(len(t.slots) - 1)
	for h := t.home(g); ; h = (h + 1) & mask {
		p := t.slots[h].Load()
		if p == nil || p.gid == g {
			return p
		}
	}
}

// grow replaces the table by one at most half full with n codes (mu held).
func (c *glyphCache) grow(n int) {
	old := c.table.Load()
	if old != nil && 2*n <= len(old.slots) {
		return
	}
	b := uint(6)
	for 1<<b < 2*n {
		b++
	}
	t := &cacheTable{slots: make([]atomic.Pointer[glyphCode], 1<<b), shift: 32 - b}
	touch.Pages(t.slots) // probed before it is stored into
	if old != nil {
		mask := uint32(len(t.slots) - 1)
		for i := range old.slots {
			if p := old.slots[i].Load(); p != nil {
				h := t.home(p.gid)
				for t.slots[h].Load() != nil {
					h = (h + 1) & mask
				}
				t.slots[h].Store(p)
			}
		}
	}
	c.table.Store(t) // readers of the old one miss the codes put from now on
}

// put caches gc (whose gid is set) unless another render did meanwhile (the same
// bits); mu held.
func (c *glyphCache) put(gc *glyphCode) bool {
	t := c.table.Load()
	mask := uint32(len(t.slots) - 1)
	h := t.home(gc.gid)
	for {
		p := t.slots[h].Load()
		if p == nil {
			break
		}
		if p.gid == gc.gid {
			return false
		}
		h = (h + 1) & mask
	}
	t.slots[h].Store(gc)
	c.n++
	return true
}

// cacheBudget bounds the bytes all faces' caches hold: every glyph of the 通用规范汉字表
// in the five role faces takes about 8 MB; beyond the budget glyphs are encoded
// for each document and not kept (the first documents' characters, the common ones,
// stay cached).
const cacheBudget = 32 << 20

var cacheBytes atomic.Int64

// composite reports whether a glyph is a composite one, whose component ids the
// subsetter renumbers: its bytes differ from one subset to the next.
func composite(g []byte) bool {
	return len(g) >= 10 && int16(binary.BigEndian.Uint16(g)) < 0
}

var emptyGlyph = &glyphCode{adler: 1}

// glyphSums is g's part of an sfnt checksum, as two halves: [0] sums its big-endian
// 16-bit words at offsets 0, 4, 8, …, [1] those at 2, 6, 10, … (the last byte
// padded with zero). Placed at an offset of 4k the glyph adds [0]<<16 + [1] to its
// table's checksum, at 4k+2 [1]<<16 + [0].
func glyphSums(g []byte) [2]uint32 {
	const lanes = 0x0000FFFF0000FFFF
	var hi, lo uint64 // two 32-bit lanes each: no overflow below 2^16 words a lane
	for len(g) >= 8 {
		v := binary.BigEndian.Uint64(g)
		g = g[8:]
		hi += v >> 16 & lanes
		lo += v & lanes
	}
	if len(g) > 0 {
		var last [8]byte
		copy(last[:], g)
		v := binary.BigEndian.Uint64(last[:])
		hi += v >> 16 & lanes
		lo += v & lanes
	}
	return [2]uint32{uint32(hi>>32 + hi), uint32(lo>>32 + lo)}
}

// placedSum is what a glyph whose glyphSums are s adds to its table's checksum at
// offset off (even).
func placedSum(s [2]uint32, off int) uint32 {
	if off&2 == 0 {
		return s[0]<<16 + s[1]
	}
	return s[1]<<16 + s[0]
}

// glyphCodes returns the encoding of each glyph of order (old ids), nil for the
// composite ones, encoding and caching those not cached yet with e.
func (f *face) glyphCodes(order []uint16, e *lz, t *codeTable) []*glyphCode {
	out := make([]*glyphCode, len(order))
	for i, old := range order {
		out[i] = f.codes.get(old)
	}
	f.encodeGlyphs(order, out, nil, e, t)
	return out
}

// encodeGlyphs fills in the codes of order's glyphs that out lacks (but composites,
// left nil), from the code file or by encoding them with e, and caches them. sums,
// when not nil, holds the glyphs' glyphSums already made.
func (f *face) encodeGlyphs(order []uint16, out []*glyphCode, sums [][2]uint32, e *lz, t *codeTable) {
	missing, raw := 0, 0
	for i, old := range order {
		if out[i] == nil {
			missing++
			raw += len(f.glyph(int(old)))
		}
	}
	if missing == 0 {
		return
	}
	var w bitWriter
	// The fresh codes and their bit strings are carved from two blocks rather than
	// allocated one by one (two allocations a glyph were most of a cold render's).
	// The glyph code takes about 70 % of a glyph's bytes: the words block starts at
	// 75 % of the missing glyphs' bytes (it stays referenced while any of them is
	// cached), and a smaller block is started when it runs out.
	codes := make([]glyphCode, 0, missing)
	var arena []uint64 // made on the first glyph the code file lacks
	cf := f.pre.get(f)
	for i, old := range order {
		if out[i] != nil {
			continue
		}
		g := f.glyph(int(old))
		if len(g) == 0 {
			out[i] = emptyGlyph
			continue
		}
		var gc glyphCode
		ok := false
		if cf != nil {
			gc, ok = cf.lookup(old, len(g)) // a simple glyph when found: g unread
		}
		if !ok {
			if composite(g) {
				continue // encoded with the subset's bytes
			}
			if arena == nil {
				arena = make([]uint64, 0, raw*3/32+missing)
			}
			e.fast(&w, t, g)
			nbits := w.nbits()
			nw := (nbits + 63) / 64
			if cap(arena)-len(arena) < nw {
				arena = make([]uint64, 0, max(nw, raw/64))
			}
			words := arena[len(arena) : len(arena)+nw : len(arena)+nw]
			arena = arena[:len(arena)+nw]
			w.wordsInto(words)
			var sum [2]uint32
			if sums != nil {
				sum = sums[i]
			} else {
				sum = glyphSums(g)
			}
			gc = newGlyphCode(words, nbits, len(g), adler.Checksum(g), crc32.ChecksumIEEE(g), sum)
		}
		gc.gid = old
		codes = append(codes, gc) // within its capacity: the pointers stay
		out[i] = &codes[len(codes)-1]
	}
	if len(codes) > 0 {
		f.cache(out)
	}
}

// cache caches the codes (their gids set; nil and emptyGlyph skipped) while the
// budget allows: under one lock, the table grown at most once.
func (f *face) cache(codes []*glyphCode) {
	c := &f.codes
	c.mu.Lock()
	defer c.mu.Unlock()
	c.grow(c.n + len(codes))
	for _, p := range codes {
		if p == nil || p == emptyGlyph {
			continue
		}
		size := int64(8*p.nwords() + 96)
		if cacheBytes.Add(size) > cacheBudget {
			cacheBytes.Add(-size)
			continue
		}
		if !c.put(p) {
			cacheBytes.Add(-size) // cached already, by this render or another (the same bits)
		}
	}
}
