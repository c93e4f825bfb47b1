package templates

import "context"

// For the external tests, which render real documents with internal/docx.
var (
	SimpleWellFormed = func(b []byte) bool { return simpleWellFormed(context.Background(), b) }
	WellFormedXML    = func(data []byte) error { return wellFormedXML(context.Background(), data) }
)
