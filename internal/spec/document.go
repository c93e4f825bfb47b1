package spec

// The document form (GB/T 9704-2012 7.1-7.5, shared/gbt9704.md "The document
// form"). Vertical positions are grid slots of the 22-line grid unless in mm.

// Red is the 发文机关标志's and the separator's colour (product decision: the pure
// red of government Word templates).
var Red = struct{ R, G, B uint8 }{0xFF, 0x00, 0x00}

// RedHex is Red as OOXML writes it.
const RedHex = "FF0000"

// 版头 (7.2).
const (
	// CopyNumberDigits: the 份号 is printed with six digits.
	CopyNumberDigits = 6
	// OrganTopMM is the distance from the type area's top edge to the top of the
	// 发文机关标志 (standard: 35 mm).
	OrganTopMM = 35.0
	OrganTop   = OrganTopMM * MM
	// OrganSize is the 标志's type size (product decision: about 15 mm, 42.52 pt,
	// rounded to half a point so that every writer and reader states it exactly);
	// glyphs are narrowed horizontally when the name would be wider than the type
	// area.
	OrganSize = 42.5
	// NumberBlankLines: the 发文字号 stands this many blank lines below the 标志.
	NumberBlankLines = 2
	// SignerGapCells is the 签发人 block's right gap; NumberIndentCells the upward
	// report's 发文字号 left indent (one character each).
	SignerGapCells    = 1
	NumberIndentCells = 1
	SignersPerLine    = 2
	SignerLabel       = "签发人："
	SignerSeparator   = "\u3000" // between two names on a line
	// SeparatorGapMM: the red separator is this far below the 发文字号's baseline
	// (standard: 4 mm); SeparatorWidthMM is its stroke (product: 0.5 mm).
	SeparatorGapMM   = 4.0
	SeparatorGap     = SeparatorGapMM * MM
	SeparatorWidthMM = 0.5
	SeparatorWidth   = SeparatorWidthMM * MM
	// TitleAfterSeparatorLines: the title starts this many blank lines below the
	// separator.
	TitleAfterSeparatorLines = 2
)

// Sealed signature (7.3.5.1) and 附注 (7.3.6).
const (
	// SealedDateRightGapCells: the date of a sealed signature keeps four
	// characters from the right edge; the issuer's name is centred over it.
	SealedDateRightGapCells = 4
	// SealCentreLines is how far above the top of the issuer's line the seal's
	// centre lies, in lines: 0 puts the centre on the line's top edge, so that the
	// name and the date sit below the centre (居印章中心偏下).
	SealCentreLines = 0.0
	NoteOpen        = "（"
	NoteClose       = "）"
)

// Attachment pages (7.3.7).
const (
	AttachmentPageLabel = "附件"
	// AttachmentTitleSlot: the attachment's title is on line 3 (slot 2).
	AttachmentTitleSlot = 2
	// AttachmentTitleBlankLines: blank lines between its title and its blocks.
	AttachmentTitleBlankLines = 1
)

// 版记 (7.4).
const (
	RecordSize = 14.0 // 4号
	// RecordThickMM and RecordThinMM are the rules' widths: thick above the first
	// element and on the type area's bottom edge, thin between elements.
	RecordThickMM = 0.35
	RecordThinMM  = 0.25
	RecordThick   = RecordThickMM * MM
	RecordThin    = RecordThinMM * MM
	// RecordGapCells: 抄送 and the 印发 line keep one character from each edge.
	RecordGapCells  = 1
	CCLabel         = "抄送："
	CCSeparator     = "，"
	CCEnd           = "。"
	PrintDateSuffix = "印发"
)

// DocxExactDescentEm: LibreOffice 7.4 sets the text of an exact-height line with
// its baseline this fraction of the em above the line's bottom (measured with the
// title stand-in at 42.5 pt: 11.13 pt). The DOCX lowers the 标志 (w:position) by
// the difference to the PDF's baseline, so both put its top 35 mm down.
const DocxExactDescentEm = 0.262
