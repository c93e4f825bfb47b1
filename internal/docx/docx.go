// Package docx writes a composed document into the official-format Word template
// (templates/) with github.com/nguyenthenguyen/docx.
//
// The template is built, zipped and read (by the library and as parts) once per
// process. Per document, the body is generated as WordprocessingML (body.go), put in
// at the template's body marker with the library's ReplaceRaw and checked to be
// well-formed. The archive is written here (zip.go) rather than by the library's
// Write, which recompresses every part of the template on every call, cannot set the
// core properties or the file times and drops write errors: every unchanged part is
// copied in its compressed form from the cached template, only the parts that depend
// on the document are compressed per document (deflate.go), and every entry gets a
// fixed time, so the bytes are deterministic.
package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unsafe"

	libdocx "github.com/nguyenthenguyen/docx"

	"gongwen/internal/compose"
	"gongwen/internal/spare"
	"gongwen/internal/typeset"
	"gongwen/internal/zipfile"
	"gongwen/templates"
)

// tmpl is the template, read once and shared by every render (only ever read).
var tmpl struct {
	once sync.Once
	template
	err error
}

type template struct {
	// r is the template as the library reads it. Its Editable shares the template's
	// text (a string) and maps, which are only ever read here (we never call
	// ReplaceFooter/ReplaceHeader), so concurrent renders are safe.
	r     *libdocx.ReplaceDocx
	parts []*zipfile.Part // the template's parts as compressed there, in templates.Parts order
	// word/document.xml before and after the body marker, compressed (deflate.go);
	// tailUnnumbered is tail with the last section unnumbered
	// (lastSectionUnnumbered), for a 版记 on a page of its own.
	head, tail     piece
	tailUnnumbered func() (piece, error)
	sectPr         string                   // the template's section properties (templateSectPr)
	sealRels       func() (deflated, error) // word/_rels/document.xml.rels with the seal's relationship
	core           coreTemplate
	fontTable      fontTable
	// The font table of a document that embeds no font, and compressed.
	plainFontTable  []byte
	plainFontTableZ func() (deflated, error)
}

// tailUnnumbered, sealRels and plainFontTableZ are parts of the template compressed
// on first use, not when it is read: a 版记's tail, the seal's relationships and the
// font table without embedded fonts serve only some documents, and a one-document
// process (the CLI, a Lambda's first request) would compress them for nothing (about
// 250,000 instructions, the font table most of it).

// lazyPiece compresses text as a piece on first use, after check (if any) passes.
func lazyPiece(text []byte, check func() error) func() (piece, error) {
	return sync.OnceValues(func() (piece, error) {
		if check != nil {
			if err := check(); err != nil {
				return piece{}, err
			}
		}
		return compressPiece(text, true)
	})
}

// lazyDeflated deflates text as a part on first use.
func lazyDeflated(text []byte) func() (deflated, error) {
	return sync.OnceValues(func() (deflated, error) {
		return deflatePieces(context.Background(), nil, piece{text: text})
	})
}

func loadTemplate() (*template, error) {
	tmpl.once.Do(func() {
		t, err := readTemplate()
		if err != nil {
			tmpl.err = fmt.Errorf("docx: read template: %w", err)
			return
		}
		tmpl.template = *t
	})
	if tmpl.err != nil {
		return nil, tmpl.err
	}
	return &tmpl.template, nil
}

func readTemplate() (*template, error) {
	b, err := templates.Docx()
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	if len(zr.File) != len(templates.Parts) {
		return nil, fmt.Errorf("template has %d parts, want %d", len(zr.File), len(templates.Parts))
	}
	t := &template{}
	for i, f := range zr.File {
		if f.Name != templates.Parts[i] {
			return nil, fmt.Errorf("template has part %q where %q belongs", f.Name, templates.Parts[i])
		}
		p, err := zipfile.ReadPart(f)
		if err != nil {
			return nil, err
		}
		t.parts = append(t.parts, p)
	}
	// The library, and the parts filled here, read the text from the stored twin
	// (templates.DocxStored: no inflating at start-up); the compressed parts above
	// are what every DOCX copies.
	sb, err := templates.DocxStored()
	if err != nil {
		return nil, err
	}
	if zr, err = zip.NewReader(bytes.NewReader(sb), int64(len(sb))); err != nil {
		return nil, err
	}
	if t.r, err = libdocx.ReadDocxFromMemory(bytes.NewReader(sb), int64(len(sb))); err != nil {
		return nil, err
	}
	content := t.r.Editable().GetContent()
	if n := strings.Count(content, templates.BodyMarker); n != 1 {
		return nil, fmt.Errorf("template has %d body markers, want 1", n)
	}
	head, tail, _ := strings.Cut(content, templates.BodyMarker)
	// The last section's properties are the tail's: lastSectionUnnumbered changes
	// only what follows the last <w:sectPr>, so it can be applied to the tail alone.
	if !strings.Contains(tail, "<w:sectPr>") {
		return nil, errors.New("template has no section properties after the body marker")
	}
	// A render checks only the body it puts between head and tail
	// (templates.ContentWellFormed): head and tail must make a well-formed document
	// around elements, with the last section numbered (here) or not (when first used).
	around := func(tail string) func() error {
		return func() error {
			if err := templates.WellFormed([]byte(head + "<w:p/>" + tail)); err != nil {
				return fmt.Errorf("docx: template's document.xml around its body: %w", err)
			}
			return nil
		}
	}
	if err := around(tail)(); err != nil {
		return nil, err
	}
	if t.head, err = compressPiece([]byte(head), false); err != nil {
		return nil, err
	}
	if t.tail, err = compressPiece([]byte(tail), true); err != nil {
		return nil, err
	}
	unnumbered := lastSectionUnnumbered(tail)
	t.tailUnnumbered = lazyPiece([]byte(unnumbered), around(unnumbered))
	t.sectPr = templateSectPr(content)
	rels, err := readPart(zr, relsPart)
	if err != nil {
		return nil, err
	}
	t.sealRels = lazyDeflated(sealRels(rels))
	core, err := readPart(zr, templates.CorePart)
	if err != nil {
		return nil, err
	}
	if t.core, err = splitCore(string(core)); err != nil {
		return nil, err
	}
	ft, err := readPart(zr, templates.FontTablePart)
	if err != nil {
		return nil, err
	}
	if t.fontTable, err = splitFontTable(string(ft), templates.EmbedFonts()); err != nil {
		return nil, err
	}
	t.plainFontTable = t.fontTable.fill(nil, nil)
	t.plainFontTableZ = lazyDeflated(t.plainFontTable)
	return t, nil
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
	ps, err := RenderParts(ctx, doc, m, p)
	if err != nil {
		return nil, err
	}
	b := ps.Bytes()
	ps.Release()
	return b, nil
}

// RenderParts is RenderPaged with the file in parts (Parts), not joined: for an edge
// that writes the file out and then gives its buffers back (Parts.Release).
func RenderParts(ctx context.Context, doc *compose.Document, m typeset.Metrics, p Paging) (_ *Parts, err error) {
	if doc == nil {
		return nil, errors.New("docx: no document")
	}
	if m == nil {
		return nil, errors.New("docx: no font metrics")
	}
	t, err := loadTemplate()
	if err != nil {
		return nil, err
	}
	// The fonts are cut and compressed on the spare cores while the document's
	// parts are written and compressed here: their helpers start now, ready when
	// the body's characters are (give).
	fj := startFonts(m, t.fontTable)
	defer fj.abandon() // a no-op once finished; else the jobs stop
	form, err := formOf(doc, m, p)
	if err != nil {
		return nil, err
	}
	body, u, seal, err := writeBody(ctx, doc, m, form, t.sectPr)
	if err != nil {
		return nil, err
	}
	defer putTextBuf(body)
	fj.give(u)
	core, corePieces, err := coreXML(&t.core, doc)
	if err != nil {
		return nil, err
	}

	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	ed := t.r.Editable()
	// The body's bytes as a string, not copied: ReplaceRaw builds a new document
	// text from it and keeps nothing of it, and body is not changed until
	// putTextBuf.
	ed.ReplaceRaw(templates.BodyMarker, unsafe.String(unsafe.SliceData(body), len(body)), 1)
	text := ed.GetContent()
	tail := t.tail
	if form.recordPages > 0 {
		text = lastSectionUnnumbered(text)
		if tail, err = t.tailUnnumbered(); err != nil {
			return nil, err
		}
	}
	sc := getScratch()
	ps := &Parts{sc: sc}
	defer func() {
		if err != nil {
			ps.Release()
		}
	}()
	sc.content = append(sc.content[:0], text...)
	content := sc.content
	pieces := documentPieces(content, t.head, tail)
	// Never hand out a broken file: the generated body must leave document.xml
	// well-formed (the other parts were checked when the template was built, head
	// and tail around a body when it was read). The body alone is checked; the
	// whole document when that fails, for the error.
	if len(pieces) != 3 || !templates.ContentWellFormed(ctx, pieces[1].text) {
		if err := templates.WellFormedContext(ctx, content); err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("docx: %w", err)
			}
			return nil, fmt.Errorf("docx: generated document.xml is not well-formed: %w", err)
		}
	}
	y, mo, d, err := docDate(doc)
	if err != nil {
		return nil, err
	}
	// The compressed parts share one buffer; only the body and the document's own
	// parts are compressed here.
	buf := slices.Grow(sc.z[:0], len(body)/2+len(core)+len(t.plainFontTable)+2048)
	sc.z = buf
	docZ, err := deflatePieces(ctx, buf, pieces...)
	if err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	buf = docZ.z[len(docZ.z):]
	coreZ, err := deflatePieces(ctx, buf, corePieces...)
	if err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	buf = coreZ.z[len(coreZ.z):]
	fontTable, fontRels, fontParts, err := fj.finish()
	if err != nil {
		return nil, err
	}
	ps.fonts = fontParts
	var fontTableZ deflated
	if bytes.Equal(fontTable.text, t.plainFontTable) {
		fontTableZ, err = t.plainFontTableZ()
	} else {
		fontTableZ, err = t.fontTable.deflate(ctx, buf, fontTable)
	}
	if err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	repl := map[string]deflated{templates.DocumentPart: docZ, templates.CorePart: coreZ,
		templates.FontTablePart: fontTableZ}
	var extra []fontPart
	if fontRels != nil {
		extra = append([]fontPart{{name: templates.FontTableRels, z: *fontRels}}, fontParts...)
	}
	if seal != nil {
		if repl[relsPart], err = t.sealRels(); err != nil {
			return nil, fmt.Errorf("docx: %w", err)
		}
		extra = append(extra, fontPart{name: sealPart, data: seal, stored: true})
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	// Keep the larger of the buffers the compressed parts were appended to (they
	// outgrew sc.z only if the estimate was short).
	if cap(docZ.z) > cap(sc.z) {
		sc.z = docZ.z[:0:cap(docZ.z)]
	}
	if ps.parts, err = pack(ctx, t.parts, repl, extra, y, mo, d); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	return ps, nil
}

// scratch holds a render's document.xml text and its compressed parts, which the
// archive copies and nothing keeps after: they are reused by the next render
// (getScratch) rather than allocated, some 30 KB a report that the garbage
// collector would otherwise pay for in every render.
type scratch struct{ content, z []byte }

// spareScratch holds the idle scratch buffers. Buffers larger than maxScratch are
// dropped rather than kept for the process's life.
var spareScratch = spare.New[*scratch](4)

const maxScratch = 1 << 20

func getScratch() *scratch {
	if s, ok := spareScratch.Get(); ok {
		return s
	}
	return &scratch{}
}

// put gives s back; its bytes must no longer be used.
func (s *scratch) put() {
	if cap(s.content) <= maxScratch && cap(s.z) <= maxScratch {
		spareScratch.Put(s)
	}
}

// documentPieces cuts document.xml into the template's head and tail, compressed
// once, and the body between them. The library put the body in at the marker, so
// the text starts and ends so; were it ever otherwise, the whole text is compressed
// here.
func documentPieces(content []byte, head, tail piece) []piece {
	n, m := len(head.text), len(content)-len(tail.text)
	if m < n || !bytes.HasPrefix(content, head.text) || !bytes.HasSuffix(content, tail.text) {
		return []piece{{text: content, body: true}}
	}
	return []piece{{text: content[:n], z: head.z}, {text: content[n:m], body: true}, {text: content[m:], z: tail.z, final: true}}
}

// Warm loads and checks the template now rather than on the first render, so that a
// long-running process (a Lambda function's init phase) pays for it up front and
// fails at start-up if the embedded template is broken.
func Warm() error {
	_, err := loadTemplate()
	return err
}
