package httpapi

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"testing"
)

// A seal image is never logged nor echoed in a problem: only the rendered files
// hold it (issue 10).
func TestSealNeverLogged(t *testing.T) {
	doc := example(t, "all-fields-document.json")
	m := regexp.MustCompile(`"png":\s*"([^"]{64})`).FindSubmatch(doc)
	if m == nil {
		t.Fatal("the example has no seal")
	}
	piece := m[1][32:64] // from inside the image data, past the PNG header
	// The same report with the seal's data damaged half-way: a 422 about the seal.
	broken := bytes.Replace(doc, m[1], append(append([]byte{}, m[1][:40]...), bytes.Repeat([]byte("!"), 24)...), 1)
	var logs bytes.Buffer
	api := New(Options{Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	for i, body := range [][]byte{doc, broken} {
		for _, path := range []string{"/render", "/validate"} {
			resp := api.Serve(context.Background(), post(path, "application/json", body))
			if want := []int{200, 422}[i]; resp.Status != want {
				t.Fatalf("%s: status %d, want %d: %.300s", path, resp.Status, want, resp.Body)
			}
			if path == "/validate" && bytes.Contains(resp.Body, piece) {
				t.Errorf("%s answer quotes the seal image", path)
			}
		}
	}
	if logs.Len() == 0 {
		t.Fatal("nothing logged")
	}
	if bytes.Contains(logs.Bytes(), piece) {
		t.Errorf("the log holds the seal image")
	}
}
