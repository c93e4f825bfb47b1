package typeset

import (
	"strconv"
	"strings"

	"gongwen/internal/compose"
	"gongwen/internal/report"
	"gongwen/internal/spec"
)

// Tables: ruled, the type area's full width, 16 pt body text (the grid's size, so
// rows stay on whole grid lines and read like the body), optional caption centred
// above, header row centred and repeated on every page the table continues on,
// numeric cells centred, other cells justified like body text.
//
// Column widths follow the content: each column has a minimum (its widest unbreakable
// unit, or its header when that is one line of at most spec.GridChars/4 cells; units
// capped at spec.GridChars/4 cells so one long word cannot starve the others)
// and a maximum (its widest cell on one line), both plus padding. If the maxima fit,
// the spare width is shared in proportion to them; else, if the minima fit, each
// column gets its minimum plus a share of the rest in proportion to (max - min); else
// the width is shared in proportion to the minima. No column is narrower than one
// cell (20 columns at most leave 22 pt each).

type tableState struct {
	header *item     // the header row item, when it is repeated
	xs     []float64 // column boundaries, TypeLeft .. TypeRight
}

func clampX(x float64) float64 {
	h := spec.TableRuleWidth / 2
	return max(spec.TypeLeft+h, min(x, spec.TypeRight-h))
}

func clampY(y float64) float64 {
	h := spec.TableRuleWidth / 2
	return max(spec.TypeTop+h, min(y, spec.TypeBottom-h))
}

// hrule is a horizontal rule across the table at y (page coordinates).
func (t *tableState) hrule(y float64) Rule {
	y = clampY(y)
	return Rule{X1: spec.TypeLeft, Y1: y, X2: spec.TypeRight, Y2: y, Width: spec.TableRuleWidth}
}

type tableCell struct {
	p     paragraph
	lines []lineSpan
	para  int
}

func (b *builder) table(bl *compose.Block) {
	t := bl.Table
	if t == nil {
		return
	}
	path := bl.Path + "/table"
	if t.Caption != "" {
		its := b.textIn(t.Caption, path+"/caption", alignCentre)
		for _, it := range its {
			it.keep = true
		}
	}
	cols := len(t.Header)
	rows := make([][]string, 0, len(t.Rows)+1)
	rows = append(rows, t.Header)
	rows = append(rows, t.Rows...)
	// Set every cell's atoms first: column widths depend on all of them.
	cells := b.cells(rows, path)
	if cols == 0 {
		return
	}
	ts := &tableState{xs: columnBounds(cells, cols)}
	maxRow := spec.GridLines
	for i, row := range rows {
		h := 1
		for j := range row {
			if j >= cols {
				break
			}
			c := &cells[i][j]
			iw := ts.inner(j)
			c.p.firstW, c.p.restW, c.p.squeeze, c.p.size = iw, iw, spec.SqueezeMaxCells*spec.Cell, spec.BodySize
			c.p.al = alignJustify
			if i == 0 || isNumeric(row[j]) {
				c.p.al = alignCentre
			}
			c.lines = c.p.breakLines(nil)
			h = max(h, len(c.lines))
		}
		// Cut a row taller than a page into page-sized parts.
		for from := 0; from < h; from += maxRow {
			to := min(h, from+maxRow)
			it := &item{h: to - from, tbl: ts, header: i == 0}
			for j := range row {
				if j >= cols {
					break
				}
				c := &cells[i][j]
				x, w := ts.xs[j]+ts.pad(j), ts.inner(j)
				pending := 0
				for li, ls := range c.lines {
					ls.breaks += pending
					if li < from || li >= to {
						// An empty line on an earlier part of the row still hands its
						// breaks on to the next line with glyphs.
						pending = 0
						if ls.b == ls.a {
							pending = ls.breaks
						}
						continue
					}
					yRel := float64(li-from)*spec.LinePitch + spec.BaselineOffset(spec.BodySize)
					n0 := len(it.runs)
					it.runs = placeLine(it.runs, &b.arena, &c.p, ls, x, w, yRel)
					if len(it.runs) == n0 {
						pending = ls.breaks
					} else {
						pending = 0
					}
				}
			}
			bottom := float64(it.h) * spec.LinePitch
			for _, x := range ts.xs {
				x = clampX(x)
				it.rules = append(it.rules, Rule{X1: x, Y1: 0, X2: x, Y2: bottom, Width: spec.TableRuleWidth})
			}
			it.rules = append(it.rules, Rule{X1: spec.TypeLeft, Y1: bottom, X2: spec.TypeRight, Y2: bottom, Width: spec.TableRuleWidth})
			if i == 0 {
				it.keep = true
				if h <= spec.TableHeaderRepeatMaxLines {
					ts.header = it
				}
			}
			b.add(it)
		}
		if i == 0 && ts.header != nil {
			maxRow = spec.GridLines - ts.header.h
		}
	}
}

// textIn sets one stand-alone text (a caption) across the type area.
func (b *builder) textIn(text, path string, al alignment) []*item {
	para := b.para
	b.para++
	b.atoms = b.s.atoms(b.atoms[:0], text, spec.RoleFangsong, path, para, bodyStyle)
	return b.lines(spec.TypeLeft, spec.TypeWidth, 0, 0, al, spec.BodySize)
}

// cells sets the atoms and units of every cell, numbering them as paragraphs of
// Document.Text() in reading order.
func (b *builder) cells(rows [][]string, path string) [][]tableCell {
	cells := make([][]tableCell, len(rows))
	for i, row := range rows {
		cells[i] = make([]tableCell, len(row))
		for j, text := range row {
			p := path + "/header/" + strconv.Itoa(j)
			if i > 0 {
				p = path + "/rows/" + strconv.Itoa(i-1) + "/" + strconv.Itoa(j)
			}
			c := &cells[i][j]
			c.para = b.para
			b.para++
			c.p.atoms = b.s.atoms(nil, text, spec.RoleFangsong, p, c.para, bodyStyle)
			c.p.units = segment(nil, c.p.atoms)
		}
	}
	return cells
}

// ColumnWidths returns the widths in points of t's columns exactly as Typeset sizes
// them (they add up to the type area's width). The DOCX writer uses it so that both
// outputs wrap table cells alike.
func ColumnWidths(t *report.Table, m Metrics) []float64 {
	cols := len(t.Header)
	if cols == 0 {
		return nil
	}
	b := &builder{s: newSetter(m)}
	rows := make([][]string, 0, len(t.Rows)+1)
	rows = append(rows, t.Header)
	rows = append(rows, t.Rows...)
	xs := columnBounds(b.cells(rows, ""), cols)
	w := make([]float64, cols)
	for j := range w {
		w[j] = xs[j+1] - xs[j]
	}
	return w
}

// IsNumeric reports a cell that holds a number (amounts, percentages, counts, dates
// in digits, signed numbers: −1, ＋3, ±0.5): such cells are centred, in the PDF and
// in the DOCX. It is the one place of that rule: the DOCX writer calls it.
func IsNumeric(s string) bool { return isNumeric(s) }

func (t *tableState) pad(j int) float64 {
	w := t.xs[j+1] - t.xs[j]
	return max(0, min(spec.TableCellPadding, (w-spec.Cell)/2))
}

func (t *tableState) inner(j int) float64 {
	return t.xs[j+1] - t.xs[j] - 2*t.pad(j)
}

// columnBounds sizes the columns (see the package comment on tables).
func columnBounds(cells [][]tableCell, cols int) []float64 {
	minW := make([]float64, cols)
	maxW := make([]float64, cols)
	capMin := spec.GridChars / 4 * spec.Cell
	for i, row := range cells {
		for j := range row {
			if j >= cols {
				break
			}
			c := &row[j]
			line, lines := 0.0, 1
			for _, u := range c.p.units {
				switch u.kind {
				case uBreak:
					maxW[j] = max(maxW[j], line)
					line = 0
					lines++
				default:
					line += u.w
					if u.kind != uSpace {
						minW[j] = max(minW[j], min(u.w, capMin))
					}
				}
			}
			maxW[j] = max(maxW[j], line)
			// A short header ("办结率", "收案数（件）") is one word: it does not wrap
			// when the columns' minima can make room for it.
			if i == 0 && lines == 1 && line <= capMin {
				minW[j] = max(minW[j], line)
			}
		}
	}
	avail := spec.TypeWidth
	floor := min(spec.Cell+2*spec.TableCellPadding, avail/float64(cols))
	sumMin, sumMax := 0.0, 0.0
	for j := range cols {
		minW[j] = max(minW[j]+2*spec.TableCellPadding, floor)
		maxW[j] = max(maxW[j]+2*spec.TableCellPadding, minW[j])
		sumMin += minW[j]
		sumMax += maxW[j]
	}
	w := make([]float64, cols)
	switch {
	case sumMax <= avail:
		for j := range cols {
			w[j] = maxW[j] + (avail-sumMax)*maxW[j]/sumMax
		}
	case sumMin <= avail:
		for j := range cols {
			w[j] = minW[j] + (maxW[j]-minW[j])*(avail-sumMin)/(sumMax-sumMin)
		}
	default:
		for j := range cols {
			w[j] = avail * minW[j] / sumMin
		}
		// Lift columns below the floor, taking the difference from the wider ones.
		deficit, above := 0.0, 0.0
		for j := range cols {
			if w[j] < floor {
				deficit += floor - w[j]
				w[j] = floor
			} else {
				above += w[j] - floor
			}
		}
		if deficit > 0 && above > 0 {
			for j := range cols {
				if w[j] > floor {
					w[j] -= deficit * (w[j] - floor) / above
				}
			}
		}
	}
	xs := make([]float64, cols+1)
	xs[0] = spec.TypeLeft
	for j := range cols {
		xs[j+1] = xs[j] + w[j]
	}
	xs[cols] = spec.TypeRight
	return xs
}

// numericMarks may appear in a numeric cell beside its digits: separators, units of
// proportion, ranges, and the minus and plus signs (U+2212 −, the full-width and small
// forms, ±).
const numericMarks = ".,%-+％‰‱~～/:．，" + "−－﹣＋﹢±∓"

// isNumeric reports a cell that holds a number (see IsNumeric).
func isNumeric(s string) bool {
	s = strings.TrimSpace(s)
	digit := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= '０' && r <= '９':
			digit = true
		case strings.ContainsRune(numericMarks, r):
		default:
			return false
		}
	}
	return digit
}
