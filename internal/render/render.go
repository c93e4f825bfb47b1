// Package render is the one entry point every edge uses (functions/http,
// functions/s3, cmd/gongwen): bytes of report JSON in, PDF, DOCX and OFD bytes out.
package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"gongwen/internal/compose"
	"gongwen/internal/docx"
	"gongwen/internal/fonts"
	"gongwen/internal/ofd"
	"gongwen/internal/pdf"
	"gongwen/internal/report"
	"gongwen/internal/spec"
	"gongwen/internal/typeset"
)

// Format is an output format.
type Format string

const (
	PDF  Format = "pdf"
	DOCX Format = "docx"
	OFD  Format = "ofd"
)

// writer makes one format. Fixed-layout formats (PDF, OFD) draw the job's Layout,
// typeset once however many of them are asked for. write returns the format's bytes
// (in parts: see Output) and, for PDF and OFD, its pages; it may run concurrently with the other writers
// (RenderWith, Options.Concurrent), so it touches the job only through its
// synchronised methods.
type writer struct {
	format      Format
	contentType string
	write       func(j *job) (written, error)
}

// written is what a writer made: the file in parts, its pages (PDF, OFD), and for a
// DOCX kept in parts (Options.Parts) what gives its buffers back (Output.Release).
type written struct {
	parts   [][]byte
	pages   int
	release func()
}

// writers is the one list of formats, in the order every edge offers them (file
// names are NAME.<format>).
var writers = []writer{
	{PDF, "application/pdf", func(j *job) (written, error) {
		lay, err := j.layout()
		if err != nil {
			return written{}, err
		}
		write := pdf.WriteContext
		if j.inParts {
			write = pdf.WritePartsContext
		}
		res, err := write(j.ctx, j.out.Document, lay, &j.subsets)
		j.doneWith(lay)
		if err != nil {
			return written{}, err
		}
		if res.Parts == nil {
			return written{parts: [][]byte{res.Bytes}, pages: res.Pages}, nil
		}
		return written{parts: res.Parts, pages: res.Pages}, nil
	}},
	{DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", func(j *job) (written, error) {
		// The subsets the PDF or OFD cut serve the DOCX where its characters of a face are
		// the same (subsets.Cut), compressed form and all (fonts.Subset.Deflate).
		if !j.inParts {
			b, err := docx.RenderPaged(j.ctx, j.out.Document, &j.subsets, j.paging)
			return written{parts: [][]byte{b}}, err
		}
		ps, err := docx.RenderParts(j.ctx, j.out.Document, &j.subsets, j.paging)
		if err != nil {
			return written{}, err
		}
		return written{parts: ps.Pieces(), release: ps.Release}, nil
	}},
	{OFD, ofd.ContentType, func(j *job) (written, error) {
		lay, err := j.layout()
		if err != nil {
			return written{}, err
		}
		defer j.doneWith(lay)
		if err := j.ctx.Err(); err != nil {
			return written{}, err
		}
		b, err := ofd.WriteContext(j.ctx, lay, ofd.InfoOf(j.out.Document), &j.subsets)
		if err != nil {
			return written{}, err
		}
		return written{parts: [][]byte{b}, pages: len(lay.Pages)}, nil
	}},
}

// Formats lists every output format.
func Formats() []Format {
	out := make([]Format, len(writers))
	for i, w := range writers {
		out[i] = w.format
	}
	return out
}

func (f Format) writer() (writer, bool) {
	for _, w := range writers {
		if w.format == f {
			return w, true
		}
	}
	return writer{}, false
}

// ContentType is the MIME type of the format.
func (f Format) ContentType() string {
	w, _ := f.writer()
	return w.contentType
}

// FormatOf is the format with the given MIME type.
func FormatOf(contentType string) (Format, bool) {
	for _, w := range writers {
		if w.contentType == contentType {
			return w.format, true
		}
	}
	return "", false
}

// ParseFormats reads a comma-separated list such as "pdf,docx,ofd".
func ParseFormats(s string) ([]Format, error) {
	var out []Format
	seen := map[Format]bool{}
	for _, part := range strings.Split(s, ",") {
		f := Format(strings.ToLower(strings.TrimSpace(part)))
		if _, ok := f.writer(); !ok {
			names := make([]string, len(writers))
			for i, w := range writers {
				names[i] = string(w.format)
			}
			return nil, fmt.Errorf("unknown format %q (want %s)", part, strings.Join(names, ", "))
		}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out, nil
}

// Output is a rendered report.
type Output struct {
	Report   *report.Report
	Document *compose.Document
	Warnings []report.Problem
	PDF      []byte // nil unless PDF was asked for, or when kept in parts (Options.Parts)
	DOCX     []byte // nil unless DOCX was asked for, or when kept in parts (Options.Parts)
	OFD      []byte // nil unless OFD was asked for
	Pages    int    // pages of the PDF and OFD; 0 when neither was made

	// pdfParts is the PDF in parts (Options.Parts): the writer's own bytes, a
	// buffer of this render's alone, between the font files, which internal/fonts
	// shares between renders and which are read, never written. docxParts is the
	// DOCX in parts (docx.Parts): its headers, the template's parts and buffers of
	// its own that releaseDOCX gives to later renders (Release).
	pdfParts, docxParts [][]byte
	releaseDOCX         func()
	released            bool
}

// set stores the output of one format: in parts for a PDF or DOCX when inParts.
func (o *Output) set(f Format, w written, inParts bool) {
	switch {
	case f == PDF && inParts:
		o.pdfParts = w.parts
	case f == DOCX && inParts:
		o.docxParts, o.releaseDOCX = w.parts, w.release
	case f == PDF:
		o.PDF = join(w.parts)
	case f == DOCX:
		o.DOCX = join(w.parts)
	case f == OFD:
		o.OFD = join(w.parts)
	}
	if w.pages > 0 {
		o.Pages = w.pages
	}
}

// Release gives the buffers of a DOCX kept in parts (Options.Parts) to later
// renders, which write over them: call it once the output is written, and use o's
// files no more (Bytes then returns nil and WriteTo fails). An output not released
// is the collector's, as any memory; a second call does nothing.
func (o *Output) Release() {
	o.released = true
	o.pdfParts, o.docxParts = nil, nil
	o.PDF, o.DOCX, o.OFD = nil, nil, nil
	if o.releaseDOCX != nil {
		o.releaseDOCX()
		o.releaseDOCX = nil
	}
}

// join is parts in one slice: the one part itself, or a new slice (not cleared
// before it is written).
func join(parts [][]byte) []byte {
	if len(parts) == 1 {
		return parts[0]
	}
	return bytes.Join(parts, nil)
}

// Bytes returns the output of one format. A file kept in parts (Options.Parts) is
// joined into a new slice, the caller's, at each call.
func (o *Output) Bytes(f Format) []byte {
	switch {
	case f == PDF && o.pdfParts != nil:
		return join(o.pdfParts)
	case f == DOCX && o.docxParts != nil:
		return bytes.Join(o.docxParts, nil)
	case f == PDF:
		return o.PDF
	case f == DOCX:
		return o.DOCX
	case f == OFD:
		return o.OFD
	}
	return nil
}

// WriteTo writes the output of one format to w, a file kept in parts part by part
// (not joined first).
func (o *Output) WriteTo(f Format, w io.Writer) (int64, error) {
	if o.released {
		return 0, errors.New("render: output written after Release")
	}
	var parts [][]byte
	switch {
	case f == PDF && o.pdfParts != nil:
		parts = o.pdfParts
	case f == DOCX && o.docxParts != nil:
		parts = o.docxParts
	default:
		parts = [][]byte{o.Bytes(f)}
	}
	var n int64
	for _, p := range parts {
		k, err := w.Write(p)
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// job is one render in progress.
type job struct {
	ctx     context.Context
	out     *Output
	set     *fonts.Set
	mu      sync.Mutex // guards lay, drawers and drawing
	lay     *typeset.Layout
	drawers int         // formats still to draw lay (PDF, OFD)
	drawing int         // formats that took lay and have not yet handed it back
	paging  docx.Paging // what the DOCX takes from lay, which it need not keep
	subsets subsets
	inParts bool // Options.Parts
}

// subsets cuts each face's subset once per render: PDF and OFD draw the same Layout,
// so they ask for the same characters of the same faces (the fallback face's among
// them; cutting is a sixth of the OFD writer's time), and the DOCX asks for the same
// ones of most faces. Writers drawing at the same time wait for the one cutting.
type subsets struct {
	*fonts.Set
	// docxOnly: the DOCX is the render's only format, so the subsets are its alone
	// and it compresses them on the spare cores into buffers it reuses
	// (docx.ownsSubsets) instead of into a stream kept for a PDF or OFD that never
	// comes.
	docxOnly bool
	mu       sync.Mutex
	cut      map[spec.Face][]*cutSubset
}

// ExclusiveSubsets tells the DOCX writer whether the subsets are its alone.
func (s *subsets) ExclusiveSubsets() bool { return s.docxOnly }

type cutSubset struct {
	runes []rune
	done  chan struct{} // closed once sub and err are set
	sub   *fonts.Subset
	err   error
}

func (s *subsets) Cut(face spec.Face, runes []rune) (*fonts.Subset, error) {
	s.mu.Lock()
	for _, c := range s.cut[face] {
		if slices.Equal(c.runes, runes) {
			s.mu.Unlock()
			<-c.done
			return c.sub, c.err
		}
	}
	if s.cut == nil {
		s.cut = map[spec.Face][]*cutSubset{}
	}
	c := &cutSubset{runes: slices.Clone(runes), done: make(chan struct{})}
	s.cut[face] = append(s.cut[face], c)
	s.mu.Unlock()
	defer close(c.done)
	c.sub, c.err = s.Set.Cut(face, runes)
	return c.sub, c.err
}

// release gives the subsets' memory to later cuts once every writer has finished
// with them (the outputs hold none of it: the compressed streams they share are
// not that memory). Only after a render that succeeded: a writer that failed may
// leave work under way that still reads them (docx's abandon).
func (s *subsets) release() {
	for _, cs := range s.cut {
		for _, c := range cs {
			if c.sub != nil {
				c.sub.Release()
			}
		}
	}
}

// layout hands the document's layout to a writer that draws it. The last one to ask
// gets the job's only reference, so the layout can be freed while that writer's own
// buffers grow (the PDF writer drops it before gofpdf assembles the file).
func (j *job) layout() (*typeset.Layout, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	lay := j.lay
	if lay == nil {
		return nil, errors.New("render: no layout")
	}
	if j.drawers--; j.drawers <= 0 {
		j.lay = nil
	}
	j.drawing++
	return lay, nil
}

// doneWith hands back a layout taken with layout. When the last drawer is done,
// its glyph and run memory goes to the next render's typesetting (Layout.Release)
// instead of to the collector: a batch or a warm Lambda then sets each document
// in the memory of the one before.
func (j *job) doneWith(lay *typeset.Layout) {
	j.mu.Lock()
	j.drawing--
	last := j.drawing == 0 && j.lay == nil
	j.mu.Unlock()
	if last {
		lay.Release()
	}
}

// Warm loads everything a render needs once per process (the report schema, the
// fonts, with any operator fonts and their start-up warnings, and the DOCX template),
// so that a Lambda function does it in its init phase instead of in the first request.
// It is safe to call concurrently with renders, which wait for what it is loading.
func Warm() error {
	return WarmFor(Formats())
}

// WarmFor is Warm for a process that renders only the given formats: it loads the
// DOCX template only when DOCX is among them. It loads in the order a render needs,
// and maps in the fonts' pages a render reads (fonts.Set.Prefault) while the first
// render parses and typesets: its cuts then take no page fault for them.
func WarmFor(formats []Format) error {
	growStack()
	if err := report.Warm(); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	set, err := fonts.Default()
	if err != nil {
		return fmt.Errorf("render: load fonts: %w", err)
	}
	set.Prefault()
	if slices.Contains(formats, DOCX) {
		if err := docx.Warm(); err != nil {
			return fmt.Errorf("render: load docx template: %w", err)
		}
	}
	return nil
}

// Validate parses and validates input without rendering. An invalid input gives a
// *report.InvalidError carrying every problem, including characters no embedded font
// has: what validates also renders. (It typesets the document to find them, with the
// same code Render uses, so that the two can never disagree.)
func Validate(input []byte) (*report.Report, []report.Problem, error) {
	return ValidateContext(context.Background(), input)
}

// ValidateContext is Validate that stops when ctx ends. A document over the
// per-render limits (typeset.DefaultLimits) is invalid, as Render finds it.
func ValidateContext(ctx context.Context, input []byte) (*report.Report, []report.Problem, error) {
	rep, warnings, err := report.ParseContext(ctx, input)
	if err != nil {
		return rep, warnings, err
	}
	set, err := fonts.Default()
	if err != nil {
		return nil, warnings, fmt.Errorf("validate: load fonts: %w", err)
	}
	if _, err := typeset.TypesetContext(ctx, compose.Compose(rep), set, typeset.DefaultLimits()); err != nil {
		return nil, warnings, asInvalid(err, warnings)
	}
	return rep, warnings, nil
}

// Render validates input and renders the requested formats, one after the other. An
// invalid input, including a character no embedded font has, gives a
// *report.InvalidError; any other error is the service's fault.
func Render(ctx context.Context, input []byte, formats []Format) (*Output, error) {
	return RenderWith(ctx, input, formats, Options{})
}

// Options change how a render runs, never what it makes.
type Options struct {
	// Concurrent draws the formats of a document of at most ConcurrentPages pages at
	// the same time, for an edge with a core to spare (the CLI rendering fewer files
	// than it has cores): the PDF and the DOCX of the Wuchuan example take 6.5 and
	// 3.3 ms one after the other. A larger document draws them one after the other,
	// so that its writers' buffers are not all alive at once (the per-render memory
	// bound of typeset.DefaultLimits holds for one writer at a time).
	Concurrent bool
	// Parts keeps the PDF and the DOCX in parts, not joined (Output.PDF and
	// Output.DOCX are nil; Output.Bytes joins, Output.WriteTo writes the parts), for
	// an edge that writes the files out (the CLI): the font files, most of a PDF, and
	// the DOCX's 150 KB are then not copied, and Output.Release gives the DOCX's
	// buffers to the next render instead of to the collector.
	Parts bool
}

// ConcurrentPages is the largest document Options.Concurrent draws concurrently.
const ConcurrentPages = 64

// RenderWith is Render with options.
func RenderWith(ctx context.Context, input []byte, formats []Format, opts Options) (out *Output, err error) {
	growStack()
	defer func() {
		// A panic must never cross into the edges as a crash: report it as an error.
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("render: internal error: %v", p)
		}
	}()
	formats = unique(formats) // a format asked for twice is made once (the layout is drawn once)
	rep, warnings, err := report.ParseContext(ctx, input)
	if err != nil {
		return nil, err
	}
	out = &Output{Report: rep, Document: compose.Compose(rep), Warnings: warnings}
	set, err := fonts.Default()
	if err != nil {
		return nil, fmt.Errorf("render: load fonts: %w", err)
	}
	// The document is set once, whatever the formats: it finds the characters no font
	// has and the documents over the per-render limits, so every format gives the
	// same answer to the same report (and /validate too), and PDF and OFD draw it.
	lay, err := typeset.TypesetContext(ctx, out.Document, set, typeset.DefaultLimits())
	if err != nil {
		return nil, fmt.Errorf("render: %w", asInvalid(err, warnings))
	}
	j := &job{ctx: ctx, out: out, set: set, subsets: subsets{Set: set}, paging: docx.PagingOf(lay), inParts: opts.Parts}
	for _, f := range formats {
		if f == PDF || f == OFD {
			j.drawers++
		}
	}
	j.subsets.docxOnly = j.drawers == 0
	ws := make([]writer, len(formats))
	for i, f := range formats {
		w, ok := f.writer()
		if !ok {
			return nil, fmt.Errorf("render: unknown format %q", f)
		}
		ws[i] = w
	}
	concurrent := opts.Concurrent && len(ws) > 1 && len(lay.Pages) <= ConcurrentPages
	if j.drawers > 0 {
		j.lay = lay // else nothing draws it: freed before the DOCX is built
	}
	lay = nil
	if concurrent {
		if err := j.writeConcurrently(ws, warnings); err != nil {
			return nil, err
		}
		j.subsets.release()
		return out, nil
	}
	for _, w := range ws {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
		res, err := w.write(j)
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", w.format, asInvalid(err, warnings))
		}
		out.set(w.format, res, j.inParts)
	}
	j.subsets.release()
	return out, nil
}

// writeConcurrently runs every writer in its own goroutine and answers, like the
// writers one after the other, with the error of the first format that failed.
func (j *job) writeConcurrently(ws []writer, warnings []report.Problem) error {
	if err := j.ctx.Err(); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	type result struct {
		written
		err error
	}
	res := make([]result, len(ws))
	var wg sync.WaitGroup
	for i, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					res[i].err = fmt.Errorf("internal error: %v", p)
				}
			}()
			res[i].written, res[i].err = w.write(j)
		}()
	}
	wg.Wait()
	for i, w := range ws {
		if res[i].err != nil {
			return fmt.Errorf("render %s: %w", w.format, asInvalid(res[i].err, warnings))
		}
	}
	for i, w := range ws {
		j.out.set(w.format, res[i].written, j.inParts)
	}
	return nil
}

func unique(fs []Format) []Format {
	var out []Format
	for _, f := range fs {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// CodeDocumentTooLarge is the problem code of a report whose document would pass the
// per-render limits (pages, or memory for what they hold).
const CodeDocumentTooLarge = "document_too_large"

// asInvalid turns a missing-glyph error into the input problem it is: the report asks
// for characters the service cannot print.
func asInvalid(err error, warnings []report.Problem) error {
	var le *typeset.LimitError
	if errors.As(err, &le) {
		return &report.InvalidError{Kind: report.KindInvalid, Warnings: warnings, Problems: []report.Problem{
			{Path: le.Path, Code: CodeDocumentTooLarge, Message: le.Message()}}}
	}
	var mg *typeset.MissingGlyphsError
	if !errors.As(err, &mg) {
		return err
	}
	inv := &report.InvalidError{Kind: report.KindInvalid, Warnings: warnings}
	for _, m := range mg.Missing {
		inv.Problems = append(inv.Problems, report.Problem{
			Path: m.Path,
			Code: "unsupported_character",
			Message: fmt.Sprintf("字符 %c（U+%04X）无法排印：内嵌字体均不含此字。Character %c (U+%04X) cannot be printed: no embedded font has it.",
				m.R, m.R, m.R, m.R),
		})
	}
	return inv
}

// stackFrame is the frame growStack takes: a render's goroutine (and the one that
// warms the schema) grows its stack 2 KB at a time to 32 KB, copying it (and walking
// every frame's metadata in the binary) at each step, the last ones 11 to 21 frames
// deep in the report decoder, the schema's regular expressions and the validator.
const stackFrame = 24 << 10

// growStack makes the calling goroutine's stack big enough for a render at once,
// while it is shallow and cheap to copy. The frame is only reserved: the array is
// zeroed only where it is used, never, so its pages are touched only when the
// render needs them.
//
//go:noinline
func growStack() {
	if stackNever {
		var b [stackFrame]byte
		touchStack(b[:])
	}
}

// stackNever is false; the compiler cannot know it.
var stackNever bool

//go:noinline
func touchStack(b []byte) { b[0] = 1 }
