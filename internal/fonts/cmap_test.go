package fonts

import (
	"bytes"
	"encoding/binary"
	"testing"
	"unicode"

	"gongwen/internal/spec"
)

// eagerTables builds the full character tables of f (parseCmap4 and parseCmap12, the
// way every face was read before the search), independently of f's search.
func eagerTables(t *testing.T, f *face) *face {
	t.Helper()
	e := &face{numGlyphs: f.numGlyphs, gid: new([0x10000]uint16), sup: map[rune]uint16{}}
	if f.cmap4 != nil {
		if err := e.parseCmap4(f.cmap4); err != nil {
			t.Fatal(err)
		}
	}
	if f.cmap12 != nil {
		if err := e.parseCmap12(f.cmap12); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// TestCmapSearch: looking characters up in the character map's bytes gives, for every
// code point, the glyph the full tables give, in every face (embedded and GPL), the
// first time and once remembered.
func TestCmapSearch(t *testing.T) {
	s := embeddedSet(t)
	for _, fc := range spec.Faces {
		f := s.face(fc)
		if f == nil {
			t.Fatalf("%s: no face", fc)
		}
		if f.gid != nil || f.cmap4 == nil {
			t.Fatalf("%s: character map not searched (ordered subtables expected)", fc)
		}
		e := eagerTables(t, f)
		n := 0
		for r := rune(-1); r <= unicode.MaxRune+1; r++ {
			got, want := f.glyphID(r), e.glyphID(r)
			if got != want {
				t.Fatalf("%s: U+%04X: search %d, tables %d", fc, r, got, want)
			}
			if got != 0 {
				n++
			}
		}
		// Again: the BMP characters' glyphs now come from the table they were
		// remembered in.
		for r := rune(0); r < 0xFFFF; r++ {
			if got, want := f.glyphID(r), e.glyphID(r); got != want {
				t.Fatalf("%s: U+%04X looked up again: %d, tables %d", fc, r, got, want)
			}
		}
		t.Logf("%s: %d characters", fc, n)
	}
}

// TestCmapOutOfOrder: a format 12 subtable whose groups are out of order cannot be
// searched; the face builds the tables instead and maps every character as before.
func TestCmapOutOfOrder(t *testing.T) {
	s := embeddedSet(t)
	src := s.face(spec.FaceFallback)
	if src.cmap12 == nil {
		t.Fatal("fallback face has no format 12 subtable")
	}
	data := bytes.Clone(src.data)
	// The format 12 subtable's place in data: its bytes are a slice of src.data.
	off := bytes.Index(data, src.cmap12[:64])
	if off < 0 {
		t.Fatal("format 12 subtable not found")
	}
	be := binary.BigEndian
	if n := int(be.Uint32(data[off+12:])); n < 100 {
		t.Fatalf("format 12 subtable with %d groups", n)
	}
	a, b := data[off+16+12*10:off+16+12*11], data[off+16+12*90:off+16+12*91]
	tmp := bytes.Clone(a)
	copy(a, b)
	copy(b, tmp)
	f, err := parseFace(data)
	if err != nil {
		t.Fatal(err)
	}
	if f.gid == nil {
		t.Fatal("out-of-order groups were searched")
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := f.glyphID(r), src.glyphID(r); got != want {
			t.Fatalf("U+%04X: %d, want %d", r, got, want)
		}
	}
}

// TestCmapConcurrent: goroutines looking up overlapping characters of a fresh face at
// once (remembering them, growing the table under one another) all get the glyphs
// the full tables give, and so does every lookup after them (go test -race).
func TestCmapConcurrent(t *testing.T) {
	f := freshFace(t, spec.Face(spec.RoleFangsong))
	e := eagerTables(t, f)
	done := make(chan struct{})
	for k := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for r := rune(0x4E00 + 997*k); r < 0x9FA6; r += 3 {
				if got, want := f.glyphID(r), e.glyphID(r); got != want {
					t.Errorf("U+%04X: %d, tables %d", r, got, want)
					return
				}
			}
		}()
	}
	for range 4 {
		<-done
	}
	for r := rune(0x4E00); r < 0x9FA6; r++ {
		if got, want := f.glyphID(r), e.glyphID(r); got != want {
			t.Fatalf("U+%04X afterwards: %d, tables %d", r, got, want)
		}
	}
	if n := f.nRunes.Load(); n < (0x9FA6-0x4E00)/3 || 2*int(n) > len(f.runes.Load().slots) {
		t.Errorf("%d characters in %d slots", n, len(f.runes.Load().slots))
	}
}
