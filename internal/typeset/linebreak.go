package typeset

import "strings"

// Cutting words too wide for any line (below), and the line span type the breakers
// (greedy.go, totalfit.go) produce. The rules are in kinsoku.go.
//
//   - A half-width word too wide for any line it could start (a long URL) is cut
//     after / . - _ ? & = and, if a piece is still too wide, between characters.
//     Only a table column narrower than two cells splits —— or …….

// maxLetterSpacingEm is the widest letter-spacing (in em) used to set a line made only
// of a cut URL's pieces flush; pdftotext and its kin read gaps from about 0.1 em on as
// word spaces.
const maxLetterSpacingEm = 0.08

// urlBreakAfter are the characters a too-long word may be cut after.
const urlBreakAfter = "/.-_?&="

const eps = 1e-6

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
