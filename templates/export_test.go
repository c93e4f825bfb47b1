package templates

import "context"

// For the external tests, which render real documents with internal/docx.
var (
	SimpleWellFormed = simpleWellFormed
	WellFormedXML    = func(data []byte) error { return wellFormedXML(context.Background(), data) }
)
