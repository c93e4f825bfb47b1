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
