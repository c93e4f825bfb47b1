package docx

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gongwen/internal/compose"
	"gongwen/internal/zipfile"

	"gongwen/templates"
)

// Every entry gets the same fixed time, midnight of the document's date (docDate);
// never the clock. The part order is the template's, fixed in templates.Parts. Equal
// input gives byte-identical output.

// docDate is the date the files carry, as the PDF's information dictionary does: the
// report's date, or 31 December of the year reported on when it has none.
func docDate(doc *compose.Document) (y, m, d int, err error) {
	if doc.Date != "" {
		y, m, d, ok := parseISODate(doc.Date)
		if !ok {
			return 0, 0, 0, fmt.Errorf("docx: document date %q is not YYYY-MM-DD", doc.Date)
		}
		return y, m, d, nil
	}
	y = doc.Year
	if y < 1 || y > 9999 {
		y = 2000 // as the PDF does
	}
	return y, 12, 31, nil
}

// parseISODate reads "2024-01-15".
func parseISODate(s string) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	var err1, err2, err3 error
	y, err1 = strconv.Atoi(s[:4])
	m, err2 = strconv.Atoi(s[5:7])
	d, err3 = strconv.Atoi(s[8:])
	if err1 != nil || err2 != nil || err3 != nil || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// pack writes the document: the template's parts in their order, copied in their
// compressed form, with the parts of repl (compressed by the caller, deflate.go) in
// place of the template's, then the extra parts in their order (the embedded fonts,
// media), every entry stamped midnight of y-m-d. It stops when ctx ends, checked
// between parts and every megabyte of a part it compresses.
func pack(ctx context.Context, parts []*zipfile.Part, repl map[string]deflated, extra []fontPart, y, m, d int) ([][]byte, error) {
	// The entries' data is referred to, not copied (zipfile.NewJoined): what pack
	// writes itself is the headers, and the archive is its pieces.
	hdr := zipfile.EndSize
	for _, p := range parts {
		if _, ok := repl[p.Name]; ok {
			hdr += zipfile.EntrySize(p.Name, false)
		} else {
			hdr += p.HeaderSize()
		}
	}
	for _, p := range extra {
		// zipfile.Add's stored entry has a data descriptor; the compressed ones not.
		hdr += zipfile.EntrySize(p.name, p.font == nil && p.z.z == nil && p.stored)
	}
	zw := zipfile.NewJoined(y, m, d, hdr)
	for _, p := range parts {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("pack %s: %w", p.Name, err)
		}
		var err error
		if z, ok := repl[p.Name]; ok {
			err = zw.AddDeflated(p.Name, z.z, z.crc, z.size)
		} else {
			err = zw.CopyPart(p)
		}
		if err != nil {
			return nil, fmt.Errorf("pack: %w", err)
		}
	}
	for _, p := range extra {
		var err error
		switch {
		case p.font != nil:
			err = packFont(zw, p)
		case p.z.z != nil:
			err = zw.AddDeflated(p.name, p.z.z, p.z.crc, p.z.size)
		case p.stored:
			err = zw.Add(p.name, p.data, false)
		default:
			var z deflated
			if z, err = deflatePieces(ctx, nil, piece{text: p.data}); err == nil {
				err = zw.AddDeflated(p.name, z.z, z.crc, z.size)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("pack: %w", err)
		}
	}
	out, err := zw.Parts()
	if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	return out, nil
}

// packFont writes an obfuscated font part, compressed already (fontPart.compress).
func packFont(zw *zipfile.Writer, p fontPart) error {
	return zw.AddDeflatedParts(p.name, p.z.crc, p.z.size, p.head, p.z.z)
}

// readPart returns one part of a zip archive, uncompressed.
func readPart(zr *zip.Reader, name string) ([]byte, error) {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer r.Close()
		return io.ReadAll(r)
	}
	return nil, fmt.Errorf("no part %s", name)
}

// coreTemplate is the template's docProps/core.xml cut at its markers, once per
// process: segs[i] precedes marks[i], the last segment ends the part; head is the
// first segment (the declaration and the namespaces, most of the part) compressed,
// ending byte-aligned. A comment of the template's own stays in its segment.
type coreTemplate struct {
	head  piece
	segs  []string
	marks []string
}

func splitCore(tmpl string) (coreTemplate, error) {
	var c coreTemplate
	const prefix = "<!--gongwen:"
	seg := 0 // where the current segment starts
	for i := 0; ; {
		j := strings.Index(tmpl[i:], prefix)
		if j < 0 {
			break
		}
		i += j
		mark := ""
		for _, m := range []string{templates.CoreTitleMarker, templates.CoreSubjectMarker,
			templates.CoreCreatorMarker, templates.CoreDatesMarker} {
			if strings.HasPrefix(tmpl[i:], m) {
				mark = m
			}
		}
		if mark == "" { // a comment of the template's own
			i += len(prefix)
			continue
		}
		c.segs, c.marks = append(c.segs, tmpl[seg:i]), append(c.marks, mark)
		i += len(mark)
		seg = i
	}
	c.segs = append(c.segs, tmpl[seg:])
	var err error
	c.head, err = compressPiece([]byte(c.segs[0]), false)
	return c, err
}

// coreXML fills the template's core properties: title, subject, creator (the issuer),
// and created and modified at midnight of the document's date (docDate). Every
// occurrence of a marker is filled. It returns the part's text and its pieces: the
// template's head compressed once, and the rest (the titles, the dates and the short
// elements between them) stored: compressing the part took about 110,000
// instructions a render, for 300 bytes (Wuchuan: 450 bytes compressed, now 751).
func coreXML(c *coreTemplate, doc *compose.Document) ([]byte, []piece, error) {
	y, m, d, err := docDate(doc)
	if err != nil {
		return nil, nil, err
	}
	stamp := fmt.Sprintf("%04d-%02d-%02dT00:00:00Z", y, m, d)
	var b textBuf
	n := 3*(len(doc.Title)+len(doc.Subject)+2*len(doc.Author)) + 128
	for _, seg := range c.segs {
		n += len(seg)
	}
	b.Grow(n)
	for i, seg := range c.segs {
		b.WriteString(seg)
		if i == len(c.marks) {
			break
		}
		var field, path string
		switch c.marks[i] {
		case templates.CoreTitleMarker:
			field, path = doc.Title, "/title"
		case templates.CoreSubjectMarker:
			field, path = doc.Subject, "/issuer"
		case templates.CoreCreatorMarker:
			field, path = doc.Author, "/issuer"
		case templates.CoreDatesMarker:
			b.WriteString("\n  <dcterms:created xsi:type=\"dcterms:W3CDTF\">" + stamp + "</dcterms:created>" +
				"\n  <dcterms:modified xsi:type=\"dcterms:W3CDTF\">" + stamp + "</dcterms:modified>")
			continue
		}
		if err := escape(&b, field, path); err != nil {
			return nil, nil, fmt.Errorf("docx: core properties: %w", err)
		}
	}
	out := b.b
	if err := templates.WellFormed(out); err != nil {
		return nil, nil, fmt.Errorf("docx: core properties are not well-formed: %w", err)
	}
	n = len(c.head.text)
	return out, []piece{c.head, storedPiece(out[n:])}, nil
}
