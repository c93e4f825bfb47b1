// Package ofd writes a typeset layout as an OFD package (GB/T 33190-2016, 电子文件存储
// 与交换格式 版式文档): the same pages as the PDF, every glyph at the position the
// typesetter chose, rules as path objects, images as image objects, an outline of the
// numbered headings and the document information, with the fonts embedded as subsets
// of the characters drawn. It decides nothing about the format: it draws what the
// Layout says, in millimetres with y down (the standard's page coordinate system).
package ofd

import (
	"context"
	"fmt"

	"gongwen/internal/compose"
	"gongwen/internal/fonts"
	"gongwen/internal/spec"
	"gongwen/internal/typeset"
)

// ContentType is the MIME type OFD files are served with (the type readers and the
// 党政机关电子公文 systems use; OFD has no IANA registration).
const ContentType = "application/ofd"

// Info is the document information (OFD.xml's DocInfo).
type Info = compose.Info

// InfoOf is the information of a composed document: its title, the issuer as author,
// its subject, and the report's date (31 December of the year reported on when the
// report has none, as the PDF and DOCX carry).
func InfoOf(doc *compose.Document) Info { return doc.Info() }

// FontSource cuts the per-document font subsets and names the faces. *fonts.Set
// implements it.
type FontSource interface {
	// Cut returns the face holding the given characters, with each one's glyph.
	Cut(face spec.Face, runes []rune) (*fonts.Subset, error)
	// PostScriptName is the face's own PostScript name ("FandolFang-Regular"), the
	// OFD's FontName; Family its family name ("FandolFang"), the FamilyName.
	PostScriptName(face spec.Face) string
	Family(face spec.Face) string
}

// Write draws lay as an OFD package. A bug comes back as an error, never a panic.
func Write(lay *typeset.Layout, in Info, src FontSource) (out []byte, err error) {
	return WriteContext(context.Background(), lay, in, src)
}

// WriteContext is Write that stops when ctx ends (checked before every page is drawn
// and every 16 pages compressed: both take hundreds of milliseconds on the densest
// documents), returning ctx's error wrapped.
func WriteContext(ctx context.Context, lay *typeset.Layout, in Info, src FontSource) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("ofd: internal error: %v", p)
		}
	}()
	return write(ctx, lay, in, src)
}

// Render typesets doc and writes it as OFD (for callers that have no Layout yet;
// internal/render typesets once and calls Write).
func Render(doc *compose.Document, f *fonts.Set) ([]byte, error) {
	lay, err := typeset.Typeset(doc, f)
	if err != nil {
		return nil, fmt.Errorf("ofd: typeset: %w", err)
	}
	return Write(lay, InfoOf(doc), f)
}
