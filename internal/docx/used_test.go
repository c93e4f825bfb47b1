package docx

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gongwen/internal/spec"
)

// TestUsedAddDecodesAsRange: used.add, which puts a CJK character's three bytes
// together itself, records the characters ranging over the string yields (U+FFFD for
// each invalid byte), on random mixes of ASCII, CJK, the edges of the three-byte
// range (E0 overlong, ED surrogates, EF), four-byte characters and broken sequences.
func TestUsedAddDecodesAsRange(t *testing.T) {
	pieces := []string{"a", " ", "\n", "法", "治", "\u0800", "\u1000", "\uD7FF", "\uE000", "\uFFFD", "\uFFFF", "\u00e9",
		"\U00020000", "\U0002A6A5", "\xe4", "\xe4\xb8", "\xe0\x80\x80", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xed\xa0\x80",
		"\xef\xbf\xbf", "\xef\xbf", "\xf0\x9f\x98", "\xc0\xaf", "\xff", "\x80", "\xe9\xbf\xbf", "\xe1\x7f\x80"}
	rng := rand.New(rand.NewPCG(4, 15))
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		var u used
		u.add(spec.RoleSong, s)
		var want []rune
		for _, r := range s {
			want = append(want, r)
		}
		slices.Sort(want)
		want = slices.Compact(want)
		var got []rune
		if set := u.bmp[spec.RoleSong]; set != nil {
			for r := rune(0); r < 1<<16; r++ {
				if set[r>>6]&(1<<(r&63)) != 0 {
					got = append(got, r)
				}
			}
		}
		rare := slices.Clone(u.rare[spec.RoleSong])
		slices.Sort(rare)
		got = append(got, slices.Compact(rare)...)
		if !slices.Equal(got, want) {
			t.Fatalf("%q: recorded %U, ranging gives %U", s, got, want)
		}
	}
}
