package docx

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"

	"gongwen/internal/compose"
	"gongwen/internal/report"
	"gongwen/internal/spare"
	"gongwen/internal/spec"
	"gongwen/internal/typeset"
	"gongwen/templates"
)

// Style IDs defined in templates/official/word/styles.xml (a test checks that every
// one exists). The body uses styles, not direct formatting, so that an editor who
// types a new paragraph gets the official format; the only direct formatting is what
// depends on the document: the signature block's computed offset (signature) and the
// hidden paragraph mark of a run-in heading.
const (
	styleTitle          = "Title"
	styleAddressee      = "Addressee"
	styleHeading        = "Heading" // + level 1-4
	styleRunInBody      = "RunInBody"
	styleAttachment     = "Attachment"
	styleAttachmentItem = "AttachmentItem"
	styleSignature      = "Signature"
	styleSignatureDate  = "SignatureDate"
	styleCaption        = "Caption" // Word's built-in caption (题注)
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
	b      textBuf
	m      typeset.Metrics
	tables int   // captions written so far
	used   *used // characters by role, for the embedded fonts (newUsed)
	form   formState
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
// It stops when ctx ends: it checks before every block and every 32 table rows (less
// than a page of the smallest rows).
func writeBody(ctx context.Context, doc *compose.Document, m typeset.Metrics, form formState, sectPr string) (body []byte, _ *used, _ []byte, err error) {
	w := &writer{m: m, form: form, ctx: ctx, used: newUsed()}
	w.b.b = getTextBuf()
	defer func() {
		if err != nil {
			putTextBuf(w.b.b)
		}
	}()
	w.b.Grow(estimateSize(doc))
	for i := range doc.Blocks {
		blk := &doc.Blocks[i]
		if err := w.cancelled(); err != nil {
			return nil, nil, nil, fmt.Errorf("docx: %w", err)
		}
		// The signature block does not start a page alone: the block before it keeps
		// its last line with it.
		// So does the attachment note, with the block before it (as the PDF keeps them).
		keep := i+1 < len(doc.Blocks) && (doc.Blocks[i+1].Kind == compose.KindSignature || doc.Blocks[i+1].Kind == compose.KindAttachments)
		var err error
		switch blk.Kind {
		case compose.KindTitle:
			err = w.title(blk, doc.Author)
		case compose.KindAddressee:
			err = w.paragraph(pPr{style: styleAddressee, keepNext: keep}, blk)
		case compose.KindHeading:
			if blk.Level < 1 || blk.Level > spec.MaxHeadingLevel {
				return nil, nil, nil, fmt.Errorf("docx: heading %s has level %d", blk.Path, blk.Level)
			}
			err = w.paragraph(pPr{style: styleHeading + strconv.Itoa(blk.Level), keepNext: keep}, blk)
		case compose.KindParagraph:
			if blk.Level > 0 {
				if blk.Level > spec.MaxHeadingLevel {
					return nil, nil, nil, fmt.Errorf("docx: run-in heading %s has level %d", blk.Path, blk.Level)
				}
				err = w.runIn(blk, keep)
				break
			}
			err = w.paragraph(pPr{keepNext: keep}, blk)
		case compose.KindTable:
			err = w.table(blk.Table)
			// Word merges adjacent tables into one: a blank grid line separates
			// them. A table that ends the body needs a paragraph after it, which the
			// PDF does not print: it is hidden and takes no line (LibreOffice set it
			// on a page of its own after a table that fills its last page).
			if next := i + 1; next == len(doc.Blocks) {
				w.b.WriteString(endParagraph)
			} else if doc.Blocks[next].Kind == compose.KindTable && doc.Blocks[next].Table != nil && doc.Blocks[next].Table.Caption == "" {
				w.blank(1, false)
			}
		case compose.KindAttachments:
			err = w.attachments(blk.Items, blk.Path, keep)
		case compose.KindSignature:
			// The date keeps with a 附注 after it, as the PDF keeps them (typeset: note).
			noteNext := i+1 < len(doc.Blocks) && doc.Blocks[i+1].Kind == compose.KindNote
			if blk.Seal != nil {
				err = w.sealedSignature(blk, noteNext)
			} else {
				err = w.signature(blk.Issuer, blk.Date, noteNext)
			}
		case compose.KindHeader:
			err = w.header(blk.Header)
		case compose.KindNote:
			err = w.note(blk)
		case compose.KindAttachmentPage:
			err = w.attachmentPage(blk, doc.Author)
		case compose.KindRecord:
			err = w.record(blk.Record, sectPr)
		default:
			err = fmt.Errorf("unknown block kind %d", blk.Kind)
		}
		if err != nil {
			return nil, nil, nil, fmt.Errorf("docx: %s %s: %w", blk.Kind, blk.Path, err)
		}
	}
	return w.b.b, w.used, w.form.seal, nil
}

// textBuf collects XML text, as a strings.Builder would, in memory the next render
// reuses: writeBody's buffer is taken from spareText and handed to its caller, who
// gives it back (putTextBuf) once the document's text is built from it (a Builder
// grown to estimateSize's generous estimate was a new 23 KB for Wuchuan's 13 KB
// body, and a copy of the body into a string 13 KB more).
type textBuf struct{ b []byte }

func (t *textBuf) WriteString(s string) (int, error) {
	t.b = append(t.b, s...)
	return len(s), nil
}

func (t *textBuf) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	return len(p), nil
}

func (t *textBuf) String() string { return string(t.b) }
func (t *textBuf) Reset()         { t.b = t.b[:0] }
func (t *textBuf) Grow(n int)     { t.b = slices.Grow(t.b, n) }

// spareText holds idle text buffers; one over maxScratch is dropped rather than kept.
var spareText = spare.New[[]byte](4)

func getTextBuf() []byte {
	b, _ := spareText.Get()
	return b[:0]
}

// putTextBuf gives b back; it must no longer be used.
func putTextBuf(b []byte) {
	if cap(b) > 0 && cap(b) <= maxScratch {
		spareText.Put(b)
	}
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
	// hiddenMark hides the paragraph mark (w:vanish + w:specVanish in its rPr): Word's
	// style separator, which joins the paragraph to the next on one line.
	hiddenMark bool
}

// open starts a paragraph. Properties are written in the schema's order (pStyle,
// keepNext, ind, rPr), which Word insists on. Alignment is always the style's.
func (w *writer) open(p pPr) {
	b := &w.b
	if p.style == "" && !p.keepNext && p.ind == "" && !p.hiddenMark {
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
	if p.hiddenMark {
		b.WriteString("<w:rPr><w:vanish/><w:specVanish/></w:rPr>")
	}
	b.WriteString("</w:pPr>")
}

func (w *writer) close() { w.b.WriteString("</w:p>") }

// endParagraph is the paragraph after a table that ends the body: off the grid, its
// mark hidden, one twip high.
const endParagraph = `<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="1" w:lineRule="exact"/>` +
	`<w:rPr><w:vanish/><w:sz w:val="1"/><w:szCs w:val="1"/></w:rPr></w:pPr></w:p>`

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

// run writes one run of text in the role's font (the paragraph style's: runs carry
// no formatting of their own), recording its characters for the embedded fonts.
func (w *writer) run(role spec.Role, text, path string) error {
	w.b.WriteString("<w:r>")
	if err := w.text(role, text, path); err != nil {
		return err
	}
	w.b.WriteString("</w:r>")
	return nil
}

// text writes text as the content of a w:r (writeText), recording its characters
// under role for the embedded fonts as it escapes them: one pass over the text
// rather than used.add's and the escaper's (about 40 instructions a CJK character).
func (w *writer) text(role spec.Role, text, path string) error {
	set, rare := w.used.of(role)
	return writeTextRecording(&w.b, text, path, set, rare)
}

// paragraph writes a block's runs as one paragraph.
func (w *writer) paragraph(p pPr, blk *compose.Block) error {
	return w.runs(p, blk.Runs)
}

func (w *writer) runs(p pPr, runs []compose.Run) error {
	w.open(p)
	for _, r := range runs {
		if err := w.run(r.Role, r.Text, r.Path); err != nil {
			return err
		}
	}
	w.close()
	return nil
}

// runIn writes a run-in heading ("（一）健全清单化履职机制。根据…") the way Word's style
// separator does: the heading is a paragraph of its own in the level's heading style
// whose paragraph mark is hidden, followed by the body text (style RunInBody), so
// that both print on one line while the navigation pane, a TOC field and pandoc see
// only the heading (the PDF's outline entry). A heading without body text is an
// ordinary heading paragraph.
func (w *writer) runIn(blk *compose.Block, keep bool) error {
	style := styleHeading + strconv.Itoa(blk.Level)
	if len(blk.Runs) < 2 {
		return w.paragraph(pPr{style: style, keepNext: keep}, blk)
	}
	if err := w.runs(pPr{style: style, hiddenMark: true}, blk.Runs[:1]); err != nil {
		return err
	}
	return w.runs(pPr{style: styleRunInBody, keepNext: keep}, blk.Runs[1:])
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
	if err := w.run(spec.RoleTitle, strings.Join(lines, "\n"), blk.Path); err != nil {
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
	w.blank(spec.AttachmentBlankLines, true)
	for i, it := range items {
		// The PDF keeps the note's lines together (and with what follows when keep).
		p := pPr{style: styleAttachmentItem, keepNext: i < len(items)-1 || keep}
		text := it
		if i == 0 {
			p.style, text = styleAttachment, spec.AttachmentLabel+it
		}
		w.open(p)
		if err := w.run(spec.RoleFangsong, text, path+"/"+strconv.Itoa(i)); err != nil {
			return err
		}
		w.close()
	}
	return nil
}

// signature writes the issuer and the date (GB/T 9704 7.3.5.2): the name right-aligned
// two characters from the right edge; the date starting two characters right of the
// name's first character; a date longer than that keeps the two-character right gap
// and the name moves left. The styles (templates: 发文机关署名, 成文日期) place the name
// and, through a right tab stop, a longer date; what depends on the text's width is
// computed here, measured with the PDF's metrics as Word sets body text (16 pt plus
// the body styles' tracking): the date's left indent, or in the longer-date case the
// name's right indent.
func (w *writer) signature(issuer, date string, keepDate bool) error {
	w.blank(spec.SignatureBlankLines, true)
	gap := spec.SignatureRightGapCells * spec.BodySize // Word's rightChars unit: the type size
	offset := spec.DateOffsetCells * (spec.BodySize + bodyTracking)
	typeWidth := float64(typeWidthTwips) / 20
	nameW := w.widthPt(spec.RoleFangsong, issuer)
	dateW := w.widthPt(spec.RoleFangsong, date)

	name := pPr{style: styleSignature, keepNext: true}
	dp := pPr{style: styleSignatureDate, keepNext: keepDate}
	dateText := date
	if offset+dateW <= nameW {
		// The date fits under the name: it starts offset right of the name's start.
		dp.ind = leftIndent(max(0, typeWidth-gap-nameW+offset))
	} else {
		// The date is longer: the style's right tab stop keeps its right gap; the
		// name ends where it starts offset left of the date.
		dateText = "\t" + date
		right := gap + dateW + offset - nameW
		name.ind = `w:rightChars="0" w:right="` + strconv.Itoa(spec.Twips(right)) + `" w:firstLineChars="0" w:firstLine="0"`
	}
	w.open(name)
	if err := w.run(spec.RoleFangsong, issuer, "/issuer"); err != nil {
		return err
	}
	w.close()
	w.open(dp)
	if err := w.run(spec.RoleFangsong, dateText, "/date"); err != nil {
		return err
	}
	w.close()
	return nil
}

// leftIndent is the w:ind attributes of a paragraph starting x points in, with no
// first-line indent; the character units are cleared so that Word uses the twips.
func leftIndent(x float64) string {
	return `w:leftChars="0" w:left="` + strconv.Itoa(spec.Twips(x)) + `" w:firstLineChars="0" w:firstLine="0"`
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
		if err := w.caption(t.Caption); err != nil {
			return err
		}
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
		if err := w.row(t.Header, widths, true, true, "/header"); err != nil {
			return err
		}
	}
	for i, row := range t.Rows {
		if i%32 == 31 {
			if err := w.cancelled(); err != nil {
				return err
			}
		}
		if err := w.row(row, widths, false, i == 0 && len(t.Header) == 0, "/rows/"+strconv.Itoa(i)); err != nil {
			return err
		}
	}
	b.WriteString("</w:tbl>")
	return nil
}

// caption writes a table's caption in Word's caption style. When it starts with the
// label 表 and the table's number in document order ("表1 执法情况"), the number is a
// SEQ 表 field showing that number, as Insert Caption makes it, so that a table of
// figures lists the table and updating fields changes nothing. Any other caption is
// kept as written.
func (w *writer) caption(text string) error {
	w.tables++
	w.open(pPr{style: styleCaption})
	defer w.close()
	rest, ok := strings.CutPrefix(text, captionLabel)
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	if !ok || n == 0 || rest[:n] != strconv.Itoa(w.tables) {
		return w.run(spec.RoleFangsong, text, "/caption")
	}
	b := &w.b
	w.used.add(spec.RoleFangsong, text)
	b.WriteString(`<w:r><w:t xml:space="preserve">` + captionLabel + `</w:t></w:r>`)
	b.WriteString(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> SEQ ` +
		captionLabel + ` \* ARABIC </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>`)
	b.WriteString(rest[:n])
	b.WriteString(`</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`)
	if rest[n:] == "" {
		return nil
	}
	return w.run(spec.RoleFangsong, rest[n:], "/caption")
}

// captionLabel is the label of table captions, Word's Chinese label for tables.
const captionLabel = "表"

func (w *writer) row(cells []string, widths []int, header, first bool, path string) error {
	b := &w.b
	b.WriteString("<w:tr>")
	oneLine := w.oneLine(cells, widths)
	if header || oneLine {
		b.WriteString("<w:trPr>")
		if oneLine {
			// LibreOffice adds the rule's width to a row's height, which made every
			// row 0.5 pt taller than the PDF's grid line and a long table a page
			// longer. A row whose cells surely hold one line each is exactly one grid
			// line high; others grow with their text as Word wraps it. The table's
			// top rule still adds its width above the first row (measured), so the
			// first row (and the header row repeated at the top of a page) is that
			// much lower.
			h := spec.LinePitchTwips
			if first {
				h -= spec.Twips(spec.TableRuleWidth)
			}
			b.WriteString(`<w:trHeight w:val="` + strconv.Itoa(h) + `" w:hRule="exact"/>`)
		}
		if header {
			b.WriteString("<w:tblHeader/>")
		}
		b.WriteString("</w:trPr>")
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
			if err := w.run(spec.RoleFangsong, text, path+"/"+strconv.Itoa(j)); err != nil {
				return err
			}
		}
		w.close()
		b.WriteString("</w:tc>")
	}
	b.WriteString("</w:tr>")
	return nil
}

// oneLine reports whether every cell's text surely fits on one line of its column in
// any reader: with half a character to spare, and 4 pt more for every change between
// CJK and half-width text (LibreOffice adds up to about 3 pt of space there).
func (w *writer) oneLine(cells []string, widths []int) bool {
	for j, c := range cells {
		if j >= len(widths) || strings.ContainsAny(c, "\n\t") {
			return false
		}
		spare := spec.BodySize / 2
		prev := -1
		for _, r := range c {
			wide := int(fallbackAdvance(r))
			if prev >= 0 && wide != prev {
				spare += 4
			}
			prev = wide
		}
		inner := float64(widths[j])/20 - 2*spec.TableCellPadding
		if w.widthPt(spec.RoleFangsong, c) > inner-spare {
			return false
		}
	}
	return true
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

// writeTextRecording writes text as the content of a w:r: w:t elements with every
// character escaped, "\n" as w:br (a forced line break) and "\t" as w:tab.
// Characters XML 1.0 forbids (and C1 controls, which readers mishandle) are refused,
// never dropped. It records every character of s as used.add does: in set those of
// the BMP, appended to rare those beyond it.
func writeTextRecording(b *textBuf, s, path string, set *charSet, rare *[]rune) error {
	for s != "" {
		switch c := s[0]; c {
		case '\n', '\t':
			set[0] |= 1 << c
			if c == '\n' {
				b.WriteString("<w:br/>")
			} else {
				b.WriteString("<w:tab/>")
			}
			s = s[1:]
		default:
			b.WriteString(`<w:t xml:space="preserve">`)
			n, err := escapeText(b, s, path, true, set, rare)
			if err != nil {
				return err
			}
			b.WriteString("</w:t>")
			s = s[n:]
		}
	}
	return nil
}

// escape writes s as XML character data.
func escape(b *textBuf, s, path string) error {
	var set charSet
	var rare []rune
	_, err := escapeText(b, s, path, false, &set, &rare)
	return err
}

// escapeText writes s as XML character data, up to its first "\n" or "\t" when
// stopAtBreak, and returns how many bytes of s it wrote, recording in set and rare
// the characters it wrote. It reads bytes, not runes: a well-formed three-byte
// sequence (every CJK character) needs no decoding, only the check for U+FFFE and
// U+FFFF.
func escapeText(b *textBuf, s, path string, stopAtBreak bool, set *charSet, rare *[]rune) (int, error) {
	last, i := 0, 0
	for i < len(s) {
		c := s[i]
		switch textClass[c] {
		case plainByte:
			set[c>>6] |= 1 << (c & 63)
			i++
			continue
		case lead3:
			// Runs of CJK characters: the commonest text, checked in a loop of their own.
			if j := templates.Run3(s, i); j > i {
				// Recorded four characters (twelve bytes) a step while they last: one
				// reslice and loop test for four, which were most of a character's cost.
				run := s[i:j]
				for ; len(run) >= 12; run = run[12:] {
					t := run[:12]
					r0 := uint(t[0]&0x0F)<<12 | uint(t[1]&0x3F)<<6 | uint(t[2]&0x3F)
					r1 := uint(t[3]&0x0F)<<12 | uint(t[4]&0x3F)<<6 | uint(t[5]&0x3F)
					r2 := uint(t[6]&0x0F)<<12 | uint(t[7]&0x3F)<<6 | uint(t[8]&0x3F)
					r3 := uint(t[9]&0x0F)<<12 | uint(t[10]&0x3F)<<6 | uint(t[11]&0x3F)
					set[r0>>6&(1<<10-1)] |= 1 << (r0 & 63)
					set[r1>>6&(1<<10-1)] |= 1 << (r1 & 63)
					set[r2>>6&(1<<10-1)] |= 1 << (r2 & 63)
					set[r3>>6&(1<<10-1)] |= 1 << (r3 & 63)
				}
				for ; len(run) >= 3; run = run[3:] {
					r := uint(run[0]&0x0F)<<12 | uint(run[1]&0x3F)<<6 | uint(run[2]&0x3F)
					set[r>>6&(1<<10-1)] |= 1 << (r & 63)
				}
				i = j
				continue
			}
		case markup:
			set[c>>6] |= 1 << (c & 63)
			b.WriteString(s[last:i])
			b.WriteString(markupEscapes[c])
			i++
			last = i
			continue
		case textBreak:
			if stopAtBreak {
				b.WriteString(s[last:i])
				return i, nil
			}
			set[0] |= 1 << c
			i++
			continue
		case control:
			return 0, fmt.Errorf("%s: character U+%04X cannot be written to a DOCX", path, c)
		}
		// Any other sequence: decoded.
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return 0, fmt.Errorf("%s: invalid UTF-8 at byte %d", path, i)
		case r <= 0x9F, r == 0xFFFE, r == 0xFFFF:
			return 0, fmt.Errorf("%s: character U+%04X cannot be written to a DOCX", path, r)
		case r < 1<<16:
			set[r>>6] |= 1 << (r & 63)
		default:
			*rare = append(*rare, r)
		}
		i += size
	}
	b.WriteString(s[last:])
	return len(s), nil
}

// The kinds of byte escapeText tells apart.
const (
	plainByte = iota // ASCII written as it is
	markup           // & < >, escaped
	textBreak        // "\n" and "\t"
	control          // the other C0 controls and DEL, refused
	lead3            // E1-EF but ED: a three-byte sequence templates.Char3 checks
	otherByte        // any other byte from 0x80 on: the sequence is decoded
)

var textClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c == '&' || c == '<' || c == '>':
			t[c] = markup
		case c == '\n' || c == '\t':
			t[c] = textBreak
		case c < 0x20 || c == 0x7F:
			t[c] = control
		case c < 0x80:
			t[c] = plainByte
		case templates.Lead3(byte(c)):
			t[c] = lead3
		default:
			t[c] = otherByte
		}
	}
	return t
}()

var markupEscapes = [256]string{'&': "&amp;", '<': "&lt;", '>': "&gt;"}
