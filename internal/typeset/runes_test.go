package typeset

import (
	"errors"
	"slices"
	"testing"

	"gongwen/internal/spec"
)

func TestUsedRunes(t *testing.T) {
	glyphs := func(s string) []Glyph {
		var gs []Glyph
		for _, r := range s {
			gs = append(gs, Glyph{R: r})
		}
		return gs
	}
	kai := spec.RoleFace(spec.RoleKai)
	lay := &Layout{Pages: []Page{
		{Runs: []Run{{Font: spec.FaceFallback, Glyphs: glyphs("乙甲")}, {Font: kai, Glyphs: glyphs("丙")}}},
		{Runs: []Run{{Font: spec.FaceFallback, Glyphs: glyphs("甲丁")}}},
	}}
	used, err := lay.UsedRunes(nil)
	if err != nil {
		t.Fatal(err)
	}
	for face, want := range map[spec.Face][]rune{spec.FaceFallback: {'丁', '乙', '甲'}, kai: {'丙'}} {
		if !slices.Equal(used[face], want) {
			t.Errorf("face %s: got %q, want %q", face, used[face], want)
		}
	}
	if got := used[spec.RoleFace(spec.RoleFangsong)]; got != nil {
		t.Errorf("fangsong draws nothing, got %q", got)
	}

	lay.Pages[1].Runs[0].Font = 99
	if _, err := lay.UsedRunes(nil); err == nil || err.Error() != "page 2: run with unknown face 99" {
		t.Errorf("unknown face: got %v", err)
	}
	lay.Pages[1].Runs[0].Font = kai
	bad := errors.New("too small")
	_, err = lay.UsedRunes(func(run *Run) error {
		if run.Glyphs[0].R == '甲' {
			return bad
		}
		return nil
	})
	if !errors.Is(err, bad) || err.Error() != "page 2: too small" {
		t.Errorf("check error: got %v", err)
	}
}
