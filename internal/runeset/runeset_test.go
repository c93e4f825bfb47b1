package runeset

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The oracle is a map and slices.Sort: what the package replaced.
func TestSetAndIndexAgreeWithAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		var s Set
		want := map[rune]bool{}
		for n := rng.IntN(3000); n > 0; n-- {
			var r rune
			switch rng.IntN(4) {
			case 0:
				r = rune(rng.IntN(0x80))
			case 1:
				r = 0x4E00 + rune(rng.IntN(0x5200))
			case 2:
				r = 0x20000 + rune(rng.IntN(0x40)) // repeats beyond the BMP
			default:
				r = rune(rng.IntN(0x110000))
			}
			s.Add(r)
			want[r] = true
		}
		for _, r := range []rune{0, 0xFFFF, 0x10000, 0x10FFFF} { // the edges
			if rng.IntN(2) == 0 {
				s.Add(r)
				want[r] = true
			}
		}
		var sorted []rune
		for r := range want {
			sorted = append(sorted, r)
		}
		slices.Sort(sorted)
		got := s.Sorted()
		if !slices.Equal(got, sorted) {
			t.Fatalf("trial %d: Sorted gives %d characters, want %d", trial, len(got), len(sorted))
		}
		x := NewIndex(got)
		for i, r := range sorted {
			if k, ok := x.Rank(r); !ok || k != i {
				t.Fatalf("trial %d: Rank(U+%04X) = %d, %v; want %d", trial, r, k, ok, i)
			}
		}
		for n := 0; n < 2000; n++ {
			r := rune(rng.IntN(0x110000))
			if _, ok := x.Rank(r); ok != want[r] {
				t.Fatalf("trial %d: Rank(U+%04X) says member %v", trial, r, ok)
			}
		}
	}
}

func TestEmpty(t *testing.T) {
	var s Set
	if got := s.Sorted(); len(got) != 0 {
		t.Errorf("empty set lists %v", got)
	}
	if _, ok := NewIndex(nil).Rank('中'); ok {
		t.Error("empty index has 中")
	}
}

// TestReset: a set emptied by Reset is empty, and filled again holds only what was
// added since (its kept blocks from before must not leak into the new members).
func TestReset(t *testing.T) {
	var s Set
	for _, r := range "法治政府建设ABC𠮷" {
		s.Add(r)
	}
	s.Reset()
	if got := s.Sorted(); len(got) != 0 {
		t.Fatalf("after Reset: %q", string(got))
	}
	for _, r := range "府治z𠮷" {
		s.Add(r)
	}
	if got, want := string(s.Sorted()), "z府治𠮷"; got != want {
		t.Errorf("refilled: %q, want %q", got, want)
	}
}

// TestEveryBlock: members in all 256 blocks of the BMP, the first and last
// character of each, rank in order.
func TestEveryBlock(t *testing.T) {
	var s Set
	var want []rune
	for hi := rune(0); hi < 256; hi++ {
		want = append(want, hi<<8, hi<<8|0xFF)
	}
	for i := len(want) - 1; i >= 0; i-- { // blocks first used in reverse order
		s.Add(want[i])
	}
	got := s.Sorted()
	if !slices.Equal(got, want) {
		t.Fatalf("Sorted: %d characters, want %d", len(got), len(want))
	}
	x := NewIndex(got)
	for i, r := range want {
		if k, ok := x.Rank(r); !ok || k != i {
			t.Fatalf("Rank(U+%04X) = %d, %v; want %d", r, k, ok, i)
		}
		if _, ok := x.Rank(r + 1); ok && r&0xFF == 0 {
			t.Fatalf("Rank(U+%04X) says member", r+1)
		}
	}
}
