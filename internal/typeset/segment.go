package typeset

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"gongwen/internal/spec"
	"gongwen/internal/touch"
)

// atom is one character with its font and the advance the typesetter gives it.
type atom struct {
	r    rune
	font spec.Face
	w    float64 // points
	full bool    // full-width: occupies exactly one cell
	para int     // Document.Text() index
}

// unitKind classifies breakable units.
type unitKind uint8

const (
	uCJK   unitKind = iota // one full-width character (or an unsplittable —— / …… run)
	uWord                  // a run of half-width characters: digits, Latin, %, dates, URLs
	uSpace                 // a run of half-width spaces: a line may break after it
	uBreak                 // a forced line break ("\n"); no atoms
)

// unit is an unbreakable piece of a paragraph: atoms [a, b).
type unit struct {
	a, b  int
	w     float64
	kind  unitKind
	first rune
	last  rune
	// glue: no line break is allowed between this unit and the previous one (beyond
	// the 禁则 sets: inside a book title or the issuer in a title).
	glue bool
	// cont: this unit is a later piece of a half-width word cut by splitLongWords (a
	// long URL). Justification adds no space before it, so a URL never shows (or
	// copies with) gaps inside it.
	cont bool
	// res: the break before this unit is a last resort of this class (resRange,
	// resRun; see kinsoku.go), taken only by the total-fit search.
	res int8
}

// style is how a piece of text is set: the type size and the advance of a full-width
// character (one grid cell in body text, the plain em in the title).
type style struct {
	size float64
	cell float64
}

var bodyStyle = style{size: spec.BodySize, cell: spec.Cell}

// setter collects atoms for one document and the characters no font has.
type setter struct {
	m       Metrics
	missing []MissingGlyph
	seen    map[MissingGlyph]bool
	asked   int        // questions to m so far
	memo    *glyphMemo // m's answers, once a text is long enough to repay it
}

// glyphMemo remembers Metrics.Glyph's answers for one document, direct-mapped by
// character and role: a report draws a few hundred distinct characters thousands
// of times, and each answer costs the fonts a cmap and an advance lookup.
type glyphMemo [2048]struct {
	key  uint32 // rune<<8 | role+1; 0: empty
	face int16
	ok   bool
	adv  float64
}

// memoAfter is how many questions a setter asks before it keeps a memo (32 KB):
// a title's few characters would not repay it.
const memoAfter = 256

// glyph is s.m.Glyph, remembered.
func (s *setter) glyph(role spec.Role, r rune) (spec.Face, float64, bool) {
	if s.memo == nil {
		if s.asked++; s.asked < memoAfter {
			return s.m.Glyph(role, r)
		}
		s.memo = new(glyphMemo)
		// Each page written before it is read (touch: 7 of the memo's 8 pages faulted
		// twice in a cold render).
		touch.Pages(s.memo[:])
	}
	if role < 0 || role >= 255 || r < 0 || r > 0xFFFFFF {
		return s.m.Glyph(role, r)
	}
	key := uint32(r)<<8 | uint32(role+1)
	e := &s.memo[(uint32(r)^uint32(role)<<9)&2047]
	if e.key != key {
		var face spec.Face
		face, e.adv, e.ok = s.m.Glyph(role, r)
		if face < -1<<15 || face >= 1<<15 {
			e.key = 0
			return face, e.adv, e.ok
		}
		e.face, e.key = int16(face), key
	}
	return spec.Face(e.face), e.adv, e.ok
}

func newSetter(m Metrics) *setter {
	return &setter{m: m, seen: map[MissingGlyph]bool{}}
}

// isSpace reports half-width white space that a line may break after. The ideographic
// space U+3000 is a full-width character instead; NBSP glues.
func isSpace(r rune) bool {
	return r != '\n' && r != '\u00a0' && r != '\u3000' && r != '\u202f' && unicode.IsSpace(r)
}

// atoms appends the atoms of text in role to dst. A "\n" becomes an atom with r '\n'
// and no width; the segmenter turns it into a forced break.
func (s *setter) atoms(dst []atom, text string, role spec.Role, path string, para int, st style) []atom {
	dst = slices.Grow(dst, len(text)/3+1) // most characters are 3-byte CJK: one growth, not many
	for i := 0; i < len(text); {
		// CJK characters are three bytes led by E1–EF but ED (neither overlong nor a
		// surrogate): decoded here; the rest as range would (invalid bytes U+FFFD).
		var r rune
		if c := text[i]; c < utf8.RuneSelf {
			r = rune(c)
			i++
		} else if c >= 0xE1 && c <= 0xEF && c != 0xED && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
			r = rune(c&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
			i += 3
		} else {
			var n int
			r, n = utf8.DecodeRuneInString(text[i:])
			i += n
		}
		if r == '\n' {
			dst = append(dst, atom{r: '\n', font: spec.RoleFace(role), para: para})
			continue
		}
		font, adv, ok := s.glyph(role, r)
		if !ok {
			k := MissingGlyph{R: r, Path: path}
			if !s.seen[k] {
				s.seen[k] = true
				s.missing = append(s.missing, k)
			}
			font = spec.RoleFace(role)
			adv = 0.5
			if isWide(r) {
				adv = 1
			}
		}
		a := atom{r: r, font: font, para: para}
		// The CJK ideographs, most of a report, decided here without the call.
		if r >= 0x4e00 && r <= 0x9fff || isFullWidth(r, adv) {
			a.full = true
			a.w = st.cell
		} else {
			a.w = adv * st.size
		}
		dst = append(dst, a)
	}
	return dst
}

func isWide(r rune) bool {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return true
	}
	return false
}

// isFullWidth decides whether a character takes a whole cell: East Asian wide and
// full-width characters always; ambiguous ones (“ ” — … ×) when the font draws them
// at least three quarters of an em wide.
func isFullWidth(r rune, adv float64) bool {
	switch {
	case r < 0x80:
		return false
	case r >= 0x4e00 && r <= 0x9fff, r >= 0x3000 && r <= 0x303e, r >= 0xff01 && r <= 0xff60:
		return true // the common cases, without the table lookup
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return true
	case width.EastAsianAmbiguous:
		return adv >= 0.75
	}
	return false
}

// isPairMark reports the marks whose runs (—— and ……) are never split.
func isPairMark(r rune) bool { return r == '—' || r == '…' }

// segment cuts atoms into units. Full-width characters are one unit each, except runs
// of — or … (kept whole, split into pairs only beyond spec.LongDashRunSplit); maximal
// runs of half-width non-space characters are one word unit; runs of spaces are one
// space unit; "\n" is a break unit.
func segment(dst []unit, atoms []atom) []unit {
	n := len(atoms)
	dst = slices.Grow(dst, n) // at most one unit per atom
	for i := 0; i < n; {
		a := &atoms[i]
		switch {
		case a.full && !isPairMark(a.r): // most of a CJK text: one character, one unit
			dst = append(dst, unit{a: i, b: i + 1, w: a.w, kind: uCJK, first: a.r, last: a.r})
			i++
		case a.r == '\n':
			dst = append(dst, unit{a: i, b: i, kind: uBreak, first: '\n', last: '\n'})
			i++
		case a.full && isPairMark(a.r):
			j := i + 1
			for j < n && atoms[j].r == a.r && atoms[j].full {
				j++
			}
			if j-i > spec.LongDashRunSplit {
				for k := i; k < j; k += 2 {
					e := min(k+2, j)
					dst = append(dst, mkUnit(atoms, k, e, uCJK))
				}
			} else {
				dst = append(dst, mkUnit(atoms, i, j, uCJK))
			}
			i = j
		case isSpace(a.r):
			j := i + 1
			for j < n && isSpace(atoms[j].r) {
				j++
			}
			dst = append(dst, mkUnit(atoms, i, j, uSpace))
			i = j
		default:
			j := i + 1
			for j < n && !atoms[j].full && atoms[j].r != '\n' && !isSpace(atoms[j].r) {
				j++
			}
			dst = append(dst, mkUnit(atoms, i, j, uWord))
			i = j
		}
	}
	return dst
}

func mkUnit(atoms []atom, a, b int, k unitKind) unit {
	u := unit{a: a, b: b, kind: k, first: atoms[a].r, last: atoms[b-1].r}
	for _, at := range atoms[a:b] {
		u.w += at.w
	}
	return u
}
