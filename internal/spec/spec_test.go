package spec

import (
	"math"
	"testing"
)

// The numbers shared/gbt9704.md promises, recomputed from the constants.
func TestGeometryMatchesTheFormat(t *testing.T) {
	for _, tc := range []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"type left", TypeLeft, 79.37, 0.01},
		{"type top", TypeTop, 104.88, 0.01},
		{"type right", TypeRight, 521.57, 0.01},
		{"type bottom", TypeBottom, 742.68, 0.01},
		{"page width", PageWidth, 595.28, 0.01},
		{"page height", PageHeight, 841.89, 0.01},
		{"cell", Cell, 15.79, 0.01},
		{"line pitch", LinePitch, 28.95, 0},
		{"right margin mm", MarginRightMM, 26, 0},
		{"bottom margin mm", MarginBottomMM, 35, 0},
	} {
		if math.Abs(tc.got-tc.want) > tc.tol {
			t.Errorf("%s = %.4f, want %.2f", tc.name, tc.got, tc.want)
		}
	}
	if GridLines*LinePitch > TypeHeight {
		t.Errorf("22 lines at %.2f pt (%.2f) overflow the type area height %.2f", LinePitch, GridLines*LinePitch, TypeHeight)
	}
	// 16 pt glyphs at one cell each: a full line is the type area's width.
	if math.Abs(GridChars*Cell-TypeWidth) > 1e-9 {
		t.Errorf("28 cells = %.3f, type width %.3f", GridChars*Cell, TypeWidth)
	}
}

// The DOCX's twips must describe the same page as the PDF's points.
func TestDocxTwipsAgreeWithPoints(t *testing.T) {
	for _, tc := range []struct {
		name string
		twip int
		pt   float64
	}{
		{"page width", DocxPageWidth, PageWidth},
		{"page height", DocxPageHeight, PageHeight},
		{"top margin", DocxMarginTop, TypeTop},
		{"left margin", DocxMarginLeft, TypeLeft},
		{"right margin", DocxMarginRight, MarginRightMM * MM},
		{"bottom margin", DocxMarginBottom, MarginBottomMM * MM},
		{"line pitch", LinePitchTwips, LinePitch},
	} {
		if d := tc.twip - Twips(tc.pt); d < -1 || d > 1 {
			t.Errorf("%s: %d twips, points say %d", tc.name, tc.twip, Twips(tc.pt))
		}
	}
	if Twips(-0.25) != DocxCharSpacing {
		t.Errorf("character spacing %d twentieths, want -0.25 pt", DocxCharSpacing)
	}
}

func TestPageNumberText(t *testing.T) {
	for n, want := range map[int]string{1: "— 1 —", 12: "— 12 —", 305: "— 305 —"} {
		if got := PageNumberText(n); got != want {
			t.Errorf("PageNumberText(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestHeadingRoles(t *testing.T) {
	want := map[int]Role{1: RoleHei, 2: RoleKai, 3: RoleFangsong, 4: RoleFangsong}
	for level, role := range want {
		if got := HeadingRole(level); got != role {
			t.Errorf("HeadingRole(%d) = %v, want %v", level, got, role)
		}
	}
	seen := map[string]bool{}
	for _, r := range Roles {
		if seen[r.Name()] || r.Name() == "unknown" {
			t.Errorf("role %d has a duplicate or unknown name %q", r, r.Name())
		}
		seen[r.Name()] = true
	}
}
