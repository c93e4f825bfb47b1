package report

import (
	"regexp"
	"testing"
)

// TestRegexps compiles every expression that lazyRegexp defers (a broken pattern
// would otherwise panic only on a report that uses the field) and checks a match of
// each.
func TestRegexps(t *testing.T) {
	for _, tc := range []struct {
		re   *regexp.Regexp
		in   string
		want bool
	}{
		{isoDate(), "2024-01-15", true},
		{isoDate(), "2024-1-15", false},
		{copyDigits(), "000123", true},
		{secrecyRE(), "秘密★1年", true},
		{numberYearRE(), "示司〔2025〕3号", true},
		{numberSerialRE(), "第03号", true},
		{numberNoYearRE(), "示司第3号", true},
		{headingNumber(), "（一）总体情况", true},
	} {
		if got := tc.re.MatchString(tc.in); got != tc.want {
			t.Errorf("%v on %q: %v, want %v", tc.re, tc.in, got, tc.want)
		}
	}
}
