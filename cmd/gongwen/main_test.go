package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongwen/internal/render"
	"gongwen/internal/report"
)

// runCLI runs the command in-process.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	example  = "../../examples/wuchuan-2023.json"
	example2 = "../../examples/all-fields.json"
)

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	invalid := writeFile(t, dir, "bad.json", `{"titel":"x","issuer":"某局","year":2023,"sections":[{"heading":" "}]}`)
	malformed := writeFile(t, dir, "broken.json", "{\n  \"title\": \"t\",\n}")
	gbk := writeFile(t, dir, "gbk.json", "{\"title\": \"\xb1\xea\"}")
	emoji := writeFile(t, dir, "emoji.json", `{"title":"t","issuer":"某局","year":2023,"sections":[{"heading":"h","body":["笑😀"]}]}`)
	warn := writeFile(t, dir, "warn.json", `{"title":"t","issuer":"某局","year":2023,"sections":[{"heading":"一、总体情况"}]}`)
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // exact lines
		stderrHas  []string
		stderrNone bool
	}{
		{"both examples", []string{"validate", example, example2}, 0, nil, nil, true},
		{"invalid", []string{"validate", invalid}, 1, []string{
			invalid + ": /title: 缺少必填项“标题”（title）。The required field \"title\" is missing.",
			invalid + ": /sections/0/heading: 章节标题不能为空。The heading must not be empty.",
			invalid + ": /titel: 不认识的字段“titel”，是否应为“title”？Unknown field \"titel\"; did you mean \"title\"?",
		}, nil, true},
		{"malformed", []string{"validate", malformed}, 1, []string{
			malformed + ": line 3, column 1: JSON 格式错误（第 3 行第 1 列）：此处应为带双引号的字段名，实为“}”（是否多了逗号？）。Expected a field name in double quotes, found \"}\" (a trailing comma?).",
		}, nil, true},
		{"not UTF-8", []string{"validate", gbk}, 1, []string{
			gbk + ": byte 11: 字节偏移 11（从 0 起算）处不是有效的 UTF-8 编码，请以 UTF-8 保存文件。Invalid UTF-8 at byte offset 11 (counting from 0): save the file as UTF-8.",
		}, nil, true},
		{"a character no font has: what validates must render", []string{"validate", emoji}, 1, []string{
			emoji + ": /sections/0/body/0: 字符 😀（U+1F600）无法排印：内嵌字体均不含此字。Character 😀 (U+1F600) cannot be printed: no embedded font has it.",
		}, nil, true},
		{"valid and invalid: exit 1", []string{"validate", example, invalid}, 1, nil, nil, true},
		{"warnings go to stderr", []string{"validate", warn}, 0, nil, []string{
			warn + ": /sections/0/heading: warning: 已删除标题开头的编号“一、”"}, false},
		{"missing file", []string{"validate", filepath.Join(dir, "none.json")}, 1, nil, []string{"gongwen validate: " + filepath.Join(dir, "none.json") + ": open"}, false},
		{"no files", []string{"validate"}, 2, nil, []string{"usage: gongwen validate"}, false},
		{"unknown flag", []string{"validate", "-x", example}, 2, nil, []string{"unknown flag -x"}, false},
		{"no command", nil, 2, nil, []string{"usage: gongwen COMMAND"}, false},
		{"unknown command", []string{"frobnicate"}, 2, nil, []string{`unknown command "frobnicate"`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if tt.stdout != nil || tt.code == 0 {
				want := ""
				if len(tt.stdout) > 0 {
					want = strings.Join(tt.stdout, "\n") + "\n"
				}
				if stdout != want {
					t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
				}
			}
			for _, s := range tt.stderrHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr %q lacks %q", stderr, s)
				}
			}
			if tt.stderrNone && stderr != "" {
				t.Errorf("stderr = %q, want nothing", stderr)
			}
		})
	}
}

// TestValidateStdin: "-" reads standard input, and is named "-" in problem lines.
func TestValidateStdin(t *testing.T) {
	good, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	defer func(r io.Reader) { stdin = r }(stdin)
	for _, tt := range []struct {
		input  string
		code   int
		stdout string
	}{
		{string(good), 0, ""},
		{`{"title":"t","issuer":"i","year":2023,"sections":[]}`, 1, "-: /sections: 报告至少需要一个章节。The report needs at least one section.\n"},
		// A pipe has no size: the answer says "more than 2 MB", not where reading stopped.
		{strings.Repeat(" ", report.MaxInputBytes+5), 1, "-: (document): 文件过大：超过 2 MB（2097152 字节）。The input is too large: more than 2 MB (2097152 bytes).\n"},
	} {
		stdin = strings.NewReader(tt.input)
		code, stdout, stderr := runCLI("validate", "-")
		if code != tt.code || !strings.HasPrefix(stdout, tt.stdout) || (tt.stdout == "" && stdout != "") || stderr != "" {
			t.Errorf("%.40q: exit %d, stdout %q, stderr %q; want %d, %q", tt.input, code, stdout, stderr, tt.code, tt.stdout)
		}
	}
}

func TestValidateTooLargeFileIsNotRead(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "big.json")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse 100 MB file: refused from its size.
	if err := f.Truncate(100 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, stdout, _ := runCLI("validate", p)
	if code != 1 || !strings.HasPrefix(stdout, p+": (document): 文件过大：104857600 字节") {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
}

func TestSchema(t *testing.T) {
	code, stdout, stderr := runCLI("schema")
	if code != 0 || stdout != string(report.Schema()) || stderr != "" {
		t.Errorf("exit %d, %d bytes out, stderr %q", code, len(stdout), stderr)
	}
	if !strings.Contains(stdout, `"$schema": "https://json-schema.org/draft/2020-12/schema"`) {
		t.Error("not a 2020-12 schema")
	}
	if code, _, _ := runCLI("schema", "extra"); code != 2 {
		t.Errorf("schema extra: exit %d, want 2", code)
	}
}

func TestRenderUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"render"}, "usage: gongwen render"},
		{[]string{"render", example, "-f", "png"}, `unknown format "png"`},
		{[]string{"render", example, "-o"}, "flag -o needs a value"},
		{[]string{"render", "-z", example}, "unknown flag -z"},
		{[]string{"render", example, "a/wuchuan-2023.json"}, "would both write"},
		{[]string{"render", "-"}, "cannot render standard input"},
	} {
		code, _, stderr := runCLI(tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestRenderInvalidInput(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.json", `{"title":"t","issuer":"某局","year":2023,"sections":[]}`)
	out := filepath.Join(dir, "out", "nested")
	code, stdout, _ := runCLI("render", bad, "-o", out)
	if code != 1 || stdout != bad+": /sections: 报告至少需要一个章节。The report needs at least one section.\n" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "bad.pdf")); !os.IsNotExist(err) {
		t.Errorf("an invalid input wrote a PDF: %v", err)
	}
	if st, err := os.Stat(out); err != nil || !st.IsDir() {
		t.Errorf("-o directory not created: %v", err)
	}
	// One file on more than one core creates its outputs' files while it renders
	// (renderOne): an input that fails leaves none of them behind.
	if entries, err := os.ReadDir(out); err != nil || len(entries) != 0 {
		t.Errorf("the output directory holds %v (%v), want nothing", entries, err)
	}
}

// TestRenderWritesFiles renders both examples, or one (on more than one core its
// formats are drawn concurrently and its files created ahead), flags after the files,
// one format or several: every file is written, byte for byte what render.Render
// makes of the input, listed on stdout, with nothing on stderr and no temporary file
// left behind.
func TestRenderWritesFiles(t *testing.T) {
	for _, tc := range []struct{ formats, inputs string }{
		{"pdf", "both"}, {"docx", "both"}, {"pdf,docx", "both"}, {"ofd", "both"}, {"pdf,docx,ofd", "both"},
		{"pdf,docx", "one"}, {"pdf,docx,ofd", "one"}, {"docx", "one"},
	} {
		formats := tc.formats
		inputs := []string{example, example2}
		if tc.inputs == "one" {
			inputs = inputs[:1]
		}
		t.Run(formats+"/"+tc.inputs, func(t *testing.T) {
			dir := t.TempDir()
			code, stdout, stderr := runCLI(append(append([]string{"render"}, inputs...), "-o", dir, "-f", formats)...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			fs, err := render.ParseFormats(formats)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, in := range inputs {
				data, err := os.ReadFile(in)
				if err != nil {
					t.Fatal(err)
				}
				ref, err := render.Render(context.Background(), data, fs)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range fs {
					p := filepath.Join(dir, outputName(in)+"."+string(f))
					want = append(want, p)
					b, err := os.ReadFile(p)
					if err != nil || !bytes.Equal(b, ref.Bytes(f)) || len(b) == 0 {
						t.Errorf("%s: %d bytes (%v), want render.Render's %d", p, len(b), err, len(ref.Bytes(f)))
					}
				}
			}
			if got := strings.Join(want, "\n") + "\n"; stdout != got {
				t.Errorf("stdout %q, want %q", stdout, got)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != len(want) {
				t.Errorf("%d entries in the output directory, want %d", len(entries), len(want))
			}
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".") {
					t.Errorf("left %s behind", e.Name())
				}
			}
		})
	}
}

func TestOutputName(t *testing.T) {
	for in, want := range map[string]string{
		"examples/wuchuan-2023.json": "wuchuan-2023",
		"a/b.report.json":            "b.report",
		"noext":                      "noext",
		"/x/.json":                   ".json",
	} {
		if got := outputName(in); got != want {
			t.Errorf("outputName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHelp(t *testing.T) {
	code, stdout, stderr := runCLI("help")
	if code != 0 || !strings.Contains(stdout, "render FILE.json") || !strings.Contains(stdout, "validate FILE.json") || stderr != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestProgressLine(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, 3) // not a terminal: silent
	p.done()
	p.finish()
	if b.Len() != 0 {
		t.Errorf("progress wrote %q to a non-terminal", b.String())
	}
	p = &progress{w: &b, of: 3, on: true}
	p.done()
	p.done()
	p.finish()
	if got, want := b.String(), "\r渲染 rendering 1/3\r渲染 rendering 2/3\r\033[K"; got != want {
		t.Errorf("progress %q, want %q", got, want)
	}
}

// TestRenderOneFileFails: a format's file that cannot be written (its path is a
// directory) fails the render with that file's error, while the other formats'
// files, written beside it, are written whole and listed, and no temporary file is
// left behind.
func TestRenderOneFileFails(t *testing.T) {
	dir := t.TempDir()
	blocked := filepath.Join(dir, outputName(example)+".docx")
	if err := os.Mkdir(blocked, 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI("render", example, "-o", dir, "-f", "pdf,docx,ofd")
	if code == 0 {
		t.Fatalf("exit 0 with %s a directory", blocked)
	}
	if !strings.Contains(stderr, outputName(example)+".docx") {
		t.Errorf("stderr %q does not name the DOCX that failed", stderr)
	}
	data, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := render.Render(context.Background(), data, []render.Format{render.PDF, render.OFD})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range []render.Format{render.PDF, render.OFD} {
		p := filepath.Join(dir, outputName(example)+"."+string(f))
		want = append(want, p)
		if b, err := os.ReadFile(p); err != nil || !bytes.Equal(b, ref.Bytes(f)) {
			t.Errorf("%s: %d bytes (%v), want render.Render's %d", p, len(b), err, len(ref.Bytes(f)))
		}
	}
	if got := strings.Join(want, "\n") + "\n"; stdout != got {
		t.Errorf("stdout %q, want %q", stdout, got)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left %s behind", e.Name())
		}
	}
	if st, err := os.Stat(blocked); err != nil || !st.IsDir() {
		t.Errorf("%s: %v, want the directory left as it was", blocked, err)
	}
}
