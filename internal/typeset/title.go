package typeset

import "strings"

// TitleLines splits a title into the lines it is printed on: explicit "\n" breaks are
// honoured, the issuer's name is never broken, and long titles form a trapezoid or
// diamond. The DOCX writer uses it too, so both outputs break the title alike.
// TODO(issue 4): shape long titles; for now only explicit breaks are honoured.
func TitleLines(title, issuer string, m Metrics) []string {
	return strings.Split(title, "\n")
}
