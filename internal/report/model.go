// Package report is the input contract: it decodes a report's JSON, validates it
// against the published JSON Schema and the rules a schema cannot say, normalises its
// text and numbers its headings. Everything downstream works on a *Report that has
// passed through Parse.
package report

// Report is a validated, normalised report. Text fields hold the text exactly as it
// is printed (NFC, LF line breaks, no leading or trailing white space in paragraphs).
type Report struct {
	Title       string    // may contain "\n": a forced title line break
	Issuer      string    // 发文机关
	Year        int       // year reported on
	Date        *Date     // 成文日期; nil when absent (then there is no signature block)
	Addressee   string    // 主送机关 line, "" when absent
	Preamble    []Block   // text before the first section
	Sections    []Section // at least one
	Attachments []string  // 附件 names, in order
	Numbering   string    // NumberingAuto or NumberingNone

	// The document form (all optional; see document.go).
	Document        *Document    // 版头 and 版记; nil for the published form
	Note            string       // 附注 without its parentheses; "" when absent
	Seal            *Seal        // the seal over the signature; requires Date
	AttachmentPages []Attachment // the attachments given as objects, in order
}

// Numbering modes.
const (
	NumberingAuto = "auto"
	NumberingNone = "none"
)

// Date is a calendar date. Render it with String: "2024年1月15日".
type Date struct {
	Year, Month, Day int
}

// Section is one heading with its body and subsections.
type Section struct {
	Path     string // JSON pointer of the section, e.g. "/sections/3/sections/0"
	Level    int    // 1..4
	Number   string // "一、", "（一）", "1.", "（1）"; "" when numbering is "none"
	Heading  string // the heading text without its number; run-in headings end with "。"
	RunIn    bool   // levels 2-4: the heading starts the first paragraph of Body
	Body     []Block
	Sections []Section
}

// Block is one paragraph or one table.
type Block struct {
	Path      string // JSON pointer of the block, e.g. "/sections/0/body/2"
	Paragraph string // the paragraph's text when Table is nil; may contain "\n"
	Table     *Table
}

// Table is a ruled table. Every row has len(Header) cells.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
}

// String formats the date as the standard requires: Arabic numerals, full year, no
// zero padding ("2024年1月15日").
func (d Date) String() string {
	return itoa(d.Year) + "年" + itoa(d.Month) + "月" + itoa(d.Day) + "日"
}

// ISO formats the date as "2024-01-15".
func (d Date) ISO() string {
	return pad(d.Year, 4) + "-" + pad(d.Month, 2) + "-" + pad(d.Day, 2)
}

func itoa(n int) string { return pad(n, 1) }

func pad(n, width int) string {
	var b [20]byte
	i := len(b)
	for n > 0 || len(b)-i < width {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
