package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestGlyphCodeFileChangesNoByte renders the examples and a generated report holding
// every GB 2312 hanzi (level 1, which the code files cover, and level 2, which they do
// not) with a built gongwen whose fonts/gpl has fangsong.codes and kai.codes, lacks
// them, or has ones made for another font, and compares the files byte for byte (the
// embedded faces' code files: internal/fonts TestCodeFilesChangeNoByte).
func TestGlyphCodeFileChangesNoByte(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("symbolic links")
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	codeFiles := []string{"fangsong.codes", "kai.codes"}
	codes := map[string][]byte{}
	for _, name := range codeFiles {
		b, err := os.ReadFile(filepath.Join(repo, "fonts/gpl", name))
		if err != nil {
			t.Fatal(err)
		}
		codes[name] = b
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "gongwen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	inputs := []string{
		filepath.Join(repo, "examples/wuchuan-2023.json"),
		filepath.Join(repo, "examples/all-fields.json"),
		generatedReport(t, tmp),
	}
	stale := map[string][]byte{}
	for name, b := range codes {
		stale[name] = bytes.Clone(b)
		// A byte of the header's hash of the glyph code (bytes 24-55, internal/fonts
		// codefile.go): the file is refused as made with another glyph code.
		stale[name][30] ^= 1
	}
	variants := map[string]map[string][]byte{"with": codes, "without": nil, "stale": stale}
	outs := map[string]map[string][]byte{}
	for name, files := range variants {
		dir := filepath.Join(tmp, name)
		gpl := filepath.Join(dir, "fonts", "gpl")
		if err := os.MkdirAll(gpl, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"fangsong.ttf", "kai.ttf"} {
			if err := os.Symlink(filepath.Join(repo, "fonts/gpl", f), filepath.Join(gpl, f)); err != nil {
				t.Fatal(err)
			}
		}
		for f, b := range files {
			if err := os.WriteFile(filepath.Join(gpl, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		exe := filepath.Join(dir, "gongwen")
		if err := os.Link(bin, exe); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "out")
		cmd := exec.Command(exe, append([]string{"render", "-o", out, "-f", "pdf,docx,ofd"}, inputs...)...)
		cmd.Env = append(os.Environ(), "GONGWEN_FONT_DIR=")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, stderr.String())
		}
		for _, f := range codeFiles {
			warned := strings.Contains(stderr.String(), "glyph code file not used") && strings.Contains(stderr.String(), f)
			if warned != (name == "stale") {
				t.Errorf("%s: warning about %s %v, want %v:\n%s", name, f, warned, name == "stale", stderr.String())
			}
		}
		if strings.Contains(stderr.String(), "embedded") {
			t.Errorf("%s: a warning about an embedded code file:\n%s", name, stderr.String())
		}
		entries, err := os.ReadDir(out)
		if err != nil {
			t.Fatal(err)
		}
		outs[name] = map[string][]byte{}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(out, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			outs[name][e.Name()] = b
		}
	}
	if len(outs["without"]) != 3*len(inputs) {
		t.Fatalf("%d files written, want %d", len(outs["without"]), 3*len(inputs))
	}
	for _, name := range []string{"with", "stale"} {
		for f, want := range outs["without"] {
			if got, ok := outs[name][f]; !ok || !bytes.Equal(got, want) {
				t.Errorf("%s the code file, %s differs (%d bytes, without it %d)", name, f, len(got), len(want))
			}
		}
	}
}

// generatedReport writes a report whose body holds every GB 2312 hanzi.
func generatedReport(t *testing.T, dir string) string {
	dec := simplifiedchinese.GBK.NewDecoder()
	var paras []string
	var p strings.Builder
	n := 0
	for hi := 0xB0; hi <= 0xF7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			s, err := dec.String(string([]byte{byte(hi), byte(lo)}))
			if err != nil || s == "\uFFFD" || (hi == 0xD7 && lo > 0xF9) {
				continue
			}
			p.WriteString(s)
			n++
			if n%40 == 0 {
				p.WriteString("，")
			}
			if n%400 == 0 {
				paras = append(paras, p.String()+"。")
				p.Reset()
			}
		}
	}
	paras = append(paras, p.String()+"。ASCII 0123456789 abcxyz (2024)")
	doc := map[string]any{
		"title":     "生成的报告\n全部国标汉字",
		"issuer":    "示例市司法局",
		"year":      2024,
		"date":      "2025-01-15",
		"addressee": "市委、市政府：",
		"sections":  []any{map[string]any{"heading": "字表", "body": paras}},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "generated.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
