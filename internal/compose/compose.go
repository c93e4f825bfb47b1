// Package compose turns a validated report into the ordered blocks of the official
// format: which text is printed, in which font role, in which order. Both writers (PDF
// and DOCX) consume the same Document, so they print exactly the same text with the
// same numbering; the tests compare extracted text against Document.Text.
package compose

import (
	"strconv"
	"strings"

	"gongwen/internal/report"
	"gongwen/internal/spec"
)

// Kind is the kind of a block.
type Kind int

const (
	KindTitle       Kind = iota // the title, centred; Runs[0].Text may contain "\n"
	KindAddressee               // 主送 line, flush left, no indent
	KindHeading                 // a stand-alone heading; Level 1-4; one run
	KindParagraph               // body text; a run-in paragraph has Level > 0 and a heading run first
	KindTable                   // a ruled table
	KindAttachments             // the attachment note (附件说明)
	KindSignature               // issuer and date (署名和成文日期); Seal when sealed
	// The document form (document.go).
	KindHeader         // 版头: Header
	KindNote           // 附注: one run, in parentheses
	KindAttachmentPage // starts an attachment's pages: Label ("附件1") and its title in Runs; its blocks follow
	KindRecord         // 版记: Record
)

func (k Kind) String() string {
	return [...]string{"title", "addressee", "heading", "paragraph", "table", "attachments", "signature",
		"header", "note", "attachment page", "record"}[k]
}

// Run is a stretch of text in one font role. A "\n" inside Text is a forced line break.
type Run struct {
	Text string
	Role spec.Role
	Path string // JSON pointer of the input value the text comes from
}

// Block is one unit of the document in reading order.
type Block struct {
	Kind Kind
	Path string // JSON pointer of the source value
	// Level is the heading level of a KindHeading block or of the run-in heading that
	// starts a KindParagraph block; 0 otherwise.
	Level int
	// Runs hold the text of title, addressee, heading and paragraph blocks.
	Runs []Run
	// Bookmark is the outline entry (numbered heading text) of headings and run-in
	// paragraphs; "" otherwise.
	Bookmark string
	// Table is set for KindTable.
	Table *report.Table
	// Items are the attachment names for KindAttachments, already numbered ("1.名称")
	// when there are several.
	Items []string
	// Issuer and Date are the two lines of KindSignature.
	Issuer, Date string
	// Seal is the seal of a sealed KindSignature; nil when unsealed.
	Seal *Seal
	// Header is the 版头 of KindHeader, Record the 版记 of KindRecord.
	Header *Header
	Record *Record
	// Label is "附件1" (or "附件") of a KindAttachmentPage.
	Label string
}

// Document is a report laid out as blocks, plus the metadata both files carry.
type Document struct {
	Title   string // the title on one line ("\n" replaced by nothing)
	Author  string // the issuer
	Subject string
	Year    int
	// Date is the report's date ("2024-01-15") or "" when it has none; files take their
	// timestamps from it, never from the clock.
	Date   string
	Blocks []Block
}

// Compose lays out a validated report. It never fails: report.Parse has already
// rejected everything that cannot be printed.
func Compose(r *report.Report) *Document {
	d := &Document{
		Title:   strings.ReplaceAll(r.Title, "\n", ""),
		Author:  r.Issuer,
		Subject: r.Issuer + " " + strconv.Itoa(r.Year) + "年度报告",
		Year:    r.Year,
	}
	if r.Date != nil {
		d.Date = r.Date.ISO()
	}
	if h, ok := header(r); ok {
		d.Blocks = append(d.Blocks, h)
	}
	d.Blocks = append(d.Blocks, Block{Kind: KindTitle, Path: "/title",
		Runs: []Run{{Text: r.Title, Role: spec.RoleTitle, Path: "/title"}}})
	if r.Addressee != "" {
		d.Blocks = append(d.Blocks, Block{Kind: KindAddressee, Path: "/addressee",
			Runs: []Run{{Text: r.Addressee, Role: spec.RoleFangsong, Path: "/addressee"}}})
	}
	d.Blocks = appendBody(d.Blocks, r.Preamble)
	for i := range r.Sections {
		d.Blocks = appendSection(d.Blocks, &r.Sections[i])
	}
	if len(r.Attachments) > 0 {
		items := make([]string, len(r.Attachments))
		for i, a := range r.Attachments {
			if len(r.Attachments) == 1 {
				items[i] = a
			} else {
				items[i] = strconv.Itoa(i+1) + "." + a
			}
		}
		d.Blocks = append(d.Blocks, Block{Kind: KindAttachments, Path: "/attachments", Items: items})
	}
	if r.Date != nil {
		sig := Block{Kind: KindSignature, Path: "/date", Issuer: r.Issuer, Date: r.Date.String()}
		if r.Seal != nil {
			sig.Seal = &Seal{PNG: r.Seal.PNG, DiameterMM: r.Seal.DiameterMM, Pixels: r.Seal.Pixels}
		}
		d.Blocks = append(d.Blocks, sig)
	}
	d.Blocks = appendDocumentEnd(d.Blocks, r)
	return d
}

func appendBody(out []Block, body []report.Block) []Block {
	for _, b := range body {
		out = append(out, bodyBlock(b))
	}
	return out
}

func bodyBlock(b report.Block) Block {
	if b.Table != nil {
		return Block{Kind: KindTable, Path: b.Path, Table: b.Table}
	}
	return Block{Kind: KindParagraph, Path: b.Path,
		Runs: []Run{{Text: b.Paragraph, Role: spec.RoleFangsong, Path: b.Path}}}
}

func appendSection(out []Block, s *report.Section) []Block {
	heading := Run{Text: s.Number + s.Heading, Role: spec.HeadingRole(s.Level), Path: s.Path + "/heading"}
	body := s.Body
	if s.RunIn && len(body) > 0 && body[0].Table == nil {
		first := body[0]
		out = append(out, Block{Kind: KindParagraph, Path: first.Path, Level: s.Level,
			Bookmark: heading.Text,
			Runs:     []Run{heading, {Text: first.Paragraph, Role: spec.RoleFangsong, Path: first.Path}}})
		body = body[1:]
	} else {
		out = append(out, Block{Kind: KindHeading, Path: s.Path, Level: s.Level,
			Bookmark: heading.Text, Runs: []Run{heading}})
	}
	out = appendBody(out, body)
	for i := range s.Sections {
		out = appendSection(out, &s.Sections[i])
	}
	return out
}

// Text is the document's printed text, one string per printed paragraph, in reading
// order: what a reader extracting the text of either output must get back (forced
// line breaks as "\n"). Table cells are one entry each, caption first, row by row.
// The document form adds, in order: 份号, 密级, 紧急程度, 标志, 发文字号 and the 签发人
// block (lines of names as "\n") before the title; the 附注 after the date; each
// attachment page's label and title before its blocks; the 版记's 抄送 line, 印发机关
// and 印发日期 last.
func (d *Document) Text() []string {
	var out []string
	for _, b := range d.Blocks {
		switch b.Kind {
		case KindTable:
			t := b.Table
			if t.Caption != "" {
				out = append(out, t.Caption)
			}
			out = append(out, t.Header...)
			for _, row := range t.Rows {
				out = append(out, row...)
			}
		case KindAttachments:
			for i, it := range b.Items {
				if i == 0 {
					it = spec.AttachmentLabel + it
				}
				out = append(out, it)
			}
		case KindSignature:
			out = append(out, b.Issuer, b.Date)
		case KindHeader:
			h := b.Header
			for _, s := range []string{h.CopyNumber, h.Secrecy, h.Urgency} {
				if s != "" {
					out = append(out, s)
				}
			}
			out = append(out, h.Organ, h.Number)
			if len(h.Signers) > 0 {
				out = append(out, h.SignerText())
			}
		case KindAttachmentPage:
			out = append(out, b.Label, b.Runs[0].Text)
		case KindRecord:
			rec := b.Record
			for _, s := range []string{rec.CC, rec.Printer, rec.PrintDate} {
				if s != "" {
					out = append(out, s)
				}
			}
		default:
			var s strings.Builder
			for _, r := range b.Runs {
				s.WriteString(r.Text)
			}
			out = append(out, s.String())
		}
	}
	return out
}
