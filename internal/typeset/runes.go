package typeset

import (
	"fmt"
	"sync"

	"gongwen/internal/runeset"
	"gongwen/internal/spec"
)

// UsedRunes lists, per face, the characters the layout draws, sorted: the set every
// writer embeds a font subset for. check, when not nil, vets each run first (a
// writer's own limits on sizes, coordinates and characters); its error, like a run
// with an unknown face, stops the walk and comes back prefixed with the page number.
func (l *Layout) UsedRunes(check func(run *Run) error) ([spec.NumFaces][]rune, error) {
	var sets [spec.NumFaces]*runeset.Set
	var out [spec.NumFaces][]rune
	defer func() {
		for _, s := range sets {
			if s != nil {
				s.Reset()
				setPool.Put(s)
			}
		}
	}()
	for pi := range l.Pages {
		for ri := range l.Pages[pi].Runs {
			run := &l.Pages[pi].Runs[ri]
			if !run.Font.Valid() {
				return out, fmt.Errorf("page %d: run with unknown face %d", pi+1, run.Font)
			}
			if check != nil {
				if err := check(run); err != nil {
					return out, fmt.Errorf("page %d: %w", pi+1, err)
				}
			}
			s := sets[run.Font]
			if s == nil {
				s = setPool.Get().(*runeset.Set)
				sets[run.Font] = s
			}
			for _, g := range run.Glyphs {
				s.Add(g.R)
			}
		}
	}
	for face, s := range sets {
		if s == nil {
			continue
		}
		if rs := s.Sorted(); len(rs) > 0 {
			out[face] = rs
		}
	}
	return out, nil
}

// setPool holds emptied sets: a render needs one a face.
var setPool = sync.Pool{New: func() any { return new(runeset.Set) }}
