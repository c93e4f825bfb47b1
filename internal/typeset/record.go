package typeset

import (
	"gongwen/internal/compose"
	"gongwen/internal/spec"
)

// record is the 版记 (GB/T 9704 7.4), set apart from the flow: paginate puts it at
// the bottom of the last page, its last line on the last grid line.
type record struct {
	lines []*item // one per grid line, top to bottom
	// firsts are the indexes in lines where an element (抄送, the 印发 line) starts.
	firsts []int
}

// record sets the 版记's lines: 抄送 (4号仿宋, "抄送：" names, continuation lines
// aligned after the colon, one character from each edge), then the 印发 line (the
// printer one character from the left edge, the print date one from the right).
func (b *builder) record(bl *compose.Block) {
	rec := &record{}
	st := style{size: spec.RecordSize, cell: spec.RecordSize}
	gap := spec.RecordGapCells * spec.RecordSize
	x, w := spec.TypeLeft+gap, spec.TypeWidth-2*gap
	if cc := bl.Record.CC; cc != "" {
		label := atomsWidth(b.s.atoms(nil, spec.CCLabel, spec.RoleFangsong, bl.Path+"/cc", b.para, st))
		b.atoms = b.s.atoms(b.atoms[:0], cc, spec.RoleFangsong, bl.Path+"/cc", b.para, st)
		b.para++
		its := b.lines(x, w, 0, label, alignLeft, spec.RecordSize)
		b.items = b.items[:len(b.items)-len(its)] // not part of the flow
		rec.firsts = append(rec.firsts, len(rec.lines))
		rec.lines = append(rec.lines, its...)
	}
	if p, d := bl.Record.Printer, bl.Record.PrintDate; p != "" || d != "" {
		it := &item{h: 1}
		y := spec.BaselineOffset(spec.RecordSize)
		if p != "" {
			runs, pw := b.setLine(p, spec.RoleFangsong, bl.Path+"/printer", b.para, st, x, y, w/2)
			b.para++
			it.runs = append(it.runs, runs...)
			x += pw
		}
		if d != "" {
			dw := atomsWidth(b.s.atoms(nil, d, spec.RoleFangsong, bl.Path+"/printDate", b.para, st))
			dx := max(x+spec.RecordSize, spec.TypeRight-gap-dw)
			runs, _ := b.setLine(d, spec.RoleFangsong, bl.Path+"/printDate", b.para, st, dx, y, spec.TypeRight-gap-dx)
			b.para++
			it.runs = append(it.runs, runs...)
		}
		rec.firsts = append(rec.firsts, len(rec.lines))
		rec.lines = append(rec.lines, it)
	}
	if len(rec.lines) > spec.GridLines {
		rec.lines = rec.lines[len(rec.lines)-spec.GridLines:] // cannot happen within the limits
	}
	b.rec = rec
}

// placeRecord puts the 版记 at the bottom of the last page. It belongs on an even
// page (the back of the last sheet): when the last page is odd it goes on a page of
// its own after it; when the last page is even but full, a blank page and then a
// page of its own follow. A blank or 版记-only page carries no page number (7.5).
// It returns how many pages at the end go unnumbered.
func (b *builder) placeRecord(lay *Layout, used int) int {
	rec := b.rec
	if rec == nil || len(rec.lines) == 0 {
		return 0
	}
	n := len(rec.lines)
	unnumbered := 0
	last := len(lay.Pages)
	if last%2 == 1 || used+n > spec.GridLines {
		if last%2 == 0 {
			lay.Pages = append(lay.Pages, Page{Number: len(lay.Pages) + 1, Kind: RecordPage})
			unnumbered++
		}
		lay.Pages = append(lay.Pages, Page{Number: len(lay.Pages) + 1, Kind: RecordPage})
		unnumbered++
	}
	p := &lay.Pages[len(lay.Pages)-1]
	first := spec.GridLines - n
	for i, it := range rec.lines {
		top := spec.TypeTop + float64(first+i)*spec.LinePitch
		for _, r := range it.runs {
			r.Y += top
			p.Runs = append(p.Runs, r)
		}
	}
	rule := func(y, width float64) {
		p.Rules = append(p.Rules, Rule{X1: spec.TypeLeft, Y1: y, X2: spec.TypeRight, Y2: y, Width: width})
	}
	for k, i := range rec.firsts {
		y := spec.TypeTop + float64(first+i)*spec.LinePitch
		if k == 0 {
			rule(y, spec.RecordThick)
		} else {
			rule(y, spec.RecordThin)
		}
	}
	rule(spec.TypeBottom-spec.RecordThick/2, spec.RecordThick) // its ink ends on the edge
	return unnumbered
}
