package pdf

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// Signed numbers in a table are numbers: "−1" (U+2212) is centred in its column like
// "5" and "12", where a text cell starts at the column's left. Positions read back
// with mutool.
func TestSignedNumbersCentred(t *testing.T) {
	rows := [][]string{
		{"行政复议", "12", "5"},
		{"行政诉讼", "3", "−1"},
		{"行政处罚", "7", "－2"},
		{"行政许可", "9", "待定"},
		{"行政裁决", "1", "待核实的案件数量"}, // widens the column beyond its numbers
	}
	data, _ := json.Marshal(map[string]any{"title": "测试局2023年法治政府建设年度报告", "issuer": "测试局", "year": 2023,
		"date": "2024-01-15", "sections": []any{map[string]any{"heading": "主要工作", "body": []any{
			"全年案件情况如下。", map[string]any{"table": map[string]any{"header": []string{"项目", "收案数", "同比增减"}, "rows": rows}}}}}})
	doc := docFromJSON(t, data)
	res, _ := render(t, doc)
	lines := linesOf(readStext(t, res.Bytes))
	// The third column's text on each row: the row's last characters.
	cell := func(row, text string) []stextChar {
		for _, l := range lines {
			if strings.HasPrefix(l.text(), row) && strings.HasSuffix(l.text(), text) {
				return l.chars[len(l.chars)-len([]rune(text)):]
			}
		}
		t.Fatalf("row %q ending in %q not found", row, text)
		return nil
	}
	mid := func(cs []stextChar) float64 {
		last := cs[len(cs)-1]
		w := last.W
		if wide(last.C) {
			w = looseCell
		}
		return (cs[0].X + last.X + w) / 2
	}
	five, minus, fwMinus, text := cell("行政复议", "5"), cell("行政诉讼", "−1"), cell("行政处罚", "－2"), cell("行政许可", "待定")
	for _, c := range [][]stextChar{minus, fwMinus} {
		if math.Abs(mid(c)-mid(five)) > 0.05 {
			t.Errorf("%q centred at %.2f, \"5\" at %.2f", charString(c), mid(c), mid(five))
		}
	}
	if math.Abs(text[0].X-minus[0].X) < 1 || math.Abs(mid(text)-mid(five)) < 0.05 {
		t.Errorf("text cell %q at %.2f is centred too: the test cannot tell", charString(text), text[0].X)
	}
}
