package adler

import (
	"bytes"
	"hash/adler32"
	"testing"
)

// TestUpdate: Update agrees with hash/adler32 on every length up to a few
// blocks, on bytes of 0xFF (the largest lane sums) and across the reductions of a
// long input, and when a stream is summed in parts.
func TestUpdate(t *testing.T) {
	var data []byte
	for i := range 3<<16 + 77 {
		data = append(data, byte(i*7+i>>8))
	}
	ff := bytes.Repeat([]byte{0xFF}, 3<<16+5)
	for _, in := range [][]byte{data, ff} {
		for n := 0; n < 200; n++ {
			if got, want := Update(1, in[:n]), adler32.Checksum(in[:n]); got != want {
				t.Fatalf("%d bytes: %08x, want %08x", n, got, want)
			}
		}
		if got, want := Update(1, in), adler32.Checksum(in); got != want {
			t.Fatalf("%d bytes: %08x, want %08x", len(in), got, want)
		}
		if got, want := Update(Update(1, in[:1<<16+3]), in[1<<16+3:]), adler32.Checksum(in); got != want {
			t.Fatalf("in two parts: %08x, want %08x", got, want)
		}
	}
}

func FuzzCombine(f *testing.F) {
	f.Add([]byte("abc"), []byte("defgh"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		want := adler32.Checksum(append(bytes.Clone(a), b...))
		if got := Combine(adler32.Checksum(a), adler32.Checksum(b), len(b)); got != want {
			t.Fatalf("combined %08x, want %08x", got, want)
		}
	})
}

// Checksum agrees with hash/adler32 on any bytes; the seeds include the largest
// sums (all 0xFF, across several reduction chunks) and every tail length.
func FuzzChecksum(f *testing.F) {
	f.Add([]byte{})
	for n := range 17 {
		f.Add(bytes.Repeat([]byte{0xFF}, n))
	}
	f.Add(bytes.Repeat([]byte{0xFF}, 3<<16+13))
	f.Add(bytes.Repeat([]byte("\x00\xff\x7f\x80"), 40000))
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := Checksum(data), adler32.Checksum(data); got != want {
			t.Fatalf("%d bytes: %08x, want %08x", len(data), got, want)
		}
	})
}
