package httpapi

import (
	"archive/zip"
	"bytes"
	"fmt"
	"mime"
	"strconv"
	"strings"
	"time"

	"gongwen/internal/render"
)

// choice is what POST /render answers with: one document (a render.Format, named
// like it), or all of them in a zip.
type choice string

const (
	choosePDF  = choice(render.PDF)
	chooseDOCX = choice(render.DOCX)
	chooseOFD  = choice(render.OFD)
	chooseZIP  = choice("zip")
)

const zipContentType = "application/zip"

func (c choice) formats() []render.Format {
	if c == chooseZIP {
		return render.Formats()
	}
	return []render.Format{render.Format(c)}
}

func (c choice) ext() string { return string(c) }

func (c choice) contentType() string {
	if c == chooseZIP {
		return zipContentType
	}
	return render.Format(c).ContentType()
}

// body is the response body: the document, or a zip of every format named after the
// report.
func (c choice) body(out *render.Output, name string) ([]byte, error) {
	if c != chooseZIP {
		return out.Bytes(render.Format(c)), nil
	}
	// The entries' time comes from the report, so the same input gives the same bytes.
	mod := time.Date(out.Report.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	if d := out.Report.Date; d != nil {
		mod = time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range render.Formats() {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name + "." + string(f), Method: zip.Deflate, Modified: mod})
		if err != nil {
			return nil, fmt.Errorf("zip %s: %w", f, err)
		}
		if _, err := w.Write(out.Bytes(f)); err != nil {
			return nil, fmt.Errorf("zip %s: %w", f, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	return buf.Bytes(), nil
}

// negotiate picks the output: the format query parameter when given, else the best
// supported type in Accept, else PDF.
func negotiate(r *Request) (choice, error) {
	if vs, ok := r.Query["format"]; ok && len(vs) > 0 {
		c := choice(strings.ToLower(strings.TrimSpace(vs[0])))
		var names []string
		for _, f := range render.Formats() {
			if c == choice(f) {
				return c, nil
			}
			names = append(names, string(f))
		}
		if c == chooseZIP {
			return c, nil
		}
		return "", fmt.Errorf("format 参数应为 %s 或 zip，收到 %q。The format parameter must be %s or zip, got %q.",
			strings.Join(names, "、"), vs[0], strings.Join(names, ", "), vs[0])
	}
	return fromAccept(r.Header.Get("Accept")), nil
}

// fromAccept reads an Accept header (RFC 9110 §12.5.1): the supported type with the
// highest q wins, the earlier one on a tie; wildcards and unsupported types mean PDF.
// A client asking only for something else still gets the PDF rather than a 406: the
// endpoint produces documents, and a PDF is the answer every caller can use.
func fromAccept(accept string) choice {
	best, bestQ := choosePDF, -1.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if v, err := strconv.ParseFloat(s, 64); err == nil {
				q = v
			}
		}
		c := chooseZIP
		if mt != zipContentType {
			f, ok := render.FormatOf(mt)
			if !ok {
				continue
			}
			c = choice(f)
		}
		if q > 0 && q > bestQ {
			best, bestQ = c, q
		}
	}
	return best
}
