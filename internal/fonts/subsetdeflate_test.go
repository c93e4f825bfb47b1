package fonts

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
	"unsafe"

	"gongwen/internal/spec"
)

// inflate reads raw deflate data with the standard library's decoder.
func inflate(t testing.TB, raw []byte) []byte {
	t.Helper()
	b, err := io.ReadAll(flate.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	return b
}

// unzlib reads a zlib stream with the standard library's decoder, which checks the
// Adler-32.
func unzlib(t testing.TB, z []byte) []byte {
	t.Helper()
	r, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatalf("zlib header: %v", err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("zlib: %v", err)
	}
	return b
}

// sample picks n characters the face has from the coverage list, at random but
// reproducibly.
func sample(s *Set, fc spec.Face, n int, seed uint64) []rune {
	rng := rand.New(rand.NewPCG(seed, 1))
	cov := Coverage()
	var out []rune
	for len(out) < n {
		if r := cov[rng.IntN(len(cov))]; s.HasFace(fc, r) {
			out = append(out, r)
		}
	}
	return out
}

// testKey is an obfuscation key for the tests (any 16 bytes).
var testKey = [16]byte{0xA1, 0x02, 0xF3, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x10}

// The compressed font files decode, with compress/zlib and compress/flate, to
// exactly the subset's file, and the obfuscated form to the obfuscated file.
func TestSubsetCompressionRoundTrips(t *testing.T) {
	set, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	key := testKey
	for _, fc := range spec.Faces {
		for i, n := range []int{1, 7, 60, 700} {
			runes := sample(set, fc, n, uint64(i))
			sub, err := set.Cut(fc, runes)
			if err != nil {
				t.Fatal(err)
			}
			z := sub.Zlib()
			if got := unzlib(t, z); !bytes.Equal(got, sub.File()) {
				t.Fatalf("%s, %d characters: zlib stream decodes to %d bytes, not the %d of the file", fc, n, len(got), len(sub.File()))
			}
			if got := inflate(t, sub.Deflate(nil)); !bytes.Equal(got, sub.File()) {
				t.Fatalf("%s, %d characters: deflate data is not the file", fc, n)
			}
			want := bytes.Clone(sub.File())
			for i := range 32 {
				want[i] ^= key[i%16]
			}
			if got := inflate(t, sub.Deflate(&key)); !bytes.Equal(got, want) {
				t.Fatalf("%s, %d characters: obfuscated deflate data is not the obfuscated file", fc, n)
			}
			head, rest := sub.DeflateParts(&key)
			if got := inflate(t, append(bytes.Clone(head), rest...)); !bytes.Equal(got, want) || len(head) != 37 {
				t.Fatalf("%s, %d characters: parts of %d and %d bytes are not the obfuscated file", fc, n, len(head), len(rest))
			}
			if got := inflate(t, sub.Deflate(nil)); !bytes.Equal(got, sub.File()) {
				t.Fatalf("%s: obfuscating changed the shared data", fc)
			}
			if head, rest := sub.DeflateParts(nil); head != nil || !bytes.Equal(rest, sub.Deflate(nil)) {
				t.Fatalf("%s: unobfuscated parts are not the deflate data", fc)
			}
		}
	}
}

// A subset compresses to the same bytes whatever the cache holds: cut first in a
// fresh process (nothing cached), after other documents, and by many renders at once.
func TestSubsetCompressionIndependentOfCache(t *testing.T) {
	fresh, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	warm, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, fc := range spec.Faces {
		runes := sample(fresh, fc, 300, 7)
		// warm's cache gets overlapping documents first.
		for seed := range uint64(4) {
			sub, err := warm.Cut(fc, append(sample(warm, fc, 200, 100+seed), runes[:50]...))
			if err != nil {
				t.Fatal(err)
			}
			sub.Zlib()
		}
		a, err := fresh.Cut(fc, runes)
		if err != nil {
			t.Fatal(err)
		}
		want := a.Zlib()
		var wg sync.WaitGroup
		got := make([][]byte, 8)
		for i := range got {
			wg.Go(func() {
				b, err := warm.Cut(fc, runes)
				if err != nil {
					t.Error(err)
					return
				}
				got[i] = b.Zlib()
			})
		}
		wg.Wait()
		for i, g := range got {
			if !bytes.Equal(g, want) {
				t.Fatalf("%s: render %d compressed to %d bytes, the fresh process to %d", fc, i, len(g), len(want))
			}
		}
	}
}

// Any bytes (a caller's own Subset) compress to data that decodes to them.
func FuzzPack(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("a"))
	f.Add(bytes.Repeat([]byte("glyf loca "), 40))
	f.Add(bytes.Repeat([]byte{0}, 70000))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := RawSubset(data)
		if got := unzlib(t, s.Zlib()); !bytes.Equal(got, data) {
			t.Fatalf("%d bytes decode to %d", len(data), len(got))
		}
	})
}

// A file of at most 32 bytes (no stored block) obfuscates whole.
func TestDeflateShortFileObfuscated(t *testing.T) {
	key := [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	for _, n := range []int{0, 5, 32, 33} {
		data := bytes.Repeat([]byte{0x5A}, n)
		s := RawSubset(data)
		want := bytes.Clone(data)
		for i := range min(n, 32) {
			want[i] ^= key[i%16]
		}
		if got := inflate(t, s.Deflate(&key)); !bytes.Equal(got, want) {
			t.Errorf("%d bytes: obfuscated data %x, want %x", n, got, want)
		}
		head, rest := s.DeflateParts(&key)
		if got := inflate(t, append(bytes.Clone(head), rest...)); !bytes.Equal(got, want) {
			t.Errorf("%d bytes: obfuscated parts %x, want %x", n, got, want)
		}
	}
}

// BenchmarkGlyphCoding is the cold path: coding 700 glyphs of the fangsong face
// (about the Wuchuan example's largest subset) as no cache has them.
func BenchmarkGlyphCoding(b *testing.B) {
	set, err := Load("")
	if err != nil {
		b.Fatal(err)
	}
	f := set.face(spec.Faces[0])
	var glyphs [][]byte
	size := 0
	for _, r := range sample(set, spec.Faces[0], 700, 3) {
		g := f.glyph(int(f.glyphID(r)))
		glyphs = append(glyphs, g)
		size += len(g)
	}
	t := glyphCodes()
	var e lz
	var w bitWriter
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, g := range glyphs {
			e.fast(&w, t, g)
			w.words()
		}
	}
}

// TestPutWordsAtEveryOffset: bit strings of 0 to 11 words and every length in bits,
// put after 0 to 63 bits already written, give the bytes that writing them bit by bit
// gives (the oracle below, independent of the word-at-a-time paths).
func TestPutWordsAtEveryOffset(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for lead := range 64 {
		for nbits := 0; nbits <= 11*64; nbits += 1 + rng.IntN(29) {
			words := make([]uint64, (nbits+63)/64+rng.IntN(2)) // maybe a word more than needed
			for i := range words {
				words[i] = rng.Uint64()
			}
			first := rng.Uint64() & (1<<lead - 1)
			var w bitWriter
			w.reserve(8*len(words) + 64)
			w.putBits(first, uint(lead))
			w.putWords(words, nbits)
			w.flushAcc()
			got := w.bytes()
			// Bit by bit, least significant first.
			want := make([]byte, (lead+nbits+7)/8)
			bit := func(i int, v bool) {
				if v {
					want[i/8] |= 1 << (i % 8)
				}
			}
			for i := range lead {
				bit(i, first>>i&1 == 1)
			}
			for i := range nbits {
				bit(lead+i, words[i/64]>>(i%64)&1 == 1)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%d bits after %d: %x, want %x", nbits, lead, got, want)
			}
		}
	}
}

// AppendDeflate of a subset nobody asked for its zlib stream compresses into the
// caller's buffer (its bytes kept, its spare room used, within DeflateBound) the
// same data as the shared stream gives (a second cut of the same characters, and
// the subset itself once asked), obfuscated or not; decoding to the file.
func TestAppendDeflate(t *testing.T) {
	set, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	key := testKey
	for _, fc := range spec.Faces {
		for i, n := range []int{1, 60, 700} {
			runes := sample(set, fc, n, uint64(i))
			for _, k := range []*[16]byte{nil, &key} {
				sub, err := set.Cut(fc, runes)
				if err != nil {
					t.Fatal(err)
				}
				other, err := set.Cut(fc, runes)
				if err != nil {
					t.Fatal(err)
				}
				want := other.Deflate(k)
				prefix := []byte("zip so far")
				bound := sub.DeflateBound()
				dst := append(make([]byte, 0, len(prefix)+bound), prefix...)
				got := sub.AppendDeflate(dst, k)
				if !bytes.HasPrefix(got, prefix) || !bytes.Equal(got[len(prefix):], want) {
					t.Fatalf("%s, %d characters, key %v: %d bytes appended, not the shared stream's %d", fc, n, k != nil, len(got)-len(prefix), len(want))
				}
				if len(got)-len(prefix) > bound || unsafe.SliceData(got) != unsafe.SliceData(dst) {
					t.Errorf("%s, %d characters: %d bytes, bound %d: the buffer was grown", fc, n, len(got)-len(prefix), bound)
				}
				file := bytes.Clone(sub.File())
				if k != nil {
					for i := range 32 {
						file[i] ^= key[i%16]
					}
				}
				if !bytes.Equal(inflate(t, got[len(prefix):]), file) {
					t.Fatalf("%s, %d characters: the data is not the file", fc, n)
				}
				// Asked now: the shared stream is made, copied by AppendDeflate.
				if z := sub.Deflate(k); !bytes.Equal(z, want) || !bytes.Equal(sub.AppendDeflate(nil, k), want) || sub.DeflateBound() != len(sub.Deflate(nil)) {
					t.Fatalf("%s, %d characters: once asked, not the same bytes", fc, n)
				}
			}
		}
	}
}
