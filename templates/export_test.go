package templates

// For the external tests, which render real documents with internal/docx.
var (
	SimpleWellFormed = simpleWellFormed
	WellFormedXML    = wellFormedXML
)
