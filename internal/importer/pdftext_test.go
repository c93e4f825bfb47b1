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
// the all-fields examples go without their tables.
func TestPDFTextRoundTrip(t *testing.T) {
	pdftotext := testtool.Require(t, "pdftotext")
	var af map[string]any
	if err := json.Unmarshal(readFile(t, "..", "..", "examples", "all-fields.json"), &af); err != nil {
		t.Fatal(err)
	}
	sec := af["sections"].([]any)[0].(map[string]any)["sections"].([]any)[2].(map[string]any)
	sec["body"] = sec["body"].([]any)[:1]
	noTable, _ := json.Marshal(af)
	// The document form: 版头 (签发人 on a line of its own in the text), 附注, an
	// attachment page, 版记 (印发机关 and date on two lines); no seal (a picture).
	var afd map[string]any
	if err := json.Unmarshal(readFile(t, "..", "..", "examples", "all-fields-document.json"), &afd); err != nil {
		t.Fatal(err)
	}
	sec = afd["sections"].([]any)[0].(map[string]any)["sections"].([]any)[2].(map[string]any)
	sec["body"] = sec["body"].([]any)[:1]
	page := afd["attachments"].([]any)[0].(map[string]any)
	page["body"] = page["body"].([]any)[:1]
	delete(afd, "seal")
	docNoTable, _ := json.Marshal(afd)
	for name, input := range map[string][]byte{
		"wuchuan-2023":                   readFile(t, "..", "..", "examples", "wuchuan-2023.json"),
		"all-fields (no table)":          noTable,
		"all-fields-document (no table)": docNoTable,
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
