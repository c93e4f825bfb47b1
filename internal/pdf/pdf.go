// Package pdf draws a typeset layout with gofpdf: pages, embedded font subsets,
// glyphs at the positions the typesetter chose, table rules, the outline and the
// document information.
package pdf

import (
	"errors"

	"gongwen/internal/compose"
	"gongwen/internal/fonts"
)

// Result is a rendered PDF.
type Result struct {
	Bytes []byte
	Pages int
}

// Render typesets doc and writes it as a PDF.
func Render(doc *compose.Document, f *fonts.Set) (*Result, error) {
	return nil, errors.New("pdf: not implemented yet (issue 4)")
}
