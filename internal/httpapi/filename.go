package httpapi

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxStemRunes keeps file names well under common 255-byte limits (a CJK character is
// three bytes in UTF-8).
const maxStemRunes = 60

// defaultStem names an output whose title gives nothing usable, and is the ASCII
// fallback for clients that do not read filename*.
const defaultStem = "report"

// FileStem is the file name (without extension) for a report titled title: the title
// on one line, without characters that are unsafe in file names on Windows, macOS or
// Linux, shortened to maxStemRunes.
func FileStem(title string) string {
	var b strings.Builder
	space := false
	for _, r := range title {
		switch {
		case r == '\n' || r == '\r':
			// A forced title line break: the lines run on (CJK needs no space).
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r) || strings.ContainsRune(`/\:*?"<>|`, r) ||
			unicode.Is(unicode.Cf, r) || r == utf8.RuneError:
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	s := strings.Trim(b.String(), ". ")
	if n := utf8.RuneCountInString(s); n > maxStemRunes {
		s = strings.TrimRight(string([]rune(s)[:maxStemRunes]), ". ")
	}
	if s == "" {
		return defaultStem
	}
	return s
}

// ContentDisposition is an attachment header naming the file stem.ext (RFC 6266):
// filename= carries an ASCII fallback, filename*= the UTF-8 name (RFC 8187, formerly
// RFC 5987), which every current browser and HTTP client prefers.
func ContentDisposition(stem, ext string) string {
	name := stem + "." + ext
	return `attachment; filename="` + asciiFallback(stem) + "." + ext + `"; filename*=UTF-8''` + encodeExtValue(name)
}

// asciiFallback is stem when it is plain printable ASCII safe inside a quoted
// string, else defaultStem.
func asciiFallback(stem string) string {
	for i := 0; i < len(stem); i++ {
		c := stem[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '%' || c == ';' {
			return defaultStem
		}
	}
	return stem
}

// encodeExtValue percent-encodes s as the value-chars of RFC 8187: only attr-char
// stays literal.
func encodeExtValue(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
