package main

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"

	"gongwen/internal/render"
	"gongwen/internal/report"
)

const seed = "../../internal/report/testdata/wuchuan-2023-seed.txt"

func TestImportSeed(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sub", "report.json")
	code, stdout, stderr := runCLI("import", seed, "-o", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	for _, want := range []string{
		seed + ": imported from text\n",
		"  title      吴川市科工贸和信息化局2023年法治政府建设年度报告\n",
		"  issuer     吴川市科工贸和信息化局\n",
		"  year       2023\n",
		"  date       none (no signature block)\n",
		"  sections   6 level 1, 6 level 2, 0 level 3, 0 level 4\n",
		"  blocks     17 paragraphs, 0 tables, 0 attachments\n",
		"  changes    11 (listed below)\n",
		seed + ": line 13: warning: 此行与上一段连为一段（原文在分页处断开）。Joined this line to the paragraph before it (split at a page break).\n",
		seed + ": line 3: warning: 删除了数字与汉字之间的 2 处空格",
		seed + ": wrote " + out + " (next: gongwen render " + out + ")\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if n := strings.Count(stderr, ": warning: "); n != 11 {
		t.Errorf("%d warnings printed, want 11", n)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := report.Parse(got)
	if err != nil || len(w) != 0 {
		t.Fatalf("written report: %v, warnings %v", err, w)
	}
	want, _, _ := report.Parse(mustRead(t, example))
	if !reflect.DeepEqual(r, want) {
		t.Error("imported seed differs from examples/wuchuan-2023.json")
	}
	// Without -o the JSON goes to standard output; "-" reads standard input.
	stdin = strings.NewReader(string(mustRead(t, seed)))
	defer func() { stdin = os.Stdin }()
	code, stdout, _ = runCLI("import", "-")
	if code != 0 || stdout != string(got) {
		t.Errorf("import -: exit %d, stdout differs from the -o file: %q", code, stdout[:min(len(stdout), 80)])
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImportFailures(t *testing.T) {
	dir := t.TempDir()
	empty := writeFile(t, dir, "empty.txt", "\n\n")
	gbk := writeFile(t, dir, "gbk.txt", "\xb1\xea\xcc\xe2")
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import"}, 2, "give one input file"},
		{[]string{"import", empty, "-merged-cells", "join"}, 2, `-merged-cells must be split or error, not "join"`},
		{[]string{"import", empty, "-x"}, 2, "unknown flag -x"},
		{[]string{"import", empty}, 1, empty + ": (document): 输入中没有文字。The input holds no text."},
		{[]string{"import", gbk}, 1, "Not UTF-8 text at byte offset 0"},
		{[]string{"import", filepath.Join(dir, "missing.docx")}, 1, "no such file"},
	} {
		code, _, stderr := runCLI(tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}

// TestHelpCommands: `help CMD` and `CMD -h` print the command's flags with their
// defaults, on stdout, exit 0.
func TestHelpCommands(t *testing.T) {
	for _, tt := range []struct {
		cmd  string
		want []string
	}{
		{"render", []string{"-o DIR", `(default ".", the current directory)`, `-f LIST`, `(default "pdf,docx")`}},
		{"import", []string{"-o FILE", "(default: standard output)", "-keep-numbers", "(default false", `-merged-cells M`, `(default "split")`}},
		{"validate", []string{"usage: gongwen validate FILE.json…"}},
		{"schema", []string{"usage: gongwen schema"}},
		{"version", []string{"usage: gongwen version"}},
	} {
		_, help, _ := runCLI("help", tt.cmd)
		for _, w := range tt.want {
			if !strings.Contains(help, w) {
				t.Errorf("help %s lacks %q:\n%s", tt.cmd, w, help)
			}
		}
		code, dash, stderr := runCLI(tt.cmd, "-h")
		if code != 0 || dash != help || stderr != "" {
			t.Errorf("%s -h: exit %d, stdout %q, stderr %q; want the help text", tt.cmd, code, dash, stderr)
		}
	}
	if code, _, stderr := runCLI("help", "nope"); code != 2 || !strings.Contains(stderr, `unknown command "nope"`) {
		t.Errorf("help nope: %d %q", code, stderr)
	}
}

func TestVersion(t *testing.T) {
	defer func() { readBuildInfo = debug.ReadBuildInfo }()
	readBuildInfo = func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "gongwen", Version: "v1.2.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "5ee260bc360e"}, {Key: "vcs.time", Value: "2026-12-01T09:44:04Z"}, {Key: "vcs.modified", Value: "true"}}}, true
	}
	code, stdout, _ := runCLI("version")
	if want := "gongwen v1.2.0 revision 5ee260bc360e (2026-12-01T09:44:04Z) with local changes go1.26.8\n"; code != 0 || stdout != want {
		t.Errorf("version: %d %q, want %q", code, stdout, want)
	}
	readBuildInfo = func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "gongwen", Version: "(devel)"}}, true
	}
	if _, stdout, _ := runCLI("version"); stdout != "gongwen (devel) (no VCS revision recorded) go1.26.8\n" {
		t.Errorf("version without VCS: %q", stdout)
	}
}

// TestImportLargeDOCX: a Word file with embedded fonts (here 5 MB of them, over the
// 2 MB of report JSON) imports; the summary names the document form; a text over
// 2 MB is still refused.
func TestImportLargeDOCX(t *testing.T) {
	out, err := render.Render(context.Background(), readExample(t, "all-fields.json"), []render.Format{render.DOCX})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(out.DOCX), int64(len(out.DOCX)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "word/fonts/font9.odttf", Method: zip.Store})
	w.Write(make([]byte, 5<<20))
	zw.Close()
	dir := t.TempDir()
	docx := writeFile(t, dir, "big.docx", buf.String())
	code, _, stderr := runCLI("import", docx, "-o", filepath.Join(dir, "r.json"))
	if code != 0 || !strings.Contains(stderr, docx+": imported from DOCX\n") {
		t.Errorf("5 MB DOCX: exit %d, stderr %s", code, stderr)
	}
	// The document form's summary.
	out, err = render.Render(context.Background(), readExample(t, "all-fields-document.json"), []render.Format{render.DOCX})
	if err != nil {
		t.Fatal(err)
	}
	doc := writeFile(t, dir, "doc.docx", string(out.DOCX))
	code, _, stderr = runCLI("import", doc, "-o", filepath.Join(dir, "doc.json"))
	for _, want := range []string{"  document   示例市司法局文件 示司〔2025〕3号 (版头)\n", "  pages      1 attachment page(s)\n",
		"  note       （此件公开发布）\n", "  seal       the signature is sealed (picture imported)\n"} {
		if code != 0 || !strings.Contains(stderr, want) {
			t.Errorf("document form: exit %d, stderr lacks %q:\n%s", code, want, stderr)
		}
	}
	text := writeFile(t, dir, "big.txt", strings.Repeat("正文。\n", 300000))
	code, _, stderr = runCLI("import", text)
	if code != 1 || !strings.Contains(stderr, "The input is too large: 3000000 bytes, at most 2097152 (2 MB).") {
		t.Errorf("3 MB text: exit %d, stderr %s", code, stderr)
	}
}

func readExample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
