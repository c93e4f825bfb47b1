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
// compressed form, with the parts of repl (compressed by the caller, deflate.go) in
// place of the template's, then the extra parts in their order (the embedded fonts,
// media), every entry stamped midnight of y-m-d. It stops when ctx ends, checked
// between parts and every megabyte of a part it compresses.
func pack(ctx context.Context, parts []*zipfile.Part, repl map[string]deflated, extra []fontPart, y, m, d int) ([]byte, error) {
	size := 22 // the end of the central directory
	for _, p := range parts {
		if z, ok := repl[p.Name]; ok {
			size += len(z.z) + 2*len(p.Name) + 76
		} else {
			size += p.Size()
		}
	}
	for _, p := range extra {
		n := len(p.data)
		switch {
		case p.z.z != nil:
			n = len(p.z.z)
		case p.font != nil:
			n = len(p.font.TTF) * 3 / 4
		case !p.stored:
			n = n * 3 / 4
		}
		size += n + 2*len(p.name) + 76
	}
	zw := zipfile.New(y, m, d, size)
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
		case p.z.z != nil:
			err = zw.AddDeflated(p.name, p.z.z, p.z.crc, p.z.size)
		case p.stored:
			err = zw.Add(p.name, p.data, false)
		case p.font != nil:
			err = packFont(zw, p)
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
// and created and modified at midnight of the document's date (docDate). Every
// occurrence of a marker is filled.
func coreXML(tmpl string, doc *compose.Document) ([]byte, error) {
	y, m, d, err := docDate(doc)
	if err != nil {
		return nil, err
	}
	stamp := fmt.Sprintf("%04d-%02d-%02dT00:00:00Z", y, m, d)
	var b strings.Builder
	b.Grow(len(tmpl) + 3*(len(doc.Title)+len(doc.Subject)+2*len(doc.Author)) + 128)
	const prefix = "<!--gongwen:"
	for rest := tmpl; ; {
		i := strings.Index(rest, prefix)
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i:]
		var field, path string
		switch {
		case strings.HasPrefix(rest, templates.CoreTitleMarker):
			field, path, rest = doc.Title, "/title", rest[len(templates.CoreTitleMarker):]
		case strings.HasPrefix(rest, templates.CoreSubjectMarker):
			field, path, rest = doc.Subject, "/issuer", rest[len(templates.CoreSubjectMarker):]
		case strings.HasPrefix(rest, templates.CoreCreatorMarker):
			field, path, rest = doc.Author, "/issuer", rest[len(templates.CoreCreatorMarker):]
		case strings.HasPrefix(rest, templates.CoreDatesMarker):
			b.WriteString("\n  <dcterms:created xsi:type=\"dcterms:W3CDTF\">" + stamp + "</dcterms:created>" +
				"\n  <dcterms:modified xsi:type=\"dcterms:W3CDTF\">" + stamp + "</dcterms:modified>")
			rest = rest[len(templates.CoreDatesMarker):]
			continue
		default: // a comment of the template's own
			b.WriteString(prefix)
			rest = rest[len(prefix):]
			continue
		}
		if err := escape(&b, field, path); err != nil {
			return nil, fmt.Errorf("docx: core properties: %w", err)
		}
	}
	out := []byte(b.String())
	if err := templates.WellFormed(out); err != nil {
		return nil, fmt.Errorf("docx: core properties are not well-formed: %w", err)
	}
	return out, nil
}
