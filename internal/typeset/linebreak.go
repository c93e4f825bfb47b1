package typeset

import (
	"strings"

	"gongwen/internal/spec"
)

// The line-breaking rules (禁则) live here and only here.
//
//   - A line may break between two units (see segment), never inside one, and never
//     before a space (the space stays at the end of the line, with no width there).
//   - A line never starts with a character of spec.NoLineStart nor ends with one of
//     spec.NoLineEnd; —— and …… are single units, so they are never split.
//   - When the natural break would violate a rule, the line either pushes its last
//     unit out to the next line (preferred when that single unit resolves it) or is
//     tightened by at most spec.SqueezeMaxCells cells, the spacing between units
//     shrinking evenly (full-width punctuation keeps its cell); failing both, the
//     break moves further back; only a line with no legal break at all breaks
//     against the rules (never outside the type area).
//   - A half-width word too wide for any line it could start (a long URL) is cut
//     after / . - _ ? & = and, if a piece is still too wide, between characters.
//     Only a table column narrower than two cells splits —— or …….

var noLineStart, noLineEnd = runeSet(spec.NoLineStart), runeSet(spec.NoLineEnd)

func runeSet(s string) map[rune]bool {
	m := map[rune]bool{}
	for _, r := range s {
		m[r] = true
	}
	return m
}

// maxLetterSpacingEm is the widest letter-spacing (in em) used to set a line made only
// of a cut URL's pieces flush; pdftotext and its kin read gaps from about 0.1 em on as
// word spaces.
const maxLetterSpacingEm = 0.08

// urlBreakAfter are the characters a too-long word may be cut after.
const urlBreakAfter = "/.-_?&="

const eps = 1e-6

// breakAllowed reports whether a line may end before units[k] (k > 0).
func breakAllowed(units []unit, k int) bool {
	prev, next := &units[k-1], &units[k]
	if next.kind == uBreak || prev.kind == uBreak {
		return true
	}
	if next.glue || next.kind == uSpace {
		return false
	}
	if noLineStart[next.first] || noLineEnd[prev.last] {
		return false
	}
	return true
}

// lineSpan is one line: units [a, b).
type lineSpan struct {
	a, b   int
	forced bool // ended by a forced break ("\n")
	last   bool // the paragraph's last line
	breaks int  // forced breaks immediately before the line
}

// splitLongWords cuts every word unit too wide for any line it could start into
// pieces (see the rules): the paragraph's first unit can only start the first line
// (firstW wide); any other may start a continuation line (restW wide).
func splitLongWords(units []unit, atoms []atom, firstW, restW float64) []unit {
	limit := func(k int) float64 {
		if k == 0 {
			return firstW
		}
		return restW
	}
	long := false
	for k := range units {
		if units[k].b-units[k].a > 1 && units[k].w > limit(k)+eps {
			long = true
			break
		}
	}
	if !long {
		return units
	}
	out := make([]unit, 0, len(units)+8)
	for k, u := range units {
		maxW := limit(k)
		if u.b-u.a <= 1 || u.w <= maxW+eps || u.kind == uSpace {
			out = append(out, u)
			continue
		}
		if u.kind == uCJK { // —— or …… in a column narrower than two cells
			for i := u.a; i < u.b; i++ {
				c := mkUnit(atoms, i, i+1, uCJK)
				c.glue = u.glue && i == u.a
				out = append(out, c)
			}
			continue
		}
		start := u.a
		for i := u.a; i < u.b; i++ {
			if i == u.b-1 || strings.ContainsRune(urlBreakAfter, atoms[i].r) {
				out = appendPieces(out, atoms, start, i+1, min(firstW, restW), u.glue && start == u.a, start != u.a)
				start = i + 1
			}
		}
	}
	return out
}

// appendPieces appends atoms [a, b) as one word unit, or one unit per character when
// the piece is still wider than maxW.
// cont marks the piece as continuing the word (not its first piece).
func appendPieces(out []unit, atoms []atom, a, b int, maxW float64, glue, cont bool) []unit {
	p := mkUnit(atoms, a, b, uWord)
	if p.w <= maxW+eps {
		p.glue = glue
		p.cont = cont
		return append(out, p)
	}
	for i := a; i < b; i++ {
		c := mkUnit(atoms, i, i+1, uWord)
		c.glue = glue && i == a
		c.cont = cont || i > a
		out = append(out, c)
	}
	return out
}

// breakLines breaks units into lines: the first line is firstW wide, the others restW.
// squeeze is the most a line may be tightened.
func breakLines(units []unit, firstW, restW, squeeze float64) []lineSpan {
	return appendLines(nil, units, firstW, restW, squeeze)
}

// appendLines is breakLines appending to dst (a reused buffer).
func appendLines(dst []lineSpan, units []unit, firstW, restW, squeeze float64) []lineSpan {
	lines := dst[:0]
	n := len(units)
	breaks := 0
	for i := 0; i < n; {
		w := restW
		if len(lines) == 0 {
			w = firstW
		}
		if units[i].kind == uBreak { // an empty line between two forced breaks
			lines = append(lines, lineSpan{a: i, b: i, forced: true, breaks: breaks})
			breaks = 1
			i++
			continue
		}
		j, nat := i, 0.0
		for j < n && units[j].kind != uBreak {
			u := &units[j]
			if u.kind == uSpace || nat+u.w <= w+eps {
				nat += u.w
				j++
				continue
			}
			break
		}
		k := j
		if j < n && units[j].kind != uBreak {
			k = chooseBreak(units, i, j, w, squeeze)
		}
		ls := lineSpan{a: i, b: k, breaks: breaks}
		breaks = 0
		i = k
		if k < n && units[k].kind == uBreak {
			ls.forced = true
			breaks = 1
			i = k + 1
		}
		lines = append(lines, ls)
	}
	if len(lines) == 0 {
		lines = append(lines, lineSpan{})
	}
	if breaks > 0 { // text ending in "\n": an empty last line keeps the break
		lines = append(lines, lineSpan{a: n, b: n, breaks: breaks})
	}
	lines[len(lines)-1].last = true
	return lines
}

// chooseBreak picks where a line starting at units[i] ends when units[j] (not a
// space, not a break) does not fit in w.
func chooseBreak(units []unit, i, j int, w, squeeze float64) int {
	if j == i {
		return i + 1 // a unit wider than the line: it stands alone
	}
	if breakAllowed(units, j) {
		return j
	}
	// Push out: the latest legal break before j.
	kp := -1
	for k := j - 1; k > i; k-- {
		if breakAllowed(units, k) {
			kp = k
			break
		}
	}
	if kp == j-1 {
		return kp
	}
	// Squeeze: the first legal break after j within w + squeeze.
	n := len(units)
	nat := 0.0
	for k := i; k < j; k++ {
		nat += units[k].w
	}
	content := nat
	for k := j; k < n; k++ {
		if units[k].kind == uBreak || (k > j && breakAllowed(units, k)) {
			return k
		}
		nat += units[k].w
		if units[k].kind != uSpace {
			content = nat
		}
		gaps := float64(k - i) // gaps between units [i, k]
		if content > w+min(squeeze, gaps*spec.SqueezeMaxGapCells*spec.Cell)+eps {
			break
		}
		if k == n-1 {
			return n
		}
	}
	if kp > i {
		return kp
	}
	return j // no legal break at all: break against the rules, inside the area
}

// alignment of a line.
type alignment uint8

const (
	alignJustify alignment = iota // flush both edges, except last and forced lines
	alignLeft
	alignCentre
	alignRight
)

// placeLine positions the atoms of one line between left and left+w and returns them
// as runs (split where the font or the paragraph changes) with Y set to yRel.
func placeLine(dst []Run, ar *arena, atoms []atom, units []unit, ls lineSpan, left, w float64, al alignment, size, yRel float64) []Run {
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
	switch {
	case nat > w+eps && gaps > 0:
		extra = (w - nat) / float64(gaps) // a squeezed line
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
	cur := -1
	add := func(a *atom, gx, gw float64) {
		if cur < 0 || dst[cur].Font != a.font || dst[cur].Para != a.para {
			if cur >= 0 {
				g := dst[cur].Glyphs
				dst[cur].Glyphs = g[:len(g):len(g)]
				buf = buf[len(g):cap(buf)][:0]
			}
			r := Run{Font: a.font, Size: size, Y: yRel, Para: a.para, Glyphs: buf[:0]}
			if cur < 0 {
				r.Breaks = ls.breaks
			}
			dst = append(dst, r)
			cur = len(dst) - 1
		}
		dst[cur].Glyphs = append(dst[cur].Glyphs, Glyph{R: a.r, X: gx, W: gw})
	}
	for k := ls.a; k < c; k++ {
		u := &units[k]
		for ai := u.a; ai < u.b; ai++ {
			add(&atoms[ai], x, atoms[ai].w)
			x += atoms[ai].w
			if k < c-1 || ai < u.b-1 {
				x += perAtom
			}
		}
		if k < c-1 && (inWord || !units[k+1].cont) {
			x += extra
		}
	}
	end := min(x, left+w)
	for k := c; k < ls.b; k++ {
		for ai := units[k].a; ai < units[k].b; ai++ {
			add(&atoms[ai], end, 0)
		}
	}
	return dst
}

// arena hands out glyph and run slices from large chunks, so a document's glyphs
// and runs take a few allocations instead of one per line.
type arena struct {
	free []Glyph
	runs []Run
}

// takeRuns returns an empty run slice with room for n runs (appending beyond n
// reallocates, as any slice does).
func (a *arena) takeRuns(n int) []Run {
	if cap(a.runs) < n {
		a.runs = make([]Run, 0, max(n, arenaChunk/4))
	}
	out := a.runs[:0:n]
	a.runs = a.runs[n:cap(a.runs)][:0]
	return out
}

const arenaChunk = 4096

// take returns an empty slice with room for n glyphs.
func (a *arena) take(n int) []Glyph {
	if cap(a.free) < n {
		a.free = make([]Glyph, 0, max(n, arenaChunk))
	}
	out := a.free[:0:n]
	a.free = a.free[n:cap(a.free)][:0]
	return out
}
