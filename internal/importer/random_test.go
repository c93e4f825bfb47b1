package importer

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomReport builds a valid report from a seed: up to four levels, stand-alone and
// run-in headings, paragraphs that look like what the importer must not take for
// something else (a leading （1）, a date, 一是, a short unpunctuated line, a "附件："
// line), tables, attachments, with and without date and addressee.
func randomReport(seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	words := []string{"依法行政", "制度建设", "执法监督", "复议应诉", "普法宣传", "政务公开", "队伍建设", "合法性审查"}
	w := func() string { return words[rng.IntN(len(words))] }
	tricky := []string{
		"（1）类事项已全部办结。", "2024年3月1日", "一是加强学习，二是规范执法。", "工作成效",
		"附件：相关材料另行报送。", "全年办理案件1,560件，增长10.88%。", "详见 https://www.example.gov.cn/a。",
		"第一行\n第二行。", "1.5亿元资金全部到位。",
	}
	para := func() any {
		switch rng.IntN(8) {
		case 0:
			return tricky[rng.IntN(len(tricky))]
		case 1:
			return map[string]any{"table": map[string]any{"header": []string{"类别", "数量"},
				"rows": [][]string{{w(), fmt.Sprint(rng.IntN(100))}}}}
		}
		return "我局持续推进" + w() + "，" + w() + "取得新成效。"
	}
	var sections func(level int) []any
	sections = func(level int) []any {
		n := 1 + rng.IntN(3)
		var out []any
		for range n {
			s := map[string]any{"heading": w() + "情况"}
			var body []any
			if level > 1 && rng.IntN(2) == 0 {
				s["runIn"] = true
				s["heading"] = w() + "。"
				body = append(body, "全年推进"+w()+"。")
			}
			for range rng.IntN(3) {
				body = append(body, para())
			}
			if len(body) > 0 {
				s["body"] = body
			}
			if level < 4 && rng.IntN(3) == 0 {
				s["sections"] = sections(level + 1)
			}
			if len(body) == 0 && s["sections"] == nil {
				s["body"] = []any{"本项工作已完成。"}
			}
			out = append(out, s)
		}
		return out
	}
	r := map[string]any{
		"title":  "示例市" + w() + "局" + fmt.Sprint(2020+rng.IntN(6)) + "年法治政府建设年度报告",
		"issuer": "示例市" + words[0] + "局", "year": 2020 + rng.IntN(6),
		"sections": sections(1),
	}
	r["issuer"] = strings.SplitN(r["title"].(string), "局", 2)[0] + "局"
	r["year"] = 0
	fmt.Sscanf(strings.TrimPrefix(r["title"].(string), r["issuer"].(string)), "%d", new(int))
	var y int
	fmt.Sscanf(strings.TrimPrefix(r["title"].(string), r["issuer"].(string)), "%d", &y)
	r["year"] = y
	if rng.IntN(2) == 0 {
		r["preamble"] = []any{"现将有关情况报告如下："}
	}
	if rng.IntN(2) == 0 {
		r["date"] = fmt.Sprintf("%d-01-%02d", y+1, 1+rng.IntN(28))
	}
	if rng.IntN(3) == 0 {
		r["addressee"] = "市委、市政府："
	}
	if rng.IntN(3) == 0 {
		r["attachments"] = []string{"统计表", "任务清单"}[:1+rng.IntN(2)]
	}
	b, _ := json.Marshal(r)
	return b
}

// TestRoundTripRandom: 200 random reports → our DOCX → import → the same report.
func TestRoundTripRandom(t *testing.T) {
	n := 200
	if testing.Short() {
		n = 20
	}
	failed := 0
	for seed := range uint64(n) {
		input := randomReport(seed)
		want, docx := renderDOCX(t, input)
		res, err := DOCX(docx, Options{})
		if err != nil {
			t.Errorf("seed %d: %v\n%s", seed, err, input)
			failed++
		} else if !t.Run(fmt.Sprint(seed), func(t *testing.T) { sameReport(t, fmt.Sprint("seed ", seed), res.Report, want) }) {
			failed++
		}
		if failed > 3 {
			t.Fatal("stopping after 4 failures")
		}
	}
}
