package typeset

import (
	"slices"
	"strings"

	"gongwen/internal/spec"
)

// The line-breaking rules (禁则) live here and only here; the breakers (greedy.go,
// totalfit.go) ask breakRes where a line may end.
//
//   - A line may break between two units (see segment), never inside one, and never
//     before a space (the space stays at the end of the line, with no width there).
//   - A line never starts with a character of spec.NoLineStart nor ends with one of
//     spec.NoLineEnd; —— and …… are single units, so they are never split.
//   - Units stay with their number: no break between a number and a unit sign that
//     follows it (0.5‰, 26℃, 35％), nor between a sign or currency mark and the number
//     after it (－1, ＋3, ￥100). A range written with a single full-width dash or
//     tilde (2021—2025, 3～5) is not broken before its dash.
//   - Last resorts, used only by the total-fit search and only to avoid a loose line
//     (see totalfit.go): break after the dash or hyphen of a range (2021- / 2025,
//     2021— / 2025), then inside a long Latin or digit run.

var noLineStart, noLineEnd = runeSet(spec.NoLineStart), runeSet(spec.NoLineEnd)

// unitSigns follow their number: a line never starts with one after a digit.
var unitSigns = runeSet("%％‰‱℃℉°′″㎎㎏㎜㎝㎞㎡㏄")

// signPrefixes precede their number: a line never ends with one before a digit. The
// half-width ones are inside the number's word unit already; the full-width ones are
// units of their own.
var signPrefixes = runeSet("−－﹣＋﹢+±∓¥￥$＄€£")

// rangeMarks join the two numbers of a range; a range may break after one as a last
// resort. '-' '–' '~' are half-width (inside a word unit), '—' '～' full-width units.
var rangeMarks = runeSet("-–~—～")

// charSet is a small set of characters. Asked mostly about characters it lacks (a
// break rule is consulted at every unit of a text), it answers from a bit per low
// ten bits of the code point first, then scans its few members; a map hashed each
// rune.
type charSet struct {
	bits    [1024 / 64]uint64
	members []rune
}

func runeSet(s string) *charSet {
	c := &charSet{}
	for _, r := range s {
		c.bits[r>>6&15] |= 1 << (r & 63)
		c.members = append(c.members, r)
	}
	return c
}

func (c *charSet) has(r rune) bool {
	if c.bits[r>>6&15]&(1<<(r&63)) == 0 {
		return false
	}
	return slices.Contains(c.members, r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

func isLatin(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// Break classes: where a line may end, and at what price.
const (
	resNo    = -1 // never (a rule forbids it)
	resLegal = 0  // a legal break
	resRange = 1  // last resort: after a range's dash or hyphen
	resMark  = 2  // last resort: after a mark inside a URL or path shorter than a line
	resRun   = 3  // last resort: between the characters of a long Latin or digit run
)

// breakAllowed reports whether a line may end before units[k] (k > 0) without a last
// resort.
func breakAllowed(units []unit, k int) bool { return breakRes(units, k) == resLegal }

// breakRes classifies the break before units[k] (k > 0).
func breakRes(units []unit, k int) int {
	prev, next := &units[k-1], &units[k]
	if next.kind == uBreak || prev.kind == uBreak {
		return resLegal
	}
	if next.glue || next.kind == uSpace {
		return resNo
	}
	if next.res != resLegal {
		return int(next.res)
	}
	if noLineStart.has(next.first) || noLineEnd.has(prev.last) {
		return resNo
	}
	if unitSigns.has(next.first) && (isDigit(prev.last) || prev.kind == uSpace && k >= 2 && isDigit(units[k-2].last)) {
		return resNo // "0.5‰", and "26 ℃" too
	}
	if isDigit(next.first) && prev.b-prev.a == 1 && signPrefixes.has(prev.last) {
		return resNo
	}
	// A range with a full-width dash: "2021" "—" "2025".
	if next.kind == uCJK && next.b-next.a == 1 && rangeMarks.has(next.first) && isDigit(prev.last) &&
		k+1 < len(units) && isDigit(units[k+1].first) {
		return resNo
	}
	if prev.kind == uCJK && prev.b-prev.a == 1 && rangeMarks.has(prev.last) && isDigit(next.first) &&
		k >= 2 && isDigit(units[k-2].last) {
		return resRange
	}
	return resLegal
}

// Adjacent marks may be tightened (by up to half a cell between two of them, one cell
// in a line) where one of them has a blank half facing the other: the right half of
// closing and pausing marks, the left half of opening marks.
var (
	blankRight = runeSet("，。、）》」』】〕〉”’")
	blankLeft  = runeSet("（《「『【〔〈“‘")
	isMark     = runeSet("，。、）》」』】〕〉”’（《「『【〔〈“‘；：？！")
)

// pairTight reports whether the gap before units[k] is between two adjacent marks that
// may be tightened.
func pairTight(units []unit, k int) bool {
	prev, next := &units[k-1], &units[k]
	if prev.kind != uCJK || next.kind != uCJK || prev.b-prev.a != 1 || next.b-next.a != 1 {
		return false
	}
	return (blankRight.has(prev.last) && isMark.has(next.first)) || (blankLeft.has(next.first) && isMark.has(prev.last))
}

// minRunBreak: a Latin or digit run this long may be broken (as a last resort)
// between characters, at least minRunPiece characters from either end. minMarkBreak:
// a word this long (a URL or a path) may be broken after one of its marks.
const (
	minRunBreak  = 8
	minRunPiece  = 3
	minMarkBreak = 12
)

// withResorts returns units with every word unit cut at its last-resort points:
// after a range hyphen, and inside long Latin or digit runs; the pieces after the
// first are cont (justification adds nothing inside a word) and carry the resort
// class of the break before them, which the greedy breaker never takes.
func withResorts(units []unit, atoms []atom) []unit {
	var out []unit
	for k, u := range units {
		if u.kind != uWord || u.b-u.a < 3 {
			if out != nil {
				out = append(out, u)
			}
			continue
		}
		cuts := resortCuts(atoms[u.a:u.b])
		if len(cuts) == 0 {
			if out != nil {
				out = append(out, u)
			}
			continue
		}
		if out == nil {
			out = make([]unit, 0, len(units)+16)
			out = append(out, units[:k]...)
		}
		first := mkUnit(atoms, u.a, u.a+cuts[0].at, uWord)
		first.glue, first.cont, first.res = u.glue, u.cont, u.res
		out = append(out, first)
		for i, c := range cuts {
			e := u.b
			if i+1 < len(cuts) {
				e = u.a + cuts[i+1].at
			}
			p := mkUnit(atoms, u.a+c.at, e, uWord)
			p.cont, p.res = true, c.res
			out = append(out, p)
		}
	}
	if out == nil {
		return units
	}
	return out
}

type resortCut struct {
	at  int // break before as[at]
	res int8
}

// resortCuts lists the last-resort break points inside one word (atoms as).
func resortCuts(as []atom) []resortCut {
	n := len(as)
	var cuts []resortCut
	// A range: exactly one range mark, digits on both sides ("2021-2025"; not a date
	// "2024-01-15").
	marks, at := 0, -1
	for i, a := range as {
		if rangeMarks.has(a.r) {
			marks++
			at = i
		}
	}
	if marks == 1 && at > 0 && at < n-1 && isDigit(as[at-1].r) && isDigit(as[at+1].r) {
		cuts = append(cuts, resortCut{at: at + 1, res: resRange})
	}
	// Long runs of Latin letters or of digits.
	for i := 0; i < n; {
		cls := runClass(as[i].r)
		j := i + 1
		for j < n && cls != 0 && runClass(as[j].r) == cls {
			j++
		}
		if cls != 0 && j-i >= minRunBreak {
			for c := i + minRunPiece; c <= j-minRunPiece; c++ {
				cuts = append(cuts, resortCut{at: c, res: resRun})
			}
		}
		i = j
	}
	// After a URL mark followed by a letter or digit, in a word long enough to be a
	// URL or a path (never inside a number: 10.88).
	if n >= minMarkBreak {
		for i := 1; i < n-1; i++ {
			if strings.ContainsRune(urlBreakAfter, as[i-1].r) && runClass(as[i].r) != 0 &&
				!(isDigit(as[i].r) && i >= 2 && isDigit(as[i-2].r)) {
				cuts = append(cuts, resortCut{at: i, res: resMark})
			}
		}
	}
	return sortCuts(cuts)
}

// sortCuts sorts cuts by position, keeping the cheapest class at a repeated one.
func sortCuts(cuts []resortCut) []resortCut {
	if len(cuts) < 2 {
		return cuts
	}
	slices.SortStableFunc(cuts, func(a, b resortCut) int { return a.at - b.at })
	out := cuts[:1]
	for _, c := range cuts[1:] {
		if last := &out[len(out)-1]; last.at == c.at {
			last.res = min(last.res, c.res)
			continue
		}
		out = append(out, c)
	}
	return out
}

func runClass(r rune) int {
	switch {
	case isLatin(r):
		return 1
	case r >= '0' && r <= '9':
		return 2
	}
	return 0
}
