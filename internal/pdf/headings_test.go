package pdf

import (
	"strings"
	"testing"
	"unicode/utf8"

	"gongwen/internal/compose"
)

// Heading fonts as the format's table gives them (not spec.HeadingRole, which the
// composer itself uses): 黑体, 楷体, 仿宋, 仿宋; a run-in heading's body continues in
// 仿宋 on the same line. Read back from the PDF's glyphs.
func TestHeadingFontsReadBack(t *testing.T) {
	wantFont := map[int]string{1: "NotoSansCJKsc-Medium", 2: "FandolKai-Regular", 3: "FandolFang-Regular", 4: "FandolFang-Regular"}
	doc := exampleDoc(t, "all-fields.json")
	res, _ := render(t, doc)
	var chars []stextChar
	for _, p := range readStext(t, res.Bytes) {
		for _, c := range p {
			if c.C != ' ' && c.Size == 16 {
				chars = append(chars, c)
			}
		}
	}
	runes := make([]rune, len(chars))
	for i, c := range chars {
		runes[i] = c.C
	}
	levels := map[int]int{}
	pos := 0 // rune index: headings are found in document order
	for _, b := range doc.Blocks {
		if b.Level == 0 || (b.Kind != compose.KindHeading && b.Kind != compose.KindParagraph) {
			continue
		}
		h := []rune(b.Runs[0].Text)
		i := strings.Index(string(runes[pos:]), string(h))
		if i < 0 {
			t.Errorf("heading %q not found in the PDF after rune %d", string(h), pos)
			continue
		}
		start := pos + utf8.RuneCountInString(string(runes[pos:])[:i])
		for k := start; k < start+len(h); k++ {
			if chars[k].Font != wantFont[b.Level] {
				t.Errorf("level %d heading %q: %q in %s, want %s", b.Level, string(h), chars[k].C, chars[k].Font, wantFont[b.Level])
				break
			}
		}
		pos = start + len(h)
		if b.Kind == compose.KindParagraph { // run-in: the body follows on the same line in 仿宋
			if pos >= len(chars) || chars[pos].Font != "FandolFang-Regular" || chars[pos].Y != chars[pos-1].Y {
				t.Errorf("run-in heading %q: body does not continue in fangsong on its line", string(h))
			}
		}
		levels[b.Level]++
	}
	for l := 1; l <= 4; l++ {
		if levels[l] == 0 {
			t.Errorf("the example has no level-%d heading: the test checks nothing there", l)
		}
	}
}
