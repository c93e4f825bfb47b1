package fonts

import (
	"bytes"
	"slices"
	"testing"

	"gongwen/internal/spec"
)

// TestReleasedSubsetMemoryReused: a cut into the memory a released subset leaves
// (larger, its bytes still there) makes the file, compressed stream and CRC-32 a
// cut into new memory does, for every face; the released subset's fields are
// cleared and a second Release does nothing.
func TestReleasedSubsetMemoryReused(t *testing.T) {
	set := embeddedSet(t)
	key := &[16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	for _, fc := range spec.Faces {
		for {
			if _, ok := spareSubsets.Get(); !ok {
				break // no memory of other tests' subsets: the first cut's is new
			}
		}
		small, big := sample(set, fc, 30, 7), sample(set, fc, 600, 8)
		fresh, err := set.Cut(fc, small)
		if err != nil {
			t.Fatal(err)
		}
		wantFile := bytes.Clone(fresh.File())
		wantZ := fresh.AppendDeflate(nil, key)
		wantCRC := fresh.CRC32(key)
		wantRunes, wantGIDs, wantAdv := slices.Clone(fresh.Runes), slices.Clone(fresh.GIDs), slices.Clone(fresh.Advances)

		large, err := set.Cut(fc, big)
		if err != nil {
			t.Fatal(err)
		}
		mem := large.packing.mem
		large.Release()
		if large.Runes != nil || large.GIDs != nil || large.Advances != nil || large.packing != nil {
			t.Fatalf("%s: a released subset keeps its fields", fc)
		}
		large.Release() // a second time: nothing

		again, err := set.Cut(fc, small)
		if err != nil {
			t.Fatal(err)
		}
		if again.packing.mem != mem {
			t.Fatalf("%s: the cut after a release did not take the released memory", fc)
		}
		if !bytes.Equal(again.File(), wantFile) {
			t.Errorf("%s: file cut into released memory differs from one cut into new memory", fc)
		}
		if z := again.AppendDeflate(nil, key); !bytes.Equal(z, wantZ) {
			t.Errorf("%s: compressed file differs", fc)
		}
		if c := again.CRC32(key); c != wantCRC {
			t.Errorf("%s: CRC-32 %08x, want %08x", fc, c, wantCRC)
		}
		if !slices.Equal(again.Runes, wantRunes) || !slices.Equal(again.GIDs, wantGIDs) || !slices.Equal(again.Advances, wantAdv) {
			t.Errorf("%s: runes, glyph ids or advances differ", fc)
		}
		if !slices.Equal(wantRunes, fresh.Runes) {
			t.Errorf("%s: the unreleased subset changed", fc)
		}
	}
}

// TestGiantSubsetMemoryNotKept: the memory of a subset of more than maxKeptGlyphs
// glyphs is left to the collector on Release, not kept by the pool for good.
func TestGiantSubsetMemoryNotKept(t *testing.T) {
	set := embeddedSet(t)
	fc := spec.RoleFace(spec.RoleSong)
	var runes []rune // every character of the coverage the face draws itself
	for _, r := range Coverage() {
		if set.HasFace(fc, r) {
			runes = append(runes, r)
		}
	}
	if len(runes) <= maxKeptGlyphs {
		t.Fatalf("the %s face draws only %d characters of the coverage: no giant to cut", fc, len(runes))
	}
	for {
		if _, ok := spareSubsets.Get(); !ok {
			break
		}
	}
	sub, err := set.Cut(fc, runes)
	if err != nil {
		t.Fatal(err)
	}
	sub.Release()
	if sub.packing != nil || sub.Runes != nil {
		t.Fatal("a released giant keeps its fields")
	}
	if _, ok := spareSubsets.Get(); ok {
		t.Fatalf("the memory of a %d-character subset was kept", len(runes))
	}
	small, err := set.Cut(fc, runes[:40])
	if err != nil {
		t.Fatal(err)
	}
	small.Release()
	if _, ok := spareSubsets.Get(); !ok {
		t.Fatal("the memory of a 40-character subset was not kept")
	}
}
