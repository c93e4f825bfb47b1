package docx

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// refWriteText is writeTextRecording's text as first written, rune by rune: the reference the
// byte-reading escape must agree with.
func refWriteText(s string) (string, error) {
	var b strings.Builder
	for _, seg := range splitKeep(s) {
		switch seg {
		case "\n":
			b.WriteString("<w:br/>")
			continue
		case "\t":
			b.WriteString("<w:tab/>")
			continue
		}
		b.WriteString(`<w:t xml:space="preserve">`)
		for i := 0; i < len(seg); {
			r, size := utf8.DecodeRuneInString(seg[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				return "", fmt.Errorf("invalid UTF-8")
			case r == '&':
				b.WriteString("&amp;")
			case r == '<':
				b.WriteString("&lt;")
			case r == '>':
				b.WriteString("&gt;")
			case r < 0x20, r >= 0x7F && r <= 0x9F, r == 0xFFFE, r == 0xFFFF:
				return "", fmt.Errorf("U+%04X", r)
			default:
				b.WriteString(seg[i : i+size])
			}
			i += size
		}
		b.WriteString("</w:t>")
	}
	return b.String(), nil
}

// splitKeep cuts s before and after every "\n" and "\t", dropping empty pieces.
func splitKeep(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexAny(s, "\n\t")
		switch {
		case i < 0:
			return append(out, s)
		case i > 0:
			out = append(out, s[:i])
		}
		out = append(out, s[i:i+1])
		s = s[i+1:]
	}
	return out
}

// TestWriteTextAsReference: random strings of the characters escaping treats apart
// (markup, controls, C1, the BMP's last characters, surrogates' and overlong
// encodings, broken sequences, CJK, astral) give the reference's output, or an error
// where it errs; what it writes, it records: the characters ranging over the string
// yields.
func TestWriteTextAsReference(t *testing.T) {
	atoms := []string{"a", " ", "&", "<", ">", "\"", "\n", "\t", "\r", "\x00", "\x1f", "\x7f",
		"\u0080", "\u009f", "\u00a0", "é", "中", "文", "。", "\u0800", "\ud7ff", "\ue000", "\ufffd", "\ufffe", "\uffff",
		"𠀀", "\U0010ffff", "\xed\xa0\x80", "\xe0\x80\xaf", "\xc0\xaf", "\xe4\xb8", "\xe4", "\xbf", "\xef\xbf", "\xf0\x9f\x98"}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 20000; n++ {
		var sb strings.Builder
		for range rng.IntN(12) {
			sb.WriteString(atoms[rng.IntN(len(atoms))])
		}
		s := sb.String()
		want, werr := refWriteText(s)
		var b textBuf
		var set charSet
		var rare []rune
		gerr := writeTextRecording(&b, s, "/p", &set, &rare)
		if (werr != nil) != (gerr != nil) {
			t.Fatalf("%q: error %v, reference %v", s, gerr, werr)
		}
		if werr != nil {
			continue
		}
		if b.String() != want {
			t.Fatalf("%q:\n got %q\nwant %q", s, b.String(), want)
		}
		var runes []rune
		for _, r := range s {
			runes = append(runes, r)
		}
		slices.Sort(runes)
		runes = slices.Compact(runes)
		var got []rune
		for i, word := range set {
			for ; word != 0; word &= word - 1 {
				got = append(got, rune(i<<6|bits.TrailingZeros64(word)))
			}
		}
		slices.Sort(rare)
		got = append(got, slices.Compact(rare)...)
		if !slices.Equal(got, runes) {
			t.Fatalf("%q: recorded %U, ranging gives %U", s, got, runes)
		}
	}
}
