package httpapi

import (
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"gongwen/internal/importer"
	"gongwen/internal/problemdoc"
	"gongwen/internal/report"
)

// docxType is the media type of a Word document.
const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

func init() {
	routes["/import"] = route{"POST", (*API).handleImport}
}

// bodyTooLarge is the 413 for a body over the limit, with its real size: the
// Content-Length when the client sent one, else "more than 2 MB" (a body read through
// a limit, as gongwen serve reads it, stops one byte past the limit).
func bodyTooLarge(r *Request) *report.InvalidError {
	if n, err := strconv.ParseInt(r.Header.Get("Content-Length"), 10, 64); err == nil && n >= int64(len(r.Body)) {
		return report.TooLarge(n)
	}
	if len(r.Body) == report.MaxInputBytes+1 {
		return report.TooLargeUnknown()
	}
	return report.TooLarge(int64(len(r.Body)))
}

// importAnswer is the 200 answer of POST /import.
type importAnswer struct {
	Report   json.RawMessage    `json:"report"`
	Summary  importer.Summary   `json:"summary"`
	Warnings []importer.Warning `json:"warnings"`
}

// handleImport answers POST /import: a DOCX or UTF-8 text body becomes the report JSON
// with what the import inferred and every change it made (query keepNumbers=true and
// mergedCells=error choose the importer's options).
func (a *API) handleImport(ctx context.Context, r *Request, st *stats) *Response {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, params, err := mime.ParseMediaType(ct)
		cs := strings.ToLower(params["charset"])
		ok := err == nil && (mt == docxType || mt == "application/octet-stream" ||
			mt == "text/plain" && (cs == "" || cs == "utf-8"))
		if !ok {
			return a.problem(r, problemdoc.New(http.StatusUnsupportedMediaType, problemdoc.UnsupportedMedia,
				"Content-Type 应为 DOCX（"+docxType+"）或 text/plain（UTF-8），收到 "+strconv.Quote(ct)+"。Content-Type must be a DOCX ("+docxType+") or text/plain (UTF-8), got "+strconv.Quote(ct)+"."))
		}
	}
	if len(r.Body) > report.MaxInputBytes {
		return a.problem(r, problemdoc.FromInvalid(bodyTooLarge(r)))
	}
	var opts importer.Options
	q := func(k string) string {
		if v := r.Query[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	opts.KeepNumbers = q("keepNumbers") == "true"
	switch q("mergedCells") {
	case "", "split":
	case "error":
		opts.MergedCellsError = true
	default:
		d := problemdoc.New(http.StatusBadRequest, problemdoc.Malformed, "mergedCells 应为 split 或 error。mergedCells must be split or error.")
		return a.problem(r, d)
	}
	res, err := importer.Import(r.Body, opts)
	if err != nil {
		return a.renderError(r, err)
	}
	st.format = "import-" + res.Summary.Source
	ws := res.Warnings
	if ws == nil {
		ws = []importer.Warning{}
	}
	resp := jsonResponse(http.StatusOK, "application/json", importAnswer{res.JSON, res.Summary, ws})
	resp.Header.Set("Cache-Control", "no-store")
	resp.Header.Set("X-Gongwen-Warnings", strconv.Itoa(len(ws)))
	return resp
}
