package render

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unicode"

	"gongwen/internal/testtool"
)

// The 196 characters of 通用规范汉字表 beyond the BMP (many in people's and place
// names) validate and render, in the body and in every heading role, and copy out of
// the PDF as themselves.
func TestBeyondTheBMPValidatesAndRenders(t *testing.T) {
	var ext []rune
	for _, c := range testtool.TGH(t) {
		if c.R > 0xFFFF {
			ext = append(ext, c.R)
		}
	}
	if len(ext) != 196 {
		t.Fatalf("%d kTGH characters beyond the BMP, want 196", len(ext))
	}
	name := string(ext[:3])
	in, err := json.Marshal(map[string]any{
		"title": "关于" + name + "同志的报告", "issuer": "测试局", "year": 2023, "date": "2024-01-15",
		"sections": []any{map[string]any{"heading": "总体情况" + name, "body": []any{string(ext)},
			"sections": []any{map[string]any{"heading": "具体情况" + name, "body": []any{"无。"}}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Validate(in); err != nil {
		t.Fatalf("validate: %v", err)
	}
	out, err := Render(context.Background(), in, []Format{PDF, DOCX})
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(out.DOCX), int64(len(out.DOCX)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		xml, _ := io.ReadAll(rc)
		rc.Close()
		if !strings.Contains(string(xml), string(ext)) {
			t.Error("the DOCX's document.xml does not carry the characters")
		}
	}
	tool := testtool.Require(t, "pdftotext")
	path := t.TempDir() + "/ext.pdf"
	if err := os.WriteFile(path, out.PDF, 0o644); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command(tool, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	got := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, string(text))
	for _, want := range []string{"关于" + name + "同志的报告", "总体情况" + name, "具体情况" + name, string(ext)} {
		if !strings.Contains(got, want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, got)
		}
	}
}
