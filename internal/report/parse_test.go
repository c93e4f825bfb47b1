package report

import (
	"errors"

	"fmt"
	"gongwen/internal/spec"
	"reflect"
	"strings"
	"testing"
)

// doc builds a valid report around the given sections JSON; extra fields are
// spliced in after "year".
func doc(extra, sections string) string {
	if extra != "" {
		extra = "," + extra
	}
	return `{"title":"标题","issuer":"某局","year":2023` + extra + `,"sections":` + sections + `}`
}

// problems parses input and returns its problems as "path code" lines.
func problems(t *testing.T, input string) ([]string, *InvalidError) {
	t.Helper()
	_, _, err := Parse([]byte(input))
	if err == nil {
		return nil, nil
	}
	var inv *InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("Parse: error %v is not an *InvalidError", err)
	}
	var out []string
	for _, p := range inv.Problems {
		if p.Code == "" || p.Message == "" {
			t.Errorf("problem %+v lacks a code or message", p)
		}
		out = append(out, p.Path+" "+p.Code)
	}
	return out, inv
}

func TestParseRejects(t *testing.T) {
	long := func(n int) string { return strings.Repeat("法", n) }
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{"unknown field (typo)", `{"titel":"x","issuer":"某局","year":2023,"sections":[{"heading":"a"}]}`,
			[]string{"/title required", "/titel unknown_field"}},
		{"everything missing", `{}`,
			[]string{"/title required", "/issuer required", "/year required", "/sections required"}},
		{"not an object", `[1]`, []string{" wrong_type"}},
		{"year as text", doc("", `[{"heading":"a"}]`)[:0] + `{"title":"t","issuer":"i","year":"2023","sections":[{"heading":"a"}]}`,
			[]string{"/year wrong_type"}},
		{"year too early", `{"title":"t","issuer":"i","year":1999,"sections":[{"heading":"a"}]}`, []string{"/year out_of_range"}},
		{"year too late", `{"title":"t","issuer":"i","year":2101,"sections":[{"heading":"a"}]}`, []string{"/year out_of_range"}},
		{"year not whole", `{"title":"t","issuer":"i","year":2023.5,"sections":[{"heading":"a"}]}`, []string{"/year wrong_type"}},
		{"empty heading", doc("", `[{"heading":""}]`), []string{"/sections/0/heading empty_heading"}},
		{"blank heading (U+3000)", doc("", `[{"heading":"  　"}]`), []string{"/sections/0/heading empty_heading"}},
		{"heading only a number", doc("", `[{"heading":"一、"}]`), []string{"/sections/0/heading empty_heading"}},
		{"heading missing", doc("", `[{"body":["x"]}]`), []string{"/sections/0/heading required"}},
		{"fifth level", doc("", `[{"heading":"a","sections":[{"heading":"b","sections":[{"heading":"c","sections":[{"heading":"d","sections":[{"heading":"e"}]}]}]}]}]`),
			[]string{"/sections/0/sections/0/sections/0/sections/0/sections too_deep"}},
		{"runIn at level 1", doc("", `[{"heading":"a","runIn":true,"body":["x"]}]`), []string{"/sections/0/runIn run_in_level1"}},
		{"runIn not boolean", doc("", `[{"heading":"a","sections":[{"heading":"b","runIn":"yes","body":["x"]}]}]`),
			[]string{"/sections/0/sections/0/runIn wrong_type"}},
		{"runIn without a paragraph", doc("", `[{"heading":"a","sections":[{"heading":"b","runIn":true}]}]`),
			[]string{"/sections/0/sections/0/runIn run_in_without_paragraph"}},
		{"runIn before a table", doc("", `[{"heading":"a","sections":[{"heading":"b","runIn":true,"body":[{"table":{"header":["x"],"rows":[["1"]]}}]}]}]`),
			[]string{"/sections/0/sections/0/runIn run_in_without_paragraph"}},
		{"ragged table", doc("", `[{"heading":"a","body":[{"table":{"header":["a","b"],"rows":[["1","2"],["3"],["4","5","6"]]}}]}]`),
			[]string{"/sections/0/body/0/table/rows/1 ragged_table", "/sections/0/body/0/table/rows/2 ragged_table"}},
		{"table without header cells", doc("", `[{"heading":"a","body":[{"table":{"header":[],"rows":[[]]}}]}]`),
			[]string{"/sections/0/body/0/table/header empty_table"}},
		{"table without rows", doc("", `[{"heading":"a","body":[{"table":{"header":["a"],"rows":[]}}]}]`),
			[]string{"/sections/0/body/0/table/rows empty_table"}},
		{"table field typo", doc("", `[{"heading":"a","body":[{"table":{"header":["a"],"rows":[["1"]],"captoin":"x"}}]}]`),
			[]string{"/sections/0/body/0/table/captoin unknown_field"}},
		{"impossible date", doc(`"date":"2023-02-30"`, `[{"heading":"a"}]`), []string{"/date invalid_date"}},
		{"month 13", doc(`"date":"2023-13-01"`, `[{"heading":"a"}]`), []string{"/date invalid_date"}},
		{"not ISO", doc(`"date":"2023/01/05"`, `[{"heading":"a"}]`), []string{"/date invalid_date"}},
		{"Chinese date", doc(`"date":"2024年1月15日"`, `[{"heading":"a"}]`), []string{"/date invalid_date"}},
		{"date year 1900", doc(`"date":"1900-01-01"`, `[{"heading":"a"}]`), []string{"/date invalid_date"}},
		{"title too long", `{"title":"` + long(MaxTitleRunes+1) + `","issuer":"i","year":2023,"sections":[{"heading":"a"}]}`,
			[]string{"/title too_long"}},
		{"paragraph too long", doc("", `[{"heading":"a","body":["`+long(MaxParagraphRunes+1)+`"]}]`),
			[]string{"/sections/0/body/0 too_long"}},
		{"empty title", `{"title":" ","issuer":"i","year":2023,"sections":[{"heading":"a"}]}`, []string{"/title empty_text"}},
		{"empty paragraph", doc("", `[{"heading":"a","body":["　　"]}]`), []string{"/sections/0/body/0 empty_paragraph"}},
		{"empty attachment", doc(`"attachments":["a",""]`, `[{"heading":"a"}]`), []string{"/attachments/1 empty_text"}},
		{"no sections", doc("", `[]`), []string{"/sections no_sections"}},
		{"numbering value", doc(`"numbering":"roman"`, `[{"heading":"a"}]`), []string{"/numbering invalid_value"}},
		{"block with two keys", doc("", `[{"heading":"a","body":[{"paragraph":"x","table":{"header":["a"],"rows":[["1"]]}}]}]`),
			[]string{"/sections/0/body/0 invalid_block"}},
		{"empty block object", doc("", `[{"heading":"a","body":[{}]}]`), []string{"/sections/0/body/0 invalid_block"}},
		{"block key typo", doc("", `[{"heading":"a","body":[{"paragrah":"x"}]}]`), []string{"/sections/0/body/0/paragrah unknown_field"}},
		{"block as number", doc("", `[{"heading":"a","body":[42]}]`), []string{"/sections/0/body/0 wrong_type"}},
		{"duplicate key", `{"title":"t","title":"u","issuer":"i","year":2023,"sections":[{"heading":"a"}]}`, []string{"/title duplicate_field"}},
		{"section field typo", doc("", `[{"heading":"a","bdoy":["x"]}]`), []string{"/sections/0/bdoy unknown_field"}},

		// Characters.
		{"tab inside a heading", doc("", `[{"heading":"a\tb"}]`), []string{"/sections/0/heading control_character"}},
		{"newline inside a heading", doc("", `[{"heading":"a\nb"}]`), []string{"/sections/0/heading control_character"}},
		{"CRLF inside a heading", doc("", `[{"heading":"a\r\nb"}]`), []string{"/sections/0/heading control_character"}},
		{"newline in the issuer", `{"title":"t","issuer":"某\n局","year":2023,"sections":[{"heading":"a"}]}`, []string{"/issuer control_character"}},
		{"newline in the addressee", doc(`"addressee":"市委\n市政府："`, `[{"heading":"a"}]`), []string{"/addressee control_character"}},
		{"newline in a cell", doc("", `[{"heading":"a","body":[{"table":{"header":["a"],"rows":[["1\n2"]]}}]}]`),
			[]string{"/sections/0/body/0/table/rows/0/0 control_character"}},
		{"tab in a header cell", doc("", `[{"heading":"a","body":[{"table":{"header":["a\tb"],"rows":[["1"]]}}]}]`),
			[]string{"/sections/0/body/0/table/header/0 control_character"}},
		{"newline in a caption", doc("", `[{"heading":"a","body":[{"table":{"caption":"表\n1","header":["a"],"rows":[["1"]]}}]}]`),
			[]string{"/sections/0/body/0/table/caption control_character"}},
		{"bell in an attachment", doc(`"attachments":["a\u0007"]`, `[{"heading":"a"}]`), []string{"/attachments/0 control_character"}},
		{"NUL in a paragraph", doc("", `[{"heading":"a","body":["x\u0000y"]}]`), []string{"/sections/0/body/0 control_character"}},
		{"tab inside a paragraph", doc("", `[{"heading":"a","body":[{"paragraph":"x\ty"}]}]`), []string{"/sections/0/body/0/paragraph control_character"}},
		{"C1 control in the title", `{"title":"t\u0085u","issuer":"i","year":2023,"sections":[{"heading":"a"}]}`, []string{"/title control_character"}},
		{"line separator in a paragraph", doc("", `[{"heading":"a","body":["x\u2028y"]}]`), []string{"/sections/0/body/0 control_character"}},
		{"lone high surrogate", doc("", `[{"heading":"a","body":["x\ud800y"]}]`), []string{"/sections/0/body/0 invalid_text"}},
		{"lone low surrogate in a heading", doc("", `[{"heading":"\udc00"}]`), []string{"/sections/0/heading invalid_text"}},
		{"replacement character", doc("", `[{"heading":"a","body":["乱码\ufffd"]}]`), []string{"/sections/0/body/0 invalid_text"}},
		{"noncharacter", doc("", `[{"heading":"a","body":["x\uffff"]}]`), []string{"/sections/0/body/0 invalid_text"}},

		// Every problem at once, in document order.
		{"many problems", `{"title":"","issuer":"i\tj","year":1900,"date":"2023-02-29","numbering":"auto","sections":[{"heading":" ","runIn":true,"body":[{},"\u0001"],"sections":[{"heading":"b","extra":1}]}],"attachments":[1]}`,
			[]string{"/title empty_text", "/issuer control_character", "/year out_of_range", "/date invalid_date",
				"/sections/0/heading empty_heading", "/sections/0/runIn run_in_level1",
				"/sections/0/body/0 invalid_block", "/sections/0/body/1 control_character",
				"/sections/0/sections/0/extra unknown_field", "/attachments/0 wrong_type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, inv := problems(t, tt.input)
			if inv == nil {
				t.Fatalf("Parse accepted %s", tt.input)
			}
			if inv.Kind != KindInvalid {
				t.Errorf("Kind = %v, want KindInvalid", inv.Kind)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestParseAcceptsEdges(t *testing.T) {
	long := func(n int) string { return strings.Repeat("法", n) }
	for _, in := range []string{
		`{"title":"` + long(MaxTitleRunes) + `","issuer":"i","year":2000,"sections":[{"heading":"a"}]}`,
		doc(`"date":"2024-02-29"`, `[{"heading":"a","body":["`+long(MaxParagraphRunes)+`"]}]`),
		doc(`"year2":1`, `[]`)[:0] + `{"title":"t","issuer":"i","year":2100,"date":"2101-12-31","sections":[{"heading":"a"}]}`,
		doc(`"numbering":"none","attachments":[],"preamble":[],"addressee":""`, `[{"heading":"a","body":[],"sections":[]}]`),
		doc("", `[{"heading":"\ta\t","body":["x\ny","\r\n第二段\r\n"]}]`), // trimmed, \n kept in paragraphs
		`{"title":"上行\n下行","issuer":"i","year":2023,"sections":[{"heading":"a"}]}`,
		doc("", `[{"heading":"a","sections":[{"heading":"b","sections":[{"heading":"c","sections":[{"heading":"d","sections":[]}]}]}]}]`),
		`{"$schema":"urn:gongwen:report:1","title":"t","issuer":"i","year":2023,"sections":[{"heading":"a"}]}`,
		doc("", `[{"heading":"a","runIn":false,"body":["x"]}]`),                              // runIn false is fine at level 1
		doc("", `[{"heading":"a","body":[{"table":{"header":["a",""],"rows":[["",""]]}}]}]`), // empty cells are fine
	} {
		if _, _, err := Parse([]byte(in)); err != nil {
			t.Errorf("Parse(%.80s…): %v", in, err)
		}
	}
}

func TestParseMalformed(t *testing.T) {
	tests := []struct {
		name           string
		input          string
		kind           InvalidKind
		code           string
		line, col, off int
	}{
		{"missing comma", "{\n  \"title\": \"t\"\n  \"issuer\": \"i\"\n}", KindMalformed, CodeMalformedJSON, 3, 3, 0},
		{"trailing comma", "{\"a\":\n  1,}", KindMalformed, CodeMalformedJSON, 2, 5, 0},
		{"cut short", `{"title": "t", "sections": [`, KindMalformed, CodeMalformedJSON, 1, 29, 0},
		{"empty input", ``, KindMalformed, CodeMalformedJSON, 1, 1, 0},
		{"raw newline in a string", "{\"title\": \"a\nb\"}", KindMalformed, CodeMalformedJSON, 1, 13, 0},
		{"column counts characters", "{\"title\": \"标题标题\" x}", KindMalformed, CodeMalformedJSON, 1, 18, 0},
		{"trailing data", `{"title":"t"} {}`, KindMalformed, CodeMalformedJSON, 1, 15, 0},
		{"invalid UTF-8 (GBK)", "{\"title\": \"\xb1\xea\xcc\xe2\"}", KindMalformed, CodeInvalidUTF8, 0, 0, 11},
		{"invalid UTF-8 after a BOM", "\xef\xbb\xbf{\"t\": \"\xff\"}", KindMalformed, CodeInvalidUTF8, 0, 0, 10},
		{"deep nesting", strings.Repeat("[", 20000), KindMalformed, CodeMalformedJSON, 1, 10001, 0},
		{"too large", `{"title":"` + strings.Repeat("x", MaxInputBytes) + `"}`, KindTooLarge, CodeTooLarge, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse([]byte(tt.input))
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("err = %v, want *InvalidError", err)
			}
			if inv.Kind != tt.kind {
				t.Errorf("Kind = %v, want %v", inv.Kind, tt.kind)
			}
			p := inv.Problems[0]
			if p.Code != tt.code || p.Line != tt.line || p.Column != tt.col || p.Offset != tt.off || p.Path != "" {
				t.Errorf("problem = %+v, want code %s line %d col %d offset %d", p, tt.code, tt.line, tt.col, tt.off)
			}
		})
	}
}

func TestInvalidUTF8EveryOffset(t *testing.T) {
	_, _, err := Parse([]byte("{\"a\": \"\xff\", \"b\": \"\xfe\"}"))
	var inv *InvalidError
	if !errors.As(err, &inv) || len(inv.Problems) != 2 || inv.Problems[0].Offset != 7 || inv.Problems[1].Offset != 17 {
		t.Fatalf("err = %#v, want invalid_utf8 at 7 and 17", err)
	}
}

func TestHostileInputs(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{"deep arrays in a field", `{"title":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `,"issuer":"i","year":2023,"sections":[{"heading":"a"}]}`,
			[]string{"/title wrong_type"}},
		{"deep objects under an unknown key", `{"x":` + strings.Repeat(`{"x":`, 3000) + `1` + strings.Repeat("}", 3000) + `,"title":"t","issuer":"i","year":2023,"sections":[{"heading":"a"}]}`,
			[]string{"/x unknown_field"}},
		{"huge number", `{"title":"t","issuer":"i","year":1e400,"sections":[{"heading":"a"}]}`, []string{"/year out_of_range"}},
		{"null everywhere", `{"title":null,"issuer":null,"year":null,"sections":null}`,
			[]string{"/title wrong_type", "/issuer wrong_type", "/year wrong_type", "/sections wrong_type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, inv := problems(t, tt.input)
			if inv == nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestWholeReportLimits(t *testing.T) {
	// 2001 sections: one level-1 section with 2000 subsections (each array within the
	// schema's per-array limit, the total over it).
	var subs []string
	for i := 0; i < MaxSections; i++ {
		subs = append(subs, `{"heading":"b"}`)
	}
	got, _ := problems(t, doc("", `[{"heading":"a","sections":[`+strings.Join(subs, ",")+`]}]`))
	if want := []string{"/sections/0/sections/1999 too_many_sections"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sections: got %q, want %q", got, want)
	}
	// 10001 blocks: 5000 in the preamble and 5001 in a body.
	half := strings.TrimSuffix(strings.Repeat(`"x",`, MaxBlocks/2), ",")
	got, _ = problems(t, doc(`"preamble":[`+half+`]`, `[{"heading":"a","body":[`+half+`,"y"]}]`))
	if want := []string{"/sections/0/body/5000 too_many_blocks"}; !reflect.DeepEqual(got, want) {
		t.Errorf("blocks: got %q, want %q", got, want)
	}
	// One array over the schema's limit reports once, not twice.
	got, _ = problems(t, doc(`"preamble":[`+half+`,`+half+`,"z"]`, `[{"heading":"a"}]`))
	if want := []string{"/preamble too_many_blocks"}; !reflect.DeepEqual(got, want) {
		t.Errorf("one long array: got %q, want %q", got, want)
	}
}

func TestTooManyProblemsAreCapped(t *testing.T) {
	body := strings.TrimSuffix(strings.Repeat(`1,`, MaxProblems+50), ",")
	_, inv := problems(t, doc("", `[{"heading":"a","body":[`+body+`]}]`))
	if inv == nil || len(inv.Problems) != MaxProblems+1 || inv.Problems[MaxProblems].Code != CodeTooManyProblems {
		t.Fatalf("got %d problems, want %d and a too_many_problems summary", len(inv.Problems), MaxProblems+1)
	}
	// The first problems in document order are the ones listed.
	if p := inv.Problems[MaxProblems-1]; p.Path != "/sections/0/body/"+itoa(MaxProblems-1) {
		t.Errorf("last listed problem at %s", p.Path)
	}
}

func TestProblemsAreDeterministic(t *testing.T) {
	in := `{"b":1,"a":2,"c":3,"title":1,"issuer":2,"year":"x","sections":[{"heading":1,"z":1,"y":2}]}`
	first, _ := problems(t, in)
	for i := 0; i < 20; i++ {
		if got, _ := problems(t, in); !reflect.DeepEqual(got, first) {
			t.Fatalf("run %d: %q, first run %q", i, got, first)
		}
	}
	want := []string{"/title wrong_type", "/issuer wrong_type", "/year wrong_type", "/sections/0/heading wrong_type",
		"/sections/0/y unknown_field", "/sections/0/z unknown_field", "/a unknown_field", "/b unknown_field", "/c unknown_field"}
	if !reflect.DeepEqual(first, want) {
		t.Errorf("order:\n got %q\nwant %q", first, want)
	}
}

func TestMessages(t *testing.T) {
	tests := []struct {
		input, path string
		want        []string // substrings, Chinese first then English
	}{
		{`{"titel":"x","issuer":"i","year":2023,"sections":[{"heading":"a"}]}`, "/titel",
			[]string{"不认识的字段“titel”，是否应为“title”？", `Unknown field "titel"; did you mean "title"?`}},
		{doc("", `[{"heading":""}]`), "/sections/0/heading", []string{"章节标题不能为空。The heading must not be empty."}},
		{`{"title":"　","issuer":"i","year":2023,"sections":[{"heading":"a"}]}`, "/title", []string{"“标题”不能为空。The title must not be empty."}},
		{doc(`"date":"2023-02-30"`, `[{"heading":"a"}]`), "/date", []string{"2023年2月只有 28 天", "2023-02 has 28 days"}},
		{doc("", `[{"heading":"a\tb"}]`), "/sections/0/heading", []string{"第 2 个字符是控制字符 U+0009（制表符）", "Character 2 is the control character U+0009 (tab)"}},
		{`{"title":"t","issuer":"i","year":"2023","sections":[{"heading":"a"}]}`, "/year",
			[]string{"“年度”应为整数，实为文字（带引号的字符串）。", "The year must be a whole number, not text (a quoted string)."}},
		{`{"title":"t","issuer":"i","year":2023.5,"sections":[{"heading":"a"}]}`, "/year",
			[]string{"“年度”应为整数，实为带小数的数。", "The year must be a whole number, not a number with a fraction."}},
		{doc("", `[{"heading":"a","body":[{"table":{"header":["a","b"],"rows":[["1"]]}}]}]`), "/sections/0/body/0/table/rows/0",
			[]string{"表格第 1 行有 1 个单元格，而表头有 2 个", "Row 1 has 1 cell(s) but the header has 2"}},
	}
	for _, tt := range tests {
		_, _, err := Parse([]byte(tt.input))
		var inv *InvalidError
		if !errors.As(err, &inv) {
			t.Fatalf("%s: no InvalidError", tt.input)
		}
		var msg string
		for _, p := range inv.Problems {
			if p.Path == tt.path {
				msg = p.Message
			}
		}
		last := -1
		for _, w := range tt.want {
			i := strings.Index(msg, w)
			if i < 0 || i < last {
				t.Errorf("message at %s = %q, want it to contain %q (in order)", tt.path, msg, w)
			}
			last = i
		}
		// No raw validator English leaks.
		for _, leak := range []string{"jsonschema", "validation failed", "additional properties", "got ", "want "} {
			if strings.Contains(strings.ToLower(msg), leak) {
				t.Errorf("message %q leaks %q", msg, leak)
			}
		}
	}
}

func ExampleParse() {
	_, warnings, err := Parse([]byte(`{"title":"t","issuer":"某局","year":2023,"sections":[{"heading":"一、总体情况。"}],"titel":"x"}`))
	for _, w := range warnings {
		fmt.Println("warning", w.Path, w.Code)
	}
	for _, p := range err.(*InvalidError).Problems {
		fmt.Println(p.Path, p.Code, p.Message)
	}
	// Output:
	// warning /sections/0/heading number_removed
	// warning /sections/0/heading punctuation_removed
	// /titel unknown_field 不认识的字段“titel”，是否应为“title”？Unknown field "titel"; did you mean "title"?
}

func TestLevelsAgreeWithSpec(t *testing.T) {
	if MaxLevels != spec.MaxHeadingLevel {
		t.Errorf("report.MaxLevels = %d, spec.MaxHeadingLevel = %d", MaxLevels, spec.MaxHeadingLevel)
	}
}

// hostile builds inputs near the size limit that hold as many problems as 2 MB can.
func hostile() map[string]string {
	var keys, items, rows strings.Builder
	keys.WriteString(`{"title":"t","issuer":"i","year":2023`)
	for i := 0; keys.Len() < MaxInputBytes-200; i++ {
		fmt.Fprintf(&keys, `,"k%d":1`, i)
	}
	keys.WriteString(`,"sections":[{"heading":"a"}]}`)
	items.WriteString(`{"title":"t","issuer":"i","year":2023,"sections":[{"heading":"a","body":[1`)
	for items.Len() < MaxInputBytes-200 {
		items.WriteString(`,1`)
	}
	items.WriteString(`]}]}`)
	rows.WriteString(`{"title":"t","issuer":"i","year":2023,"sections":[{"heading":"a","body":[`)
	for i := 0; rows.Len() < MaxInputBytes-2000; i++ {
		if i > 0 {
			rows.WriteString(",")
		}
		rows.WriteString(`{"table":{"header":["a"],"rows":[` + strings.Repeat("[],", 99) + `[]]}}`)
	}
	rows.WriteString(`]}]}`)
	return map[string]string{"unknown keys": keys.String(), "wrong items": items.String(), "ragged rows": rows.String()}
}

func TestHostileVolumes(t *testing.T) {
	h := hostile()
	for name, want := range map[string][]string{
		"unknown keys": {"/k0 unknown_field", " unknown_field"},
		"wrong items":  {"/sections/0/body too_many_blocks", "/sections/0/body/0 wrong_type"},
		"ragged rows":  {"/sections/0/body/0/table/rows/0 ragged_table"},
	} {
		got, inv := problems(t, h[name])
		if name == "unknown keys" {
			// The first few unknown keys one by one, then how many more there are.
			if inv == nil || len(got) != maxUnknownKept+1 || !strings.Contains(inv.Problems[0].Message, "另有") {
				t.Errorf("%s: %d problems, want %d", name, len(got), maxUnknownKept+1)
			}
		} else if inv == nil || len(got) != MaxProblems+1 || inv.Problems[MaxProblems].Code != CodeTooManyProblems {
			t.Errorf("%s: %d problems, want %d with a summary", name, len(got), MaxProblems+1)
			continue
		}
		for _, w := range want {
			found := false
			for _, g := range got {
				found = found || g == w
			}
			if !found {
				t.Errorf("%s: no %q among %q…", name, w, got[:5])
			}
		}
	}
}
