package typeset

import (
	"context"
	"fmt"

	"gongwen/internal/report"
	"gongwen/internal/spec"
)

// Limits bound one document's layout, so that a render fits a memory budget whatever
// the input's shape: the typesetter counts what it places and stops as soon as a
// limit is passed, before the layout (and the writers' buffers after it) can grow
// further. The zero value means no limit.
type Limits struct {
	MaxPages int
	// MaxBytes bounds Cost: the estimated memory of the layout plus what a writer
	// holds for it.
	MaxBytes int64
}

// DefaultLimits are the service's: report.MaxPages and report.MaxLayoutBytes.
func DefaultLimits() Limits {
	return Limits{MaxPages: report.MaxPages, MaxBytes: report.MaxLayoutBytes}
}

// Per-element memory estimates, in bytes, of a layout and the PDF writer's buffers
// for it (measured with heap profiles of the worst-case shapes: a Run and its
// content-stream operators held by gofpdf's page buffer and its output, a glyph's
// Glyph and its 4 hex digits, a rule's Rule and its path operators). Pages of tiny
// table cells cost far more than pages of running text, which is why the budget
// counts elements and not pages.
const (
	costRun   = 600
	costGlyph = 64
	costRule  = 400
	costPage  = 2048
	// costAtom is what setting one character of a table costs while the table is
	// being set (its atom, its share of the units and line spans): transient, but all
	// of a table's cells are set before its first row is placed.
	costAtom = 96
)

// Cost is the estimated memory a layout of this many pages, runs, glyphs and rules
// takes from the typesetter to the finished PDF.
func Cost(pages, runs, glyphs, rules int) int64 {
	return int64(pages)*costPage + int64(runs)*costRun + int64(glyphs)*costGlyph + int64(rules)*costRule
}

// LimitError is a document too large to render within the limits: it is the input's
// fault (too many pages, or too much on them), not the service's.
type LimitError struct {
	Path   string // JSON pointer of the block being set when the limit was passed
	Pages  int    // pages set so far (at least; the document needs more)
	Bytes  int64  // Cost so far
	Limits Limits
}

func (e *LimitError) Error() string {
	if e.Limits.MaxPages > 0 && e.Pages > e.Limits.MaxPages {
		return fmt.Sprintf("the document needs more than %d pages (limit %d), passed at %s", e.Pages-1, e.Limits.MaxPages, e.Path)
	}
	return fmt.Sprintf("the document's layout needs more than %d MB by page %d (limit %d MB), passed at %s",
		e.Bytes>>20, e.Pages, e.Limits.MaxBytes>>20, e.Path)
}

// Message is the error in the service's bilingual form, for a problem document.
func (e *LimitError) Message() string {
	if e.Limits.MaxPages > 0 && e.Pages > e.Limits.MaxPages {
		return fmt.Sprintf("文档超过 %d 页的上限（排到此处已超过 %d 页）。请拆分报告或精简表格。"+
			"The document would have more than %d pages (the limit is %d pages); split the report or shorten its tables.",
			e.Limits.MaxPages, e.Limits.MaxPages, e.Limits.MaxPages, e.Limits.MaxPages)
	}
	return fmt.Sprintf("文档内容超过单次渲染的内存上限：排到第 %d 页时已需约 %d MB，上限 %d MB（小单元格很多的大表格最耗内存）。请拆分报告或精简表格。"+
		"The document holds more than one render's memory budget: by page %d it needs about %d MB, over the %d MB limit (large tables of many small cells cost the most); split the report or shorten its tables.",
		e.Pages, e.Bytes>>20, e.Limits.MaxBytes>>20, e.Pages, e.Bytes>>20, e.Limits.MaxBytes>>20)
}

// budget is the builder's running count of what it has placed.
type budget struct {
	ctx                 context.Context
	lim                 Limits
	lines               int // grid lines of the items added
	runs, glyphs, rules int
	nextCheck           int   // lines at which to check again
	transient           int64 // memory in use only while a block is set (ahead)
	err                 error
	path                string // the block being set
}

// account counts an item and, about once a page, checks for cancellation and the
// limits. The first failure sticks; the builder stops adding blocks after it.
func (b *budget) account(it *item) {
	b.lines += it.h
	b.runs += len(it.runs)
	for i := range it.runs {
		b.glyphs += len(it.runs[i].Glyphs)
	}
	b.rules += len(it.rules)
	if b.lines >= b.nextCheck {
		b.nextCheck = b.lines + spec.GridLines
		b.check(b.lines/spec.GridLines + 1)
	}
}

// ahead refuses, before any of it is set, content that would pass the limits on its
// own: a table's cells are set all at once (column widths depend on every one), so
// a table far over the budget would cost its atoms before the first row is counted.
// The counts are lower bounds (every non-empty cell is at least one run, every
// printed character one glyph, every row its column rules).
func (b *budget) ahead(lines, runs, glyphs, rules int) {
	if b.err != nil {
		return
	}
	saved := *b
	b.lines += lines
	b.runs += runs
	b.glyphs += glyphs
	b.rules += rules
	b.transient = int64(glyphs) * costAtom
	b.check(b.lines/spec.GridLines + 1)
	err := b.err
	*b = saved
	b.err = err
}

// cancelled records the context's end, if it has ended: for loops that set much
// before anything is placed (a table's cells).
func (b *budget) cancelled() bool {
	if b.err == nil && b.ctx != nil {
		if err := b.ctx.Err(); err != nil {
			b.err = fmt.Errorf("typeset: %w", err)
		}
	}
	return b.err != nil
}

// check records a cancellation or a limit passed with pages set so far.
func (b *budget) check(pages int) {
	if b.err != nil {
		return
	}
	if b.ctx != nil {
		if err := b.ctx.Err(); err != nil {
			b.err = fmt.Errorf("typeset: %w", err)
			return
		}
	}
	cost := Cost(pages, b.runs, b.glyphs, b.rules) + b.transient
	if (b.lim.MaxPages > 0 && pages > b.lim.MaxPages) || (b.lim.MaxBytes > 0 && cost > b.lim.MaxBytes) {
		b.err = &LimitError{Path: b.path, Pages: pages, Bytes: cost, Limits: b.lim}
	}
}
