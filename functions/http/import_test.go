package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"gongwen/internal/report"
)

// TestImportEvent: events/http-import-docx.json (the Wuchuan DOCX, base64, as API
// Gateway passes a binary body) imports to the Wuchuan example.
func TestImportEvent(t *testing.T) {
	r, _ := invoke(t, event(t, "http-import-docx.json"))
	if r.StatusCode != 200 || r.Headers["Content-Type"] != "application/json" {
		t.Fatalf("status %d %v: %.300s", r.StatusCode, r.Headers, r.Body)
	}
	var a struct {
		Report  json.RawMessage `json:"report"`
		Summary struct {
			Source string `json:"source"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(r.body(t), &a); err != nil {
		t.Fatal(err)
	}
	got, _, err := report.Parse(a.Report)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := os.ReadFile(filepath.Join("..", "..", "examples", "wuchuan-2023.json"))
	if err != nil {
		t.Fatal(err)
	}
	want, _, _ := report.Parse(ex)
	if a.Summary.Source != "docx" || !reflect.DeepEqual(got, want) {
		t.Errorf("source %q; report equal to the example: %v", a.Summary.Source, reflect.DeepEqual(got, want))
	}
}
