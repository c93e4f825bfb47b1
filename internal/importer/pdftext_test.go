package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"testing"

	"gongwen/internal/render"
	"gongwen/internal/report"
	"gongwen/internal/testtool"
)

// TestPDFTextRoundTrip: a report printed to PDF by Gongwen, its text extracted by
// pdftotext (a line per printed line, page numbers, run-in headings split where the
// font changes), imports to the same report. Tables do not survive text extraction, so
// the all-fields example goes without its table.
func TestPDFTextRoundTrip(t *testing.T) {
	pdftotext := testtool.Require(t, "pdftotext")
	var af map[string]any
	if err := json.Unmarshal(readFile(t, "..", "..", "examples", "all-fields.json"), &af); err != nil {
		t.Fatal(err)
	}
	sec := af["sections"].([]any)[0].(map[string]any)["sections"].([]any)[2].(map[string]any)
	sec["body"] = sec["body"].([]any)[:1]
	noTable, _ := json.Marshal(af)
	for name, input := range map[string][]byte{
		"wuchuan-2023":          readFile(t, "..", "..", "examples", "wuchuan-2023.json"),
		"all-fields (no table)": noTable,
	} {
		out, err := render.Render(context.Background(), input, []render.Format{render.PDF})
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(pdftotext, "-enc", "UTF-8", "-", "-")
		cmd.Stdin = bytesReader(out.PDF)
		text, err := cmd.Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		res, err := Text(text, Options{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want, _, _ := report.Parse(input)
		sameReport(t, name, res.Report, want)
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
