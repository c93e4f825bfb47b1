package typeset

import (
	"math"
	"sync"

	"gongwen/internal/spec"
)

// Breaking a paragraph as a whole (in the spirit of Knuth and Plass): the breaks of
// all its lines are chosen together, minimising the sum of a badness per line, so
// that no justified line adds more than spec.LooseMaxCells of space while another
// choice of breaks avoids it.
//
// The greedy breaker (greedy.go) runs first: when it leaves no loose justified line
// it is kept (it fills each line, as a word processor does, and the format asks no
// more of a paragraph without loose lines); otherwise the total-fit search runs over the same units plus the last-resort
// breaks of kinsoku.go, in this order of preference: tightening adjacent marks (by up
// to spec.PairTightCells each, spec.SqueezeMaxCells a line), a break after a range's
// dash or hyphen, a break inside a long Latin or digit run. Only when none of these
// avoids it does a line stay loose.

// Badness of a line, in units of (cells of space)²; the constants rank the choices.
const (
	costShrinkBase = 2   // any tightening costs more than a 1-cell spread
	costShrink     = 2   // per cell² of tightening
	costLoose      = 1e5 // a loose line: worse than any last resort, or than a looser line
	costLooseCell  = 100 // per cell² of a loose line's space
	costRagged     = 1e6 // a line that cannot be set flush (see placeLine): worse still
	costOverfull   = 1e7 // one unit wider than the line (it stands alone)
)

// costRes is the price of a break of each class (resLegal, resRange, resMark, resRun).
var costRes = [...]float64{0, 50, 120, 150}

// breakLines breaks p into lines (see the top of this file), cutting words too wide
// for any line first. p.units may be replaced (by cut words and last-resort pieces):
// the spans index the units p holds on return.
func (p *paragraph) breakLines(dst []lineSpan) []lineSpan {
	p.units = splitLongWords(p.units, p.atoms, p.firstW, p.restW)
	lines := appendLines(dst, p.units, p.firstW, p.restW, p.squeeze)
	if p.al != alignJustify {
		return lines
	}
	q := p.quality(p.units, lines)
	if q.loose == 0 {
		return lines
	}
	units := withResorts(p.units, p.atoms)
	tf := totalFit(units, p.firstW, p.restW, p.squeeze, p.size)
	if tf == nil || !p.quality(units, tf).better(q) {
		return lines
	}
	p.units = units
	return append(lines[:0], tf...)
}

// lineQuality is what the format asks of a paragraph's justified lines, worst first:
// lines that cannot be set flush (ragged), loose lines, and their space beyond
// spec.LooseMaxCells (in cells).
type lineQuality struct {
	ragged, loose int
	excess        float64
}

func (q lineQuality) better(o lineQuality) bool {
	if q.ragged != o.ragged {
		return q.ragged < o.ragged
	}
	if q.loose != o.loose {
		return q.loose < o.loose
	}
	return q.excess < o.excess-eps
}

// quality measures the justified lines of lines (over units).
func (p *paragraph) quality(units []unit, lines []lineSpan) lineQuality {
	var q lineQuality
	for i, ls := range lines {
		if ls.last || ls.forced || ls.b <= ls.a {
			continue
		}
		w := p.restW
		if i == 0 {
			w = p.firstW
		}
		c := ls.b
		for c > ls.a && units[c-1].kind == uSpace {
			c--
		}
		slack := w - contentWidth(units, ls.a, ls.b)
		if s := slack / spec.Cell; s > spec.LooseMaxCells+eps {
			q.loose++
			q.excess += s - spec.LooseMaxCells
		}
		stretch := 0
		for k := ls.a + 1; k < c; k++ {
			if !units[k].cont {
				stretch++
			}
		}
		if atoms := units[c-1].b - units[ls.a].a - 1; stretch == 0 && atoms > 0 && slack > maxLetterSpacingEm*p.size*float64(atoms)+eps {
			q.ragged++
		}
	}
	return q
}

// fitter holds one paragraph's prefix sums for the search.
type fitter struct {
	units          []unit
	firstW, restW  float64
	squeeze, size  float64
	pre            []float64 // pre[k]: width of units [0, k)
	ink            []int     // ink[k]: end of the last non-space unit in [0, k)
	gaps, pairs    []int     // prefix counts of stretchable gaps and of tightenable pairs
	narrow         []int     // prefix count of units that are not full-width
	cost           []float64 // best cost of the lines before a break
	from           []int     // the break that starts the line ending there
	cand, segLines []int
	nextLegal      []int  // nextLegal[k]: the first legal break after k (or the segment's end)
	res            []int8 // res[k]: breakRes before units[k]
	ints           []int  // the array under ink, gaps, pairs, narrow, nextLegal
}

// totalFit breaks units into lines minimising the total badness; nil when some
// segment has no feasible choice (the greedy breaker then breaks against the rules).
// Forced breaks ("\n") split the paragraph into segments searched one by one, with
// the same line spans the greedy breaker makes for them.
func totalFit(units []unit, firstW, restW, squeeze, size float64) []lineSpan {
	f := newFitter(units, firstW, restW, squeeze, size)
	defer f.release()
	n := len(units)
	var lines []lineSpan
	breaks := 0
	for s := 0; s <= n; {
		e := s
		for e < n && units[e].kind != uBreak {
			e++
		}
		switch {
		case e > s:
			seg := f.segment(s, e, len(lines) == 0)
			if seg == nil {
				return nil
			}
			seg[0].breaks = breaks
			seg[len(seg)-1].forced = e < n
			lines = append(lines, seg...)
		case e < n: // an empty line between two forced breaks
			lines = append(lines, lineSpan{a: s, b: s, forced: true, breaks: breaks})
		}
		if e == n {
			break
		}
		breaks = 1
		s = e + 1
	}
	if len(lines) == 0 {
		lines = append(lines, lineSpan{})
	}
	if n > 0 && units[n-1].kind == uBreak {
		lines = append(lines, lineSpan{a: n, b: n, breaks: breaks})
	}
	lines[len(lines)-1].last = true
	return lines
}

// newFitter prepares the prefix sums and break classes of units; the title's shape
// search (title.go) reads its widths and legal breaks too.
// The caller hands it back with release; its tables are reused (the search runs for
// many paragraphs of a report, and its garbage showed in the profile).
func newFitter(units []unit, firstW, restW, squeeze, size float64) *fitter {
	n := len(units)
	f := fitters.Get().(*fitter)
	ints, pre, res := grow(f.ints, 5*(n+1)), grow(f.pre, n+1), grow(f.res, n+1)
	cand, cost, from, segLines := f.cand[:0], f.cost[:0], f.from[:0], f.segLines[:0]
	*f = fitter{units: units, firstW: firstW, restW: restW, squeeze: squeeze, size: size,
		ints: ints, pre: pre, res: res, cand: cand, cost: cost, from: from, segLines: segLines}
	f.ink, f.gaps, f.pairs, f.narrow, f.nextLegal = ints[:n+1], ints[n+1:2*(n+1)], ints[2*(n+1):3*(n+1)], ints[3*(n+1):4*(n+1)], ints[4*(n+1):]
	// Written before the loop reads them: a fresh array's page read first is mapped
	// twice in a cold process (the zero page, then a copy at the first write).
	f.pre[0], f.ink[0], f.gaps[0], f.pairs[0], f.narrow[0] = 0, 0, 0, 0, 0
	for k := 1; k < n; k++ {
		f.res[k] = int8(breakRes(units, k))
	}
	for k, u := range units {
		f.pre[k+1] = f.pre[k] + u.w
		f.ink[k+1] = f.ink[k]
		if u.kind != uSpace {
			f.ink[k+1] = k + 1
		}
		f.gaps[k+1], f.pairs[k+1], f.narrow[k+1] = f.gaps[k], f.pairs[k], f.narrow[k]
		if k > 0 && !u.cont {
			f.gaps[k+1]++
		}
		if k > 0 && pairTight(units, k) {
			f.pairs[k+1]++
		}
		if u.kind != uCJK { // —— and …… are full-width too
			f.narrow[k+1]++
		}
	}
	return f
}

var fitters = sync.Pool{New: func() any { return new(fitter) }}

// release returns f to the pool; f must not be used after.
func (f *fitter) release() {
	f.units = nil
	fitters.Put(f)
}

// grow returns s with length n, zeroed, reusing its array when it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// content is the width of units [a, b) without trailing spaces.
func (f *fitter) content(a, b int) float64 { return f.pre[max(f.ink[b], a)] - f.pre[a] }

// segment searches units [s, e) (no forced break inside); first: it holds the
// paragraph's first line.
func (f *fitter) segment(s, e int, first bool) []lineSpan {
	f.cand = append(f.cand[:0], s)
	for k := s + 1; k < e; k++ {
		if f.res[k] >= 0 {
			f.cand = append(f.cand, k)
		}
	}
	f.cand = append(f.cand, e)
	next := e
	for k := e; k > s; k-- {
		f.nextLegal[k] = next
		if k < e && f.res[k] == resLegal {
			next = k
		}
		f.nextLegal[k-1] = next
	}
	m := len(f.cand)
	f.cost = append(f.cost[:0], make([]float64, m)...)
	f.from = append(f.from[:0], make([]int, m)...)
	bound := max(f.firstW, f.restW) + f.squeeze
	for bi := 1; bi < m; bi++ {
		b := f.cand[bi]
		f.cost[bi], f.from[bi] = math.Inf(1), -1
		for ai := bi - 1; ai >= 0; ai-- {
			a := f.cand[ai]
			if f.pre[b]-f.pre[a] > bound+eps && ai < bi-1 {
				break // lines only get wider from here: the search stays linear
			}
			if math.IsInf(f.cost[ai], 1) {
				continue
			}
			c, ok := f.lineCost(a, b, e, first && a == s)
			if !ok {
				continue
			}
			if b < e {
				c += costRes[f.res[b]]
			}
			if t := f.cost[ai] + c; t < f.cost[bi] {
				f.cost[bi], f.from[bi] = t, ai
			}
		}
	}
	if f.from[m-1] < 0 {
		return nil
	}
	f.segLines = f.segLines[:0]
	for bi := m - 1; bi > 0; bi = f.from[bi] {
		f.segLines = append(f.segLines, bi)
	}
	out := make([]lineSpan, len(f.segLines))
	for i, bi := range f.segLines {
		out[len(out)-1-i] = lineSpan{a: f.cand[f.from[bi]], b: f.cand[bi]}
	}
	return out
}

// lineCost is the badness of the line units [a, b) in the segment ending at e.
func (f *fitter) lineCost(a, b, e int, first bool) (float64, bool) {
	w := f.restW
	if first {
		w = f.firstW
	}
	c := max(f.ink[b], a)
	nat := f.pre[c] - f.pre[a]
	slack := w - nat
	allWide := c-a >= 2 && f.narrow[c]-f.narrow[a] == 0
	switch {
	case slack < -eps:
		if c-a <= 1 {
			return costOverfull, true
		}
		gaps, pairs := f.gaps[c]-f.gaps[a+1], f.pairs[c]-f.pairs[a+1]
		pairCap := float64(pairs) * spec.PairTightCells * spec.Cell
		limit := min(f.squeeze, float64(gaps)*spec.SqueezeMaxGapCells*spec.Cell+pairCap)
		if -slack > limit+eps {
			return 0, false
		}
		// A line of full-width characters is 28 cells; it takes a 29th only for
		// closing punctuation that may not start the next line, or by tightening
		// adjacent marks.
		if allWide && !noLineStart.has(f.units[c-1].first) && -slack > pairCap+eps {
			return 0, false
		}
		s := -slack / spec.Cell
		return costShrinkBase + costShrink*s*s, true
	case b == e || slack <= eps:
		return 0, true // the segment's last line is not justified
	}
	// A line of full-width characters is spread only where a rule moved what
	// follows to the next line: as the greedy breaker would, it takes everything up to
	// the next legal break that fits (28 cells on a full line, 27 where one character
	// had to go down with the next).
	if allWide && b < e && f.pre[max(f.ink[f.nextLegal[b]], a)]-f.pre[a] <= w+eps {
		return 0, false
	}
	s := slack / spec.Cell
	cost := s * s
	if s > spec.LooseMaxCells+eps {
		cost = costLoose + costLooseCell*s*s
	}
	// A line of one cut word's pieces has no gap to spread: it is letter-spaced, or
	// left ragged when that would read as spaces (placeLine).
	if f.gaps[c]-f.gaps[a+1] == 0 && slack > maxLetterSpacingEm*f.size*float64(f.units[c-1].b-f.units[a].a-1)+eps {
		cost += costRagged
	}
	return cost, true
}
