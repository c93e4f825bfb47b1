package pdf

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"gongwen/internal/testtool"
)

// faceReport is a report whose body has characters FandolFang lacks (堃 喆, ⑪, and 𬌗
// U+2C317 of CJK Extension E, all in 通用规范汉字表 or the coverage list), a level-1 and
// a level-2 heading.
func faceReport(t *testing.T, level2 string, body ...string) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"title": "测试市司法局2023年法治政府建设年度报告", "issuer": "测试市司法局", "year": 2023, "date": "2024-01-15",
		"sections": []any{map[string]any{"heading": "总体情况", "body": []any{"开展工作。"},
			"sections": []any{map[string]any{"heading": level2, "body": body}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFacesReadBack: pdffonts names every embedded face truthfully (subset tag plus
// the face's own PostScript name), and mutool says which face drew each glyph: body
// text in FandolFang, level-2 headings in FandolKai, level-1 in Noto Sans CJK SC
// Medium, the characters FandolFang lacks in Noto Serif CJK SC Light. Copying the
// text gives every character back, the one beyond the BMP included.
func TestFacesReadBack(t *testing.T) {
	const body = "现将堃喆⑪号𬌗事项如下。"
	doc := docFromJSON(t, faceReport(t, "健全机制", body))
	res, _ := render(t, doc)

	var names []string
	for _, r := range pdfFonts(t, res.Bytes) {
		n := len(r)
		tag, name, ok := strings.Cut(r[0], "+")
		if !ok || len(tag) != 6 || strings.Trim(tag, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			t.Errorf("font %q has no subset tag", r[0])
		}
		if r[n-5] != "yes" || r[n-4] != "yes" || r[n-3] != "yes" {
			t.Errorf("font %s: emb %s sub %s uni %s, want yes yes yes", r[0], r[n-5], r[n-4], r[n-3])
		}
		names = append(names, name)
	}
	sort.Strings(names)
	want := []string{"FandolFang-Regular", "FandolKai-Regular", "NotoSansCJKsc-Medium", "NotoSerifCJKsc-Bold",
		"NotoSerifCJKsc-Light", "NotoSerifCJKsc-Regular"}
	if !slices.Equal(names, want) {
		t.Errorf("pdffonts names %q, want %q", names, want)
	}

	drawn := map[rune]map[string]bool{} // 16 pt glyphs: body, headings, signature
	for _, p := range readStext(t, res.Bytes) {
		for _, c := range p {
			if c.Size == 16 && c.C != ' ' {
				if drawn[c.C] == nil {
					drawn[c.C] = map[string]bool{}
				}
				drawn[c.C][c.Font] = true
			}
		}
	}
	for text, font := range map[string]string{
		"现将号事项如下开展工作": "FandolFang-Regular",
		"堃喆⑪𬌗":        "NotoSerifCJKsc-Light",
		"健全机制":        "FandolKai-Regular",
		"总体情况":        "NotoSansCJKsc-Medium",
	} {
		for _, r := range text {
			if fs := drawn[r]; len(fs) != 1 || !fs[font] {
				t.Errorf("%c (U+%04X) drawn in %v, want %s", r, r, fs, font)
			}
		}
	}
	if got := stripSpace(strings.Join(pdfText(t, res.Bytes), "")); !strings.Contains(got, stripSpace(body)) {
		t.Errorf("pdftotext does not give back %q:\n%s", body, got)
	}
}

// TestKaiInkMatchesBody measures the glyphs on the rasterised page (pdftoppm): 国 and
// 中 of a level-2 heading (FandolKai) are as tall as the body's (FandolFang) within
// 5 %, and the heading's ，。 sit in the lower left of their cells, the Simplified
// Chinese convention.
func TestKaiInkMatchesBody(t *testing.T) {
	doc := docFromJSON(t, faceReport(t, "国中，国中。国中", "国中国中国中国中国中。"))
	res, _ := render(t, doc)
	page := rasterise(t, res.Bytes, 1, 1)[0]
	const px = inkDPI / 72.0
	// ink returns the inked box of the em square whose left end of the baseline is at
	// (x, y) points: left, top, right, bottom in points relative to (x, y), y down.
	ink := func(x, y, size float64) (x0, y0, x1, y1 float64, ok bool) {
		left, right := int(x*px), int((x+size)*px)
		top, bottom := int((y-size)*px), int((y+0.3*size)*px)
		minX, minY, maxX, maxY := right, bottom, left-1, top-1
		for yy := top; yy <= bottom; yy++ {
			for xx := left; xx < right; xx++ {
				if page.dark[yy*page.w+xx] {
					minX, minY, maxX, maxY = min(minX, xx), min(minY, yy), max(maxX, xx), max(maxY, yy)
				}
			}
		}
		if maxX < minX {
			return 0, 0, 0, 0, false
		}
		return float64(minX)/px - x, float64(minY)/px - y, float64(maxX+1)/px - x, float64(maxY+1)/px - y, true
	}
	heights := map[string][]float64{}
	for _, c := range readStext(t, res.Bytes)[0] {
		if c.Size != 16 {
			continue
		}
		x0, y0, x1, y1, ok := ink(c.X, c.Y, c.Size)
		if !ok {
			t.Fatalf("%c at (%.1f, %.1f): no ink", c.C, c.X, c.Y)
		}
		switch {
		case c.C == '国' || c.C == '中':
			heights[c.Font+" "+string(c.C)] = append(heights[c.Font+" "+string(c.C)], y1-y0)
		case (c.C == '，' || c.C == '。') && c.Font == "FandolKai-Regular":
			// Lower left: the ink ends left of the cell's middle and rises no more
			// than 0.3 em above the baseline (a centred mark reaches 0.5-0.6 em).
			if x1 > 0.5*c.Size || y0 < -0.3*c.Size {
				t.Errorf("kai %c: ink %.1f..%.1f pt across, %.1f..%.1f pt from the baseline; want the lower left", c.C, x0, x1, y0, y1)
			}
		}
	}
	for _, r := range []string{"国", "中"} {
		k, f := heights["FandolKai-Regular "+r], heights["FandolFang-Regular "+r]
		if len(k) < 2 || len(f) < 2 {
			t.Fatalf("%s: %d kai and %d body glyphs measured, want several of each", r, len(k), len(f))
		}
		ratio := median(k) / median(f)
		t.Logf("%s: ink height kai %.2f pt, body %.2f pt, ratio %.3f", r, median(k), median(f), ratio)
		if ratio < 0.95 || ratio > 1.05 {
			t.Errorf("%s: kai ink height %.2f pt is %.1f %% of the body's %.2f pt, want within 5 %%", r, median(k), 100*ratio, median(f))
		}
	}
}

func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	return s[len(s)/2]
}

// TestTGHReadBack prints every character of 通用规范汉字表 (all 8,105, read from Unihan,
// the 196 beyond the BMP included) in the body role and reads the PDF back: every
// glyph where the layout put it, the text exactly (pdftotext), each character in
// FandolFang when it has it and in the fallback face otherwise.
func TestTGHReadBack(t *testing.T) {
	tgh := testtool.TGH(t)
	var paras []any
	var line []rune
	for i, c := range tgh {
		line = append(line, c.R)
		if len(line) == 500 || i == len(tgh)-1 {
			paras = append(paras, string(line))
			line = nil
		}
	}
	data, err := json.Marshal(map[string]any{"title": "通用规范汉字表", "issuer": "测试局", "year": 2023,
		"sections": []any{map[string]any{"heading": "全部字符", "body": paras}}})
	if err != nil {
		t.Fatal(err)
	}
	doc := docFromJSON(t, data)
	res, lay := render(t, doc)
	assertGlyphs(t, lay, res.Bytes)
	assertReadingText(t, doc, lay, res.Bytes)

	inTGH := map[rune]bool{}
	for _, c := range tgh {
		inTGH[c.R] = true
	}
	count := map[string]int{}
	for _, p := range readStext(t, res.Bytes) {
		for _, c := range p {
			if inTGH[c.C] && c.Size == 16 {
				count[c.Font]++
				delete(inTGH, c.C) // the heading's 全部字符 and the body's copy count once
			}
		}
	}
	if len(inTGH) != 0 {
		t.Errorf("%d characters of 通用规范汉字表 not drawn at 16 pt", len(inTGH))
	}
	// FandolFang draws 6,638 of the 8,105 (all of GB 2312); Noto Serif CJK SC Light
	// the other 1,467. (A few of the heading's 全部字符 come first, in Noto Sans.)
	t.Logf("faces: %v", count)
	if count["FandolFang-Regular"]+count["NotoSansCJKsc-Medium"] != 6638 || count["NotoSerifCJKsc-Light"] != 1467 {
		t.Errorf("faces drew %v, want FandolFang 6,638 (with the heading's) and NotoSerifCJKsc-Light 1,467", count)
	}
}
