// Package render is the one entry point every edge uses (functions/http,
// functions/s3, cmd/gongwen): bytes of report JSON in, PDF and DOCX bytes out.
package render

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gongwen/internal/compose"
	"gongwen/internal/docx"
	"gongwen/internal/fonts"
	"gongwen/internal/pdf"
	"gongwen/internal/report"
	"gongwen/internal/typeset"
)

// Format is an output format.
type Format string

const (
	PDF  Format = "pdf"
	DOCX Format = "docx"
)

// ContentType is the MIME type of the format.
func (f Format) ContentType() string {
	if f == DOCX {
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	return "application/pdf"
}

// ParseFormats reads a comma-separated list such as "pdf,docx".
func ParseFormats(s string) ([]Format, error) {
	var out []Format
	seen := map[Format]bool{}
	for _, part := range strings.Split(s, ",") {
		f := Format(strings.ToLower(strings.TrimSpace(part)))
		switch f {
		case PDF, DOCX:
		default:
			return nil, fmt.Errorf("unknown format %q (want pdf or docx)", part)
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
	PDF      []byte // nil unless PDF was asked for
	DOCX     []byte // nil unless DOCX was asked for
	Pages    int    // pages of the PDF; 0 when no PDF was made
}

// Bytes returns the output of one format.
func (o *Output) Bytes(f Format) []byte {
	if f == DOCX {
		return o.DOCX
	}
	return o.PDF
}

// Warm loads everything a render needs once per process (the fonts, with any
// operator fonts and their start-up warnings, and the DOCX template), so that a
// Lambda function does it in its init phase instead of in the first request.
func Warm() error {
	if _, err := fonts.Default(); err != nil {
		return fmt.Errorf("render: load fonts: %w", err)
	}
	if err := docx.Warm(); err != nil {
		return fmt.Errorf("render: load docx template: %w", err)
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

// Render validates input and renders the requested formats. An invalid input,
// including a character no embedded font has, gives a *report.InvalidError; any other
// error is the service's fault.
func Render(ctx context.Context, input []byte, formats []Format) (out *Output, err error) {
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
	// same answer to the same report (and /validate too), and the PDF draws it.
	lay, err := typeset.TypesetContext(ctx, out.Document, set, typeset.DefaultLimits())
	if err != nil {
		return nil, fmt.Errorf("render: %w", asInvalid(err, warnings))
	}
	if !slices.Contains(formats, PDF) {
		lay = nil // nothing draws it: free it before the DOCX is built
	}
	for _, f := range formats {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
		switch f {
		case PDF:
			l := lay
			lay = nil // the writer frees it while its own buffers grow
			res, err := pdf.WriteLayout(ctx, l, out.Document, set)
			if err != nil {
				return nil, fmt.Errorf("render pdf: %w", asInvalid(err, warnings))
			}
			out.PDF, out.Pages = res.Bytes, res.Pages
		case DOCX:
			b, err := docx.RenderContext(ctx, out.Document, set)
			if err != nil {
				return nil, fmt.Errorf("render docx: %w", asInvalid(err, warnings))
			}
			out.DOCX = b
		default:
			return nil, fmt.Errorf("render: unknown format %q", f)
		}
	}
	return out, nil
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
