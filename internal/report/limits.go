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

// Limits on what one rendered document may hold, so that every render fits its memory
// budget (internal/typeset's Limits applies them while it sets the pages).
const (
	// MaxPages is the most pages one document may have. The largest report the other
	// limits allow as running text (2,000 sections in 2 MB) sets about 1,200 pages.
	MaxPages = 2500
	// MaxLayoutBytes bounds the estimated memory of one document's layout and the
	// writers' buffers for it (typeset.Cost): with the process's base it keeps one
	// render of PDF, DOCX or both under 256 MB peak RSS (measured: see template.yaml).
	MaxLayoutBytes = 192 << 20
)
