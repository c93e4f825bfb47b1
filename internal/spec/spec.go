// Package spec is the one source of truth for every number of the official format
// (GB/T 9704-2012 as laid out in shared/gbt9704.md). The PDF typesetter and the DOCX
// template both read from here; nothing else in the project hard-codes a size.
package spec

// MM is one millimetre in PDF points (1 pt = 1/72 in).
const MM = 72 / 25.4

// Page and type area (版心), in millimetres as the standard states them.
const (
	PageWidthMM    = 210.0
	PageHeightMM   = 297.0
	MarginTopMM    = 37.0 // standard
	MarginLeftMM   = 28.0 // binding side, standard
	TypeWidthMM    = 156.0
	TypeHeightMM   = 225.0
	MarginRightMM  = PageWidthMM - MarginLeftMM - TypeWidthMM  // 26
	MarginBottomMM = PageHeightMM - MarginTopMM - TypeHeightMM // 35
)

// The same geometry in points, measured from the page's top-left corner.
const (
	PageWidth  = PageWidthMM * MM  // 595.28
	PageHeight = PageHeightMM * MM // 841.89
	TypeLeft   = MarginLeftMM * MM // 79.37
	TypeTop    = MarginTopMM * MM  // 104.88
	TypeWidth  = TypeWidthMM * MM  // 442.20
	TypeHeight = TypeHeightMM * MM // 637.80
	TypeRight  = TypeLeft + TypeWidth
	TypeBottom = TypeTop + TypeHeight
)

// The grid: 22 lines of 28 characters.
const (
	GridChars = 28
	GridLines = 22
	// Cell is one character cell: 156 mm / 28 = 15.79 pt.
	Cell = TypeWidth / GridChars
	// LinePitch is the baseline-to-baseline distance of body lines, identical in the
	// PDF and the DOCX (w:docGrid w:linePitch="579", in twips) so both break pages alike.
	LinePitchTwips = 579
	LinePitch      = LinePitchTwips / 20.0 // 28.95 pt
	// IndentCells is the first-line indent of every paragraph, headings included
	// (左空二字，回行顶格).
	IndentCells = 2
)

// Type sizes in points (3号 = 16, 2号 = 22, 4号 = 14).
const (
	BodySize       = 16.0
	TitleSize      = 22.0
	PageNumberSize = 14.0
	// TitleBlankLines is the number of empty grid lines between the title and the body.
	TitleBlankLines = 1
)

// Page numbers (页码): "— N —" below the type area.
const (
	// PageNumberGapMM is the distance from the type area's bottom edge to the top of
	// the page number's dashes.
	PageNumberGapMM = 7.0
	PageNumberGap   = PageNumberGapMM * MM
	// PageNumberInsetCells: odd pages right-aligned one character in from the right
	// edge, even pages left-aligned one character in from the left edge.
	PageNumberInsetCells = 1
	PageNumberDash       = "—" // U+2014, one on each side, separated by a space
)

// PageNumberText is the page-number string for page n ("— 3 —").
func PageNumberText(n int) string {
	return PageNumberDash + " " + itoa(n) + " " + PageNumberDash
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Signature block (发文机关署名 and 成文日期), unsealed report, standard 7.3.5.2.
const (
	// SignatureRightGapCells is the gap between the issuer's name (or a longer date)
	// and the right edge of the type area.
	SignatureRightGapCells = 2
	// DateOffsetCells: the date's first character stands this many cells right of the
	// name's first character.
	DateOffsetCells = 2
	// SignatureBlankLines is the number of empty grid lines before the signature.
	SignatureBlankLines = 1
	// AttachmentBlankLines is the number of empty grid lines before the 附件 note.
	AttachmentBlankLines = 1
)

// AttachmentLabel starts the attachment note (附件说明).
const AttachmentLabel = "附件："

// DOCX units: twips (1/20 pt) for page geometry, as Word stores them.
const (
	DocxPageWidth    = 11906
	DocxPageHeight   = 16838
	DocxMarginTop    = 2098
	DocxMarginBottom = 1984
	DocxMarginLeft   = 1588
	DocxMarginRight  = 1474
	// DocxCharSpacing is w:spacing in twentieths of a point for body styles: -0.25 pt
	// makes 28 16-pt characters fit a line in Word and LibreOffice alike, on a
	// lines-only grid.
	DocxCharSpacing = -5
	// DocxFooterDescentEm: a footer line of exact height (one em of the page-number
	// size) has its baseline this fraction of the em above the line's bottom (measured
	// in LibreOffice: 0.19). The template's w:footer distance uses it so that the page
	// number's baseline lands on PageNumberBaseline, as in the PDF.
	DocxFooterDescentEm = 0.2
)

// Twips converts points to twips, rounded.
func Twips(pt float64) int {
	if pt < 0 {
		return -int(-pt*20 + 0.5)
	}
	return int(pt*20 + 0.5)
}

// HalfPoints converts a type size in points to OOXML half-points (w:sz).
func HalfPoints(pt float64) int { return int(pt*2 + 0.5) }

// Role is a font role of the official format. Each role has an official font that
// the DOCX names and an embedded stand-in that the PDF uses.
type Role int

const (
	RoleFangsong Role = iota // 仿宋: body, heading levels 3-4, signature; the fallback font
	RoleTitle                // 小标宋: the title
	RoleHei                  // 黑体: level-1 headings
	RoleKai                  // 楷体: level-2 headings
	RoleSong                 // 宋体: page numbers
	NumRoles
)

// Roles lists every role in a fixed order.
var Roles = [NumRoles]Role{RoleFangsong, RoleTitle, RoleHei, RoleKai, RoleSong}

// Name is the role's stable identifier (used for file names and environment overrides).
func (r Role) Name() string {
	switch r {
	case RoleFangsong:
		return "fangsong"
	case RoleTitle:
		return "title"
	case RoleHei:
		return "hei"
	case RoleKai:
		return "kai"
	case RoleSong:
		return "song"
	}
	return "unknown"
}

func (r Role) String() string { return r.Name() }

// OfficialFont is the font the official format names for the role; a DOCX asks the
// reader's machine for it.
func (r Role) OfficialFont() string {
	switch r {
	case RoleTitle:
		return "方正小标宋简体"
	case RoleHei:
		return "黑体"
	case RoleKai:
		return "楷体_GB2312"
	case RoleSong:
		return "宋体"
	}
	return "仿宋_GB2312"
}

// AltFont is the common Windows name a DOCX reader falls back to when it lacks the
// official font.
func (r Role) AltFont() string {
	switch r {
	case RoleTitle:
		return "宋体"
	case RoleHei:
		return "黑体"
	case RoleKai:
		return "楷体"
	case RoleSong:
		return "宋体"
	}
	return "仿宋"
}

// HeadingRole is the font of a heading level (1-4): 黑体, 楷体, 仿宋, 仿宋.
func HeadingRole(level int) Role {
	switch level {
	case 1:
		return RoleHei
	case 2:
		return RoleKai
	}
	return RoleFangsong
}

// MaxHeadingLevel is the deepest heading level the format has (一、 （一） 1. （1）).
const MaxHeadingLevel = 4

// Line-break rules (禁则, GB/T 15834-2011 and ECMA-376 Part 4's Simplified Chinese
// kinsoku lists). The typesetter applies them; the DOCX settings declare the same sets.
const (
	// NoLineStart: closing and pausing punctuation that never begins a line.
	NoLineStart = "，。、；：？！）》」』】〕〉”’…" + ",.;:?!)]}％"
	// NoLineEnd: opening punctuation that never ends a line.
	NoLineEnd = "（《「『【〔〈“‘([{<"
	// Unsplittable pairs: two-cell marks that are never split across lines.
	DashPair     = "——"
	EllipsisPair = "……"
)

// Vertical placement of text on the line grid (typesetter; product decision where the
// standard is silent). A line's slot is one LinePitch tall; its text's em box is centred
// in the slot, so the baseline lies EmAscent of the size below the em box's top.
const (
	// EmAscent is the part of the em above the baseline in the CJK fonts (the
	// ideographic em box of Noto/Source Han and the official fonts: 0.88 up, 0.12 down).
	EmAscent = 0.88
)

// BaselineOffset is the distance from the top of a grid slot (LinePitch tall) to the
// baseline of text of the given size set in it.
func BaselineOffset(size float64) float64 {
	return (LinePitch-size)/2 + EmAscent*size
}

// Page-number vertical placement.
const (
	// PageNumberDashTopEm is the height of the em dash's top above the baseline, as a
	// fraction of the em, in the song stand-in (measured: U+2014 spans 0.360-0.400 em
	// in fonts/song.ttf). Used to place the page number's baseline so that the dashes'
	// top is PageNumberGap below the type area.
	PageNumberDashTopEm = 0.40
)

// PageNumberBaseline is the baseline of the page number, in points from the top.
func PageNumberBaseline() float64 {
	return TypeBottom + PageNumberGap + PageNumberDashTopEm*PageNumberSize
}

// Line breaking limits (typesetter).
const (
	// SqueezeMaxCells is how much a line may be tightened (spacing between units
	// reduced, glyphs kept whole) to keep closing punctuation off a line start.
	SqueezeMaxCells = 1
	// SqueezeMaxGapCells caps the tightening of each gap between units, so that a
	// short line (a narrow table column) never overlaps its glyphs visibly: a full
	// body line has 27 gaps and loses at most 0.04 cell per gap.
	SqueezeMaxGapCells = 0.1
	// LongDashRunSplit: a run of — or … longer than this many characters may be split
	// into pairs; shorter runs (—— and ……) are never split.
	LongDashRunSplit = 4
	// LooseMaxCells: a justified line may add at most this many cells of space in all
	// while another choice of the paragraph's breaks avoids it (a wider line shows
	// "rivers").
	LooseMaxCells = 1.5
	// PairTightCells: how much the gap between two adjacent marks (）》《、“) may lose,
	// the blank half of one mark's cell; a line loses at most SqueezeMaxCells in all.
	PairTightCells = 0.5
)

// Tables (product decisions): ruled, full type-area width, 16 pt body text, rows on
// whole grid lines.
const (
	// TableCellPadding is the horizontal space between a column rule and the cell text
	// (reduced when 20 columns leave less than a character plus padding).
	TableCellPadding = 4.0
	// TableRuleWidth is the width of every table rule, in points.
	TableRuleWidth = 0.5
	// TableHeaderRepeatMaxLines: a header row taller than this many grid lines is not
	// repeated on following pages.
	TableHeaderRepeatMaxLines = GridLines / 2
)
