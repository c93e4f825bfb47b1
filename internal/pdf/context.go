package pdf

import (
	"context"
	"fmt"

	"gongwen/internal/compose"
	"gongwen/internal/fonts"
	"gongwen/internal/typeset"
)

// RenderContext is Render within typeset.DefaultLimits that stops when ctx ends: the
// typesetter and the writer check it about once a page. A document over the limits
// gives a *typeset.LimitError (wrapped), a cancelled one ctx's error (wrapped).
func RenderContext(ctx context.Context, doc *compose.Document, f *fonts.Set) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("pdf: internal error: %v", p)
		}
	}()
	lay, err := typeset.TypesetContext(ctx, doc, f, typeset.DefaultLimits())
	if err != nil {
		return nil, fmt.Errorf("pdf: typeset: %w", err)
	}
	defer lay.Release() // the layout is ours alone: its memory serves the next one
	return WriteLayout(ctx, lay, doc, f)
}

// WriteLayout writes a layout of doc that the caller typeset (internal/render sets the
// document once and hands the layout to each writer that draws one). It drops its
// reference to lay before assembling the file, so the caller should not keep one
// either: the layout is then freed while the writer's buffers are largest.
func WriteLayout(ctx context.Context, lay *typeset.Layout, doc *compose.Document, f *fonts.Set) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("pdf: internal error: %v", p)
		}
	}()
	pages := len(lay.Pages)
	b, err := writeContext(ctx, lay, infoOf(doc), f)
	if err != nil {
		return nil, err
	}
	return &Result{Bytes: b, Pages: pages}, nil
}
