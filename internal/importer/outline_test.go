package importer

import (
	"fmt"
	"sort"
	"strings"

	"gongwen/internal/report"
)

// outline writes a report's structure as the corpus tests assert it: the head, then
// one line per section (indented by level, "runIn" marked, then its blocks: ¶ a
// paragraph's first 12 characters, ▦ a table's caption and size), then the tail
// (attachments, attachment pages, 附注, 版头 and 版记, seal).
func outline(r *report.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title %q\nissuer %q\nyear %d\n", r.Title, r.Issuer, r.Year)
	if r.Date != nil {
		fmt.Fprintf(&b, "date %s\n", r.Date.ISO())
	}
	if r.Addressee != "" {
		fmt.Fprintf(&b, "addressee %q\n", r.Addressee)
	}
	if r.Numbering != report.NumberingAuto {
		fmt.Fprintf(&b, "numbering %s\n", r.Numbering)
	}
	blocks := func(indent string, bs []report.Block) {
		for _, bl := range bs {
			if bl.Table != nil {
				fmt.Fprintf(&b, "%s▦ %q %dx%d\n", indent, bl.Table.Caption, len(bl.Table.Rows)+1, len(bl.Table.Header))
				continue
			}
			rs := []rune(bl.Paragraph)
			if len(rs) > 12 {
				rs = rs[:12]
			}
			fmt.Fprintf(&b, "%s¶ %s\n", indent, string(rs))
		}
	}
	blocks("", r.Preamble)
	var walk func([]report.Section)
	walk = func(ss []report.Section) {
		for _, s := range ss {
			indent := strings.Repeat("  ", s.Level-1)
			run := ""
			if s.RunIn {
				run = " [runIn]"
			}
			fmt.Fprintf(&b, "%s%s%s%s\n", indent, s.Number, s.Heading, run)
			blocks(indent+"  ", s.Body)
			walk(s.Sections)
		}
	}
	walk(r.Sections)
	for _, a := range r.Attachments {
		fmt.Fprintf(&b, "attachment %q\n", a)
	}
	for _, a := range r.AttachmentPages {
		fmt.Fprintf(&b, "attachment page %d %q\n", a.Number, a.Title)
		blocks("  ", a.Body)
	}
	if r.Note != "" {
		fmt.Fprintf(&b, "note %q\n", r.Note)
	}
	if d := r.Document; d != nil {
		fmt.Fprintf(&b, "document copy %q secrecy %q urgency %q organ %q number %q signers %q\n", d.CopyNumber, d.Secrecy, d.Urgency, d.Organ, d.Number, d.Signers)
		if d.HasRecord() {
			fmt.Fprintf(&b, "record cc %q printer %q printDate %v\n", d.CC, d.Printer, d.PrintDate)
		}
	}
	if r.Seal != nil {
		fmt.Fprintf(&b, "seal %d bytes %gmm\n", len(r.Seal.PNG), r.Seal.DiameterMM)
	}
	return b.String()
}

// codes lists the warnings as "place code" lines, sorted.
func codes(ws []Warning) string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Place+" "+w.Code)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}
