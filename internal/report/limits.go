package report

// Limits that protect the service. They live here and only here; the JSON Schema
// repeats the ones it can express and a test checks the two agree.
const (
	MaxInputBytes     = 2 << 20 // a request or uploaded object
	MaxSections       = 2000    // all levels together
	MaxBlocks         = 10000   // paragraphs and tables together, preamble included
	MaxParagraphRunes = 20000   // characters in one paragraph (and in one table cell)
	MaxTitleRunes     = 200
	MaxLevels         = 4
	MinYear, MaxYear  = 2000, 2100

	MaxHeadingRunes = 1000 // characters in one heading
	MaxNameRunes    = 200  // issuer, addressee, table caption, one attachment name
	MaxAttachments  = 100
	MaxTableColumns = 20
	MaxTableRows    = 2000
	MaxProblems     = 1000 // problems reported for one input; the rest are summarised
)

// The document form (document.go). The seal's file limits protect the service
// (GB/T 9704 is silent on the file); its diameter is the printed size.
const (
	MaxSealBytes  = 1 << 20 // the decoded PNG
	MaxSealPixels = 2000    // width and height each
	// MaxSealPrintPixels: a larger seal is resampled to this many pixels a side,
	// 300 dpi at the largest diameter (60 mm).
	MaxSealPrintPixels = 709
	MinSealDiameterMM  = 20.0
	MaxSealDiameterMM  = 60.0
	// DefaultSealDiameterMM is the common round seal of an organ.
	DefaultSealDiameterMM = 42.0
	MaxSigners            = 20
	MaxCC                 = 100
	MaxNoteRunes          = 200
	MaxNumberRunes        = 50
	MaxShortRunes         = 20 // copy number, secrecy
	// MaxCCRunes caps the 抄送 line ("抄送：" names "。"): about 17 lines of 4号
	// text, so that the 版记 always fits its page whole.
	MaxCCRunes = 500
)
