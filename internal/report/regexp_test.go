package report

import (
	"regexp"
	"testing"
)

// TestRegexps compiles every expression that lazyre defers (a broken pattern
// would otherwise panic only on a report that uses the field) and checks a match of
// each.
func TestRegexps(t *testing.T) {
	for _, tc := range []struct {
		re   *regexp.Regexp
		in   string
		want bool
	}{
		{isoDate.Get(), "2024-01-15", true},
		{isoDate.Get(), "2024-1-15", false},
		{copyDigits.Get(), "000123", true},
		{secrecyRE.Get(), "秘密★1年", true},
		{numberYearRE.Get(), "示司〔2025〕3号", true},
		{numberSerialRE.Get(), "第03号", true},
		{numberNoYearRE.Get(), "示司第3号", true},
	} {
		if got := tc.re.MatchString(tc.in); got != tc.want {
			t.Errorf("%v on %q: %v, want %v", tc.re, tc.in, got, tc.want)
		}
	}
}

// headingNumberRE is the expression headingNumberLen stands for, as the oracle.
var headingNumberRE = regexp.MustCompile(`^(?:[一二三四五六七八九十百千零〇两]+[、.．]|[（(][一二三四五六七八九十百千零〇两]+[）)]|[0-9０-９]+[、.．]|[（(][0-9０-９]+[）)])`)

// TestHeadingNumberLen checks headingNumberLen against the expression on every
// string of up to four characters over an alphabet of each class's edges, the
// marks, and characters of neither, and on whole headings.
func TestHeadingNumberLen(t *testing.T) {
	alphabet := []string{"一", "两", "〇", "十", "0", "9", "０", "９", "(", "（", ")", "）", "、", ".", "．", "a", "总", " ", "\xff"}
	check := func(s string) {
		want := 0
		if loc := headingNumberRE.FindStringIndex(s); loc != nil {
			want = loc[1]
		}
		if got := headingNumberLen(s); got != want {
			t.Errorf("headingNumberLen(%q) = %d, want %d", s, got, want)
		}
	}
	var walk func(prefix string, depth int)
	walk = func(prefix string, depth int) {
		check(prefix)
		if depth == 0 {
			return
		}
		for _, a := range alphabet {
			walk(prefix+a, depth-1)
		}
	}
	walk("", 4)
	for _, s := range []string{"（一）总体情况", "十一、工作", "12. 目标", "3.5亿元", "（１２）措施", "(一)", "一、", "（一、", "1）", "一二三四五六七八九十百千零〇两、"} {
		check(s)
	}
	if n := headingNumberLen("（一）总体情况"); n != len("（一）") {
		t.Errorf("headingNumberLen(（一）总体情况) = %d, want %d", n, len("（一）"))
	}
}
