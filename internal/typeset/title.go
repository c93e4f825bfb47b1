package typeset

import (
	"strings"

	"gongwen/internal/spec"
)

// titleStyle: the title's CJK characters advance a plain em (no grid tracking).
var titleStyle = style{size: spec.TitleSize, cell: spec.TitleSize}

// TitleLines splits a title into the lines it is printed on: explicit "\n" breaks are
// honoured, the issuer's name is never broken, a title that begins with the issuer
// breaks after it, digit runs and 《…》 book titles stay whole, and a title wider than
// the type area is cut into a trapezoid (shorter lines over longer ones). The DOCX
// writer uses it too, so both outputs break the title alike. Joining the lines (with
// "\n" where the title had one) gives back the title; a space at a line's end stays
// on that line.
func TitleLines(title, issuer string, m Metrics) []string {
	s := newSetter(m)
	atoms, units, lines := s.title(title, issuer, spec.RoleTitle, "", 0)
	out := make([]string, 0, len(lines))
	var b strings.Builder
	for _, ls := range lines {
		b.Reset()
		for k := ls.a; k < ls.b; k++ {
			for _, a := range atoms[units[k].a:units[k].b] {
				b.WriteRune(a.r)
			}
		}
		out = append(out, b.String())
	}
	return out
}

// title sets the title text into atoms, units and lines (see TitleLines).
func (s *setter) title(text, issuer string, role spec.Role, path string, para int) ([]atom, []unit, []lineSpan) {
	maxW := spec.TypeWidth
	atoms := s.atoms(nil, text, role, path, para, titleStyle)
	units := segment(nil, atoms)
	glueTitle(units, atoms, issuer, maxW)
	units = splitLongWords(units, atoms, maxW, maxW)
	// The shape search reads widths and legal breaks from the same tables as the
	// body's total-fit search.
	f := newFitter(units, maxW, maxW, 0, spec.TitleSize)
	defer f.release()

	var lines []lineSpan
	breaks := 0
	for a := 0; a <= len(units); {
		b := a
		for b < len(units) && units[b].kind != uBreak {
			b++
		}
		if b == a {
			if b < len(units) || breaks > 0 {
				lines = append(lines, lineSpan{a: a, b: a, forced: b < len(units), breaks: breaks})
			}
		} else {
			seg := shapeTitle(f, atoms, a, b, issuer, maxW)
			seg[0].breaks = breaks
			seg[len(seg)-1].forced = b < len(units)
			lines = append(lines, seg...)
		}
		breaks = 1
		a = b + 1
		if b == len(units) {
			break
		}
	}
	if len(lines) == 0 {
		lines = append(lines, lineSpan{})
	}
	lines[len(lines)-1].last = true
	return atoms, units, lines
}

// glueTitle forbids breaks inside 《…》, between a number and 年, and inside every
// occurrence of the issuer's name, unless the glued stretch could not fit on one line.
func glueTitle(units []unit, atoms []atom, issuer string, maxW float64) {
	depth := 0
	for k := range units {
		if depth > 0 {
			units[k].glue = true
		}
		for _, a := range atoms[units[k].a:units[k].b] {
			switch a.r {
			case '《':
				depth++
			case '》':
				if depth > 0 {
					depth--
				}
			}
		}
	}
	// A year stays with its number ("2023年"): a title keeps words whole.
	for k := 1; k < len(units); k++ {
		if p := units[k-1]; units[k].first == '年' && p.kind == uWord && p.last >= '0' && p.last <= '9' {
			units[k].glue = true
		}
	}
	if iss := []rune(issuer); len(iss) > 0 {
		// Atom index -> unit index, then glue the units inside each occurrence.
		unitOf := make([]int, len(atoms))
		for k, u := range units {
			for i := u.a; i < u.b; i++ {
				unitOf[i] = k
			}
		}
		for i := 0; i+len(iss) <= len(atoms); i++ {
			if !atomsHavePrefix(atoms[i:], iss) {
				continue
			}
			first, last := unitOf[i], unitOf[i+len(iss)-1]
			for k := first + 1; k <= last; k++ {
				units[k].glue = true
			}
			i += len(iss) - 1
		}
	}
	// Unglue any stretch wider than a line: it has to break somewhere.
	for k := 0; k < len(units); {
		e, w := k+1, units[k].w
		for e < len(units) && units[e].glue {
			w += units[e].w
			e++
		}
		if w > maxW+eps {
			for i := k + 1; i < e; i++ {
				units[i].glue = false
			}
		}
		k = e
	}
}

func atomsHavePrefix(atoms []atom, p []rune) bool {
	if len(atoms) < len(p) {
		return false
	}
	for i, r := range p {
		if atoms[i].r != r {
			return false
		}
	}
	return true
}

// shapeTitle breaks the title segment units [a, b) (no forced breaks inside).
func shapeTitle(f *fitter, atoms []atom, a, b int, issuer string, maxW float64) []lineSpan {
	units := f.units
	// A segment that begins with the issuer breaks after it.
	if iss := []rune(issuer); len(iss) > 0 && atomsHavePrefix(atoms[units[a].a:], iss) {
		end := units[a].a + len(iss)
		k := a
		for k < b && units[k].b <= end {
			k++
		}
		if k > a && units[k-1].b == end { // the issuer ends on a unit boundary
			for k < b && units[k].kind == uSpace {
				k++
			}
			if k < b {
				head := shapeTitle(f, atoms, a, k, "", maxW)
				return append(head, shapeTitle(f, atoms, k, b, "", maxW)...)
			}
		}
	}
	if f.content(a, b) <= maxW+eps {
		return []lineSpan{{a: a, b: b}}
	}
	fwd := breakLines(units[a:b], maxW, maxW, 0)
	for i := range fwd {
		fwd[i].a += a
		fwd[i].b += a
		fwd[i].last = false
	}
	n := len(fwd)
	if n <= 3 {
		if best := enumerateTitle(f, a, b, n, maxW); best != nil {
			return best
		}
	}
	// Longer titles: the narrowest width at which filling from the bottom still needs
	// only n lines; the bottom lines are full at that width and the top one is
	// shorter (a trapezoid).
	lo, hi := f.content(a, b)/float64(n), maxW
	best := reverseFill(f, a, b, hi)
	if best == nil || len(best) > n {
		return fwd
	}
	for iter := 0; iter < 40 && hi-lo > 0.01; iter++ {
		mid := (lo + hi) / 2
		if r := reverseFill(f, a, b, mid); r != nil && len(r) <= n {
			hi, best = mid, r
		} else {
			lo = mid
		}
	}
	return best
}

// enumerateTitle tries every way to break units [a, b) into n (2 or 3) lines at
// legal breaks and keeps the best shape: no line wider than maxW; a line shorter than
// the one below it above the middle (trapezoid: short over long; with three lines a
// diamond is fine too); then the most even widths.
func enumerateTitle(f *fitter, a, b, n int, maxW float64) []lineSpan {
	units := f.units
	var pos []int
	for k := a + 1; k < b; k++ {
		if f.res[k] == resLegal {
			pos = append(pos, k)
		}
	}
	width := f.content
	cost := func(ws ...float64) float64 {
		c, mean := 0.0, 0.0
		for _, w := range ws {
			if w > maxW+eps {
				return -1
			}
			mean += w
		}
		mean /= float64(len(ws))
		if ws[0] > ws[1]+eps {
			c += 1e9 // long over short
		}
		if len(ws) == 3 && ws[2] < ws[1] {
			c += 2 * (ws[1] - ws[2]) * (ws[1] - ws[2]) // a diamond only when clearly more even
		}
		for _, w := range ws {
			c += (w - mean) * (w - mean)
		}
		return c
	}
	var best []lineSpan
	bestCost := 0.0
	try := func(c float64, ls []lineSpan) {
		if c < 0 {
			return
		}
		for _, l := range ls[1:] {
			if wordBreak(units, l.a) {
				c -= wordBreakBonus
			}
		}
		// The bonus can make a cost negative: compare against the best found so far,
		// not against a sentinel.
		if best == nil || c < bestCost-eps {
			bestCost, best = c, ls
		}
	}
	switch n {
	case 2:
		for _, p := range pos {
			try(cost(width(a, p), width(p, b)), []lineSpan{{a: a, b: p}, {a: p, b: b}})
		}
	case 3:
		for i, p := range pos {
			if width(a, p) > maxW+eps {
				break
			}
			for _, q := range pos[i+1:] {
				w2 := width(p, q)
				if w2 > maxW+eps {
					break
				}
				try(cost(width(a, p), w2, width(q, b)), []lineSpan{{a: a, b: p}, {a: p, b: q}, {a: q, b: b}})
			}
		}
	}
	return best
}

// reverseFill breaks units [a, b) into lines no wider than w, filling from the last
// line up; nil when some stretch between legal breaks is wider than w.
func reverseFill(f *fitter, a, b int, w float64) []lineSpan {
	var rev []lineSpan
	for end := b; end > a; {
		start := -1
		for s := end - 1; s >= a; s-- {
			if f.content(s, end) > w+eps {
				break
			}
			if s == a || f.res[s] == resLegal {
				start = s
			}
		}
		if start < 0 {
			return nil
		}
		rev = append(rev, lineSpan{a: start, b: end})
		end = start
	}
	out := make([]lineSpan, len(rev))
	for i, ls := range rev {
		out[len(rev)-1-i] = ls
	}
	return out
}

// contentWidth is the width of units [a, b) without trailing spaces.
func contentWidth(units []unit, a, b int) float64 {
	for b > a && units[b-1].kind == uSpace {
		b--
	}
	w := 0.0
	for k := a; k < b; k++ {
		w += units[k].w
	}
	return w
}

// Without a dictionary the title cannot know every word, but a few boundaries are
// certain: after the structural particles and conjunctions (的 和 与 及), after an
// organ's or a period's last character (局 委 府 厅 办 院 部 会 年 度), before 关于 and
// before a number. A break there counts as if the lines were this much more even
// (in pt², about two title characters of imbalance).
const wordBreakBonus = 2 * spec.TitleSize * 2 * spec.TitleSize

func wordBreak(units []unit, k int) bool {
	prev, next := units[k-1].last, units[k].first
	if strings.ContainsRune("的和与及局委府厅办院部会年度", prev) && !(prev == '年' && next == '度') {
		return true
	}
	if next == '关' && k+1 < len(units) && units[k+1].first == '于' {
		return true
	}
	return units[k].kind == uWord && next >= '0' && next <= '9' && units[k-1].kind != uWord
}
