package fonts

import (
	"testing"

	"gongwen/internal/spec"
)

// What Cut reports about a subset (glyph ids, advances, metrics) is what the subset
// file itself says: the PDF writer embeds the file on the strength of it.
func TestCutDescribesItsFile(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range spec.Faces {
		text := []rune("—12 政府报告，。《》“”ABCxyz03年𠮷𬌗")
		var runes []rune
		for _, r := range text {
			if set.HasFace(role, r) {
				runes = append(runes, r, r) // duplicates are fine
			}
		}
		sub, err := set.Cut(role, runes)
		if err != nil {
			t.Fatalf("%s: %v", role, err)
		}
		f, err := parseFace(sub.File())
		if err != nil {
			t.Fatalf("%s: subset does not parse: %v", role, err)
		}
		if len(sub.Runes) != len(sub.GIDs) || len(sub.Runes) != len(sub.Advances) || len(sub.Runes)*2 != len(runes) {
			t.Fatalf("%s: %d runes, %d glyphs, %d advances for %d distinct characters",
				role, len(sub.Runes), len(sub.GIDs), len(sub.Advances), len(runes)/2)
		}
		for i, r := range sub.Runes {
			if i > 0 && sub.Runes[i-1] >= r {
				t.Errorf("%s: runes not sorted and distinct at %d", role, i)
			}
			g := f.glyphID(r)
			if g == 0 || g != sub.GIDs[i] || f.advance(int(g)) != sub.Advances[i] {
				t.Errorf("%s: %q: file says glyph %d advance %d, Cut says %d and %d",
					role, r, g, f.advance(int(g)), sub.GIDs[i], sub.Advances[i])
			}
		}
		if sub.UnitsPerEm != int(f.unitsPerEm) || sub.Ascent <= 0 || sub.Descent >= 0 ||
			sub.BBox[0] >= sub.BBox[2] || sub.BBox[1] >= sub.BBox[3] || sub.CapHeight <= 0 {
			t.Errorf("%s: metrics %+v", role, *sub)
		}
	}
}
