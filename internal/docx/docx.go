// Package docx writes a composed document into the official-format Word template
// (templates/) with github.com/nguyenthenguyen/docx.
//
// The template is built, zipped and parsed once per process. Per document, the body
// is generated as WordprocessingML (body.go), put in at the template's body marker
// with the library's ReplaceRaw and checked to be well-formed. The archive is then
// written here (zip.go) rather than by the library's Write, which recompresses every
// part of the template on every call, cannot set the core properties or the file
// times and drops write errors: every unchanged part is copied in its compressed form
// from the cached template, only document.xml and core.xml are compressed per
// document, and every entry gets a fixed time, so the bytes are deterministic.
package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	libdocx "github.com/nguyenthenguyen/docx"

	"gongwen/internal/compose"
	"gongwen/internal/typeset"
	"gongwen/templates"
)

// tmpl is the parsed template, shared by every render. The library's Editable copies
// the document text per call; the footer map it shares is only ever read here (we
// never call ReplaceFooter/ReplaceHeader), and zip.File.Open is safe for concurrent
// use, so concurrent renders are safe.
var tmpl struct {
	once      sync.Once
	r         *libdocx.ReplaceDocx
	zr        *zip.Reader // the template's parts, copied as they are into every document
	core      string      // docProps/core.xml with its markers
	fontTable fontTable   // word/fontTable.xml cut at its embed markers
	err       error
}

func loadTemplate() (*libdocx.ReplaceDocx, *zip.Reader, string, error) {
	tmpl.once.Do(func() {
		b, err := templates.Docx()
		if err != nil {
			tmpl.err = err
			return
		}
		r, err := libdocx.ReadDocxFromMemory(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			tmpl.err = fmt.Errorf("docx: read template: %w", err)
			return
		}
		if n := strings.Count(r.Editable().GetContent(), templates.BodyMarker); n != 1 {
			tmpl.err = fmt.Errorf("docx: template has %d body markers, want 1", n)
			return
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			tmpl.err = fmt.Errorf("docx: read template: %w", err)
			return
		}
		core, err := readPart(zr, templates.CorePart)
		if err != nil {
			tmpl.err = fmt.Errorf("docx: read template: %w", err)
			return
		}
		ft, err := readPart(zr, templates.FontTablePart)
		if err != nil {
			tmpl.err = fmt.Errorf("docx: read template: %w", err)
			return
		}
		fts, err := splitFontTable(string(ft), templates.EmbedFonts())
		if err != nil {
			tmpl.err = fmt.Errorf("docx: template: %w", err)
			return
		}
		tmpl.r, tmpl.zr, tmpl.core, tmpl.fontTable = r, zr, string(core), fts
	})
	return tmpl.r, tmpl.zr, tmpl.core, tmpl.err
}

// Render writes doc as a DOCX. m measures the title so that its lines break where the
// PDF's do, and the signature so that the date stands where the standard puts it.
// When m can also cut font subsets (a *fonts.Set does), the DOCX embeds the subset of
// every face it uses (embed.go).
func Render(doc *compose.Document, m typeset.Metrics) ([]byte, error) {
	return RenderContext(context.Background(), doc, m)
}

// RenderContext is Render that stops when ctx ends (checked before every block and
// every few table rows), returning ctx's error wrapped.
func RenderContext(ctx context.Context, doc *compose.Document, m typeset.Metrics) ([]byte, error) {
	return RenderPaged(ctx, doc, m, Paging{})
}

// RenderPaged is RenderContext given what the DOCX needs from the document's layout
// (PagingOf the Layout the PDF draws, typeset with m), so that a document with a 版记
// is not typeset a second time. The zero Paging makes it RenderContext.
func RenderPaged(ctx context.Context, doc *compose.Document, m typeset.Metrics, p Paging) ([]byte, error) {
	if doc == nil {
		return nil, errors.New("docx: no document")
	}
	if m == nil {
		return nil, errors.New("docx: no font metrics")
	}
	r, zr, coreTmpl, err := loadTemplate()
	if err != nil {
		return nil, err
	}
	form, err := formOf(doc, m, p)
	if err != nil {
		return nil, err
	}
	sectPr := templateSectPr(r.Editable().GetContent())
	body, u, seal, err := writeBody(ctx, doc, m, form, sectPr)
	if err != nil {
		return nil, err
	}
	fontTable, fontRels, fontParts, err := embedFonts(m, u, tmpl.fontTable)
	if err != nil {
		return nil, err
	}
	core, err := coreXML(coreTmpl, doc)
	if err != nil {
		return nil, err
	}

	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	ed := r.Editable()
	ed.ReplaceRaw(templates.BodyMarker, body, 1)
	text := ed.GetContent()
	if form.recordPages > 0 {
		text = lastSectionUnnumbered(text)
	}
	content := []byte(text)
	// Never hand out a broken file: the generated body must leave document.xml
	// well-formed (the other parts were checked when the template was built).
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	if err := templates.WellFormedContext(ctx, content); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("docx: %w", err)
		}
		return nil, fmt.Errorf("docx: generated document.xml is not well-formed: %w", err)
	}
	y, mo, d, err := docDate(doc)
	if err != nil {
		return nil, err
	}
	repl := map[string][]byte{templates.DocumentPart: content, templates.CorePart: core,
		templates.FontTablePart: fontTable}
	var extra []fontPart
	if fontRels != nil {
		extra = append([]fontPart{{name: templates.FontTableRels, data: fontRels}}, fontParts...)
	}
	if seal != nil {
		rels, err := readPart(zr, relsPart)
		if err != nil {
			return nil, fmt.Errorf("docx: %w", err)
		}
		repl[relsPart] = sealRels(rels)
		extra = append(extra, fontPart{name: sealPart, data: seal, stored: true})
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	out, err := pack(ctx, zr, repl, extra, y, mo, d)
	if err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	return out, nil
}

// Warm loads and checks the template now rather than on the first render, so that a
// long-running process (a Lambda function's init phase) pays for it up front and
// fails at start-up if the embedded template is broken.
func Warm() error {
	_, _, _, err := loadTemplate()
	return err
}
