package fonts

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
)

// glyphCode is one glyph's outline encoded on its own (lz.fast, glyphCodes' table):
// a bit string that fits anywhere in a block with that table.
type glyphCode struct {
	words []uint64
	nbits int
	adler uint32 // Adler-32 of the glyph's bytes, to combine into the file's
	size  int    // the glyph's bytes
}

// glyphCache holds a face's encoded glyphs. The encoding of a glyph depends on its
// bytes only, so a render's output never depends on what is cached.
type glyphCache struct {
	mu sync.RWMutex
	m  map[uint16]*glyphCode
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

// glyphCodes returns the encoding of each glyph of order (old ids), nil for the
// composite ones, encoding and caching those not cached yet with e.
func (f *face) glyphCodes(order []uint16, e *lz, t *codeTable) []*glyphCode {
	out := make([]*glyphCode, len(order))
	c := &f.codes
	missing := 0
	c.mu.RLock()
	for i, old := range order {
		if gc := c.m[old]; gc != nil {
			out[i] = gc
		} else {
			missing++
		}
	}
	c.mu.RUnlock()
	if missing == 0 {
		return out
	}
	var w bitWriter
	fresh := make([]int, 0, missing)
	// The fresh codes and their bit strings are carved from two blocks rather than
	// allocated one by one (two allocations a glyph were most of a cold render's).
	// The glyph code takes about 70 % of a glyph's bytes: the words block starts at
	// 75 % of the missing glyphs' bytes (it stays referenced while any of them is
	// cached), and a smaller block is started when it runs out.
	codes := make([]glyphCode, missing)
	raw := 0
	for i, old := range order {
		if out[i] == nil {
			raw += len(f.glyph(int(old)))
		}
	}
	var arena []uint64 // made on the first glyph the code file lacks
	cf := f.pre.get(f)
	for i, old := range order {
		if out[i] != nil {
			continue
		}
		g := f.glyph(int(old))
		switch {
		case len(g) == 0:
			out[i] = emptyGlyph
		case composite(g):
			continue // encoded with the subset's bytes
		default:
			if cf != nil {
				if pc, ok := cf.lookup(old, g); ok {
					gc := &codes[len(fresh)]
					*gc = pc
					out[i] = gc
					fresh = append(fresh, i)
					continue
				}
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
			gc := &codes[len(fresh)]
			*gc = glyphCode{words: words, nbits: nbits, adler: adler32Sum(g), size: len(g)}
			out[i] = gc
			fresh = append(fresh, i)
		}
	}
	if len(fresh) == 0 {
		return out
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[uint16]*glyphCode, 2*len(fresh))
	}
	for _, i := range fresh {
		gc := out[i]
		if c.m[order[i]] != nil {
			continue // another render cached it meanwhile (the same bits)
		}
		size := int64(8*len(gc.words) + 64)
		if cacheBytes.Add(size) > cacheBudget {
			cacheBytes.Add(-size)
			break
		}
		c.m[order[i]] = gc
	}
	c.mu.Unlock()
	return out
}

const adlerMod = 65521

// adlerCombine is the Adler-32 of a‖b from a's and b's (zlib's adler32_combine).
func adlerCombine(a1, a2 uint32, len2 int) uint32 {
	rem := uint32(len2 % adlerMod)
	s1 := a1 & 0xffff
	s2 := rem * s1 % adlerMod
	s1 += (a2 & 0xffff) + adlerMod - 1
	s2 += (a1 >> 16) + (a2 >> 16) + adlerMod - rem
	if s1 >= adlerMod {
		s1 -= adlerMod
	}
	if s1 >= adlerMod {
		s1 -= adlerMod
	}
	if s2 >= 2*adlerMod {
		s2 -= 2 * adlerMod
	}
	if s2 >= adlerMod {
		s2 -= adlerMod
	}
	return s2<<16 | s1
}
