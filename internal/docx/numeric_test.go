package docx

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/report"
	"gongwen/internal/spec"
	"gongwen/internal/testtool"
)

// Signed numbers in a table are numbers in the DOCX too: python-docx reads each
// cell's paragraph style and its alignment (resolved through the style chain);
// "−1" (U+2212) and "－2" are centred like "5", text cells are not.
func TestSignedNumbersCentred(t *testing.T) {
	testtool.Require(t, "python3")
	doc := &compose.Document{Title: "测试局2023年法治政府建设年度报告", Author: "测试局", Year: 2023, Date: "2024-01-15",
		Blocks: []compose.Block{
			{Kind: compose.KindTitle, Path: "/title", Runs: []compose.Run{{Text: "测试局2023年法治政府建设年度报告", Role: spec.RoleTitle}}},
			{Kind: compose.KindTable, Path: "/sections/0/body/0", Table: &report.Table{
				Header: []string{"项目", "同比增减"},
				Rows:   [][]string{{"行政复议", "5"}, {"行政诉讼", "−1"}, {"行政处罚", "－2"}, {"行政裁决", "±0.5"}, {"行政许可", "待定"}},
			}},
		}}
	path := filepath.Join(t.TempDir(), "t.docx")
	if err := os.WriteFile(path, render(t, doc), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `
import sys, docx
d = docx.Document(sys.argv[1])
def align(p):
    if p.alignment is not None:
        return p.alignment
    s = p.style
    while s is not None:
        if s.paragraph_format.alignment is not None:
            return s.paragraph_format.alignment
        s = s.base_style
    return None
for row in d.tables[0].rows[1:]:
    c = row.cells[1].paragraphs[0]
    a = align(c)
    print(c.text + "\t" + c.style.name + "\t" + (str(a).split(" ")[0] if a is not None else "NONE"))
`
	out, err := exec.Command("/usr/bin/python3", "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("python-docx: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(l, "\t")
		if len(f) == 3 {
			got[f[0]] = f[2]
		}
	}
	for _, s := range []string{"5", "−1", "－2", "±0.5"} {
		if got[s] != "CENTER" {
			t.Errorf("cell %q aligned %q, want CENTER (python-docx:\n%s)", s, got[s], out)
		}
	}
	if got["待定"] == "CENTER" || got["待定"] == "" {
		t.Errorf("text cell aligned %q: the test cannot tell", got["待定"])
	}
}
