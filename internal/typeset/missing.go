package typeset

import (
	"fmt"
	"strings"
)

// MissingGlyph is a character that no embedded font can draw, and where it occurs.
type MissingGlyph struct {
	R    rune
	Path string // JSON pointer of the input value holding it
}

// MissingGlyphsError lists every character no embedded font has. Layout returns it
// instead of printing a blank box or substituting silently.
type MissingGlyphsError struct {
	Missing []MissingGlyph
}

func (e *MissingGlyphsError) Error() string {
	parts := make([]string, len(e.Missing))
	for i, m := range e.Missing {
		parts[i] = fmt.Sprintf("U+%04X %c at %s", m.R, m.R, m.Path)
	}
	return "no embedded font has: " + strings.Join(parts, "; ")
}
