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
	type seal struct {
		PNG        []byte  `json:"png"` // encoding/json writes []byte as Base64
		DiameterMM float64 `json:"diameterMM"`
	}
	type attachment struct {
		Title string `json:"title"`
		Body  []any  `json:"body,omitempty"`
	}
	type doc struct {
		Title       string        `json:"title"`
		Issuer      string        `json:"issuer"`
		Year        int           `json:"year"`
		Date        string        `json:"date,omitempty"`
		Addressee   string        `json:"addressee,omitempty"`
		Numbering   string        `json:"numbering,omitempty"`
		Preamble    []any         `json:"preamble,omitempty"`
		Sections    []section     `json:"sections"`
		Attachments []any         `json:"attachments,omitempty"`
		Document    *DocumentJSON `json:"document,omitempty"`
		Note        string        `json:"note,omitempty"`
		Seal        *seal         `json:"seal,omitempty"`
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
		Preamble: blocks(r.Preamble), Sections: sections(r.Sections), Note: r.Note}
	pages := map[int]Attachment{}
	for _, a := range r.AttachmentPages {
		pages[a.Number] = a
	}
	for i, name := range r.Attachments {
		if a, ok := pages[i+1]; ok {
			d.Attachments = append(d.Attachments, attachment{a.Title, blocks(a.Body)})
		} else {
			d.Attachments = append(d.Attachments, name)
		}
	}
	if dd := r.Document; dd != nil {
		d.Document = &DocumentJSON{CopyNumber: dd.CopyNumber, Secrecy: dd.Secrecy, Urgency: dd.Urgency, Organ: dd.Organ,
			Number: dd.Number, Signers: dd.Signers, CC: dd.CC, Printer: dd.Printer}
		if dd.PrintDate != nil {
			d.Document.PrintDate = dd.PrintDate.ISO()
		}
	}
	if r.Seal != nil {
		d.Seal = &seal{r.Seal.PNG, r.Seal.DiameterMM}
	}
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

// DocumentJSON is the contract's "document" object as it is written (Marshal, and the
// importer, which writes report JSON for Parse).
type DocumentJSON struct {
	CopyNumber string   `json:"copyNumber,omitempty"`
	Secrecy    string   `json:"secrecy,omitempty"`
	Urgency    string   `json:"urgency,omitempty"`
	Organ      string   `json:"organ"`
	Number     string   `json:"number"`
	Signers    []string `json:"signers,omitempty"`
	CC         []string `json:"cc,omitempty"`
	Printer    string   `json:"printer,omitempty"`
	PrintDate  string   `json:"printDate,omitempty"`
}
