// Package pdf draws a typeset layout with gofpdf: pages, embedded font subsets,
// glyphs at the positions the typesetter chose, table rules, the outline and the
// document information.
package pdf

import (
	"context"
	"fmt"

	"gongwen/internal/compose"
	"gongwen/internal/fonts"
	"gongwen/internal/spec"
	"gongwen/internal/typeset"
)

// Result is a rendered PDF.
type Result struct {
	Bytes []byte
	// Parts, from WritePartsContext (Bytes is then nil), are the file in order: the
	// writer's own bytes between the font files, which are internal/fonts' own, shared
	// by every render: read them, never modify them.
	Parts [][]byte
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
	defer lay.Release() // the layout is ours alone: its memory serves the next one
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

// WritePartsContext is WriteContext that leaves the file in Result.Parts, not
// joined: the font files, most of a file, are not copied (in a cold process, each
// page copied to is a fresh page to fault in).
func WritePartsContext(ctx context.Context, doc *compose.Document, lay *typeset.Layout, src FontSource) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("pdf: internal error: %v", p)
		}
	}()
	pages := len(lay.Pages)
	parts, err := writeParts(ctx, lay, infoOf(doc), src)
	if err != nil {
		return nil, err
	}
	return &Result{Parts: parts, Pages: pages}, nil
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
type info = compose.Info

func infoOf(doc *compose.Document) info { return doc.Info() }
