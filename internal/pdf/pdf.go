// Package pdf draws a typeset layout with gofpdf: pages, embedded font subsets,
// glyphs at the positions the typesetter chose, table rules, the outline and the
// document information.
package pdf

import (
	"context"
	"fmt"
	"time"

	"gongwen/internal/compose"
	"gongwen/internal/fonts"
	"gongwen/internal/spec"
	"gongwen/internal/typeset"
)

// Result is a rendered PDF.
type Result struct {
	Bytes []byte
	Pages int
}

// Render typesets doc and writes it as a PDF. A character no embedded font has comes
// back as the typesetter's *typeset.MissingGlyphsError (wrapped).
func Render(doc *compose.Document, f *fonts.Set) (res *Result, err error) {
	defer func() {
		// No panic crosses the package boundary: a typesetter bug is an error.
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("pdf: internal error: %v", p)
		}
	}()
	lay, err := layout(doc, f)
	if err != nil {
		return nil, fmt.Errorf("pdf: typeset: %w", err)
	}
	return Write(doc, lay, f)
}

// Write draws a layout already typeset from doc (internal/render typesets once for
// every fixed-layout format, and shares the font subsets between them through src).
func Write(doc *compose.Document, lay *typeset.Layout, src FontSource) (res *Result, err error) {
	return WriteContext(context.Background(), doc, lay, src)
}

// WriteContext is Write that stops when ctx ends (checked before every page and while
// the file is assembled).
func WriteContext(ctx context.Context, doc *compose.Document, lay *typeset.Layout, src FontSource) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("pdf: internal error: %v", p)
		}
	}()
	pages := len(lay.Pages)
	b, err := writeContext(ctx, lay, infoOf(doc), src)
	if err != nil {
		return nil, err
	}
	return &Result{Bytes: b, Pages: pages}, nil
}

// layout is the typesetter's entry point.
func layout(doc *compose.Document, m typeset.Metrics) (*typeset.Layout, error) {
	return typeset.Typeset(doc, m)
}

// fontSource is FontSource, the name the writer's code uses.
type fontSource = FontSource

// FontSource cuts the per-document font subsets. *fonts.Set implements it; tests wrap
// it to inject failures.
type FontSource interface {
	// Cut returns the face holding the given characters, with each one's glyph and
	// advance.
	Cut(face spec.Face, runes []rune) (*fonts.Subset, error)
}

// info is the document information dictionary.
type info struct {
	Title, Author, Subject string
	// Date is the creation and modification date: from the report, never the clock,
	// so that the same input gives the same bytes.
	Date time.Time
}

func infoOf(doc *compose.Document) info {
	return info{Title: doc.Title, Author: doc.Author, Subject: doc.Subject, Date: docDate(doc)}
}

// docDate is the report's date, or 31 December of the year reported on when the
// report has no date.
func docDate(doc *compose.Document) time.Time {
	if t, err := time.Parse("2006-01-02", doc.Date); err == nil {
		return t
	}
	y := doc.Year
	if y < 1 || y > 9999 {
		y = 2000
	}
	return time.Date(y, time.December, 31, 0, 0, 0, 0, time.UTC)
}
