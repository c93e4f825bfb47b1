package typeset

import (
	"math"

	"gongwen/internal/compose"
	"gongwen/internal/spec"
)

// sealedSignature places a sealed signature (GB/T 9704 7.3.5.1): the date with a
// four-character right gap, the issuer's name centred over it, the seal centred on
// them horizontally with its centre spec.SealCentreLines above the name's line, so
// that the name and date sit below the centre. The blank lines before the name are
// as few as keep the seal's top at most one line below the last body line (or the
// attachment note): ceil(radius / pitch).
func (b *builder) sealedSignature(bl *compose.Block) {
	if n := len(b.items); n > 0 {
		b.items[n-1].keep = true // keep with the last body lines
	}
	r := bl.Seal.DiameterMM * spec.MM / 2
	centreAbove := SealCentreAbove(bl.Seal.DiameterMM)
	for range SealBlankLines(bl.Seal.DiameterMM) {
		b.blank(true, false)
	}
	nameAtoms := b.s.atoms(nil, bl.Issuer, spec.RoleFangsong, "/issuer", b.para, bodyStyle)
	dateAtoms := b.s.atoms(nil, bl.Date, spec.RoleFangsong, bl.Path, b.para+1, bodyStyle)
	nameW, dateW := atomsWidth(nameAtoms), atomsWidth(dateAtoms)
	dateX := spec.TypeRight - spec.SealedDateRightGapCells*spec.Cell - dateW
	centre := dateX + dateW/2
	nameX := centre - nameW/2
	if nameX+nameW > spec.TypeRight {
		nameX = spec.TypeRight - nameW
	}
	nameX = max(nameX, spec.TypeLeft)
	b.atoms = nameAtoms
	b.para++
	its := b.lines(nameX, spec.TypeRight-nameX, 0, 0, alignLeft, spec.BodySize)
	for _, it := range its {
		it.keep = true
	}
	its[0].images = append(its[0].images, Image{
		X: centre - r, Y: -centreAbove - r, W: 2 * r, H: 2 * r,
		PNG: bl.Seal.PNG, Pixels: bl.Seal.Pixels, Multiply: true,
	})
	b.atoms = dateAtoms
	b.para++
	b.lines(max(dateX, spec.TypeLeft), spec.TypeRight-max(dateX, spec.TypeLeft), 0, 0, alignLeft, spec.BodySize)
}

// note sets the 附注 (7.3.6) on the line after the date, indented two characters.
func (b *builder) note(bl *compose.Block) {
	if n := len(b.items); n > 0 {
		b.items[n-1].keep = true
	}
	b.text(bl.Runs, indent(), 0, true)
}

// SealCentreAbove is how far the seal's centre lies above the top of the issuer's
// line (negative: below it). It is spec.SealCentreLines, moved down as far as
// needed for the seal to cover the date's line down to its baseline's descent, and
// up as far as needed for the seal to end on the date's line (never below it, nor
// out of the type area at a page's foot). A seal under about 25 mm cannot cover
// two lines with both below its centre; it then covers both, centred lower.
func SealCentreAbove(diameterMM float64) float64 {
	r := diameterMM * spec.MM / 2
	below := -spec.SealCentreLines * spec.LinePitch
	dateFoot := spec.LinePitch + spec.BaselineOffset(spec.BodySize) + (1-spec.EmAscent)*spec.BodySize
	below = max(below, dateFoot-r)         // cover the date
	below = min(below, 2*spec.LinePitch-r) // end on the date's line
	return -below
}

// SealBlankLines is the number of blank lines between the last body line and the
// issuer's name of a sealed signature: as few as keep the seal clear of the body
// and its top at most one line below it.
func SealBlankLines(diameterMM float64) int {
	r := diameterMM * spec.MM / 2
	return max(1, int(math.Ceil((r+SealCentreAbove(diameterMM))/spec.LinePitch-eps)))
}
