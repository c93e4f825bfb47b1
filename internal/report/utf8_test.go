package report

import (
	"testing"
	"unicode/utf8"
)

// TestValidUTF8: validUTF8 agrees with utf8.Valid on every string of three bytes
// (every lead, overlong forms, surrogates, truncations), alone and between ASCII runs
// that take the eight-byte path, and on mixed text cut at every length.
func TestValidUTF8(t *testing.T) {
	bad := 0
	b := make([]byte, 3)
	wrapped := []byte("abcdefg___hijklmn")
	for x := range 1 << 24 {
		b[0], b[1], b[2] = byte(x>>16), byte(x>>8), byte(x)
		want := utf8.Valid(b)
		if validUTF8(b) != want {
			if bad++; bad < 10 {
				t.Errorf("% x: validUTF8 %v, utf8.Valid %v", b, !want, want)
			}
		}
		if x%97 == 0 {
			copy(wrapped[7:], b)
			if validUTF8(wrapped) != want {
				if bad++; bad < 10 {
					t.Errorf("ASCII, % x, ASCII: validUTF8 %v, utf8.Valid %v", b, !want, want)
				}
			}
		}
	}
	mixed := []byte("武川县2023年政府工作报告\u3000（一）\uff0c\U0002000b 𠀋 \xef\xbf\xbd é\xed\x9f\xbf")
	for i := range len(mixed) + 1 {
		for _, s := range [][]byte{mixed[:i], mixed[i:]} {
			if validUTF8(s) != utf8.Valid(s) {
				t.Errorf("%q: validUTF8 %v, utf8.Valid %v", s, !utf8.Valid(s), utf8.Valid(s))
			}
		}
	}
}

func FuzzValidUTF8(f *testing.F) {
	f.Add([]byte("政府工作报告 2023"))
	f.Add([]byte("\xed\xa0\x80\xe0\x80\xaf\xf4\x90\x80\x80"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if validUTF8(b) != utf8.Valid(b) {
			t.Errorf("% x: validUTF8 %v, utf8.Valid %v", b, !utf8.Valid(b), utf8.Valid(b))
		}
	})
}
