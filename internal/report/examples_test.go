package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

func readExample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExamplesValidate(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.json"))
	if len(files) < 2 {
		t.Fatalf("examples: %v", files)
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		r, w, err := Parse(data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if len(w) != 0 {
			t.Errorf("%s: warnings %v (an example should need no fixing)", f, w)
		}
		// Round trip: the normalised report written back parses to the same report.
		out, err := Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		r2, w2, err := Parse(out)
		if err != nil || len(w2) != 0 || !reflect.DeepEqual(r, r2) {
			t.Errorf("%s: round trip: err %v, warnings %v, equal %v", f, err, w2, reflect.DeepEqual(r, r2))
		}
	}
}

// TestWuchuanKeepsTheSeedText checks the example against the seed: every character of
// the seed is there, in order, once the PDF extraction's line breaks and the spaces it
// put between digits and CJK (Word's automatic digit spacing) are discounted.
func TestWuchuanKeepsTheSeedText(t *testing.T) {
	// The seed report as extracted from its PDF (shared/seeds/000_d3790874d79e19cd.txt).
	seed, err := os.ReadFile("testdata/wuchuan-2023-seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := Parse(readExample(t, "wuchuan-2023.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	got.WriteString(r.Title)
	for _, b := range r.Preamble {
		got.WriteString(b.Paragraph)
	}
	var walk func([]Section)
	walk = func(ss []Section) {
		for _, s := range ss {
			got.WriteString(s.Number + s.Heading)
			for _, b := range s.Body {
				got.WriteString(b.Paragraph)
			}
			walk(s.Sections)
		}
	}
	walk(r.Sections)
	// Only the documented differences are discounted: the extraction's line breaks
	// (paragraphs it split at page breaks are one paragraph), and a space between a
	// digit and a CJK character. Any other space in the seed must be in the example.
	sr := []rune(strings.TrimSpace(string(seed)))
	var wb strings.Builder
	for i, r := range sr {
		if r == '\n' {
			continue
		}
		if r == ' ' && i > 0 && i+1 < len(sr) {
			a, b := sr[i-1], sr[i+1]
			if (unicode.IsDigit(a) && b > unicode.MaxASCII) || (a > unicode.MaxASCII && unicode.IsDigit(b)) {
				continue
			}
		}
		wb.WriteRune(r)
	}
	want := wb.String()
	if got.String() != want {
		g, w := []rune(got.String()), []rune(want)
		i := 0
		for i < len(g) && i < len(w) && g[i] == w[i] {
			i++
		}
		t.Fatalf("text differs at character %d: got …%s…, want …%s…", i, string(g[i:min(i+20, len(g))]), string(w[i:min(i+20, len(w))]))
	}

	if r.Title != "吴川市科工贸和信息化局2023年法治政府建设年度报告" || r.Issuer != "吴川市科工贸和信息化局" || r.Year != 2023 || r.Date != nil {
		t.Errorf("head: %q %q %d %v", r.Title, r.Issuer, r.Year, r.Date)
	}
	if len(r.Preamble) != 1 || len(r.Sections) != 6 {
		t.Fatalf("%d preamble blocks, %d sections", len(r.Preamble), len(r.Sections))
	}
	subs := []int{0, 0, 0, 4, 2, 0}
	for i, s := range r.Sections {
		if len(s.Sections) != subs[i] {
			t.Errorf("section %s has %d subsections, want %d", s.Number, len(s.Sections), subs[i])
		}
		for _, ss := range s.Sections {
			if !ss.RunIn || !strings.HasSuffix(ss.Heading, "。") || strings.Contains(strings.TrimSuffix(ss.Heading, "。"), "。") {
				t.Errorf("%s%s: want a run-in heading ending in its first 。", ss.Number, ss.Heading)
			}
		}
	}
	// Paragraphs split at the old page breaks are whole again.
	raw := string(readExample(t, "wuchuan-2023.json"))
	for _, joined := range []string{"机关全体同志会议和各种", "深入学习贯彻习近平法治思想和", "的通知》，及时与上级", "维权办事、"} {
		if !strings.Contains(raw, joined) {
			t.Errorf("example lacks the joined paragraph text %q", joined)
		}
	}
	if regexp.MustCompile(`[0-9] |[^\x00-\x7f] [0-9]`).MatchString(raw) {
		t.Error("example still has a space between digits and CJK")
	}
}

func TestAllFieldsExampleUsesEveryField(t *testing.T) {
	data := readExample(t, "all-fields.json")
	r, _, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"title", "issuer", "year", "date", "addressee", "preamble", "sections", "attachments", "numbering"} {
		if _, ok := raw[f]; !ok {
			t.Errorf("example lacks %q", f)
		}
	}
	if !strings.Contains(r.Title, "\n") || r.Addressee == "" || r.Date == nil || len(r.Attachments) < 2 {
		t.Errorf("title %q addressee %q date %v attachments %v", r.Title, r.Addressee, r.Date, r.Attachments)
	}
	runIn := map[int]bool{}
	levels := map[int]bool{}
	tables, captions, objectParagraphs := 0, 0, 0
	count := func(bs []Block) {
		for _, b := range bs {
			if b.Table != nil {
				tables++
				if b.Table.Caption != "" {
					captions++
				}
			}
		}
	}
	var walk func([]Section)
	walk = func(ss []Section) {
		for _, s := range ss {
			levels[s.Level] = true
			if s.RunIn {
				runIn[s.Level] = true
			}
			count(s.Body)
			walk(s.Sections)
		}
	}
	count(r.Preamble)
	walk(r.Sections)
	objectParagraphs = strings.Count(string(data), `"paragraph"`)
	if len(levels) != 4 || !runIn[2] || !runIn[3] || !runIn[4] || tables == 0 || captions == 0 || objectParagraphs == 0 {
		t.Errorf("levels %v, run-in levels %v, tables %d, captions %d, object paragraphs %d", levels, runIn, tables, captions, objectParagraphs)
	}
	for _, want := range []string{"10.88%", "2024-03-31", "https://", "OA", "1,560"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("example lacks %q", want)
		}
	}
}

// TestSchemaAgreesWithLimits checks every limit the schema repeats against limits.go.
func TestSchemaAgreesWithLimits(t *testing.T) {
	var s map[string]any
	if err := json.Unmarshal(Schema(), &s); err != nil {
		t.Fatal(err)
	}
	at := func(path ...string) float64 {
		var v any = s
		for _, p := range path {
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("schema has no %v", path)
			}
			v = m[p]
		}
		f, ok := v.(float64)
		if !ok {
			t.Fatalf("schema %v = %v, not a number", path, v)
		}
		return f
	}
	checks := []struct {
		path []string
		want int
	}{
		{[]string{"properties", "title", "maxLength"}, MaxTitleRunes},
		{[]string{"properties", "issuer", "maxLength"}, MaxNameRunes},
		{[]string{"properties", "addressee", "maxLength"}, MaxNameRunes},
		{[]string{"properties", "year", "minimum"}, MinYear},
		{[]string{"properties", "year", "maximum"}, MaxYear},
		{[]string{"properties", "sections", "maxItems"}, MaxSections},
		{[]string{"properties", "attachments", "maxItems"}, MaxAttachments},
		{[]string{"$defs", "attachment", "maxLength"}, MaxNameRunes},
		{[]string{"$defs", "attachment", "properties", "title", "maxLength"}, MaxNameRunes},
		{[]string{"properties", "note", "maxLength"}, MaxNoteRunes},
		{[]string{"properties", "document", "properties", "number", "maxLength"}, MaxNumberRunes},
		{[]string{"properties", "document", "properties", "organ", "maxLength"}, MaxNameRunes},
		{[]string{"properties", "document", "properties", "printer", "maxLength"}, MaxNameRunes},
		{[]string{"properties", "document", "properties", "copyNumber", "maxLength"}, MaxShortRunes},
		{[]string{"properties", "document", "properties", "secrecy", "maxLength"}, MaxShortRunes},
		{[]string{"properties", "document", "properties", "signers", "maxItems"}, MaxSigners},
		{[]string{"properties", "document", "properties", "cc", "maxItems"}, MaxCC},
		{[]string{"properties", "seal", "properties", "diameterMM", "minimum"}, MinSealDiameterMM},
		{[]string{"properties", "seal", "properties", "diameterMM", "maximum"}, MaxSealDiameterMM},
		{[]string{"properties", "seal", "properties", "diameterMM", "default"}, DefaultSealDiameterMM},
		{[]string{"$defs", "blocks", "maxItems"}, MaxBlocks},
		{[]string{"$defs", "block", "maxLength"}, MaxParagraphRunes},
		{[]string{"$defs", "block", "properties", "paragraph", "maxLength"}, MaxParagraphRunes},
		{[]string{"$defs", "cell", "maxLength"}, MaxParagraphRunes},
		{[]string{"$defs", "table", "properties", "caption", "maxLength"}, MaxNameRunes},
		{[]string{"$defs", "table", "properties", "header", "maxItems"}, MaxTableColumns},
		{[]string{"$defs", "table", "properties", "rows", "items", "maxItems"}, MaxTableColumns},
		{[]string{"$defs", "table", "properties", "rows", "maxItems"}, MaxTableRows},
		{[]string{"$defs", "heading", "maxLength"}, MaxHeadingRunes},
		{[]string{"$defs", "section1", "properties", "sections", "maxItems"}, MaxSections},
		{[]string{"$defs", "section2", "properties", "sections", "maxItems"}, MaxSections},
		{[]string{"$defs", "section3", "properties", "sections", "maxItems"}, MaxSections},
		{[]string{"$defs", "section" + itoa(MaxLevels), "properties", "sections", "maxItems"}, 0},
	}
	for _, c := range checks {
		if got := at(c.path...); got != float64(c.want) {
			t.Errorf("schema %s = %v, limits.go says %d", strings.Join(c.path, "/"), got, c.want)
		}
	}
	if _, ok := s["$defs"].(map[string]any)["section"+itoa(MaxLevels+1)]; ok {
		t.Errorf("schema defines a level beyond MaxLevels")
	}
	if MaxLevels != 4 {
		t.Errorf("MaxLevels = %d; the numbering (一、（一）1.（1）) has four levels", MaxLevels)
	}
}
