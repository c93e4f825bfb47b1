package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"gongwen/internal/importer"
	"gongwen/internal/problemdoc"
	"gongwen/internal/render"
	"gongwen/internal/report"
)

func seedText(t *testing.T) []byte {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "report", "testdata", "wuchuan-2023-seed.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeImport(t *testing.T, resp *Response) (importAnswer, *report.Report) {
	t.Helper()
	if resp.Status != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d %s: %s", resp.Status, resp.Header.Get("Content-Type"), resp.Body)
	}
	var a importAnswer
	if err := json.Unmarshal(resp.Body, &a); err != nil {
		t.Fatal(err)
	}
	r, w, err := report.Parse(a.Report)
	if err != nil || len(w) != 0 {
		t.Fatalf("answer's report: %v, warnings %v", err, w)
	}
	return a, r
}

func TestImportText(t *testing.T) {
	api := New(Options{})
	a, r := decodeImport(t, api.Serve(context.Background(), post("/import", "text/plain; charset=utf-8", seedText(t))))
	want, _, _ := report.Parse(example(t, "wuchuan-2023.json"))
	if !reflect.DeepEqual(r, want) {
		t.Error("imported seed differs from the example")
	}
	if a.Summary.Source != "text" || a.Summary.Sections != [4]int{6, 6, 0, 0} || len(a.Warnings) != 11 {
		t.Errorf("summary %+v, %d warnings", a.Summary, len(a.Warnings))
	}
	if w := a.Warnings[0]; w.Place != "line 3" || w.Line != 3 || w.Code != importer.CodeDigitSpace {
		t.Errorf("first warning %+v", w)
	}
}

func TestImportDOCX(t *testing.T) {
	out, err := render.Render(context.Background(), example(t, "all-fields.json"), []render.Format{render.DOCX})
	if err != nil {
		t.Fatal(err)
	}
	api := New(Options{})
	for _, ct := range []string{docxType, "application/octet-stream", ""} {
		a, r := decodeImport(t, api.Serve(context.Background(), post("/import", ct, out.DOCX)))
		if a.Summary.Source != "docx" || r.Issuer != "示例市司法局" || r.Date == nil || r.Date.ISO() != "2025-01-15" || len(r.Attachments) != 3 {
			t.Errorf("%q: summary %+v", ct, a.Summary)
		}
	}
}

func TestImportProblems(t *testing.T) {
	api := New(Options{})
	big := bytes.Repeat([]byte("字"), report.MaxInputBytes/3+10)
	withLength := post("/import", "text/plain", big)
	withLength.Header.Set("Content-Length", strconv.Itoa(len(big)))
	cut := post("/import", "text/plain", big[:report.MaxInputBytes+1])
	for _, tt := range []struct {
		name   string
		req    *Request
		status int
		slug   string
		has    string
	}{
		{"json", post("/import", "application/json", []byte(`{}`)), 415, problemdoc.UnsupportedMedia, "text/plain"},
		{"gbk", post("/import", "text/plain; charset=gbk", []byte("x")), 415, problemdoc.UnsupportedMedia, "UTF-8"},
		{"empty", post("/import", "text/plain", []byte("\n \n")), 422, problemdoc.InvalidReport, "The input holds no text."},
		{"not a docx", post("/import", docxType, []byte("PK\x03\x04broken")), 400, problemdoc.Malformed, "Not a valid DOCX file"},
		{"not utf-8", post("/import", "", []byte("\xb1\xea\xcc\xe2")), 400, problemdoc.Malformed, "Not UTF-8 text at byte offset 0"},
		{"no sections", post("/import", "text/plain", []byte("某局2024年报告\n只有一段正文。")), 422, problemdoc.InvalidReport, "sections"},
		{"too large, known size", withLength, 413, problemdoc.TooLarge, strconv.Itoa(len(big)) + " bytes"},
		{"too large, cut off", cut, 413, problemdoc.TooLarge, "more than 2 MB"},
		{"bad option", &Request{Method: "POST", Path: "/import", Header: http.Header{}, Body: []byte("x"), RequestID: "req-1",
			Query: map[string][]string{"mergedCells": {"join"}}}, 400, problemdoc.Malformed, "mergedCells"},
	} {
		resp := api.Serve(context.Background(), tt.req)
		d := problemOf(t, resp)
		if resp.Status != tt.status || d.Type != "urn:gongwen:problem:"+tt.slug || !strings.Contains(string(resp.Body), tt.has) {
			t.Errorf("%s: %d %s %s", tt.name, resp.Status, d.Type, resp.Body)
		}
	}
}

// TestTooLargeOverHTTP: gongwen serve reads at most 2 MB + 1 byte; the 413 states the
// real size from Content-Length, or "more than 2 MB" for a chunked upload.
func TestTooLargeOverHTTP(t *testing.T) {
	srv := httptest.NewServer(New(Options{}).Handler())
	defer srv.Close()
	big := bytes.Repeat([]byte("a"), 3_000_000)
	for _, tt := range []struct {
		name string
		body io.Reader
		want string
	}{
		{"Content-Length", bytes.NewReader(big), "3000000 bytes"},
		{"chunked", io.MultiReader(bytes.NewReader(big)), "more than 2 MB"},
	} {
		resp, err := http.Post(srv.URL+"/validate", "application/json", tt.body)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 413 || !strings.Contains(string(b), tt.want) {
			t.Errorf("%s: %d %s", tt.name, resp.StatusCode, b)
		}
	}
}
