package httpapi

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"gongwen/internal/problemdoc"
	"gongwen/internal/render"
	"gongwen/internal/report"
)

func example(t testing.TB, name string) []byte {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func post(path, contentType string, body []byte) *Request {
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return &Request{Method: "POST", Path: path, Header: h, Body: body, RequestID: "req-1", Query: map[string][]string{}}
}

func problemOf(t *testing.T, resp *Response) problemdoc.Document {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != problemdoc.ContentType {
		t.Fatalf("Content-Type = %q, want %s; body %s", ct, problemdoc.ContentType, resp.Body)
	}
	var d problemdoc.Document
	if err := json.Unmarshal(resp.Body, &d); err != nil {
		t.Fatalf("problem document: %v\n%s", err, resp.Body)
	}
	if d.Status != resp.Status || !strings.HasPrefix(d.Type, "urn:gongwen:problem:") || d.Title == "" || d.Problems == nil {
		t.Errorf("problem document incomplete: %+v", d)
	}
	if d.RequestID != "req-1" {
		t.Errorf("requestId = %q", d.RequestID)
	}
	return d
}

// TestStatuses covers every route and every status an input can cause, and checks
// that each error is a full problem document with the right problems.
func TestStatuses(t *testing.T) {
	wuchuan := example(t, "wuchuan-2023.json")
	big := append([]byte(`{"title":"`), bytes.Repeat([]byte("长"), report.MaxInputBytes/3+1)...)
	big = append(big, `"}`...)
	tests := []struct {
		name      string
		req       *Request
		status    int
		probType  string // problem type slug; "" for a success
		probCodes []string
		allow     string
	}{
		{"validate valid", post("/validate", "application/json", wuchuan), 200, "", nil, ""},
		{"validate with charset", post("/validate", "application/json; charset=UTF-8", wuchuan), 200, "", nil, ""},
		{"validate +json type", post("/validate", "application/vnd.gongwen.report+json", wuchuan), 200, "", nil, ""},
		{"validate no content type", post("/validate", "", wuchuan), 200, "", nil, ""},
		{"validate trailing slash", post("/validate/", "application/json", wuchuan), 200, "", nil, ""},
		{"validate invalid", post("/validate", "application/json", []byte(`{"titel":"x","year":1999,"sections":[]}`)),
			422, problemdoc.InvalidReport, []string{report.CodeUnknownField}, ""},
		{"render invalid", post("/render", "application/json", []byte(`{"title":"t","issuer":"i","year":2023,"sections":[{"heading":""}]}`)),
			422, problemdoc.InvalidReport, []string{report.CodeEmptyHeading}, ""},
		{"validate unprintable", post("/validate", "application/json", []byte(`{"title":"t","issuer":"i","year":2023,"sections":[{"heading":"h","body":["😀"]}]}`)),
			422, problemdoc.InvalidReport, []string{"unsupported_character"}, ""},
		{"malformed", post("/validate", "application/json", []byte("{\n  \"title\": \"x\",,\n}")),
			400, problemdoc.Malformed, []string{report.CodeMalformedJSON}, ""},
		{"render malformed", post("/render", "application/json", []byte("not json")),
			400, problemdoc.Malformed, []string{report.CodeMalformedJSON}, ""},
		{"empty body", post("/render", "application/json", nil), 400, problemdoc.Malformed, nil, ""},
		{"invalid utf-8", post("/validate", "application/json", []byte("{\"title\":\"\xff\"}")),
			400, problemdoc.Malformed, []string{report.CodeInvalidUTF8}, ""},
		{"too large", post("/render", "application/json", big), 413, problemdoc.TooLarge, []string{report.CodeTooLarge}, ""},
		{"validate too large", post("/validate", "application/json", big), 413, problemdoc.TooLarge, []string{report.CodeTooLarge}, ""},
		{"text/plain", post("/render", "text/plain", wuchuan), 415, problemdoc.UnsupportedMedia, nil, ""},
		{"form", post("/validate", "application/x-www-form-urlencoded", wuchuan), 415, problemdoc.UnsupportedMedia, nil, ""},
		{"latin1 json", post("/validate", "application/json; charset=iso-8859-1", wuchuan), 415, problemdoc.UnsupportedMedia, nil, ""},
		{"garbage content type", post("/validate", ";;", wuchuan), 415, problemdoc.UnsupportedMedia, nil, ""},
		{"unknown format", func() *Request {
			r := post("/render", "application/json", wuchuan)
			r.Query = map[string][]string{"format": {"odt"}}
			return r
		}(), 400, problemdoc.UnknownFormat, []string{"unknown_format"}, ""},
		{"unknown route", post("/renders", "application/json", wuchuan), 404, problemdoc.NotFound, nil, ""},
		{"root", &Request{Method: "GET", Path: "", RequestID: "req-1"}, 404, problemdoc.NotFound, nil, ""},
		{"GET render", &Request{Method: "GET", Path: "/render", RequestID: "req-1"}, 405, problemdoc.MethodNotAllowed, nil, "POST"},
		{"PUT validate", &Request{Method: "PUT", Path: "/validate", RequestID: "req-1"}, 405, problemdoc.MethodNotAllowed, nil, "POST"},
		{"POST schema", post("/schema", "application/json", nil), 405, problemdoc.MethodNotAllowed, nil, "GET, HEAD"},
		{"schema", &Request{Method: "GET", Path: "/schema", RequestID: "req-1"}, 200, "", nil, ""},
	}
	api := New(Options{Logger: discard()})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.req.Header == nil {
				tc.req.Header = http.Header{}
			}
			resp := api.Serve(context.Background(), tc.req)
			if resp.Status != tc.status {
				t.Fatalf("status %d, want %d; body %.500s", resp.Status, tc.status, resp.Body)
			}
			if resp.Header.Get("X-Request-Id") != "req-1" {
				t.Errorf("X-Request-Id = %q", resp.Header.Get("X-Request-Id"))
			}
			if got := resp.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow = %q, want %q", got, tc.allow)
			}
			if tc.probType == "" {
				if resp.Header.Get("Content-Type") == problemdoc.ContentType {
					t.Fatalf("success answered with a problem: %s", resp.Body)
				}
				return
			}
			d := problemOf(t, resp)
			if d.Type != "urn:gongwen:problem:"+tc.probType {
				t.Errorf("type %q, want %s", d.Type, tc.probType)
			}
			if d.Instance != cleanPath(tc.req.Path) {
				t.Errorf("instance %q", d.Instance)
			}
			codes := map[string]bool{}
			for _, p := range d.Problems {
				codes[p.Code] = true
				if p.Message == "" {
					t.Errorf("problem without message: %+v", p)
				}
			}
			for _, c := range tc.probCodes {
				if !codes[c] {
					t.Errorf("problems %+v lack code %s", d.Problems, c)
				}
			}
		})
	}
}

// TestProblemsMatchValidate checks that the 422 answer carries exactly the problem
// list render.Validate gives (what the CLI prints), paths included.
func TestProblemsMatchValidate(t *testing.T) {
	in := []byte(`{"title":"t","issuer":"i","year":1999,"sections":[{"heading":"一、 a","runIn":true,"sections":[{"heading":""}]}],"titel":1}`)
	_, _, err := render.Validate(in)
	inv, ok := problemdoc.AsInvalid(err)
	if !ok {
		t.Fatalf("Validate: %v", err)
	}
	if len(inv.Problems) < 3 {
		t.Fatalf("want several problems, got %+v", inv.Problems)
	}
	for _, path := range []string{"/validate", "/render"} {
		resp := New(Options{Logger: discard()}).Serve(context.Background(), post(path, "application/json", in))
		d := problemOf(t, resp)
		if resp.Status != 422 {
			t.Fatalf("%s: status %d", path, resp.Status)
		}
		want, _ := json.Marshal(inv.Problems)
		got, _ := json.Marshal(d.Problems)
		if !bytes.Equal(want, got) {
			t.Errorf("%s problems\n got %s\nwant %s", path, got, want)
		}
	}
}

func TestMalformedLocation(t *testing.T) {
	resp := New(Options{Logger: discard()}).Serve(context.Background(), post("/validate", "application/json", []byte("{\n  \"title\": \"x\",,\n}")))
	d := problemOf(t, resp)
	if len(d.Problems) == 0 || d.Problems[0].Line != 2 || d.Problems[0].Column == 0 {
		t.Errorf("malformed JSON problem lacks line 2 / column: %+v", d.Problems)
	}
}

func TestValidateBody(t *testing.T) {
	resp := New(Options{Logger: discard()}).Serve(context.Background(), post("/validate", "application/json", example(t, "wuchuan-2023.json")))
	var v struct {
		Valid    *bool            `json:"valid"`
		Warnings []report.Problem `json:"warnings"`
	}
	if err := json.Unmarshal(resp.Body, &v); err != nil || v.Valid == nil || !*v.Valid || v.Warnings == nil {
		t.Fatalf("body %s (err %v)", resp.Body, err)
	}
	_, warnings, _ := render.Validate(example(t, "wuchuan-2023.json"))
	if len(v.Warnings) != len(warnings) {
		t.Errorf("warnings %d, Validate gives %d", len(v.Warnings), len(warnings))
	}
}

func TestSchema(t *testing.T) {
	api := New(Options{Logger: discard()})
	resp := api.Serve(context.Background(), &Request{Method: "GET", Path: "/schema", Header: http.Header{}})
	if resp.Header.Get("Content-Type") != "application/schema+json" {
		t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
	}
	var s struct {
		ID string `json:"$id"`
	}
	if err := json.Unmarshal(resp.Body, &s); err != nil || s.ID != report.SchemaID {
		t.Fatalf("schema $id %q (err %v)", s.ID, err)
	}
	if !bytes.Equal(resp.Body, report.Schema()) {
		t.Error("GET /schema differs from report.Schema()")
	}
	head := api.Serve(context.Background(), &Request{Method: "HEAD", Path: "/schema", Header: http.Header{}})
	if head.Status != 200 || len(head.Body) != 0 || head.Header.Get("Content-Length") != itoa(len(report.Schema())) {
		t.Errorf("HEAD: status %d, %d bytes, Content-Length %q", head.Status, len(head.Body), head.Header.Get("Content-Length"))
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestRenderFormats renders the Wuchuan example in each format, chosen by query or
// Accept, and checks type, file name and that the bytes are the document render gives.
func TestRenderFormats(t *testing.T) {
	in := example(t, "wuchuan-2023.json")
	ref, err := render.Render(context.Background(), in, render.Formats())
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	stem := FileStem(ref.Report.Title)
	tests := []struct {
		name   string
		query  string
		accept string
		ctype  string
		ext    string
	}{
		{"default", "", "", "application/pdf", "pdf"},
		{"query pdf", "pdf", "", "application/pdf", "pdf"},
		{"query docx", "docx", "application/pdf", render.DOCX.ContentType(), "docx"},
		{"query upper", "DOCX", "", render.DOCX.ContentType(), "docx"},
		{"query zip", "zip", "", "application/zip", "zip"},
		{"accept docx", "", render.DOCX.ContentType(), render.DOCX.ContentType(), "docx"},
		{"accept zip", "", "application/zip", "application/zip", "zip"},
		{"query ofd", "ofd", "", "application/ofd", "ofd"},
		{"accept ofd", "", "application/ofd", "application/ofd", "ofd"},
		{"accept q", "", "application/pdf;q=0.5, application/zip;q=0.9, */*;q=0.1", "application/zip", "zip"},
		{"accept wildcard", "", "*/*", "application/pdf", "pdf"},
		{"accept json only", "", "application/json", "application/pdf", "pdf"},
	}
	api := New(Options{Logger: discard()})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := post("/render", "application/json", in)
			if tc.query != "" {
				r.Query["format"] = []string{tc.query}
			}
			if tc.accept != "" {
				r.Header.Set("Accept", tc.accept)
			}
			resp := api.Serve(context.Background(), r)
			if resp.Status != 200 {
				t.Fatalf("status %d: %.500s", resp.Status, resp.Body)
			}
			if !resp.Binary {
				t.Error("document not marked binary")
			}
			if got := resp.Header.Get("Content-Type"); got != tc.ctype {
				t.Errorf("Content-Type %q, want %q", got, tc.ctype)
			}
			_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
			if err != nil {
				t.Fatalf("Content-Disposition %q: %v", resp.Header.Get("Content-Disposition"), err)
			}
			// mime decodes filename* (RFC 2231/8187) into "filename".
			if want := stem + "." + tc.ext; params["filename"] != want {
				t.Errorf("file name %q, want %q", params["filename"], want)
			}
			switch tc.ext {
			case "pdf":
				if !bytes.Equal(resp.Body, ref.PDF) {
					t.Error("PDF differs from render.Render's")
				}
				if resp.Header.Get("X-Gongwen-Pages") != itoa(ref.Pages) {
					t.Errorf("X-Gongwen-Pages %q, want %d", resp.Header.Get("X-Gongwen-Pages"), ref.Pages)
				}
			case "docx":
				if !bytes.Equal(resp.Body, ref.DOCX) {
					t.Error("DOCX differs from render.Render's")
				}
			case "ofd":
				if !bytes.Equal(resp.Body, ref.OFD) {
					t.Error("OFD differs from render.Render's")
				}
				if resp.Header.Get("X-Gongwen-Pages") != itoa(ref.Pages) {
					t.Errorf("X-Gongwen-Pages %q, want %d", resp.Header.Get("X-Gongwen-Pages"), ref.Pages)
				}
			case "zip":
				zr, err := zip.NewReader(bytes.NewReader(resp.Body), int64(len(resp.Body)))
				if err != nil {
					t.Fatal(err)
				}
				want := map[string][]byte{stem + ".pdf": ref.PDF, stem + ".docx": ref.DOCX, stem + ".ofd": ref.OFD}
				if len(zr.File) != len(want) {
					t.Fatalf("zip has %d entries", len(zr.File))
				}
				for _, f := range zr.File {
					rc, err := f.Open()
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(rc)
					rc.Close()
					if w, ok := want[f.Name]; !ok || !bytes.Equal(b, w) {
						t.Errorf("zip entry %q: %d bytes, unexpected name or content", f.Name, len(b))
					}
				}
				again := api.Serve(context.Background(), r)
				if !bytes.Equal(again.Body, resp.Body) {
					t.Error("zip is not byte-identical across requests")
				}
			}
		})
	}
}

func TestPanicRecovered(t *testing.T) {
	var logs bytes.Buffer
	api := New(Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	api.render = func(context.Context, []byte, []render.Format) (*render.Output, error) {
		var m map[string]int
		m["boom"]++ // a nil-map write: a real runtime panic
		return nil, nil
	}
	r := post("/render", "application/json", example(t, "wuchuan-2023.json"))
	r.RequestID = "req-1"
	resp := api.Serve(context.Background(), r)
	if resp.Status != 500 {
		t.Fatalf("status %d", resp.Status)
	}
	d := problemOf(t, resp)
	if d.Type != "urn:gongwen:problem:"+problemdoc.InternalError || !strings.Contains(d.Detail, "req-1") {
		t.Errorf("problem %+v", d)
	}
	if !strings.Contains(logs.String(), `"msg":"panic"`) || !strings.Contains(logs.String(), `"status":500`) {
		t.Errorf("log lacks the panic or the request line:\n%s", logs.String())
	}
}

func TestInternalErrorIs500(t *testing.T) {
	api := New(Options{Logger: discard()})
	api.render = func(context.Context, []byte, []render.Format) (*render.Output, error) {
		return nil, errors.New("font cache corrupt")
	}
	resp := api.Serve(context.Background(), post("/render", "application/json", example(t, "wuchuan-2023.json")))
	d := problemOf(t, resp)
	if resp.Status != 500 || strings.Contains(string(resp.Body), "font cache") {
		t.Errorf("status %d; internal detail leaked? %+v", resp.Status, d)
	}
}

// TestLogLine checks the one structured line per request.
func TestLogLine(t *testing.T) {
	var logs bytes.Buffer
	api := New(Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	r := post("/prod/render", "application/json", example(t, "wuchuan-2023.json"))
	r.Path = "/render"
	r.Via = "apigw-v2"
	resp := api.Serve(context.Background(), r)
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one log line, got %d:\n%s", len(lines), logs.String())
	}
	var l map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &l); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"request_id": "req-1", "source": "http", "via": "apigw-v2", "route": "/render",
		"status": 200.0, "bytes": float64(len(resp.Body)), "format": "pdf"} {
		if l[k] != want {
			t.Errorf("log %s = %v, want %v", k, l[k], want)
		}
	}
	if p, _ := l["pages"].(float64); p < 1 {
		t.Errorf("log pages = %v", l["pages"])
	}
	if _, ok := l["ms"].(float64); !ok {
		t.Errorf("log ms = %v", l["ms"])
	}
}

// memStore is a Store in memory: internal/s3store tests the S3 one through this API.
type memStore struct {
	names, types, dispositions []string
	bodies                     [][]byte
	err                        error
}

func (m *memStore) Put(_ context.Context, name, contentType, disposition string, body []byte) (Link, error) {
	if m.err != nil {
		return Link{}, m.err
	}
	m.names, m.types, m.dispositions = append(m.names, name), append(m.types, contentType), append(m.dispositions, disposition)
	m.bodies = append(m.bodies, bytes.Clone(body))
	return Link{URL: "https://store.test/" + name, Expires: time.Now().Add(time.Minute)}, nil
}

// TestLargeOutput lowers the response limit below the Wuchuan PDF: without a store the
// answer is 413; with a store it is 303 to the link the store returned for the same
// bytes.
func TestLargeOutput(t *testing.T) {
	in := example(t, "wuchuan-2023.json")
	ref, err := render.Render(context.Background(), in, []render.Format{render.PDF})
	if err != nil {
		t.Fatal(err)
	}
	limit := len(ref.PDF) // base64 makes it larger than this
	resp := New(Options{Logger: discard(), MaxResponseBytes: limit}).Serve(context.Background(), post("/render", "application/json", in))
	d := problemOf(t, resp)
	if resp.Status != 413 || d.Type != "urn:gongwen:problem:"+problemdoc.OutputTooLarge || !strings.Contains(d.Detail, "OUTPUT_BUCKET") {
		t.Fatalf("without store: %d %+v", resp.Status, d)
	}
	// Just under the limit it is answered directly.
	fits := New(Options{Logger: discard(), MaxResponseBytes: (len(ref.PDF)+2)/3*4 + responseOverhead}).
		Serve(context.Background(), post("/render", "application/json", in))
	if fits.Status != 200 {
		t.Fatalf("at the limit: status %d", fits.Status)
	}

	store := &memStore{}
	api := New(Options{Logger: discard(), MaxResponseBytes: limit, Store: store})
	resp = api.Serve(context.Background(), post("/render", "application/json", in))
	if resp.Status != http.StatusSeeOther {
		t.Fatalf("with store: status %d %s", resp.Status, resp.Body)
	}
	var body struct {
		URL       string    `json:"url"`
		ExpiresAt time.Time `json:"expiresAt"`
		Bytes     int       `json:"bytes"`
		Filename  string    `json:"filename"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		t.Fatal(err)
	}
	if len(store.bodies) != 1 || !bytes.Equal(store.bodies[0], ref.PDF) || store.types[0] != "application/pdf" ||
		!strings.HasPrefix(store.names[0], "req-1/") || !strings.HasSuffix(store.names[0], ".pdf") {
		t.Fatalf("stored %v %v (%d outputs)", store.names, store.types, len(store.bodies))
	}
	if _, params, err := mime.ParseMediaType(store.dispositions[0]); err != nil || params["filename"] == "" {
		t.Errorf("stored disposition %q: %v", store.dispositions[0], err)
	}
	loc := resp.Header.Get("Location")
	if loc != "https://store.test/"+store.names[0] || loc != body.URL || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("Location %q, body %+v", loc, body)
	}
	if body.Bytes != len(ref.PDF) || time.Until(body.ExpiresAt) > time.Minute || body.Filename != FileStem(ref.Report.Title)+".pdf" {
		t.Errorf("body %+v", body)
	}
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestLargeOutputStoreFails: when the store cannot take an oversized output (S3 down,
// no permission, no client), the answer is a 503 problem the client may retry, never
// a 500 and never a broken link.
func TestLargeOutputStoreFails(t *testing.T) {
	in := example(t, "wuchuan-2023.json")
	api := New(Options{Logger: discard(), MaxResponseBytes: 64 << 10, Store: &memStore{err: errors.New("no credentials")}})
	resp := api.Serve(context.Background(), post("/render", "application/json", in))
	if resp.Status != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || resp.Header.Get("Location") != "" {
		t.Fatalf("status %d, headers %v: %s", resp.Status, resp.Header, resp.Body)
	}
	if d := problemOf(t, resp); d.Type != "urn:gongwen:problem:"+problemdoc.StorageFailed || d.RequestID != "req-1" {
		t.Errorf("problem %+v", d)
	}
}

// An invalid report's problem document carries the warnings found before the
// problems, from /render as from /validate.
func TestInvalidCarriesWarnings(t *testing.T) {
	in := []byte(`{"title":"报告","issuer":"某局","year":2024,
		"sections":[{"heading":"一、总体情况","body":["正文𪚥"]}]}`)
	for _, path := range []string{"/validate", "/render"} {
		resp := New(Options{Logger: discard()}).Serve(context.Background(), post(path, "application/json", in))
		d := problemOf(t, resp)
		if resp.Status != 422 || len(d.Problems) != 1 || d.Problems[0].Code != "unsupported_character" {
			t.Fatalf("%s: status %d problems %+v", path, resp.Status, d.Problems)
		}
		if len(d.Warnings) != 1 || d.Warnings[0].Code != "number_removed" || d.Warnings[0].Path != "/sections/0/heading" {
			t.Errorf("%s: warnings %+v, want the removed heading number", path, d.Warnings)
		}
	}
}
