// Package fonts loads the font of every role once per process (the embedded
// stand-ins from the top-level fonts package, or the operator's files from
// GONGWEN_FONT_DIR), answers width questions for the typesetter and cuts per-document
// subsets for the PDF writer.
package fonts

import (
	"errors"

	"gongwen/internal/spec"
)

// Set is the parsed font of every role. It is safe for concurrent use.
type Set struct{}

// Default returns the process-wide font set, parsing the fonts on first use only.
func Default() (*Set, error) { return nil, errors.New("fonts: not implemented yet (issue 3)") }

// Glyph implements typeset.Metrics.
func (s *Set) Glyph(role spec.Role, r rune) (font spec.Role, advance float64, ok bool) {
	return role, 0, false
}

// Subset returns a TrueType file holding only the given characters of the role's
// font, small enough for gofpdf to parse per document.
func (s *Set) Subset(font spec.Role, runes []rune) ([]byte, error) {
	return nil, errors.New("fonts: not implemented yet (issue 3)")
}
