package report

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func mustParse(t *testing.T, input string) (*Report, []Problem) {
	t.Helper()
	r, w, err := Parse([]byte(input))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return r, w
}

func TestNormalisation(t *testing.T) {
	in := "\xef\xbb\xbf" + `{"title":" 上行\r\n下行　","issuer":"　某局 ","year":2023,"addressee":" 市委、市政府： ",` +
		`"preamble":["　　首段\r\n第二行\r第三行　　", {"paragraph":"Cafe\u0301 与  两个空格 "}],` +
		`"sections":[{"heading":"\t 总体情况 ","body":[{"table":{"caption":" 表1　情况 ","header":[" 甲 ","乙　"],"rows":[["　1 ","\u00a02"]]}}]}],` +
		`"attachments":[" 附件一 "]}`
	r, w := mustParse(t, in)
	if len(w) != 0 {
		t.Errorf("warnings %v, want none", w)
	}
	checks := []struct{ name, got, want string }{
		{"title", r.Title, "上行\n下行"},
		{"issuer", r.Issuer, "某局"},
		{"addressee", r.Addressee, "市委、市政府："},
		{"preamble 0", r.Preamble[0].Paragraph, "首段\n第二行\n第三行"},
		{"preamble 1 (NFC, interior spaces kept)", r.Preamble[1].Paragraph, "Café 与  两个空格"},
		{"heading", r.Sections[0].Heading, "总体情况"},
		{"caption", r.Sections[0].Body[0].Table.Caption, "表1　情况"},
		{"header", strings.Join(r.Sections[0].Body[0].Table.Header, "|"), "甲|乙"},
		{"cells", strings.Join(r.Sections[0].Body[0].Table.Rows[0], "|"), "1|2"},
		{"attachment", r.Attachments[0], "附件一"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if r.Numbering != NumberingAuto || r.Year != 2023 || r.Date != nil {
		t.Errorf("numbering %q year %d date %v", r.Numbering, r.Year, r.Date)
	}
}

func TestHeadingNumbersRemoved(t *testing.T) {
	tests := []struct {
		heading, want string
		removed       bool
	}{
		{"一、总体情况", "总体情况", true},
		{"十一、总体情况", "总体情况", true},
		{"二十一、 总体情况", "总体情况", true},
		{"一．总体情况", "总体情况", true},
		{"（一）总体情况", "总体情况", true},
		{"(一)总体情况", "总体情况", true},
		{"（一)总体情况", "总体情况", true},
		{"1.总体情况", "总体情况", true},
		{"1．总体情况", "总体情况", true},
		{"12、总体情况", "总体情况", true},
		{"１．总体情况", "总体情况", true},
		{"（1）总体情况", "总体情况", true},
		{"(1) 总体情况", "总体情况", true},
		{"一、（一）总体情况", "总体情况", true},
		{"　一、总体情况", "总体情况", true},
		// Text, not numbers.
		{"一是加强领导", "一是加强领导", false},
		{"十大工程进展", "十大工程进展", false},
		{"2023年工作安排", "2023年工作安排", false},
		{"3.5亿元投入情况", "3.5亿元投入情况", false},
		{"1.5倍增长", "1.5倍增长", false},
		{"“十四五”规划", "“十四五”规划", false},
	}
	for _, tt := range tests {
		// The same at every level: any usual form is removed.
		for level, js := range []string{
			`[{"heading":%q}]`,
			`[{"heading":"a","sections":[{"heading":%q}]}]`,
			`[{"heading":"a","sections":[{"heading":"b","sections":[{"heading":%q}]}]}]`,
		} {
			path := []string{"/sections/0", "/sections/0/sections/0", "/sections/0/sections/0/sections/0"}[level] + "/heading"
			r, w := mustParse(t, doc("", strings.Replace(js, "%q", quote(tt.heading), 1)))
			s := &r.Sections[0]
			for s.Level < level+1 {
				s = &s.Sections[0]
			}
			if s.Heading != tt.want {
				t.Errorf("level %d: %q → %q, want %q", level+1, tt.heading, s.Heading, tt.want)
			}
			gotRemoved := len(w) == 1 && w[0].Code == CodeNumberRemoved && w[0].Path == path
			if gotRemoved != tt.removed || (!tt.removed && len(w) != 0) {
				t.Errorf("level %d: %q: warnings %v, want number_removed=%v", level+1, tt.heading, w, tt.removed)
			}
		}
	}
}

func quote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

func TestHeadingPunctuation(t *testing.T) {
	tests := []struct {
		heading string
		runIn   bool
		want    string
		codes   []string
	}{
		{"总体情况。", false, "总体情况", []string{CodePunctuationRemoved}},
		{"总体情况；", false, "总体情况", []string{CodePunctuationRemoved}},
		{"总体情况：", false, "总体情况", []string{CodePunctuationRemoved}},
		{"总体情况，", false, "总体情况", []string{CodePunctuationRemoved}},
		{"总体情况？", false, "总体情况？", nil},
		{"（一）总体情况。", false, "总体情况", []string{CodeNumberRemoved, CodePunctuationRemoved}},
		{"前半。后半", false, "前半。后半", nil},
		{"健全机制。", true, "健全机制。", nil},
		{"健全机制？", true, "健全机制？", nil},
		{"健全机制！", true, "健全机制！", nil},
		{"健全机制", true, "健全机制。", []string{CodePunctuationAdded}},
		{"健全机制；", true, "健全机制。", []string{CodePunctuationAdded}},
		{"（一）健全机制", true, "健全机制。", []string{CodeNumberRemoved, CodePunctuationAdded}},
	}
	for _, tt := range tests {
		js := doc("", `[{"heading":"a","sections":[{"heading":`+quote(tt.heading)+`,"runIn":`+map[bool]string{true: "true", false: "false"}[tt.runIn]+`,"body":["正文"]}]}]`)
		r, w := mustParse(t, js)
		s := r.Sections[0].Sections[0]
		var codes []string
		for _, p := range w {
			codes = append(codes, p.Code)
			if p.Path != "/sections/0/sections/0/heading" {
				t.Errorf("%q: warning path %q", tt.heading, p.Path)
			}
		}
		if s.Heading != tt.want || !reflect.DeepEqual(codes, tt.codes) {
			t.Errorf("%q runIn=%v → %q %v, want %q %v", tt.heading, tt.runIn, s.Heading, codes, tt.want, tt.codes)
		}
	}
}

func TestNumberingNoneKeepsHeadings(t *testing.T) {
	r, w := mustParse(t, doc(`"numbering":"none"`, `[{"heading":"一、总体情况。","sections":[{"heading":"（一）机制","runIn":true,"body":["x"]}]}]`))
	if len(w) != 0 {
		t.Errorf("warnings %v", w)
	}
	if s := r.Sections[0]; s.Heading != "一、总体情况。" || s.Number != "" || s.Sections[0].Heading != "（一）机制" || s.Sections[0].Number != "" {
		t.Errorf("sections %+v", r.Sections)
	}
}

func TestChineseNumeral(t *testing.T) {
	for n, want := range map[int]string{
		1: "一", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十", 21: "二十一", 99: "九十九",
		100: "一百", 101: "一百零一", 110: "一百一十", 111: "一百一十一", 120: "一百二十", 999: "九百九十九",
		1000: "一千", 1001: "一千零一", 1010: "一千零一十", 1100: "一千一百", 1234: "一千二百三十四", 2000: "二千",
	} {
		if got := ChineseNumeral(n); got != want {
			t.Errorf("ChineseNumeral(%d) = %q, want %q", n, got, want)
		}
	}
	for _, tt := range []struct {
		level, n int
		want     string
	}{{1, 1, "一、"}, {1, 11, "十一、"}, {2, 1, "（一）"}, {2, 12, "（十二）"}, {3, 1, "1."}, {3, 10, "10."}, {4, 3, "（3）"}} {
		if got := SectionNumber(tt.level, tt.n); got != tt.want {
			t.Errorf("SectionNumber(%d, %d) = %q, want %q", tt.level, tt.n, got, tt.want)
		}
	}
}

func TestNumberingAndPaths(t *testing.T) {
	var level1 []string
	for i := 0; i < 11; i++ {
		level1 = append(level1, `{"heading":"h","body":["p"]}`)
	}
	level1[1] = `{"heading":"h","body":["p0","p1"],"sections":[{"heading":"a"},{"heading":"b","sections":[{"heading":"c"},{"heading":"d","sections":[{"heading":"e"},{"heading":"f"}]}]}]}`
	level1[2] = `{"heading":"h","sections":[{"heading":"a","sections":[{"heading":"c","sections":[{"heading":"e"}]}]}]}`
	r, _ := mustParse(t, doc(`"preamble":["前言",{"paragraph":"二"}]`, "["+strings.Join(level1, ",")+"]"))
	if r.Preamble[0].Path != "/preamble/0" || r.Preamble[1].Path != "/preamble/1" {
		t.Errorf("preamble paths %q %q", r.Preamble[0].Path, r.Preamble[1].Path)
	}
	type row struct {
		path   string
		level  int
		number string
	}
	var got []row
	var walk func([]Section)
	walk = func(ss []Section) {
		for _, s := range ss {
			got = append(got, row{s.Path, s.Level, s.Number})
			walk(s.Sections)
		}
	}
	walk(r.Sections)
	want := []row{
		{"/sections/0", 1, "一、"},
		{"/sections/1", 1, "二、"},
		{"/sections/1/sections/0", 2, "（一）"},
		{"/sections/1/sections/1", 2, "（二）"},
		{"/sections/1/sections/1/sections/0", 3, "1."},
		{"/sections/1/sections/1/sections/1", 3, "2."},
		{"/sections/1/sections/1/sections/1/sections/0", 4, "（1）"},
		{"/sections/1/sections/1/sections/1/sections/1", 4, "（2）"},
		{"/sections/2", 1, "三、"}, // numbering restarts under each parent
		{"/sections/2/sections/0", 2, "（一）"},
		{"/sections/2/sections/0/sections/0", 3, "1."},
		{"/sections/2/sections/0/sections/0/sections/0", 4, "（1）"},
	}
	for i := 3; i < 11; i++ {
		want = append(want, row{"/sections/" + itoa(i), 1, ChineseNumeral(i+1) + "、"})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sections:\n got %v\nwant %v", got, want)
	}
	if got[len(got)-1].number != "十一、" {
		t.Errorf("eleventh section numbered %q", got[len(got)-1].number)
	}
	if b := r.Sections[1].Body[1]; b.Path != "/sections/1/body/1" || b.Paragraph != "p1" {
		t.Errorf("body block %+v", b)
	}
}

func TestDate(t *testing.T) {
	r, _ := mustParse(t, doc(`"date":"2024-01-05"`, `[{"heading":"a"}]`))
	if r.Date == nil || *r.Date != (Date{2024, 1, 5}) || r.Date.String() != "2024年1月5日" || r.Date.ISO() != "2024-01-05" {
		t.Errorf("date %+v", r.Date)
	}
}

func TestAddresseeAndAttachmentPunctuation(t *testing.T) {
	tests := []struct {
		addressee, wantAddressee string
		attachment, wantAttach   string
		codes                    []string
	}{
		{"市委、市政府：", "市委、市政府：", "统计表", "统计表", nil},
		{"市委、市政府", "市委、市政府：", "统计表。", "统计表", []string{"/addressee " + CodePunctuationAdded, "/attachments/0 " + CodePunctuationRemoved}},
		{"市委、市政府:", "市委、市政府：", "统计表（2024年）", "统计表（2024年）", []string{"/addressee " + CodePunctuationAdded}},
	}
	for _, tt := range tests {
		r, w := mustParse(t, doc(`"addressee":`+quote(tt.addressee)+`,"attachments":[`+quote(tt.attachment)+`]`, `[{"heading":"a"}]`))
		var codes []string
		for _, p := range w {
			codes = append(codes, p.Path+" "+p.Code)
		}
		if r.Addressee != tt.wantAddressee || r.Attachments[0] != tt.wantAttach || !reflect.DeepEqual(codes, tt.codes) {
			t.Errorf("%q %q → %q %q %v, want %q %q %v", tt.addressee, tt.attachment, r.Addressee, r.Attachments[0], codes,
				tt.wantAddressee, tt.wantAttach, tt.codes)
		}
	}
}

// TestStableNFCSet checks every character normText lets through without normalising
// against the Unicode normalisation properties (golang.org/x/text's tables): each is
// in NFC, has combining class 0 and combines with nothing on either side, so any
// string of them is NFC as it is.
func TestStableNFCSet(t *testing.T) {
	n := 0
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if !nfcStable(r) {
			continue
		}
		n++
		s := string(r)
		p := norm.NFC.PropertiesString(s)
		if !norm.NFC.IsNormalString(s) || p.CCC() != 0 || !p.BoundaryBefore() || !p.BoundaryAfter() {
			t.Errorf("U+%04X %c passes unnormalised but is not a stable NFC character", r, r)
		}
	}
	// 20,992 ideographs + 58 CJK punctuation + 94 full-width forms + 7 others.
	if n != 21151 {
		t.Errorf("%d characters pass unnormalised, want 21151", n)
	}
	for _, r := range []rune{0x302A, 0x3099, 0xF900, 0x2F00, 0x0301, 0xAC00, 0x1100} {
		if nfcStable(r) {
			t.Errorf("U+%04X must go through the normaliser", r)
		}
	}
}

// TestNormTextFastPathAgrees: texts mixing stable characters with ones that compose,
// decompose or reorder give what the normaliser gives.
func TestNormTextFastPathAgrees(t *testing.T) {
	pieces := []string{"法治", "政府", "，", "。", "——", "…", "“", "”", "2023", "年", "e", "\u0301", "\u302A",
		"\uF900", "\u1100\u1161", "\u3099", "Å", "A\u030A", " ", "\u3000", "（一）", "ｇ", "·"}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for k := rng.IntN(8); k >= 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		want := strings.TrimFunc(norm.NFC.String(s), isTrimSpace)
		if got := normText(s); got != want {
			t.Fatalf("normText(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestPlainTextAgrees: the byte-wise fast path of textProblem passes only texts the
// character-wise check passes: every code point, between ASCII and CJK, with and
// without line breaks allowed, and random bytes (invalid UTF-8 among them).
func TestPlainTextAgrees(t *testing.T) {
	check := func(s string) {
		t.Helper()
		for _, nl := range []bool{false, true} {
			if plainText(s, nl) && decodedTextProblem("/x", s, nl) != nil {
				t.Fatalf("%+q (newline allowed: %v): the fast path passes what the check refuses", s, nl)
			}
		}
	}
	fast := 0
	for r := rune(0); r <= utf8.MaxRune; r++ {
		s := "a" + string(r) + "中"
		check(s)
		if plainText(s, false) {
			fast++
		}
	}
	if fast < 50000 {
		t.Errorf("the fast path passes only %d code points", fast)
	}
	check("第一行\n第二行")
	if !plainText("第一行\n第二行，（一）ABC。", true) || plainText("a\nb", false) {
		t.Error("line breaks: the fast path answers wrongly")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 12)
	for i := 0; i < 200000; i++ {
		for j := range b {
			b[j] = byte(rng.IntN(256))
		}
		check(string(b[:rng.IntN(len(b))]))
	}
}

// TestRuneCount: the validator's count of characters is utf8.RuneCountInString's, for
// every code point and for random bytes.
func TestRuneCount(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r += 7 {
		s := "a" + string(r) + "中文" + string(r+3)
		if runeCount(s) != utf8.RuneCountInString(s) {
			t.Fatalf("%+q: %d, utf8 says %d", s, runeCount(s), utf8.RuneCountInString(s))
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	b := make([]byte, 10)
	for i := 0; i < 200000; i++ {
		for j := range b {
			b[j] = byte(rng.IntN(256))
		}
		s := string(b[:rng.IntN(len(b))])
		if runeCount(s) != utf8.RuneCountInString(s) {
			t.Fatalf("%+q: %d, utf8 says %d", s, runeCount(s), utf8.RuneCountInString(s))
		}
	}
}

// TestStableNFCBytes: stableNFC, which reads most ideographs from their lead byte,
// answers for every character, alone and between others, and for truncated or
// invalid sequences, what nfcStable says of the decoded characters.
func TestStableNFCBytes(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		want := nfcStable(r)
		if r >= 0xD800 && r <= 0xDFFF {
			want = false // string(r) is U+FFFD
		}
		s := string(r)
		if got := stableNFC(s); got != want {
			t.Fatalf("stableNFC(U+%04X) = %v, want %v", r, got, want)
		}
		if got := stableNFC("a" + s + "中"); got != want {
			t.Fatalf("stableNFC(a U+%04X 中) = %v, want %v", r, got, want)
		}
	}
	for _, s := range []string{"\xe5", "\xe5\xb8", "\xe5\x41\x41", "\xe9\xbf", "中\xe5\xb8", "\xe5\xb8\xc0"} {
		if stableNFC(s) {
			t.Errorf("stableNFC(%q) = true for invalid UTF-8", s)
		}
	}
}
