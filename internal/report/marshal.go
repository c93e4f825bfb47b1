package report

import (
	"bytes"
	"encoding/json"
)

// Marshal writes a parsed report back in the contract's JSON: the normalised text,
// headings without their numbers (the numbers are generated again on parsing).
// Parsing the result gives the same report.
func Marshal(r *Report) ([]byte, error) {
	type table struct {
		Caption string     `json:"caption,omitempty"`
		Header  []string   `json:"header"`
		Rows    [][]string `json:"rows"`
	}
	type tableBlock struct {
		Table table `json:"table"`
	}
	type section struct {
		Heading  string    `json:"heading"`
		RunIn    bool      `json:"runIn,omitempty"`
		Body     []any     `json:"body,omitempty"`
		Sections []section `json:"sections,omitempty"`
	}
	type doc struct {
		Title       string    `json:"title"`
		Issuer      string    `json:"issuer"`
		Year        int       `json:"year"`
		Date        string    `json:"date,omitempty"`
		Addressee   string    `json:"addressee,omitempty"`
		Numbering   string    `json:"numbering,omitempty"`
		Preamble    []any     `json:"preamble,omitempty"`
		Sections    []section `json:"sections"`
		Attachments []string  `json:"attachments,omitempty"`
	}
	blocks := func(bs []Block) []any {
		var out []any
		for _, b := range bs {
			if b.Table != nil {
				rows := b.Table.Rows
				if rows == nil {
					rows = [][]string{}
				}
				out = append(out, tableBlock{table{b.Table.Caption, b.Table.Header, rows}})
			} else {
				out = append(out, b.Paragraph)
			}
		}
		return out
	}
	var sections func([]Section) []section
	sections = func(ss []Section) []section {
		var out []section
		for _, s := range ss {
			out = append(out, section{s.Heading, s.RunIn, blocks(s.Body), sections(s.Sections)})
		}
		return out
	}
	d := doc{Title: r.Title, Issuer: r.Issuer, Year: r.Year, Addressee: r.Addressee,
		Preamble: blocks(r.Preamble), Sections: sections(r.Sections), Attachments: r.Attachments}
	if r.Date != nil {
		d.Date = r.Date.ISO()
	}
	if r.Numbering == NumberingNone {
		d.Numbering = NumberingNone
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
