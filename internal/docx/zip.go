package docx

import (
	"archive/zip"
	"context"
	"fmt"
	"hash/crc32"
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
// compressed form, with the parts of repl (compressed here, at flate's fastest
// level: the time matters more than a few kilobytes) in place of the template's, then
// the extra parts in their order (the embedded fonts, media), every entry stamped
// midnight of y-m-d. It stops when ctx ends, checked between parts and every
// megabyte of a part it compresses.
func pack(ctx context.Context, tmpl *zip.Reader, repl map[string][]byte, extra []fontPart, y, m, d int) ([]byte, error) {
	if len(tmpl.File) != len(templates.Parts) {
		return nil, fmt.Errorf("template has %d parts, want %d", len(tmpl.File), len(templates.Parts))
	}
	size := 24 << 10
	for _, d := range repl {
		size += len(d) / 3
	}
	for _, p := range extra {
		size += len(p.data)
		if p.font != nil {
			size += len(p.font.TTF) * 3 / 4
		}
	}
	zw := zipfile.New(y, m, d, size)
	for i, f := range tmpl.File {
		if f.Name != templates.Parts[i] {
			return nil, fmt.Errorf("template has part %q where %q belongs", f.Name, templates.Parts[i])
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("pack %s: %w", f.Name, err)
		}
		var err error
		if data, ok := repl[f.Name]; ok {
			err = zw.AddContext(ctx, f.Name, data, true)
		} else {
			err = zw.CopyRaw(f)
		}
		if err != nil {
			return nil, fmt.Errorf("pack: %w", err)
		}
	}
	for _, p := range extra {
		var err error
		switch {
		case p.stored:
			err = zw.Add(p.name, p.data, false)
		case p.font != nil:
			err = packFont(zw, p)
		default:
			err = zw.AddContext(ctx, p.name, p.data, true)
		}
		if err != nil {
			return nil, fmt.Errorf("pack: %w", err)
		}
	}
	out, err := zw.Bytes()
	if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	return out, nil
}

// packFont writes an obfuscated font part: the subset's compressed form with the
// first block's 32 bytes obfuscated (fonts.Subset.Deflate; nothing after them refers
// back to them), and the CRC-32 of the obfuscated file.
func packFont(zw *zipfile.Writer, p fontPart) error {
	ttf := p.font.TTF
	var head [32]byte
	n := copy(head[:], ttf)
	for i := range n {
		head[i] ^= p.key[i%16]
	}
	crc := crc32.Update(crc32.ChecksumIEEE(head[:n]), crc32.IEEETable, ttf[n:])
	return zw.AddDeflated(p.name, p.font.Deflate(&p.key), crc, len(ttf))
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

// coreXML fills the template's core properties: title, subject, creator (the issuer),
// and created and modified at midnight of the document's date (docDate).
func coreXML(tmpl string, doc *compose.Document) ([]byte, error) {
	y, m, d, err := docDate(doc)
	if err != nil {
		return nil, err
	}
	stamp := fmt.Sprintf("%04d-%02d-%02dT00:00:00Z", y, m, d)
	dates := "\n  <dcterms:created xsi:type=\"dcterms:W3CDTF\">" + stamp + "</dcterms:created>" +
		"\n  <dcterms:modified xsi:type=\"dcterms:W3CDTF\">" + stamp + "</dcterms:modified>"
	var fields [3]string
	for i, f := range []struct{ text, path string }{{doc.Title, "/title"}, {doc.Subject, "/issuer"}, {doc.Author, "/issuer"}} {
		var b strings.Builder
		if err := escape(&b, f.text, f.path); err != nil {
			return nil, fmt.Errorf("docx: core properties: %w", err)
		}
		fields[i] = b.String()
	}
	out := strings.NewReplacer(
		templates.CoreTitleMarker, fields[0],
		templates.CoreSubjectMarker, fields[1],
		templates.CoreCreatorMarker, fields[2],
		templates.CoreDatesMarker, dates,
	).Replace(tmpl)
	if err := templates.WellFormed([]byte(out)); err != nil {
		return nil, fmt.Errorf("docx: core properties are not well-formed: %w", err)
	}
	return []byte(out), nil
}
