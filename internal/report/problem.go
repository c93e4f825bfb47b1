package report

import "strings"

// Problem is one finding about an input: an error that makes it invalid, or a
// warning about something Parse changed. Every edge (CLI, HTTP, S3) reports the same
// list.
type Problem struct {
	// Path is the JSON pointer (RFC 6901) of the offending value; "" is the document.
	Path string `json:"path"`
	// Code is a stable machine-readable code, e.g. "unknown_field", "too_deep".
	Code string `json:"code"`
	// Message is for a records clerk: Chinese first, then English.
	Message string `json:"message"`
	// Line and Column locate malformed JSON (1-based); Offset locates invalid UTF-8
	// (0-based byte offset). Zero when not applicable.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	Offset int `json:"offset,omitempty"`
}

// InvalidError is returned by Parse when the input is not a valid report. It carries
// every problem found, never only the first.
type InvalidError struct {
	Problems []Problem
	// Kind tells the edges which class of failure this is (for HTTP status codes).
	Kind InvalidKind
	// Warnings are what normalisation changed before the problems were found; the
	// edges report them beside the problems.
	Warnings []Problem
}

// InvalidKind classifies an InvalidError.
type InvalidKind int

const (
	KindInvalid   InvalidKind = iota // well-formed JSON that breaks the contract (HTTP 422)
	KindMalformed                    // not JSON, or not UTF-8 (HTTP 400)
	KindTooLarge                     // over MaxInputBytes (HTTP 413)
)

func (e *InvalidError) Error() string {
	var b strings.Builder
	b.WriteString("invalid report")
	for i, p := range e.Problems {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		if p.Path != "" {
			b.WriteString(p.Path)
			b.WriteString(": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}
