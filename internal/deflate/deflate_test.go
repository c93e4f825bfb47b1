package deflate

import (
	"bytes"
	"compress/flate"
	stdzlib "compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"gongwen/internal/adler"
)

// inflate decodes a zlib stream with the standard library, which checks the
// header, the block's code lengths (complete codes), the distances and the Adler-32.
func inflate(t testing.TB, z []byte) []byte {
	t.Helper()
	r, err := stdzlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatalf("zlib header: %v", err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	return out
}

// uniformCode gives every symbol a code of the same length but a few: 8 or 9 bits
// for literals and lengths, 5 for distances (what Train starts from).
func uniformCode(t testing.TB) *Code {
	t.Helper()
	var lit [NumLit]uint32
	var dist [NumDist]uint32
	for i := range lit {
		lit[i] = 1
	}
	for i := range dist {
		dist[i] = 1
	}
	c, err := NewCode([NumLit]uint8(HuffLengths(lit[:], MaxBits)), [NumDist]uint8(HuffLengths(dist[:], MaxBits)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// samples are inputs that reach every path of the parse: nothing, less than a
// match, matches of 4 and 5 bytes (taken or not), the longest match (258) and runs
// longer, distance 1, distances at and beyond the 32 KB window, incompressible
// bytes, every byte value.
func samples() map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int, alphabet string) []byte {
		b := make([]byte, n)
		for i := range b {
			if alphabet == "" {
				b[i] = byte(rng.Uint32())
			} else {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		return b
	}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	// A block repeated at exactly the window's distance, then one byte further.
	far := random(Window, "")
	far = append(far, far[:100]...)
	far = append(far, random(1, "")...)
	far = append(far, far[len(far)-Window-1:len(far)-Window+99]...)
	return map[string][]byte{
		"empty":      {},
		"one":        {'x'},
		"three":      []byte("abc"),
		"four":       []byte("abca"),
		"twice4":     []byte("abcdXabcd"),
		"twice5":     []byte("abcdeXYabcde"),
		"run":        bytes.Repeat([]byte{'a'}, 1000),
		"runs258":    bytes.Repeat([]byte("0123456789"), 200),
		"text":       []byte(strings.Repeat("BT /F1 16 Tf 12.5 700 Td <0012003A00FF> Tj ET\n", 50)),
		"random":     random(5000, ""),
		"hex":        random(20000, "0123456789ABCDEF <>\n"),
		"bytes":      all,
		"far":        far,
		"large":      random(100000, "abcdefgh"),
		"tail3":      append(bytes.Repeat([]byte("wxyz"), 10), "wxy"...),
		"nearlyRuns": append(bytes.Repeat([]byte{0}, 259), 1, 0, 0, 0, 0),
	}
}

// TestZlibRoundTrip: every sample, whole or in parts, with a code trained on them
// and with the uniform code, decodes with compress/zlib to the same bytes, and its
// raw deflate data (Deflate) with compress/flate.
func TestZlibRoundTrip(t *testing.T) {
	s := samples()
	var corpus [][]byte
	for _, b := range s {
		corpus = append(corpus, b)
	}
	lit, dist, err := Train(corpus)
	if err != nil {
		t.Fatal(err)
	}
	trained, err := NewCode(lit, dist)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Code{trained, uniformCode(t)} {
		for name, b := range s {
			prefix := []byte("kept")
			z := c.Zlib(bytes.Clone(prefix), b)
			if !bytes.HasPrefix(z, prefix) {
				t.Fatalf("%s: dst's bytes not kept", name)
			}
			if got := inflate(t, z[len(prefix):]); !bytes.Equal(got, b) {
				t.Fatalf("%s: %d bytes decode to %d, not the same", name, len(b), len(got))
			}
			h := len(b) / 3
			if got := inflate(t, c.Zlib(nil, b[:h], b[h:2*h], b[2*h:])); !bytes.Equal(got, b) {
				t.Fatalf("%s in three parts: not the same bytes", name)
			}
			raw := c.Deflate(bytes.Clone(prefix), b)
			got, err := io.ReadAll(flate.NewReader(bytes.NewReader(raw[len(prefix):])))
			if err != nil || !bytes.Equal(got, b) {
				t.Fatalf("%s raw: %d bytes decode to %d (%v), not the same", name, len(b), len(got), err)
			}
			if !bytes.Equal(c.DeflatePiece(nil, b, true), raw[len(prefix):]) {
				t.Fatalf("%s: a final piece is not Deflate's bytes", name)
			}
			// Pieces not final, each byte-aligned, then a final one: one stream.
			var joined []byte
			for _, p := range [][]byte{b[:h], b[h : 2*h], b[2*h:]} {
				joined = c.DeflatePiece(joined, p, false)
				if !bytes.HasSuffix(joined, []byte{0, 0, 0xFF, 0xFF}) {
					t.Fatalf("%s: a piece does not end with an empty stored block", name)
				}
			}
			joined = c.DeflatePiece(joined, []byte(name), true)
			got, err = io.ReadAll(flate.NewReader(bytes.NewReader(joined)))
			if want := append(bytes.Clone(b), name...); err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%s in pieces: %d bytes decode to %d (%v), not the same", name, len(want), len(got), err)
			}
		}
	}
}

// TestMatcherWraps: a matcher whose positions are about to overflow starts afresh,
// and its streams still decode (old candidates are never taken for new ones).
func TestMatcherWraps(t *testing.T) {
	c := uniformCode(t)
	m := new(matcher)
	text := []byte(strings.Repeat("0 -28.95 Td <00D3> Tj\n", 40))
	for _, base := range []int32{0, 1<<30 - 100, 1<<30 + 1} {
		m.base = base
		for range 3 {
			z := binary.BigEndian.AppendUint32(m.encode([]byte{0x78, 0x01}, c, text, true), adler.Checksum(text))
			if got := inflate(t, z); !bytes.Equal(got, text) {
				t.Fatalf("base %d: not the same bytes", base)
			}
		}
		if m.base < 0 || m.base > 1<<30+int32(4*len(text)) {
			t.Fatalf("base %d after three streams", m.base)
		}
	}
}

// TestNewCodeRejects: lengths that leave a symbol without a code, exceed 15 bits
// or make an incomplete or over-full code are refused.
func TestNewCodeRejects(t *testing.T) {
	var lit [NumLit]uint32
	for i := range lit {
		lit[i] = uint32(i%7 + 1)
	}
	good := [NumLit]uint8(HuffLengths(lit[:], MaxBits))
	var df [NumDist]uint32
	for i := range df {
		df[i] = uint32(i%5 + 1)
	}
	dist := [NumDist]uint8(HuffLengths(df[:], MaxBits))
	if _, err := NewCode(good, dist); err != nil {
		t.Fatalf("complete code refused: %v", err)
	}
	bad := func(name string, l [NumLit]uint8, d [NumDist]uint8) {
		if _, err := NewCode(l, d); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	l := good
	l['A'] = 0
	bad("literal without a code", l, dist)
	l = good
	l[0]++
	bad("incomplete", l, dist)
	l = good
	l[0]--
	bad("over-full", l, dist)
	l = good
	l[300%NumLit] = 16
	bad("16 bits", l, dist)
	d := dist
	d[29]--
	bad("distances over-full", good, d)
}

// TestTrainFits: a code trained on PDF-like text encodes it in fewer bytes than
// the uniform code, and no worse than a code trained on other data.
func TestTrainFits(t *testing.T) {
	s := samples()
	text := [][]byte{s["text"], s["hex"]}
	lit, dist, err := Train(text)
	if err != nil {
		t.Fatal(err)
	}
	trained, err := NewCode(lit, dist)
	if err != nil {
		t.Fatal(err)
	}
	lit, dist, err = Train([][]byte{s["random"], s["bytes"]})
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewCode(lit, dist)
	if err != nil {
		t.Fatal(err)
	}
	size := func(c *Code) (n int) {
		for _, b := range text {
			n += len(c.Zlib(nil, b))
		}
		return n
	}
	a, u, o := size(trained), size(uniformCode(t)), size(other)
	if a >= u || a > o {
		t.Errorf("text: %d bytes with its trained code, %d with the uniform one, %d with one trained on random bytes", a, u, o)
	}
}

// FuzzZlib: any bytes round-trip through compress/zlib.
func FuzzZlib(f *testing.F) {
	for _, b := range samples() {
		if len(b) < 3000 {
			f.Add(b)
		}
	}
	c := uniformCode(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if got := inflate(t, c.Zlib(nil, b)); !bytes.Equal(got, b) {
			t.Fatalf("%d bytes: not the same after inflating", len(b))
		}
	})
}

// TestSymbols: every distance 1-32768 and match length 3-258 falls in its symbol's
// range, and the ranges follow one another without gap or overlap from 1 to 32768
// and from 3 to 258 (symbol 27's extra bits could reach 258 too, which RFC 1951
// codes as symbol 28, i.e. 285, with none).
func TestSymbols(t *testing.T) {
	next := 1
	for s := range uint8(NumDist) {
		if DistBase(s) != next {
			t.Fatalf("distance symbol %d starts at %d, not %d", s, DistBase(s), next)
		}
		next += 1 << DistExtra(s)
	}
	if next != Window+1 {
		t.Fatalf("distance symbols end at %d", next-1)
	}
	for d := 1; d <= Window; d++ {
		s := DistSym(d)
		if d < DistBase(s) || d >= DistBase(s)+1<<DistExtra(s) {
			t.Fatalf("distance %d: symbol %d covers %d-%d", d, s, DistBase(s), DistBase(s)+1<<DistExtra(s)-1)
		}
	}
	next = 3
	for s := range uint8(28) {
		if LengthBase(s) != next {
			t.Fatalf("length symbol %d starts at %d, not %d", s, LengthBase(s), next)
		}
		next += 1 << LengthExtra(s)
	}
	if next != MaxMatch+1 || LengthBase(28) != MaxMatch || LengthExtra(28) != 0 {
		t.Fatalf("length symbols end at %d; symbol 28: %d, %d extra bits", next, LengthBase(28), LengthExtra(28))
	}
	for l := 3; l <= MaxMatch; l++ {
		s := LengthSym(l)
		if l == MaxMatch && s != 28 || l < LengthBase(s) || l >= LengthBase(s)+1<<LengthExtra(s) {
			t.Fatalf("length %d: symbol %d from %d, %d extra bits", l, s, LengthBase(s), LengthExtra(s))
		}
	}
}

// TestConcurrentEncodes: goroutines sharing one code and the pool of idle matchers
// (as a render's font, page and part encoders do) each get their own input back
// from compress/zlib, byte for byte (go test -race: no matcher is used by two).
func TestConcurrentEncodes(t *testing.T) {
	c := uniformCode(t)
	var inputs [][]byte
	for _, s := range samples() {
		inputs = append(inputs, s)
	}
	errs := make(chan string, 8*len(inputs))
	done := make(chan struct{})
	for g := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for k := range 4 {
				in := inputs[(g+k)%len(inputs)]
				z := c.Zlib(nil, in)
				r, err := stdzlib.NewReader(bytes.NewReader(z))
				if err != nil {
					errs <- err.Error()
					continue
				}
				out, err := io.ReadAll(r)
				if err != nil || !bytes.Equal(out, in) {
					errs <- fmt.Sprintf("goroutine %d input %d: %v, %d bytes back of %d", g, k, err, len(out), len(in))
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestShipped: lengths making a complete code give it, the same one on every call;
// incomplete ones give nil (the caller's cue to compress another way).
func TestShipped(t *testing.T) {
	var lit [NumLit]uint32
	var dist [NumDist]uint32
	for i := range lit {
		lit[i] = uint32(i%7 + 1)
	}
	for i := range dist {
		dist[i] = 1
	}
	l, d := [NumLit]uint8(HuffLengths(lit[:], MaxBits)), [NumDist]uint8(HuffLengths(dist[:], MaxBits))
	code := Shipped("test", l, d)
	if c := code(); c == nil || c != code() {
		t.Errorf("complete lengths: %p then %p", c, code())
	}
	l[0]++
	if c := Shipped("test", l, d)(); c != nil {
		t.Error("incomplete lengths gave a code")
	}
}
