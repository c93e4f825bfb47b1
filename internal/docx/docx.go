// Package docx writes a composed document into the official-format Word template
// (templates/) with github.com/nguyenthenguyen/docx.
package docx

import (
	"errors"

	"gongwen/internal/compose"
	"gongwen/internal/typeset"
)

// Render writes doc as a DOCX. m measures the title so that its lines break where the
// PDF's do.
func Render(doc *compose.Document, m typeset.Metrics) ([]byte, error) {
	return nil, errors.New("docx: not implemented yet (issue 5)")
}
