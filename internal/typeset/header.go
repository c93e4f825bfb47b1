package typeset

import (
	"math"

	"gongwen/internal/compose"
	"gongwen/internal/spec"
)

// The 版头 (GB/T 9704 7.2) on page 1, above the title: 份号, 密级, 紧急程度 flush left
// on lines 1-3; the red 发文机关标志 with its top spec.OrganTop below the type area;
// the 发文字号 two blank lines below it (left, beside the 签发人 block, in an upward
// report); the red separator spec.SeparatorGap below the last line's baseline; the
// title two blank lines below that. It is one item: nothing breaks inside it.

// red is the Layout colour of the 标志 and the separator.
var red = Color{R: spec.Red.R, G: spec.Red.G, B: spec.Red.B}

func (b *builder) header(bl *compose.Block) {
	h := bl.Header
	it := &item{keep: true}
	slot := 0
	body := bodyStyle
	for _, s := range []struct {
		text, path string
		role       spec.Role
	}{{h.CopyNumber, "/document/copyNumber", spec.RoleFangsong}, {h.Secrecy, "/document/secrecy", spec.RoleHei}, {h.Urgency, "/document/urgency", spec.RoleHei}} {
		if s.text == "" {
			continue
		}
		runs, _ := b.setLine(s.text, s.role, s.path, b.para, body, spec.TypeLeft, slotBaseline(slot, spec.BodySize), spec.TypeWidth)
		b.para++
		it.runs = append(it.runs, runs...)
		slot++
	}

	// The 标志: centred, red, one line, narrowed to the type area's width if need be.
	organ := style{size: spec.OrganSize, cell: spec.OrganSize}
	runs, w := b.setLine(h.Organ, spec.RoleTitle, "/document/organ", b.para, organ, spec.TypeLeft, spec.OrganTop+spec.EmAscent*spec.OrganSize, spec.TypeWidth)
	b.para++
	shift := max(0, (spec.TypeWidth-w)/2)
	for i := range runs {
		runs[i].Color = red
		for j := range runs[i].Glyphs {
			runs[i].Glyphs[j].X += shift
		}
	}
	it.runs = append(it.runs, runs...)

	// The 发文字号 on the first slot clear of the 标志, after two blank lines.
	g := HeaderGeometry(len(h.SignerLines()))
	numSlot := g.NumberSlot
	numPath := "/document/number"
	if len(h.Signers) == 0 {
		numW := atomsWidth(b.s.atoms(nil, h.Number, spec.RoleFangsong, numPath, b.para, body))
		x := spec.TypeLeft + max(0, (spec.TypeWidth-numW)/2)
		runs, _ := b.setLine(h.Number, spec.RoleFangsong, numPath, b.para, body, x, slotBaseline(numSlot, spec.BodySize), spec.TypeWidth)
		b.para++
		it.runs = append(it.runs, runs...)
	} else {
		lines := h.SignerLines()
		label := atomsWidth(b.s.atoms(nil, spec.SignerLabel, spec.RoleFangsong, "/document/signers", b.para, body))
		names := 0.0
		for _, l := range lines {
			names = max(names, atomsWidth(b.s.atoms(nil, l, spec.RoleKai, "/document/signers", b.para, body)))
		}
		numX := spec.TypeLeft + spec.NumberIndentCells*spec.Cell
		right := spec.TypeRight - spec.SignerGapCells*spec.Cell
		// The 签发人 block never starts left of the centre: names too long for that
		// are narrowed, and so is a number too long for the room left of the block
		// (it keeps a cell from it).
		blockX := max(right-label-names, spec.TypeLeft+spec.TypeWidth/2)
		runs, _ := b.setLine(h.Number, spec.RoleFangsong, numPath, b.para, body, numX, slotBaseline(numSlot, spec.BodySize), blockX-spec.Cell-numX)
		b.para++
		it.runs = append(it.runs, runs...)
		para := b.para
		b.para++
		runs, _ = b.setLine(spec.SignerLabel, spec.RoleFangsong, "/document/signers", para, body, blockX, slotBaseline(numSlot, spec.BodySize), right-blockX)
		it.runs = append(it.runs, runs...)
		for i, l := range lines {
			runs, _ := b.setLine(l, spec.RoleKai, "/document/signers", para, body, blockX+label, slotBaseline(numSlot+i, spec.BodySize), right-blockX-label)
			if i > 0 && len(runs) > 0 {
				runs[0].Breaks = 1
			}
			it.runs = append(it.runs, runs...)
		}
	}
	it.rules = append(it.rules, Rule{X1: spec.TypeLeft, Y1: g.SeparatorY, X2: spec.TypeRight, Y2: g.SeparatorY, Width: spec.SeparatorWidth, Color: red})
	it.h = g.TitleSlot
	b.add(it)
}

// Header is the vertical geometry of the 版头, in grid slots of page 1 and points
// below the type area's top; the DOCX writer builds its 版头 on the same slots.
type Header struct {
	NumberSlot int     // the 发文字号's slot (and the 签发人 block's first line)
	LastSlot   int     // the 签发人 block's last line (NumberSlot without signers)
	SeparatorY float64 // the red separator
	TitleSlot  int     // the title's first slot: the 版头 takes the slots above it
}

// HeaderGeometry places the 版头's lines for a 签发人 block of signerLines lines (0
// for none): the 发文字号 on the first slot clear of the 标志 after
// spec.NumberBlankLines blank ones, the separator spec.SeparatorGap below the last
// line's baseline, the title spec.TitleAfterSeparatorLines blank slots below it.
func HeaderGeometry(signerLines int) Header {
	var g Header
	g.NumberSlot = int(math.Ceil((spec.OrganTop+spec.OrganSize)/spec.LinePitch-eps)) + spec.NumberBlankLines
	g.LastSlot = g.NumberSlot + max(signerLines, 1) - 1
	g.SeparatorY = slotBaseline(g.LastSlot, spec.BodySize) + spec.SeparatorGap
	g.TitleSlot = int(math.Ceil(g.SeparatorY/spec.LinePitch-eps)) + spec.TitleAfterSeparatorLines
	return g
}

// slotBaseline is the baseline of text of the given size on grid slot i, relative
// to the top of the slot 0.
func slotBaseline(i int, size float64) float64 {
	return float64(i)*spec.LinePitch + spec.BaselineOffset(size)
}

// setLine sets text on one line from x at baseline y, without breaking it; text
// wider than avail is narrowed horizontally (Run.ScaleX) to fit. It returns the runs
// (one per font) and the width drawn.
func (b *builder) setLine(text string, role spec.Role, path string, para int, st style, x, y, avail float64) ([]Run, float64) {
	atoms := b.s.atoms(nil, text, role, path, para, st)
	w := atomsWidth(atoms)
	avail = max(avail, st.cell) // room for one character at least
	scale := 1.0
	if w > avail+eps && w > 0 {
		// Rounded down to a thousandth, which writers state exactly.
		scale = math.Floor(avail/w*1000) / 1000
	}
	var out []Run
	for _, a := range atoms {
		if len(out) == 0 || out[len(out)-1].Font != a.font {
			r := Run{Font: a.font, Size: st.size, Y: y, Para: para}
			if scale != 1 {
				r.ScaleX = scale
			}
			out = append(out, r)
		}
		r := &out[len(out)-1]
		r.Glyphs = append(r.Glyphs, Glyph{R: a.r, X: x, W: float32(a.w * scale)})
		x += a.w * scale
	}
	return out, w * scale
}
