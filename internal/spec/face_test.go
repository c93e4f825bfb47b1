package spec

import "testing"

// Each role has its own face, named like the role, and one fallback face follows
// them; font files are named after faces, so the names are literal here.
func TestFaces(t *testing.T) {
	want := []string{"fangsong", "title", "hei", "kai", "song", "fallback"}
	if len(Faces) != len(want) || NumFaces != 6 {
		t.Fatalf("%d faces (NumFaces %d), want %d", len(Faces), NumFaces, len(want))
	}
	for i, f := range Faces {
		if f.Name() != want[i] || !f.Valid() {
			t.Errorf("face %d: %q valid %v, want %q", i, f.Name(), f.Valid(), want[i])
		}
	}
	for _, r := range Roles {
		if RoleFace(r).Name() != r.Name() || RoleFace(r) == FaceFallback {
			t.Errorf("role %s: face %s", r, RoleFace(r))
		}
	}
	if Face(-1).Valid() || Face(NumFaces).Valid() || Face(NumFaces).Name() != "unknown" {
		t.Error("out-of-range faces are valid")
	}
}
