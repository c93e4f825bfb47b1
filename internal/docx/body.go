package docx

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"

	"gongwen/internal/compose"
	"gongwen/internal/report"
	"gongwen/internal/spec"
	"gongwen/internal/typeset"
)

// Style IDs defined in templates/official/word/styles.xml (a test checks that every
// one exists). The body uses styles, not direct formatting, so that an editor who
// types a new paragraph gets the official format; the only direct formatting is what
// depends on the document: a run-in paragraph's outline level and the signature
// block's offsets.
const (
	styleTitle          = "Title"
	styleAddressee      = "Addressee"
	styleHeading        = "Heading"      // + level 1-4
	styleRunIn          = "RunInHeading" // + level 1-4 (character style)
	styleAttachment     = "Attachment"
	styleAttachmentItem = "AttachmentItem"
	styleSignature      = "Signature"
	styleSignatureDate  = "SignatureDate"
	styleTableCaption   = "TableCaption"
	styleTableText      = "TableText"
	styleTableNumber    = "TableNumber"
	styleTableHeading   = "TableHeading"
	styleTable          = "OfficialTable"
)

// Numbers: headings carry their literal number text ("一、", "（一）") from the
// composed document rather than Word list numbering, so Word, WPS and LibreOffice show
// exactly the numbers of the PDF and an editor's renumbering cannot drift silently.

// The type area's width in twips, and a body character as Word sets it (16 pt plus
// the -0.25 pt character spacing of the body styles).
const (
	typeWidthTwips = spec.DocxPageWidth - spec.DocxMarginLeft - spec.DocxMarginRight
	bodyTracking   = spec.DocxCharSpacing / 20.0 // points
)

type writer struct {
	b strings.Builder
	m typeset.Metrics
	// ctx stops the writer when the request ends; nil means never.
	ctx context.Context
}

// cancelled is the context's error, if it has ended.
func (w *writer) cancelled() error {
	if w.ctx == nil {
		return nil
	}
	return w.ctx.Err()
}

// writeBody renders the blocks as the WordprocessingML that replaces the template's
// body marker.
func writeBody(doc *compose.Document, m typeset.Metrics) (string, error) {
	return writeBodyContext(context.Background(), doc, m)
}

// writeBodyContext is writeBody that stops when ctx ends: it checks before every
// block and every 32 table rows (less than a page of the smallest rows).
func writeBodyContext(ctx context.Context, doc *compose.Document, m typeset.Metrics) (string, error) {
	w := &writer{m: m, ctx: ctx}
	w.b.Grow(estimateSize(doc))
	for i := range doc.Blocks {
		blk := &doc.Blocks[i]
		if err := w.cancelled(); err != nil {
			return "", fmt.Errorf("docx: %w", err)
		}
		// The signature block does not start a page alone: the block before it keeps
		// its last line with it.
		keep := i+1 < len(doc.Blocks) && doc.Blocks[i+1].Kind == compose.KindSignature
		var err error
		switch blk.Kind {
		case compose.KindTitle:
			err = w.title(blk, doc.Author)
		case compose.KindAddressee:
			err = w.paragraph(pPr{style: styleAddressee, keepNext: keep}, blk, "")
		case compose.KindHeading:
			if blk.Level < 1 || blk.Level > spec.MaxHeadingLevel {
				return "", fmt.Errorf("docx: heading %s has level %d", blk.Path, blk.Level)
			}
			err = w.paragraph(pPr{style: styleHeading + strconv.Itoa(blk.Level), keepNext: keep}, blk, "")
		case compose.KindParagraph:
			p, runIn := pPr{keepNext: keep}, ""
			if blk.Level > 0 {
				if blk.Level > spec.MaxHeadingLevel {
					return "", fmt.Errorf("docx: run-in heading %s has level %d", blk.Path, blk.Level)
				}
				// A run-in paragraph is a body paragraph whose first run is the
				// heading; its outline level puts it in the navigation pane, as the
				// PDF's outline lists it.
				p.level = blk.Level
				runIn = styleRunIn + strconv.Itoa(blk.Level)
			}
			err = w.paragraph(p, blk, runIn)
		case compose.KindTable:
			err = w.table(blk.Table)
			// Word merges adjacent tables into one and wants a paragraph after a
			// table that ends the body: a blank grid line separates them.
			if next := i + 1; next == len(doc.Blocks) ||
				doc.Blocks[next].Kind == compose.KindTable && doc.Blocks[next].Table != nil && doc.Blocks[next].Table.Caption == "" {
				w.blank(1, false)
			}
		case compose.KindAttachments:
			err = w.attachments(blk.Items, blk.Path, keep)
		case compose.KindSignature:
			err = w.signature(blk.Issuer, blk.Date)
		default:
			err = fmt.Errorf("unknown block kind %d", blk.Kind)
		}
		if err != nil {
			return "", fmt.Errorf("docx: %s %s: %w", blk.Kind, blk.Path, err)
		}
	}
	return w.b.String(), nil
}

func estimateSize(doc *compose.Document) int {
	n := 4096
	for i := range doc.Blocks {
		n += 256
		for _, r := range doc.Blocks[i].Runs {
			n += len(r.Text) + 64
		}
		if t := doc.Blocks[i].Table; t != nil {
			n += len(t.Caption) + 512
			for _, row := range append([][]string{t.Header}, t.Rows...) {
				for _, c := range row {
					n += len(c) + 192
				}
			}
		}
	}
	return n
}

// pPr is the paragraph properties the body sets. Zero values are left to the style.
type pPr struct {
	style    string
	keepNext bool
	ind      string // attributes of w:ind
	jc       string
	level    int // heading level 1-4 for w:outlineLvl (level-1); 0 for none
}

// open starts a paragraph. Properties are written in the schema's order (pStyle,
// keepNext, ind, jc, outlineLvl), which Word insists on.
func (w *writer) open(p pPr) {
	b := &w.b
	if p.style == "" && !p.keepNext && p.ind == "" && p.jc == "" && p.level == 0 {
		b.WriteString("<w:p>")
		return
	}
	b.WriteString("<w:p><w:pPr>")
	if p.style != "" {
		b.WriteString(`<w:pStyle w:val="`)
		b.WriteString(p.style)
		b.WriteString(`"/>`)
	}
	if p.keepNext {
		b.WriteString("<w:keepNext/>")
	}
	if p.ind != "" {
		b.WriteString("<w:ind ")
		b.WriteString(p.ind)
		b.WriteString("/>")
	}
	if p.jc != "" {
		b.WriteString(`<w:jc w:val="`)
		b.WriteString(p.jc)
		b.WriteString(`"/>`)
	}
	if p.level > 0 {
		b.WriteString(`<w:outlineLvl w:val="`)
		b.WriteString(strconv.Itoa(p.level - 1))
		b.WriteString(`"/>`)
	}
	b.WriteString("</w:pPr>")
}

func (w *writer) close() { w.b.WriteString("</w:p>") }

// blank writes n empty body lines (one grid line each).
func (w *writer) blank(n int, keepNext bool) {
	for range n {
		if keepNext {
			w.b.WriteString("<w:p><w:pPr><w:keepNext/></w:pPr></w:p>")
		} else {
			w.b.WriteString("<w:p/>")
		}
	}
}

// run writes one run; charStyle is a character style ID or "".
func (w *writer) run(charStyle, text, path string) error {
	w.b.WriteString("<w:r>")
	if charStyle != "" {
		w.b.WriteString(`<w:rPr><w:rStyle w:val="`)
		w.b.WriteString(charStyle)
		w.b.WriteString(`"/></w:rPr>`)
	}
	if err := writeText(&w.b, text, path); err != nil {
		return err
	}
	w.b.WriteString("</w:r>")
	return nil
}

// paragraph writes a block's runs as one paragraph; firstStyle styles the first run
// (the heading of a run-in paragraph).
func (w *writer) paragraph(p pPr, blk *compose.Block, firstStyle string) error {
	w.open(p)
	for i, r := range blk.Runs {
		style := ""
		if i == 0 {
			style = firstStyle
		}
		if err := w.run(style, r.Text, r.Path); err != nil {
			return err
		}
	}
	w.close()
	return nil
}

// title writes the title as one centred paragraph, its lines broken where the PDF
// breaks them (typeset.TitleLines), followed by the blank grid line(s) of the format.
func (w *writer) title(blk *compose.Block, issuer string) error {
	var text strings.Builder
	for _, r := range blk.Runs {
		text.WriteString(r.Text)
	}
	lines := typeset.TitleLines(text.String(), issuer, w.m)
	w.open(pPr{style: styleTitle})
	if err := w.run("", strings.Join(lines, "\n"), blk.Path); err != nil {
		return err
	}
	w.close()
	w.blank(spec.TitleBlankLines, false)
	return nil
}

// attachments writes the attachment note: a blank line, "附件：" and the first name
// two characters in, later names aligned under the first (styles Attachment and
// AttachmentItem).
func (w *writer) attachments(items []string, path string, keep bool) error {
	w.blank(spec.AttachmentBlankLines, false)
	for i, it := range items {
		p := pPr{style: styleAttachmentItem, keepNext: keep && i == len(items)-1}
		text := it
		if i == 0 {
			p.style, text = styleAttachment, spec.AttachmentLabel+it
		}
		w.open(p)
		if err := w.run("", text, path+"/"+strconv.Itoa(i)); err != nil {
			return err
		}
		w.close()
	}
	return nil
}

// signature writes the issuer and the date (GB/T 9704 7.3.5.2): the name right-aligned
// two characters from the right edge; the date starting two characters right of the
// name's first character; a date longer than that keeps the two-character right gap
// and the name moves left. The offsets depend on the text's width, measured with the
// PDF's metrics as Word sets body text (16 pt plus the body styles' tracking).
func (w *writer) signature(issuer, date string) error {
	w.blank(spec.SignatureBlankLines, true)
	gap := spec.SignatureRightGapCells * spec.BodySize // Word's rightChars unit: the type size
	offset := spec.DateOffsetCells * (spec.BodySize + bodyTracking)
	typeWidth := float64(typeWidthTwips) / 20
	nameW := w.widthPt(spec.RoleFangsong, issuer)
	dateW := w.widthPt(spec.RoleFangsong, date)

	name := pPr{style: styleSignature, keepNext: true}
	dp := pPr{style: styleSignatureDate}
	if offset+dateW <= nameW {
		// The date fits under the name: it starts offset right of the name's start.
		left := max(0, typeWidth-gap-nameW+offset)
		dp.ind = `w:leftChars="0" w:left="` + strconv.Itoa(spec.Twips(left)) + `" w:firstLineChars="0" w:firstLine="0"`
	} else {
		// The date is longer: it keeps the right gap, the name moves left.
		dp.ind = fmt.Sprintf(`w:rightChars="%d" w:right="%d" w:firstLineChars="0" w:firstLine="0"`,
			spec.SignatureRightGapCells*100, spec.Twips(gap))
		dp.jc = "right"
		right := gap + dateW + offset - nameW
		name.ind = `w:rightChars="0" w:right="` + strconv.Itoa(spec.Twips(right)) + `" w:firstLineChars="0" w:firstLine="0"`
	}
	w.open(name)
	if err := w.run("", issuer, "/issuer"); err != nil {
		return err
	}
	w.close()
	w.open(dp)
	if err := w.run("", date, "/date"); err != nil {
		return err
	}
	w.close()
	return nil
}

// widthPt is the width of s in points in body text as Word sets it.
func (w *writer) widthPt(role spec.Role, s string) float64 {
	var x float64
	for _, r := range s {
		_, adv, ok := w.m.Glyph(role, r)
		if !ok {
			adv = fallbackAdvance(r)
		}
		x += adv*spec.BodySize + bodyTracking
	}
	return x
}

// fallbackAdvance guesses an advance (in em) for a character the metrics lack.
func fallbackAdvance(r rune) float64 {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 1
	}
	return 0.5
}

// table writes a ruled, full-width table: optional caption above, header row repeated
// on every page (w:tblHeader), numeric cells centred, column widths from the cells'
// natural widths.
func (w *writer) table(t *report.Table) error {
	if t == nil {
		return fmt.Errorf("table block without a table")
	}
	if t.Caption != "" {
		w.open(pPr{style: styleTableCaption})
		if err := w.run("", t.Caption, "/caption"); err != nil {
			return err
		}
		w.close()
	}
	cols := len(t.Header)
	for _, row := range t.Rows {
		cols = max(cols, len(row))
	}
	if cols == 0 {
		return nil
	}
	widths := w.columnWidths(t, cols)
	b := &w.b
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="` + styleTable + `"/><w:tblW w:w="`)
	b.WriteString(strconv.Itoa(typeWidthTwips))
	b.WriteString(`" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>`)
	for _, cw := range widths {
		b.WriteString(`<w:gridCol w:w="`)
		b.WriteString(strconv.Itoa(cw))
		b.WriteString(`"/>`)
	}
	b.WriteString("</w:tblGrid>")
	if len(t.Header) > 0 {
		if err := w.row(t.Header, widths, true, "/header"); err != nil {
			return err
		}
	}
	for i, row := range t.Rows {
		if i%32 == 31 {
			if err := w.cancelled(); err != nil {
				return err
			}
		}
		if err := w.row(row, widths, false, "/rows/"+strconv.Itoa(i)); err != nil {
			return err
		}
	}
	b.WriteString("</w:tbl>")
	return nil
}

func (w *writer) row(cells []string, widths []int, header bool, path string) error {
	b := &w.b
	b.WriteString("<w:tr>")
	if header {
		b.WriteString("<w:trPr><w:tblHeader/></w:trPr>")
	}
	for j, cw := range widths {
		text := ""
		if j < len(cells) {
			text = cells[j]
		}
		b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="`)
		b.WriteString(strconv.Itoa(cw))
		b.WriteString(`" w:type="dxa"/></w:tcPr>`)
		style := styleTableText
		switch {
		case header:
			style = styleTableHeading
		case typeset.IsNumeric(text):
			style = styleTableNumber
		}
		w.open(pPr{style: style})
		if text != "" {
			if err := w.run("", text, path+"/"+strconv.Itoa(j)); err != nil {
				return err
			}
		}
		w.close()
		b.WriteString("</w:tc>")
	}
	b.WriteString("</w:tr>")
	return nil
}

// columnWidths takes the column widths from the PDF's typesetter, so that both
// outputs wrap cells alike, in twips that add up to the type area's width.
func (w *writer) columnWidths(t *report.Table, cols int) []int {
	pts := typeset.ColumnWidths(t, w.m)
	tw := make([]int, cols)
	used := 0
	for j := range tw {
		if j == cols-1 {
			tw[j] = typeWidthTwips - used
			break
		}
		if j < len(pts) {
			tw[j] = spec.Twips(pts[j])
		} else {
			tw[j] = spec.Twips(spec.Cell)
		}
		used += tw[j]
	}
	return tw
}

// writeText writes text as the content of a w:r: w:t elements with every character
// escaped, "\n" as w:br (a forced line break) and "\t" as w:tab. Characters XML 1.0
// forbids (and C1 controls, which readers mishandle) are refused, never dropped.
func writeText(b *strings.Builder, s, path string) error {
	for {
		i := strings.IndexAny(s, "\n\t")
		seg := s
		if i >= 0 {
			seg = s[:i]
		}
		if seg != "" {
			b.WriteString(`<w:t xml:space="preserve">`)
			if err := escape(b, seg, path); err != nil {
				return err
			}
			b.WriteString("</w:t>")
		}
		if i < 0 {
			return nil
		}
		if s[i] == '\n' {
			b.WriteString("<w:br/>")
		} else {
			b.WriteString("<w:tab/>")
		}
		s = s[i+1:]
	}
}

// escape writes s as XML character data.
func escape(b *strings.Builder, s, path string) error {
	last := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var rep string
		switch {
		case r == utf8.RuneError && size == 1:
			return fmt.Errorf("%s: invalid UTF-8 at byte %d", path, i)
		case r == '&':
			rep = "&amp;"
		case r == '<':
			rep = "&lt;"
		case r == '>':
			rep = "&gt;"
		case r < 0x20 && r != '\t' && r != '\n', r >= 0x7F && r <= 0x9F, r == 0xFFFE, r == 0xFFFF:
			return fmt.Errorf("%s: character U+%04X cannot be written to a DOCX", path, r)
		}
		if rep != "" {
			b.WriteString(s[last:i])
			b.WriteString(rep)
			last = i + size
		}
		i += size
	}
	b.WriteString(s[last:])
	return nil
}
