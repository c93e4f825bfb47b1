package typeset

import "gongwen/internal/spec"

// The greedy breaker: each line takes as much as fits, a 禁则 conflict at its end
// resolved on the spot (push one unit out, or tighten, or break further back). It is
// the fast path of breakParagraph (totalfit.go) and never takes a last resort.

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
