package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gongwen/internal/fonts"
	"gongwen/internal/render"
	"gongwen/internal/report"
	"gongwen/internal/testtool"
	"gongwen/internal/typeset"
)

// generated are reports built here to cover what the examples do not: four levels
// stand-alone and run-in, tables in the preamble and at the end of a section, line
// breaks in paragraphs, a title with a break of its own, no addressee, attachments
// without a date, long numbering (十一、).
func generated(t testing.TB) map[string][]byte {
	t.Helper()
	sec := func(h string, runIn bool, body []any, subs ...map[string]any) map[string]any {
		m := map[string]any{"heading": h}
		if runIn {
			m["runIn"] = true
		}
		if body != nil {
			m["body"] = body
		}
		if len(subs) > 0 {
			m["sections"] = subs
		}
		return m
	}
	tbl := func(caption string, header []string, rows ...[]string) map[string]any {
		t := map[string]any{"header": header, "rows": rows}
		if caption != "" {
			t["caption"] = caption
		}
		return map[string]any{"table": t}
	}
	var many []map[string]any
	for i := 1; i <= 12; i++ {
		many = append(many, sec("第"+report.ChineseNumeral(i)+"项工作", false, []any{"本项工作按计划推进，完成率100%。"}))
	}
	reports := map[string]map[string]any{
		"four-levels": {
			"title": "示例县人民政府办公室关于2024年度法治政府建设情况的报告", "issuer": "示例县人民政府办公室", "year": 2024,
			"date": "2025-02-03", "addressee": "县委：",
			"preamble": []any{"现将有关情况报告如下：", tbl("表1　总体情况", []string{"项目", "数量"}, []string{"规范性文件", "12"})},
			"sections": []any{
				sec("主要工作", false, []any{"全年工作平稳有序。"},
					sec("完善制度体系。", true, []any{"制定制度6项。", "第二段\n含换行。"},
						sec("加强审核", false, nil,
							sec("严格备案。", true, []any{"备案率100%。"}),
							sec("公开目录", false, []any{"目录及时公开。"}))),
					sec("强化监督", false, []any{"开展监督检查3次。", tbl("", []string{"类别", "件数", "占比"}, []string{"行政处罚", "1,560", "10.88%"}, []string{"行政许可", "31", "2.5%"})})),
				sec("存在问题", false, []any{"一是培训不足。二是信息化水平不高。"}),
			},
			"attachments": []any{"统计表", "任务清单"},
		},
		"many-sections": {
			"title": "示例镇2023年工作报告\n（公开版）", "issuer": "示例镇人民政府", "year": 2023,
			"sections": many,
		},
		"numbering-none": {
			"title": "示例区城市管理局2024年法治政府建设年度报告", "issuer": "示例区城市管理局", "year": 2024, "numbering": "none",
			"sections": []any{
				sec("一、总体情况", false, []any{"总体平稳。"},
					sec("（一）执法检查。", true, []any{"检查商户300家。"}),
					sec("（三）投诉办理", false, []any{"办结投诉86件。"})),
				sec("附：有关说明", false, []any{"无。"}),
			},
		},
		"attachments-no-date": {
			"title": "示例市交通运输局2025年法治政府建设年度报告", "issuer": "示例市交通运输局", "year": 2025,
			"sections":    []any{sec("总体情况", false, []any{"情况良好。"})},
			"attachments": []any{"2025年度行政执法数据"},
		},
	}
	out := map[string][]byte{}
	for name, r := range reports {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	return out
}

// roundTripInputs is every example and every generated report.
func roundTripInputs(t testing.TB) map[string][]byte {
	in := generated(t)
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.json"))
	for _, f := range files {
		in[strings.TrimSuffix(filepath.Base(f), ".json")] = readFile(t, f)
	}
	// The seal's diameter comes back from the drawing's extent: one that is not the
	// default 42 mm.
	var doc map[string]any
	if err := json.Unmarshal(in["all-fields-document"], &doc); err != nil {
		t.Fatal(err)
	}
	doc["seal"].(map[string]any)["diameterMM"] = 38.5
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	in["seal-38.5mm"] = b
	return in
}

func renderDOCX(t testing.TB, input []byte) (*report.Report, []byte) {
	t.Helper()
	out, err := render.Render(context.Background(), input, []render.Format{render.DOCX})
	if err != nil {
		t.Fatal(err)
	}
	return out.Report, out.DOCX
}

// sameReport compares an imported report with the one rendered. The one difference
// a DOCX cannot carry: a "\n" typed in the title exactly where the layout breaks the
// title anyway looks like the layout's own break (both are w:br), so the import
// drops it; the printed title is the same, which is checked here instead.
func sameReport(t *testing.T, name string, got, want *report.Report) {
	t.Helper()
	if strings.Contains(want.Title, "\n") && !strings.Contains(got.Title, "\n") {
		set, err := fonts.Default()
		if err != nil {
			t.Fatal(err)
		}
		joined := strings.ReplaceAll(want.Title, "\n", "")
		if strings.Join(typeset.TitleLines(joined, want.Issuer, set), "\n") == want.Title {
			w := *want
			w.Title = joined
			want = &w
		}
	}
	if reflect.DeepEqual(got, want) {
		return
	}
	g, _ := report.Marshal(got)
	w, _ := report.Marshal(want)
	gl, wl := strings.Split(string(g), "\n"), strings.Split(string(w), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var a, b string
		if i < len(gl) {
			a = gl[i]
		}
		if i < len(wl) {
			b = wl[i]
		}
		if a != b {
			t.Errorf("%s: imported report differs at line %d:\n got %s\nwant %s", name, i+1, a, b)
			return
		}
	}
	t.Errorf("%s: imported report differs (%+v vs %+v)", name, got, want)
}

// TestRoundTripOurDOCX: every example and generated report → our DOCX → import gives
// the same report.
func TestRoundTripOurDOCX(t *testing.T) {
	for name, input := range roundTripInputs(t) {
		want, docx := renderDOCX(t, input)
		res, err := DOCX(docx, Options{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		sameReport(t, name, res.Report, want)
	}
}

// TestRoundTripLibreOffice: the same after LibreOffice has opened and saved each DOCX
// (as a user's Word would), read back with LibreOffice's own styles.xml and
// numbering.
func TestRoundTripLibreOffice(t *testing.T) {
	soffice := testtool.Require(t, "soffice")
	dir := t.TempDir()
	in, want := map[string]string{}, map[string]*report.Report{}
	args := []string{"--headless", "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", filepath.Join(dir, "out")}
	inputs := roundTripInputs(t)
	for seed := range uint64(20) { // and random ones (random_test.go)
		inputs[fmt.Sprint("random-", seed)] = randomReport(seed)
	}
	for name, input := range inputs {
		rep, docx := renderDOCX(t, input)
		p := filepath.Join(dir, name+".docx")
		if err := os.WriteFile(p, docx, 0o644); err != nil {
			t.Fatal(err)
		}
		in[name], want[name] = p, rep
		args = append(args, p)
	}
	cmd := exec.Command(soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	for name := range in {
		b, err := os.ReadFile(filepath.Join(dir, "out", name+".docx"))
		if err != nil {
			t.Fatalf("LibreOffice did not save %s: %v", name, err)
		}
		res, err := DOCX(b, Options{})
		if err != nil {
			t.Errorf("%s (LibreOffice): %v", name, err)
			continue
		}
		sameReport(t, name+" (LibreOffice)", res.Report, want[name])
	}
}
