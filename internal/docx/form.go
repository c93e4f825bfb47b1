package docx

import (
	"fmt"
	"strconv"
	"strings"

	"gongwen/internal/compose"
	"gongwen/internal/spec"
	"gongwen/internal/typeset"
)

// The document form (GB/T 9704 7.2-7.4) as Word users build it: the 版头 in
// paragraphs on the grid slots the PDF uses (typeset.HeaderGeometry), the 标志 in
// red runs, the red separator as the bottom border of the 版头's last line, the
// seal as an anchored picture behind the text, and the 版记 in frames (w:framePr)
// pinned to the bottom of the last page, its rules their paragraphs' borders.

// Style IDs of the document form (the block at the end of styles.xml).
const (
	styleOrgan      = "OrganMark"
	styleNumber     = "DocumentNumber"
	styleHeaderLine = "HeaderLine"
	styleNote       = "Note"
	styleAttachPage = "AttachmentPageLabel"
	styleCopyTo     = "CopyTo"
	stylePrintLine  = "PrintLine"
)

// Seal media: one part, one relationship, however often it is shown.
const (
	sealPart = "word/media/seal.png"
	sealRel  = "rIdGongwenSeal"
	relsPart = "word/_rels/document.xml.rels"
	// noFooterRel is footer3.xml, the empty footer of the last section.
	noFooterRel = "rId6"
	emuPerPt    = 12700
	// anchorLineTwips is the height of the empty paragraph frames are anchored to at
	// the end of the document: one point, so that it never takes a line of the grid.
	anchorLineTwips = 20
)

// formState is what the body needs from outside the blocks: the seal to embed and
// how many pages the PDF put after the last body page for the 版记 (0, 1 or 2).
type formState struct {
	seal        []byte
	recordPages int
}

func eighthsPt(pt float64) int { return int(pt*8 + 0.5) }

// header writes the 版头 on the slots of page 1.
func (w *writer) header(h *compose.Header) error {
	g := typeset.HeaderGeometry(len(h.SignerLines()))
	slot := 0
	line := func(style, text, path, font string) error {
		w.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
		if text != "" {
			w.b.WriteString("<w:r>")
			if font != "" {
				w.b.WriteString(runFonts(font))
			}
			role := spec.RoleFangsong
			if font != "" {
				role = spec.RoleHei
			}
			if err := w.text(role, text, path); err != nil {
				return err
			}
			w.b.WriteString("</w:r>")
		}
		w.close()
		slot++
		return nil
	}
	for _, s := range []struct{ text, path, font string }{
		{h.CopyNumber, "/document/copyNumber", ""},
		{h.Secrecy, "/document/secrecy", spec.RoleHei.OfficialFont()},
		{h.Urgency, "/document/urgency", spec.RoleHei.OfficialFont()},
	} {
		if s.text != "" {
			if err := line(styleHeaderLine, s.text, s.path, s.font); err != nil {
				return err
			}
		}
	}
	// The 标志 fills the slots from its own down to the blank lines above the
	// 发文字号, on one exact line whose text sits where the PDF's does: its em box's
	// top spec.OrganTop below the type area.
	organTop := spec.OrganTop // a variable: int() of a constant would have to be exact
	organSlot := int(organTop / spec.LinePitch)
	for slot < organSlot {
		if err := line(styleHeaderLine, "", "", ""); err != nil {
			return err
		}
	}
	slots := g.NumberSlot - spec.NumberBlankLines - organSlot
	height := float64(slots) * spec.LinePitch
	scale := 100
	if wd := w.widthAt(spec.RoleTitle, h.Organ, spec.OrganSize, 0); wd > spec.TypeWidth {
		scale = int(spec.TypeWidth / wd * 100) // w:w, percent, rounded down to fit
	}
	w.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + styleOrgan + `"/><w:spacing w:before="0" w:after="0" w:line="` +
		strconv.Itoa(spec.Twips(height)) + `" w:lineRule="exact"/></w:pPr><w:r>`)
	// Lower the run from where an exact line puts its baseline to the PDF's.
	baseline := spec.OrganTop + spec.EmAscent*spec.OrganSize
	lineBottom := float64(organSlot+slots) * spec.LinePitch
	lower := spec.DocxExactDescentEm*spec.OrganSize - (lineBottom - baseline)
	// Red as a run property too, not only by the style: a reader that drops the
	// style still prints the 标志 red.
	w.b.WriteString(`<w:rPr><w:color w:val="` + spec.RedHex + `"/>`)
	if scale != 100 {
		w.b.WriteString(`<w:w w:val="` + strconv.Itoa(scale) + `"/>`)
	}
	if hp := spec.HalfPoints(lower); hp != 0 {
		w.b.WriteString(`<w:position w:val="` + strconv.Itoa(-hp) + `"/>`)
	}
	w.b.WriteString(`</w:rPr>`)
	if err := w.text(spec.RoleTitle, h.Organ, "/document/organ"); err != nil {
		return err
	}
	w.b.WriteString("</w:r></w:p>")
	slot += slots
	for slot < g.NumberSlot {
		if err := line(styleHeaderLine, "", "", ""); err != nil {
			return err
		}
	}
	sep := w.separator(g)
	if err := w.numberLine(h, sep.border); err != nil {
		return err
	}
	slot = g.LastSlot + 1
	// The first blank line gives back what the border added, so that the title
	// stays on the grid.
	fmt.Fprintf(&w.b, `<w:p><w:pPr><w:pStyle w:val="%s"/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="%d" w:lineRule="exact"/></w:pPr></w:p>`,
		styleHeaderLine, spec.LinePitchTwips-sep.height)
	slot++
	for slot < g.TitleSlot {
		if err := line(styleHeaderLine, "", "", ""); err != nil {
			return err
		}
	}
	return nil
}

// separatorBorder is the red separator as the bottom border of the 版头's last line
// (Word and LibreOffice draw a paragraph's bottom border w:space points below its
// last line, across the paragraph's full width, and add space and width to its
// height).
type separatorBorder struct {
	border string // the w:pBdr element
	height int    // twips the border adds to its paragraph
}

func (w *writer) separator(g typeset.Header) separatorBorder {
	below := g.SeparatorY - float64(g.LastSlot+1)*spec.LinePitch // from the line's bottom to the rule's centre
	space := max(0, int(below-spec.SeparatorWidth/2+0.5))        // whole points, as w:space takes them
	return separatorBorder{
		border: fmt.Sprintf(`<w:pBdr><w:bottom w:val="single" w:sz="%d" w:space="%d" w:color="%s"/></w:pBdr>`,
			eighthsPt(spec.SeparatorWidth), space, spec.RedHex),
		height: spec.Twips(float64(space) + float64(eighthsPt(spec.SeparatorWidth))/8),
	}
}

// numberLine writes the 发文字号, centred, or, in an upward report, one character
// in from the left with the 签发人 block at a tab stop so that it ends one character
// from the right edge; later lines of names stand under the first name. Positions
// are tab stops rather than indents so that the last line's bottom border (the
// separator) spans the type area. border goes on the last line.
func (w *writer) numberLine(h *compose.Header, border string) error {
	const noSnap = ""
	if len(h.Signers) == 0 {
		w.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + styleNumber + `"/>` + border + noSnap + `</w:pPr><w:r>`)
		if err := w.text(spec.RoleFangsong, h.Number, "/document/number"); err != nil {
			return err
		}
		w.b.WriteString("</w:r></w:p>")
		return nil
	}
	lines := h.SignerLines()
	label := w.widthPt(spec.RoleFangsong, spec.SignerLabel)
	names := 0.0
	for _, l := range lines {
		names = max(names, w.widthPt(spec.RoleKai, l))
	}
	typeWidth := float64(typeWidthTwips) / 20
	blockX := max(typeWidth-spec.SignerGapCells*spec.BodySize-label-names, typeWidth/2) // as the PDF: never left of the centre
	indent := spec.Twips(spec.NumberIndentCells * spec.BodySize)
	kai := runFonts(spec.RoleKai.OfficialFont())
	for i, l := range lines {
		bdr, snap := "", ""
		if i == len(lines)-1 {
			bdr, snap = border, noSnap
		}
		if i == 0 {
			fmt.Fprintf(&w.b, `<w:p><w:pPr><w:pStyle w:val="%s"/>%s<w:tabs><w:tab w:val="left" w:pos="%d"/><w:tab w:val="left" w:pos="%d"/></w:tabs>%s<w:jc w:val="left"/></w:pPr><w:r><w:tab/>`,
				styleNumber, bdr, indent, spec.Twips(blockX), snap)
			if err := w.text(spec.RoleFangsong, h.Number, "/document/number"); err != nil {
				return err
			}
			w.b.WriteString("</w:r><w:r><w:tab/>")
			if err := w.text(spec.RoleFangsong, spec.SignerLabel, "/document/signers"); err != nil {
				return err
			}
			w.b.WriteString("</w:r>")
		} else {
			fmt.Fprintf(&w.b, `<w:p><w:pPr><w:pStyle w:val="%s"/>%s<w:tabs><w:tab w:val="left" w:pos="%d"/></w:tabs>%s<w:jc w:val="left"/></w:pPr><w:r><w:tab/></w:r>`,
				styleHeaderLine, bdr, spec.Twips(blockX+label), snap)
		}
		w.b.WriteString("<w:r>" + kai)
		if err := w.text(spec.RoleKai, l, "/document/signers"); err != nil {
			return err
		}
		w.b.WriteString("</w:r></w:p>")
	}
	return nil
}

func runFonts(font string) string {
	return `<w:rPr><w:rFonts w:ascii="` + font + `" w:eastAsia="` + font + `" w:hAnsi="` + font + `" w:cs="` + font + `"/></w:rPr>`
}

// widthAt is the width of s in points at the given size with the given tracking.
func (w *writer) widthAt(role spec.Role, s string, size, tracking float64) float64 {
	var x float64
	for _, r := range s {
		_, adv, ok := w.m.Glyph(role, r)
		if !ok {
			adv = fallbackAdvance(r)
		}
		x += adv*size + tracking
	}
	return x
}

// sealedSignature writes the sealed signature of 7.3.5.1 as the PDF sets it: the
// same blank lines (typeset.SealBlankLines), the date four characters from the
// right edge, the name centred over it, and the seal behind the text, centred on
// the date, its centre typeset.SealCentreAbove the name line's top edge.
func (w *writer) sealedSignature(blk *compose.Block, keepDate bool) error {
	w.blank(typeset.SealBlankLines(blk.Seal.DiameterMM), true)
	typeWidth := float64(typeWidthTwips) / 20
	nameW := w.widthPt(spec.RoleFangsong, blk.Issuer)
	dateW := w.widthPt(spec.RoleFangsong, blk.Date)
	gap := spec.SealedDateRightGapCells * spec.BodySize
	centre := typeWidth - gap - dateW/2 // from the left margin
	nameRight := max(0, gap+(dateW-nameW)/2)
	r := blk.Seal.DiameterMM * spec.MM / 2
	fmt.Fprintf(&w.b, `<w:p><w:pPr><w:pStyle w:val="%s"/><w:keepNext/><w:ind w:leftChars="0" w:left="0" w:rightChars="0" w:right="%d" w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="right"/></w:pPr>`,
		styleSignature, spec.Twips(nameRight))
	w.sealAnchor(centre-r, -typeset.SealCentreAbove(blk.Seal.DiameterMM)-r, 2*r)
	if err := w.run(spec.RoleFangsong, blk.Issuer, "/issuer"); err != nil {
		return err
	}
	w.close()
	keep := ""
	if keepDate {
		keep = "<w:keepNext/>"
	}
	fmt.Fprintf(&w.b, `<w:p><w:pPr><w:pStyle w:val="%s"/>%s<w:ind w:leftChars="0" w:left="0" w:rightChars="0" w:right="%d" w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="right"/></w:pPr>`,
		styleSignatureDate, keep, spec.Twips(gap))
	if err := w.run(spec.RoleFangsong, blk.Date, blk.Path); err != nil {
		return err
	}
	w.close()
	w.form.seal = blk.Seal.PNG
	return nil
}

// sealAnchor writes the seal as a picture anchored to the paragraph, behind the
// text (behindDoc), x from the left margin and y from the paragraph's top, points.
func (w *writer) sealAnchor(x, y, d float64) {
	emu := func(pt float64) string { return strconv.FormatInt(int64(pt*emuPerPt+0.5*sign(pt)), 10) }
	size := emu(d)
	fmt.Fprintf(&w.b, `<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="1" locked="0" layoutInCell="1" allowOverlap="1">`+
		`<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:posOffset>%s</wp:posOffset></wp:positionH>`+
		`<wp:positionV relativeFrom="paragraph"><wp:posOffset>%s</wp:posOffset></wp:positionV>`+
		`<wp:extent cx="%s" cy="%s"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/><wp:docPr id="1" name="印章" descr="印章（样章）"/><wp:cNvGraphicFramePr/>`+
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="seal.png"/><pic:cNvPicPr/></pic:nvPicPr>`+
		`<pic:blipFill><a:blip r:embed="%s"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%s" cy="%s"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>`,
		emu(x), emu(y), size, size, sealRel, size, size)
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

// note writes the 附注 on the line after the date.
func (w *writer) note(blk *compose.Block) error {
	return w.paragraph(pPr{style: styleNote}, blk)
}

// attachmentPage starts an attachment's pages: "附件1" on a new page, its title on
// line 3, a blank line.
func (w *writer) attachmentPage(blk *compose.Block, issuer string) error {
	w.open(pPr{style: styleAttachPage})
	if err := w.run(spec.RoleHei, blk.Label, blk.Path); err != nil {
		return err
	}
	w.close()
	w.blank(spec.AttachmentTitleSlot-1, true)
	lines := typeset.TitleLines(blk.Runs[0].Text, issuer, w.m)
	w.open(pPr{style: styleTitle})
	if err := w.run(spec.RoleTitle, strings.Join(lines, "\n"), blk.Runs[0].Path); err != nil {
		return err
	}
	w.close()
	w.blank(spec.AttachmentTitleBlankLines, false)
	return nil
}

// record writes the 版记 in a frame pinned to the bottom of the type area. When the
// PDF puts it on a page of its own (after a blank page when recordPages is 2), the
// body's last paragraph ends a section and the 版记 is in a last section whose footer
// is empty: such pages carry no page number.
func (w *writer) record(rec *compose.Record, sectPr string) error {
	if w.form.recordPages > 0 {
		if err := w.endSection(sectPr); err != nil {
			return err
		}
		if w.form.recordPages > 1 {
			w.b.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
		}
	}
	// Each element is a frame at a fixed place on the page, its last line on the
	// type area's last grid line, text flowing through (so it moves no line), the
	// rules as its paragraph's borders: thick above the first element and under the
	// last, thin between. (LibreOffice 7.4 sets a bottom-aligned frame and a
	// floating table at the top of the page; a frame at a given position it sets
	// where it says.)
	thick, thin := eighthsPt(spec.RecordThick), eighthsPt(spec.RecordThin)
	border := func(side string, sz int) string {
		return fmt.Sprintf(`<w:%s w:val="single" w:sz="%d" w:space="0" w:color="000000"/>`, side, sz)
	}
	gap := spec.RecordGapCells * spec.RecordSize
	label := w.widthAt(spec.RoleFangsong, spec.CCLabel, spec.RecordSize, 0)
	ccLines := 0
	if rec.CC != "" {
		ccLines = w.ccLines(rec.CC, gap, label)
	}
	printLine := rec.Printer != "" || rec.PrintDate != ""
	lines := ccLines
	if printLine {
		lines++
	}
	slot := spec.GridLines - lines
	frame := func(n int) string {
		y := spec.DocxMarginTop + slot*spec.LinePitchTwips
		slot += n
		return fmt.Sprintf(`<w:framePr w:w="%d" w:h="%d" w:hRule="exact" w:wrap="through" w:hAnchor="margin" w:x="0" w:vAnchor="page" w:y="%d"/>`,
			typeWidthTwips, n*spec.LinePitchTwips, y)
	}
	if rec.CC != "" {
		bottom := border("bottom", thick)
		if printLine {
			bottom = border("bottom", thin)
		}
		fmt.Fprintf(&w.b, `<w:p><w:pPr><w:pStyle w:val="%s"/>%s<w:pBdr>%s%s</w:pBdr><w:ind w:leftChars="0" w:left="%d" w:rightChars="0" w:right="%d" w:hangingChars="0" w:hanging="%d" w:firstLineChars="0"/></w:pPr>`,
			styleCopyTo, frame(ccLines), border("top", thick), bottom, spec.Twips(gap+label), spec.Twips(gap), spec.Twips(label))
		if err := w.run(spec.RoleFangsong, rec.CC, "/document/cc"); err != nil {
			return err
		}
		w.close()
	}
	if printLine {
		top := ""
		if rec.CC == "" {
			top = border("top", thick)
		}
		fmt.Fprintf(&w.b, `<w:p><w:pPr><w:pStyle w:val="%s"/>%s<w:pBdr>%s%s</w:pBdr></w:pPr>`, stylePrintLine, frame(1), top, border("bottom", thick))
		if rec.Printer != "" {
			if err := w.run(spec.RoleFangsong, rec.Printer, "/document/printer"); err != nil {
				return err
			}
		}
		if rec.PrintDate != "" {
			w.b.WriteString("<w:r><w:tab/></w:r>")
			if err := w.run(spec.RoleFangsong, rec.PrintDate, "/document/printDate"); err != nil {
				return err
			}
		}
		w.close()
	}
	// The frames' anchor: a paragraph one point high, so that it takes no line.
	fmt.Fprintf(&w.b, `<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="%d" w:lineRule="exact"/></w:pPr></w:p>`, anchorLineTwips)
	return nil
}

// ccLines is how many lines the 抄送 takes, as the PDF breaks it.
func (w *writer) ccLines(cc string, gap, label float64) int {
	width := spec.TypeWidth - 2*gap
	n, x := 1, 0.0
	for _, r := range cc {
		adv := w.widthAt(spec.RoleFangsong, string(r), spec.RecordSize, 0)
		if x+adv > width+0.01 {
			n++
			x = label
		}
		x += adv
	}
	return n
}

// endSection ends the section on the body's last paragraph (a separate paragraph
// would take a line of its own), with the template's section properties: footers
// with page numbers.
func (w *writer) endSection(sectPr string) error {
	s := w.b.String()
	i := max(strings.LastIndex(s, "<w:p>"), strings.LastIndex(s, "<w:p/>"))
	if i < 0 || strings.LastIndex(s, "</w:tbl>") > i {
		w.b.WriteString("<w:p><w:pPr>" + sectPr + "</w:pPr></w:p>")
		return nil
	}
	var out string
	switch {
	case strings.HasPrefix(s[i:], "<w:p/>"):
		out = s[:i] + "<w:p><w:pPr>" + sectPr + "</w:pPr></w:p>" + s[i+len("<w:p/>"):]
	case strings.HasPrefix(s[i:], "<w:p><w:pPr>"):
		j := strings.Index(s[i:], "</w:pPr>")
		if j < 0 {
			return fmt.Errorf("docx: unexpected paragraph before the 版记")
		}
		out = s[:i+j] + sectPr + s[i+j:]
	default:
		out = s[:i+len("<w:p>")] + "<w:pPr>" + sectPr + "</w:pPr>" + s[i+len("<w:p>"):]
	}
	w.b.Reset()
	w.b.WriteString(out)
	return nil
}

// Paging is what the DOCX takes from the layout the PDF draws: how many pages the
// 版记 takes after the body's last page (the DOCX must break its pages where the PDF
// does, and only the layout knows whether the body ends on an odd page). The zero
// Paging is unknown: the DOCX then typesets a document that has a 版记 itself.
type Paging struct {
	recordPages int
	known       bool
}

// PagingOf reads what the DOCX needs from lay, the document typeset with the metrics
// the DOCX is given (as render typesets it for the PDF), so that the DOCX need not
// typeset it a second time. lay may be dropped afterwards.
func PagingOf(lay *typeset.Layout) Paging {
	if lay == nil {
		return Paging{}
	}
	p := Paging{known: true}
	for i := len(lay.Pages) - 1; i >= 0 && lay.Pages[i].Kind == typeset.RecordPage; i-- {
		p.recordPages++
	}
	return p
}

// formOf finds where the PDF puts the 版记: from p when known, else by typesetting
// a document that has one.
func formOf(doc *compose.Document, m typeset.Metrics, p Paging) (formState, error) {
	var f formState
	has := false
	for i := range doc.Blocks {
		if doc.Blocks[i].Kind == compose.KindRecord {
			has = true
		}
	}
	if !has {
		return f, nil
	}
	if !p.known {
		lay, err := typeset.Typeset(doc, m)
		if err != nil {
			return f, fmt.Errorf("docx: typeset for the 版记: %w", err)
		}
		p = PagingOf(lay)
	}
	f.recordPages = p.recordPages
	return f, nil
}

// templateSectPr is the template's section properties (footers with page numbers,
// page size, margins, grid), for a section that ends before the 版记's page.
func templateSectPr(content string) string {
	i := strings.LastIndex(content, "<w:sectPr>")
	j := strings.LastIndex(content, "</w:sectPr>")
	if i < 0 || j < i {
		return ""
	}
	s := content[i : j+len("</w:sectPr>")]
	// Comments inside are fine in XML but not needed twice.
	for {
		a := strings.Index(s, "<!--")
		if a < 0 {
			break
		}
		b := strings.Index(s[a:], "-->")
		if b < 0 {
			break
		}
		s = s[:a] + s[a+b+len("-->"):]
	}
	return s
}

// lastSectionUnnumbered points the last section's footers at the empty footer and
// lets its page numbers run on (no restart).
func lastSectionUnnumbered(content string) string {
	i := strings.LastIndex(content, "<w:sectPr>")
	if i < 0 {
		return content
	}
	tail := content[i:]
	tail = strings.Replace(tail, `r:id="rId4"`, `r:id="`+noFooterRel+`"`, 1)
	tail = strings.Replace(tail, `r:id="rId5"`, `r:id="`+noFooterRel+`"`, 1)
	if a := strings.Index(tail, "<w:pgNumType"); a >= 0 {
		if b := strings.Index(tail[a:], "/>"); b >= 0 {
			tail = tail[:a] + tail[a+b+len("/>"):]
		}
	}
	return content[:i] + tail
}

// sealRels adds the seal's relationship to the template's.
func sealRels(rels []byte) []byte {
	rel := `<Relationship Id="` + sealRel + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/seal.png"/>`
	s := string(rels)
	i := strings.LastIndex(s, "</Relationships>")
	if i < 0 {
		return rels
	}
	return []byte(s[:i] + rel + "\n" + s[i:])
}
