package typeset

import (
	"math"
	"sync"

	"gongwen/internal/spec"
)

// Placing one line: positions its glyphs between the line's edges, justified,
// centred, left- or right-aligned.

// alignment of a line.
type alignment uint8

const (
	alignJustify alignment = iota // flush both edges, except last and forced lines
	alignLeft
	alignCentre
	alignRight
)

// paragraph is one text prepared for breaking and placing: its atoms and units, the
// widths of its first and other lines, and how its lines are set. The body, titles
// and table cells all go through it.
type paragraph struct {
	atoms         []atom
	units         []unit
	firstW, restW float64   // line widths: the first line, the others
	squeeze       float64   // the most a line may be tightened
	al            alignment // alignJustify: flush both edges, but the last line
	size          float64   // type size
}

// placeLine positions the atoms of line ls of p between left and left+w and returns
// them as runs (split where the font or the paragraph changes) with Y set to yRel.
func placeLine(dst []Run, ar *arena, p *paragraph, ls lineSpan, left, w, yRel float64) []Run {
	atoms, units, al, size := p.atoms, p.units, p.al, p.size
	nAtoms := 0
	if ls.b > ls.a {
		nAtoms = units[ls.b-1].b - units[ls.a].a
	}
	buf := ar.take(nAtoms)
	c := ls.b
	for c > ls.a && units[c-1].kind == uSpace {
		c--
	}
	nat := 0.0
	for k := ls.a; k < c; k++ {
		nat += units[k].w
	}
	gaps := c - ls.a - 1
	// Justification spreads the gaps outside cut words first, so a URL sharing a line
	// with other text shows (and copies with) no gaps inside it. A line made only of
	// the pieces of one cut word is set flush by spreading the slack over every
	// character (letter-spacing of a fraction of a point), never at the break marks,
	// so it still reads and copies as one word.
	stretch := 0
	for k := ls.a + 1; k < c; k++ {
		if !units[k].cont {
			stretch++
		}
	}
	extra, perAtom, x := 0.0, 0.0, left
	inWord := true // whether extra also goes inside cut words
	pairCut := 0.0 // taken from each gap between adjacent marks (pairTight)
	switch {
	case nat > w+eps && gaps > 0:
		// A tightened line: adjacent marks give up their blank halves first, then the
		// gaps between units (not inside words, unless that would take more than a
		// gap may lose) shrink evenly.
		shrink, pairs := nat-w, 0
		for k := ls.a + 1; k < c; k++ {
			if pairTight(units, k) {
				pairs++
			}
		}
		if pairs > 0 {
			pairCut = min(shrink, float64(pairs)*spec.PairTightCells*spec.Cell) / float64(pairs)
			shrink -= pairCut * float64(pairs)
		}
		if stretch > 0 && shrink/float64(stretch) <= spec.SqueezeMaxGapCells*spec.Cell+eps {
			extra, inWord = -shrink/float64(stretch), false
		} else {
			extra = -shrink / float64(gaps)
		}
	case al == alignJustify && !ls.last && !ls.forced && stretch > 0:
		extra = (w - nat) / float64(stretch)
		inWord = false
	case al == alignJustify && !ls.last && !ls.forced && gaps > 0:
		if n := units[c-1].b - units[ls.a].a - 1; n > 0 {
			perAtom = (w - nat) / float64(n)
		}
		// Wider letter-spacing reads as spaces to a text extractor (and a reader):
		// then the line is left ragged rather than have its URL copy garbled.
		if perAtom > maxLetterSpacingEm*size {
			perAtom = 0
		}
	case al == alignCentre && nat < w:
		x = left + (w-nat)/2
	case al == alignRight && nat < w:
		x = left + w - nat
	}
	lr := lineRuns{dst: dst, glyphs: buf, cur: -1, para: math.MinInt, size: size, yRel: yRel, breaks: ls.breaks}
	for k := ls.a; k < c; k++ {
		u := &units[k]
		for ai := u.a; ai < u.b; ai++ {
			a := &atoms[ai]
			if a.para != lr.para || a.font != lr.font {
				lr.start(a)
			}
			lr.glyphs = append(lr.glyphs, Glyph{R: a.r, X: x, W: float32(a.w)})
			x += a.w
			if k < c-1 || ai < u.b-1 {
				x += perAtom
			}
		}
		if k < c-1 && (inWord || !units[k+1].cont) {
			x += extra
		}
		if pairCut > 0 && k < c-1 && pairTight(units, k+1) {
			x -= pairCut
		}
	}
	end := min(x, left+w)
	for k := c; k < ls.b; k++ {
		for ai := units[k].a; ai < units[k].b; ai++ {
			a := &atoms[ai]
			if a.para != lr.para || a.font != lr.font {
				lr.start(a)
			}
			lr.glyphs = append(lr.glyphs, Glyph{R: a.r, X: end})
		}
	}
	return lr.done()
}

// lineRuns collects a line's glyphs into runs, a new run (start) where the font or
// the paragraph changes. glyphs is the current run's, its capacity the rest of the
// line's buffer: the runs share it, each cut to its length when the next starts.
// The current run's font and paragraph are kept here, not read back from dst for
// every glyph.
type lineRuns struct {
	dst        []Run
	glyphs     []Glyph
	cur        int // the current run's index in dst; -1 before the first glyph
	font       spec.Face
	para       int // math.MinInt (no atom's) before the first glyph
	size, yRel float64
	breaks     int // the line's breaks, given to its first run
}

// start begins a run for a's font and paragraph.
func (lr *lineRuns) start(a *atom) {
	if lr.cur >= 0 {
		g := lr.glyphs
		lr.dst[lr.cur].Glyphs = g[:len(g):len(g)]
		lr.glyphs = g[len(g):cap(g)][:0]
	}
	r := Run{Font: a.font, Size: lr.size, Y: lr.yRel, Para: a.para}
	if lr.cur < 0 {
		r.Breaks = lr.breaks
	}
	lr.dst = append(lr.dst, r)
	lr.cur = len(lr.dst) - 1
	lr.font, lr.para = a.font, a.para
}

// done returns the runs, the last one's glyphs with the buffer's remaining
// capacity (as every run's had until the next began).
func (lr *lineRuns) done() []Run {
	if lr.cur >= 0 {
		lr.dst[lr.cur].Glyphs = lr.glyphs
	}
	return lr.dst
}

// arena hands out glyph and run slices from large chunks, so a document's glyphs
// and runs take a few allocations instead of one per line.
type arena struct {
	free []Glyph
	runs []Run
	// The chunks of the standard sizes, handed back by Layout.Release.
	glyphChunks []*[]Glyph
	runChunks   []*[]Run
}

// Chunks of released layouts, for the next document's arena.
var glyphChunks, runChunks sync.Pool

func (a *arena) newGlyphs(n int) []Glyph {
	return newChunk(&glyphChunks, &a.glyphChunks, n, arenaChunk)
}

func (a *arena) newRuns(n int) []Run { return newChunk(&runChunks, &a.runChunks, n, runChunk) }

// newChunk returns an empty slice with room for n: a released layout's chunk from
// pool when n is the chunk size (kept in *held, for Release to hand back), else a
// fresh one.
func newChunk[T any](pool *sync.Pool, held *[]*[]T, n, size int) []T {
	if n != size {
		return make([]T, 0, n)
	}
	p, _ := pool.Get().(*[]T)
	if p == nil {
		s := make([]T, 0, n)
		p = &s
	}
	*held = append(*held, p)
	return (*p)[:0]
}

// Release hands the layout's glyph and run memory back for the next Typeset to
// reuse. Neither the layout nor any run or glyph slice read from it may be used
// afterwards: its pages are dropped, so a writer handed it fails rather than
// drawing another document's glyphs. A layout is released once, by whoever typeset
// it, after its last writer has returned.
func (l *Layout) Release() {
	if l == nil || l.arena == nil {
		return
	}
	for _, p := range l.arena.glyphChunks {
		glyphChunks.Put(p)
	}
	for _, p := range l.arena.runChunks {
		runChunks.Put(p)
	}
	l.arena = nil
	l.Pages, l.Bookmarks = nil, nil
}

// takeRuns returns an empty run slice with room for n runs (appending beyond n
// reallocates, as any slice does).
func (a *arena) takeRuns(n int) []Run {
	if cap(a.runs) < n {
		a.runs = a.newRuns(max(n, runChunk))
	}
	out := a.runs[:0:n]
	a.runs = a.runs[n:cap(a.runs)][:0]
	return out
}

const arenaChunk = 4096

// runChunk is the runs in a chunk: a page holds some 30 (a line is one or two), and
// a Run is about 100 bytes, so 1,024 a chunk was 100 KB for the 200 a short report
// uses.
const runChunk = 256

// take returns an empty slice with room for n glyphs.
func (a *arena) take(n int) []Glyph {
	if cap(a.free) < n {
		a.free = a.newGlyphs(max(n, arenaChunk))
	}
	out := a.free[:0:n]
	a.free = a.free[n:cap(a.free)][:0]
	return out
}
