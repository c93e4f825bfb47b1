// Package importer turns a report as bureaus have it — a Word file (DOCX) or text
// copied from a government website or extracted from a PDF — into report JSON. The
// text and DOCX readers (text.go, docx.go) only produce a list of paragraphs with
// what their source says about them (a style, an outline level, a table); one
// assembler (assemble.go) recognises title, addressee, headings, attachment note and
// signature in that list for both, and the result goes through report.Parse, the one
// validation path, so an import is valid exactly when the JSON it writes is.
//
// Every change the import makes to the text is a Warning with the place it came from
// (a line number for text, a paragraph number for DOCX).
package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"gongwen/internal/report"
)

// Warning is one change the import made, or one thing it left out, with its place.
type Warning struct {
	// Place is where in the input: "line 12" (text), "paragraph 7" or "table 2"
	// (DOCX), "(document)"; for what report.Parse changed, the JSON pointer.
	Place string `json:"place"`
	// Line (text) or Paragraph (DOCX) is the place as a number, 0 when not applicable.
	Line      int    `json:"line,omitempty"`
	Paragraph int    `json:"paragraph,omitempty"`
	Code      string `json:"code"`
	Message   string `json:"message"`
}

func (w Warning) String() string { return w.Place + ": " + w.Message }

// Warning codes. They are stable: clients match on them.
const (
	CodePunctuation     = "punctuation_restored"
	CodeDigitSpace      = "digit_space_removed"
	CodeJoined          = "paragraphs_joined"
	CodeChrome          = "web_chrome_removed"
	CodePageNumber      = "page_number_removed"
	CodeDuplicateTitle  = "duplicate_title_removed"
	CodeNoTitle         = "title_made"
	CodeLevelSkipped    = "level_skipped"
	CodeRunOnNumbering  = "numbering_runs_on"
	CodeNumberingKept   = "numbering_kept"
	CodeNumberGap       = "numbering_gap"
	CodeRunInSplit      = "run_in_split"
	CodeFootnote        = "footnote_ignored"
	CodeComment         = "comment_ignored"
	CodeTextBox         = "text_box_read"
	CodeMergedCells     = "merged_cells_split"
	CodeTableCell       = "table_cell_joined"
	CodeTableRagged     = "table_row_padded"
	CodeLineBreak       = "line_break_removed"
	CodeYearGuessed     = "year_guessed"
	CodeIssuerGuessed   = "issuer_guessed"
	CodeTitleBreak      = "title_break_dropped"
	CodeTrackedDeletion = "tracked_deletion_ignored"
	CodeTOC             = "table_of_contents_ignored"
	CodeSealDropped     = "seal_not_imported"
	CodeReport          = "report_normalised" // prefix: report.Parse's own code follows in Message
)

// Options change how an import decides.
type Options struct {
	// KeepNumbers keeps the input's heading numbers (numbering "none") when automatic
	// numbering cannot reproduce them (numbering that runs on across parents, a
	// skipped level, gaps). By default numbering stays "auto" and each such heading
	// is reported.
	KeepNumbers bool
	// MergedCellsError makes a table with merged cells an error naming the table; by
	// default merged cells are split (the text stays in the first cell) with a
	// warning.
	MergedCellsError bool
}

// Summary is what the import inferred, for the user to check at a glance.
type Summary struct {
	Source      string `json:"source"` // "text" or "docx"
	Title       string `json:"title"`
	Issuer      string `json:"issuer"`
	Year        int    `json:"year"`
	Date        string `json:"date,omitempty"`
	Addressee   string `json:"addressee,omitempty"`
	Sections    [4]int `json:"sections"` // sections by level 1-4
	Paragraphs  int    `json:"paragraphs"`
	Tables      int    `json:"tables"`
	Attachments int    `json:"attachments"`
	Numbering   string `json:"numbering"`
	// The document form, when found: the 标志 and 发文字号 of the 版头, the 附注,
	// the attachments given as pages, whether the signature is sealed.
	Organ           string `json:"organ,omitempty"`
	Number          string `json:"number,omitempty"`
	Note            string `json:"note,omitempty"`
	AttachmentPages int    `json:"attachmentPages,omitempty"`
	Sealed          bool   `json:"sealed,omitempty"`
}

// Result is an imported report.
type Result struct {
	Report   *report.Report
	JSON     []byte // the report in the contract's JSON (report.Marshal): valid as it is
	Warnings []Warning
	Summary  Summary
}

// Import reads a DOCX (recognised by its zip signature) or UTF-8 text. Files that are
// neither but that users have (an old .doc, a PDF) get an answer saying what to do.
func Import(data []byte, opts Options) (*Result, error) {
	if IsDOCX(data) {
		return DOCX(data, opts)
	}
	if err := otherFormat(data); err != nil {
		return nil, err
	}
	return Text(data, opts)
}

// otherFormat recognises the files people send instead of a DOCX or text.
func otherFormat(data []byte) error {
	switch {
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")): // OLE compound file
		return invalid(report.KindMalformed, CodeNotDOCX, "这是旧版 Word（.doc）或 WPS 文件：请在 Word 或 WPS 中“另存为”.docx 后再导入。This is an old Word (.doc) or WPS file: save it as .docx in Word or WPS and import that.", nil)
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return invalid(report.KindMalformed, CodeNotDOCX, "这是 PDF 文件：请导入其 Word 原件，或先提取文字（如 pdftotext 文件.pdf）再导入文本。This is a PDF: import the Word file it was made from, or extract its text first (pdftotext FILE.pdf) and import the text.", nil)
	case bytes.HasPrefix(data, []byte("{\\rtf")):
		return invalid(report.KindMalformed, CodeNotDOCX, "这是 RTF 文件：请在 Word 或 WPS 中另存为 .docx 后再导入。This is an RTF file: save it as .docx and import that.", nil)
	}
	return nil
}

// IsDOCX tells whether data starts like a zip archive (a DOCX is one).
func IsDOCX(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// invalid is an input the importer cannot make a report of, as the error every edge
// already answers (422 over HTTP, an .error.json in S3, exit 1 in the CLI).
func invalid(kind report.InvalidKind, code, msg string, warnings []Warning) *report.InvalidError {
	return &report.InvalidError{Kind: kind, Problems: []report.Problem{{Code: code, Message: msg}},
		Warnings: AsProblems(warnings)}
}

// Error codes of inputs the importer cannot read.
const (
	CodeNotText     = "import_not_utf8"
	CodeNotDOCX     = "import_not_docx"
	CodeEmpty       = "import_empty"
	CodeMergedError = "import_merged_cells"
)

// AsProblems writes warnings as report problems ("line 12: …" in the message, the
// place in Path only when it is a JSON pointer), for the edges' problem documents.
func AsProblems(ws []Warning) []report.Problem {
	var out []report.Problem
	for _, w := range ws {
		p := report.Problem{Code: w.Code, Message: w.Message}
		if len(w.Place) > 0 && w.Place[0] == '/' {
			p.Path = w.Place
		} else {
			p.Message = w.Place + ": " + w.Message
		}
		out = append(out, p)
	}
	return out
}

// place is where a paragraph came from.
type place struct {
	line, para, table int // 1-based; one of them is set
}

func (p place) String() string {
	switch {
	case p.line > 0:
		return "line " + strconv.Itoa(p.line)
	case p.table > 0:
		return "table " + strconv.Itoa(p.table)
	case p.para > 0:
		return "paragraph " + strconv.Itoa(p.para)
	}
	return "(document)"
}

// warnings collects warnings.
type warnings struct{ list []Warning }

func (ws *warnings) add(at place, code, format string, args ...any) {
	ws.list = append(ws.list, Warning{Place: at.String(), Line: at.line, Paragraph: at.para, Code: code,
		Message: fmt.Sprintf(format, args...)})
}

// finish sends the assembled document through report.Parse and makes the result.
func finish(d *doc, source string, ws *warnings, where map[string]place) (*Result, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("importer: encode: %w", err)
	}
	rep, pw, err := report.Parse(buf.Bytes())
	for _, p := range pw {
		w := Warning{Place: p.Path, Code: p.Code, Message: p.Message}
		if at, ok := where[p.Path]; ok {
			w.Place, w.Line, w.Paragraph = at.String()+" ("+p.Path+")", at.line, at.para
		}
		ws.list = append(ws.list, w)
	}
	if err != nil {
		if inv, ok := err.(*report.InvalidError); ok {
			for i, p := range inv.Problems {
				if at, ok := where[p.Path]; ok {
					inv.Problems[i].Message = at.String() + ": " + p.Message
				}
			}
			inv.Warnings = AsProblems(ws.list)
			return nil, inv
		}
		return nil, err
	}
	out, err := report.Marshal(rep)
	if err != nil {
		return nil, fmt.Errorf("importer: marshal: %w", err)
	}
	// Warnings in the order of the input; whole-document ones last.
	sort.SliceStable(ws.list, func(i, j int) bool {
		a, b := ws.list[i].Line+ws.list[i].Paragraph, ws.list[j].Line+ws.list[j].Paragraph
		if a == 0 || b == 0 {
			return a != 0 && b == 0
		}
		return a < b
	})
	res := &Result{Report: rep, JSON: out, Warnings: ws.list}
	res.Summary = summarise(rep, source)
	return res, nil
}

func summarise(r *report.Report, source string) Summary {
	s := Summary{Source: source, Title: r.Title, Issuer: r.Issuer, Year: r.Year, Addressee: r.Addressee,
		Attachments: len(r.Attachments), Numbering: r.Numbering}
	if r.Date != nil {
		s.Date = r.Date.ISO()
	}
	if r.Document != nil {
		s.Organ, s.Number = r.Document.Organ, r.Document.Number
	}
	s.Note, s.AttachmentPages, s.Sealed = r.Note, len(r.AttachmentPages), r.Seal != nil
	count := func(bs []report.Block) {
		for _, b := range bs {
			if b.Table != nil {
				s.Tables++
			} else {
				s.Paragraphs++
			}
		}
	}
	var walk func([]report.Section)
	walk = func(ss []report.Section) {
		for _, x := range ss {
			if x.Level >= 1 && x.Level <= 4 {
				s.Sections[x.Level-1]++
			}
			count(x.Body)
			walk(x.Sections)
		}
	}
	count(r.Preamble)
	walk(r.Sections)
	return s
}
