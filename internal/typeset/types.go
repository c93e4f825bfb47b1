// Package typeset sets a composed document on the official format's 28 x 22 grid:
// CJK line breaking with the 禁则 rules, justification, tables, the title's shape and
// pagination. It is pure (no I/O, no fonts parsed here): font widths come in through
// Metrics and the result is glyphs at exact positions, which the PDF writer draws.
package typeset

import (
	"image"

	"gongwen/internal/spec"
)

// Metrics answers width questions about the embedded fonts. fonts.Set implements it.
type Metrics interface {
	// Glyph reports which face draws r for text of the given role (the role's own
	// face, spec.RoleFace(role), or spec.FaceFallback when the role's face lacks r)
	// and r's advance width as a fraction of the em (multiply by the type size for
	// points). ok is false when no face has r.
	Glyph(role spec.Role, r rune) (face spec.Face, advance float64, ok bool)
}

// Glyph is one character placed on a page. X is the left edge of its advance box in
// points from the page's left edge.
type Glyph struct {
	R rune
	// W is the advance the typesetter gave the glyph, in points: one cell for a CJK
	// glyph in body text, the font's advance for half-width text, 0 for a space at a
	// line's end. Justification moves glyphs, never stretches them, so the gap to the
	// next glyph may differ from W. A float32 beside R: a glyph is 16 bytes, not 24
	// (a layout's glyphs are most of its memory, fresh pages in a cold process), and
	// no writer needs W to better than a millionth of its size.
	W float32
	X float64
}

// Run is a sequence of glyphs in one face and size on one baseline. Y is the baseline
// in points from the page's top edge.
type Run struct {
	Font   spec.Face // the face that draws every glyph of the run
	Size   float64
	Y      float64
	Glyphs []Glyph
	// Para is the index into compose.Document.Text() of the printed paragraph (or
	// table cell, attachment item, signature line) the run belongs to; -1 for the page
	// number.
	Para int
	// Breaks is the number of forced line breaks ("\n" in the text) immediately before
	// the run's first glyph within its paragraph.
	Breaks int
	// Repeat marks a copy of text printed earlier: a table's header row repeated at
	// the top of a page the table continues on. Text extraction skips it.
	Repeat bool
	// Color is the ink; the zero value is black. The 发文机关标志 is red.
	Color Color
	// ScaleX narrows glyphs horizontally (1 or 0: no scaling): a 发文机关标志 too long
	// for the type area is drawn condensed rather than overflowing it.
	ScaleX float64
}

// Color is an sRGB colour. The zero value is black, so layouts that never set one
// print black.
type Color struct{ R, G, B uint8 }

// Image is a raster placed on a page (the seal). X, Y are its top-left corner and W,
// H its size, in points from the page's top-left corner.
type Image struct {
	X, Y, W, H float64
	// PNG is the image file as given (RGBA or grey with alpha). Writers embed it once
	// per document however many pages show it.
	PNG []byte
	// Pixels is PNG decoded, when the report's parser gave it (compose.Seal), so that
	// a writer needing the samples does not decode PNG again; nil otherwise.
	Pixels *image.NRGBA
	// Multiply asks for the Multiply blend mode, so that text under the seal stays
	// legible through it (GB/T 9704 7.3.5.1: the seal covers the name and date).
	Multiply bool
}

// PageKind says what a page holds, for writers that mark pages (outline, tags).
type PageKind int

const (
	BodyPage       PageKind = iota // title, body, signature
	AttachmentPage                 // an attachment printed on pages of its own
	RecordPage                     // a page holding only the 版记
)

// Rule is a straight line (table rulings, the 版头's red separator, the 版记's rules),
// in points from the top-left corner.
type Rule struct {
	X1, Y1, X2, Y2 float64
	Width          float64
	Color          Color
}

// Page is one laid-out page. Number is its page number (1-based); the printed number
// is one of its runs, so a page without that run (a 版记-only page) prints none but
// still counts.
type Page struct {
	Number int
	Kind   PageKind
	Runs   []Run
	Rules  []Rule
	Images []Image
}

// Bookmark is one outline entry: a numbered heading, where it was placed.
type Bookmark struct {
	Level int
	Title string
	Page  int     // index into Layout.Pages
	Y     float64 // top of the heading's line, points from the page's top
}

// Layout is a whole document set on pages.
type Layout struct {
	Pages     []Page
	Bookmarks []Bookmark
	arena     *arena // where the glyphs and runs came from (Release)
}
