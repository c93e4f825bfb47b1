package importer

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"

	"gongwen/internal/report"
)

// DOCX imports a report from a Word file (ECMA-376 WordprocessingML). Styles say what
// a paragraph is (Title, Heading 1–4 or an outline level, our own Addressee,
// Signature … styles); Word's automatic list numbering is resolved through
// numbering.xml into the numbers Word shows; tables become table blocks; text boxes
// are read; footnotes and comments are left out with a warning.
func DOCX(data []byte, opts Options) (*Result, error) {
	ws := &warnings{}
	// The zip's central directory is read before the size is judged, so that a large
	// file of another kind (an .odt with embedded fonts) gets the answer for its kind.
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if len(data) > MaxDOCXBytes {
			return nil, TooLarge(int64(len(data)))
		}
		return nil, invalid(report.KindMalformed, CodeNotDOCX, "不是有效的 DOCX 文件（zip 无法读取）："+err.Error()+"。Not a valid DOCX file (the zip cannot be read).", nil)
	}
	if m, err := readZip(zr, "mimetype"); err == nil && strings.HasPrefix(string(m), "application/vnd.oasis.opendocument") {
		return nil, invalid(report.KindMalformed, CodeNotDOCX, "这是 OpenDocument（.odt）文件：请另存为 .docx 后再导入。This is an OpenDocument (.odt) file: save it as .docx and import that.", nil)
	}
	if len(data) > MaxDOCXBytes {
		return nil, TooLarge(int64(len(data)))
	}
	main, err := mainPart(zr)
	if err != nil {
		return nil, invalid(report.KindMalformed, CodeNotDOCX, "不是有效的 DOCX 文件："+err.Error()+"。Not a valid DOCX file: "+err.Error()+".", nil)
	}
	dir := path.Dir(main)
	d := &docxReader{ws: ws, opts: opts, styles: map[string]*style{}, counters: map[string][]int{}, runInHead: -1}
	if b, err := readZip(zr, path.Join(dir, "styles.xml")); err == nil {
		d.readStyles(b)
	}
	if b, err := readZip(zr, path.Join(dir, "numbering.xml")); err == nil {
		d.readNumbering(b)
	}
	body, err := readZip(zr, main)
	if err != nil {
		return nil, invalid(report.KindMalformed, CodeNotDOCX, "DOCX 缺少正文："+err.Error()+"。The DOCX has no readable main document.", nil)
	}
	if err := d.readBody(body); err != nil {
		return nil, invalid(report.KindMalformed, CodeNotDOCX, "DOCX 正文不是有效的 XML："+err.Error()+"。The DOCX's document.xml is not well-formed XML.", ws.list)
	}
	if d.mergedErr != "" {
		return nil, invalid(report.KindInvalid, CodeMergedError, d.mergedErr, ws.list)
	}
	var m meta
	m.strict = d.hasStyle("Signature") && d.hasStyle("SignatureDate") && d.hasStyle("Attachment") && d.hasStyle("AttachmentItem") && d.hasStyle("Addressee")
	if d.sealRel != "" {
		m.seal = readSeal(zr, main, d.sealRel, d.sealCX)
	}
	if b, err := readZip(zr, "docProps/core.xml"); err == nil {
		var core struct {
			Creator string `xml:"creator"`
		}
		if xml.Unmarshal(b, &core) == nil {
			m.creator = strings.TrimSpace(core.Creator)
		}
	}
	return assemble(d.paras, "docx", opts, ws, m)
}

// MaxDOCXBytes bounds a Word file to import. It is larger than the 2 MB of report
// JSON (report.MaxInputBytes) because Word and LibreOffice embed fonts and pictures
// (a report saved with embedded fonts is 2–40 MB) and none of that is unpacked: only
// the parts read here are (document, styles, numbering, core properties, a seal
// image), each bounded by maxPartBytes, so the zip-bomb bound stays what it was.
const MaxDOCXBytes = 64 << 20

// TooLarge is the error for a Word file over MaxDOCXBytes.
func TooLarge(size int64) *report.InvalidError {
	return &report.InvalidError{Kind: report.KindTooLarge, Problems: []report.Problem{{Code: report.CodeTooLarge,
		Message: fmt.Sprintf("Word 文件过大：%d 字节，最多 %d 字节（64 MB）。The Word file is too large: %d bytes, at most %d (64 MB).",
			size, MaxDOCXBytes, size, MaxDOCXBytes)}}}
}

// maxPartBytes bounds one unpacked part: Word writes well under 10 MB of document.xml
// for a 2 MB file; more is a zip bomb.
const maxPartBytes = 32 << 20

func readZip(zr *zip.Reader, name string) ([]byte, error) {
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			// A part that unpacks to many times the input limit is a zip bomb.
			b, err := io.ReadAll(io.LimitReader(rc, maxPartBytes+1))
			if err == nil && len(b) > maxPartBytes {
				err = fmt.Errorf("%s unpacks to more than %d MB", name, maxPartBytes>>20)
			}
			return b, err
		}
	}
	return nil, fmt.Errorf("%s missing", name)
}

// mainPart finds the main document through [Content_Types].xml (word/document.xml
// in every file Word writes).
func mainPart(zr *zip.Reader) (string, error) {
	b, err := readZip(zr, "[Content_Types].xml")
	if err != nil {
		return "", errors.New("no [Content_Types].xml")
	}
	var ct struct {
		Overrides []struct {
			PartName    string `xml:"PartName,attr"`
			ContentType string `xml:"ContentType,attr"`
		} `xml:"Override"`
	}
	if err := xml.Unmarshal(b, &ct); err != nil {
		return "", fmt.Errorf("[Content_Types].xml: %v", err)
	}
	for _, o := range ct.Overrides {
		if strings.HasSuffix(o.ContentType, "wordprocessingml.document.main+xml") || strings.HasSuffix(o.ContentType, "wordprocessingml.template.main+xml") {
			return strings.TrimPrefix(o.PartName, "/"), nil
		}
	}
	return "", errors.New("no main document part (is it a Word file?)")
}

// style is what one paragraph or character style says.
type style struct {
	name, basedOn string
	aliases       []string // w:aliases, comma-separated in the file
	outline       int      // 0-8, -1 when not set
	numID, ilvl   string
	hasNum        bool
}

type level struct {
	start   int
	format  string
	text    string
	restart int
}

type docxReader struct {
	ws       *warnings
	opts     Options
	styles   map[string]*style
	abstract map[string]map[int]*level // abstractNumId → levels
	nums     map[string]string         // numId → abstractNumId
	starts   map[string]map[int]int    // numId → level → startOverride
	counters map[string][]int          // abstractNumId → current counters by level

	paras     []para
	nPara     int // body paragraphs so far (the place of a warning)
	nTable    int
	comments  int
	footnotes int
	mergedErr string
	tocWarned bool
	runInHead int // index in paras of the heading just added, -1 when the last was not one
	sealRel   string
	sealCX    int64
}

func attr(e xml.StartElement, local string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func (d *docxReader) readStyles(b []byte) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var cur *style
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		e, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch e.Name.Local {
		case "style":
			id, _ := attr(e, "styleId")
			cur = &style{outline: -1}
			d.styles[id] = cur
		case "name":
			if cur != nil {
				cur.name, _ = attr(e, "val")
			}
		case "aliases":
			if cur != nil {
				v, _ := attr(e, "val")
				for _, a := range strings.Split(v, ",") {
					if a = strings.TrimSpace(a); a != "" {
						cur.aliases = append(cur.aliases, a)
					}
				}
			}
		case "basedOn":
			if cur != nil {
				cur.basedOn, _ = attr(e, "val")
			}
		case "outlineLvl":
			if cur != nil {
				v, _ := attr(e, "val")
				cur.outline, _ = strconv.Atoi(v)
			}
		case "numId":
			if cur != nil {
				cur.numID, _ = attr(e, "val")
				cur.hasNum = true
			}
		case "ilvl":
			if cur != nil {
				cur.ilvl, _ = attr(e, "val")
			}
		}
	}
}

// ourStyles maps the Chinese names of our DOCX's custom styles to their style ids.
// Word keeps our ids and aliases; LibreOffice renames the ids (Style11) and drops
// the aliases but keeps the Chinese names, so a style is known by any of the three.
var ourStyles = map[string]string{
	"主送机关": "addressee", "接排正文": "runinbody", "附件说明": "attachment", "附件名称": "attachmentitem",
	"发文机关署名": "signature", "成文日期": "signaturedate", "表格文字": "tabletext", "表格数字": "tablenumber",
	"表格标题行": "tableheading", "公文表格": "officialtable", "发文机关标志": "organmark", "发文字号": "documentnumber",
	"版头项目": "headerline", "附注": "note", "附件标识": "attachmentpagelabel", "抄送": "copyto",
	"印发机关和印发日期": "printline",
}

// styleKeys are the lower-case names a style answers to: its name, its aliases, and
// our style id when the name is one of ours.
func styleKeys(s *style) []string {
	keys := []string{strings.ToLower(s.name)}
	for _, a := range s.aliases {
		keys = append(keys, strings.ToLower(a), strings.ToLower(strings.ReplaceAll(a, " ", "")))
	}
	if id, ok := ourStyles[s.name]; ok {
		keys = append(keys, id)
	}
	return keys
}

// hasStyle tells whether the file defines one of our styles, by id (ours, or Word's
// save of it) or by its Chinese name (LibreOffice's save).
func (d *docxReader) hasStyle(id string) bool {
	if _, ok := d.styles[id]; ok {
		return true
	}
	want := strings.ToLower(id)
	for _, s := range d.styles {
		for _, k := range styleKeys(s) {
			if k == want {
				return true
			}
		}
	}
	return false
}

// styleChain walks a style and the styles it is based on.
func (d *docxReader) styleChain(id string, f func(*style) bool) {
	for n := 0; id != "" && n < 20; n++ {
		s, ok := d.styles[id]
		if !ok || f(s) {
			return
		}
		id = s.basedOn
	}
}

func (d *docxReader) readNumbering(b []byte) {
	d.abstract, d.nums, d.starts = map[string]map[int]*level{}, map[string]string{}, map[string]map[int]int{}
	dec := xml.NewDecoder(bytes.NewReader(b))
	var absID, numID string
	var lvl *level
	overrideLvl := -1
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		e, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		v, _ := attr(e, "val")
		switch e.Name.Local {
		case "abstractNum":
			absID, _ = attr(e, "abstractNumId")
			numID = ""
			d.abstract[absID] = map[int]*level{}
		case "num":
			numID, _ = attr(e, "numId")
			absID = ""
		case "abstractNumId":
			if numID != "" {
				d.nums[numID] = v
			}
		case "lvl":
			il, _ := attr(e, "ilvl")
			n, _ := strconv.Atoi(il)
			lvl = &level{start: 1, format: "decimal", restart: -1}
			if absID != "" {
				d.abstract[absID][n] = lvl
			}
		case "lvlOverride":
			il, _ := attr(e, "ilvl")
			overrideLvl, _ = strconv.Atoi(il)
		case "startOverride":
			if numID != "" && overrideLvl >= 0 {
				if d.starts[numID] == nil {
					d.starts[numID] = map[int]int{}
				}
				d.starts[numID][overrideLvl], _ = strconv.Atoi(v)
			}
		case "start":
			if lvl != nil {
				lvl.start, _ = strconv.Atoi(v)
			}
		case "numFmt":
			if lvl != nil {
				lvl.format = v
			}
		case "lvlText":
			if lvl != nil {
				lvl.text = v
			}
		case "lvlRestart":
			if lvl != nil {
				lvl.restart, _ = strconv.Atoi(v)
			}
		}
	}
}

// label is the number Word shows for a paragraph of list numID at level ilvl, and
// advances the list's counters.
func (d *docxReader) label(numID string, ilvl int) string {
	abs, ok := d.nums[numID]
	if !ok || numID == "0" {
		return ""
	}
	levels := d.abstract[abs]
	lv := levels[ilvl]
	if lv == nil {
		return ""
	}
	c := d.counters[abs]
	if c == nil {
		c = make([]int, 9)
		for k := range c {
			c[k] = -1
		}
		d.counters[abs] = c
	}
	if c[ilvl] < 0 {
		c[ilvl] = lv.start
		if s, ok := d.starts[numID][ilvl]; ok {
			c[ilvl] = s
		}
	} else {
		c[ilvl]++
	}
	for k := ilvl + 1; k < len(c); k++ {
		c[k] = -1 // deeper levels restart
	}
	if lv.format == "none" || lv.format == "bullet" {
		return ""
	}
	out := lv.text
	for k := 0; k <= ilvl && k < 9; k++ {
		ph := "%" + strconv.Itoa(k+1)
		if !strings.Contains(out, ph) {
			continue
		}
		n := c[k]
		f := "decimal"
		if l := levels[k]; l != nil {
			f = l.format
			if n < 0 {
				n = l.start
			}
		}
		out = strings.ReplaceAll(out, ph, formatNumber(n, f))
	}
	return out
}

// formatNumber writes n in a w:numFmt (ECMA-376 17.18.59).
func formatNumber(n int, f string) string {
	switch f {
	case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "ideographDigital", "taiwaneseCounting", "taiwaneseCountingThousand":
		return report.ChineseNumeral(n)
	case "chineseLegalSimplified":
		return strings.NewReplacer("一", "壹", "二", "贰", "三", "叁", "四", "肆", "五", "伍", "六", "陆", "七", "柒", "八", "捌", "九", "玖", "十", "拾", "百", "佰", "千", "仟").Replace(report.ChineseNumeral(n))
	case "decimalFullWidth", "decimalFullWidth2":
		var b strings.Builder
		for _, r := range strconv.Itoa(n) {
			b.WriteRune(r - '0' + '０')
		}
		return b.String()
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	case "decimalEnclosedParen":
		return "（" + strconv.Itoa(n) + "）"
	case "lowerLetter", "upperLetter":
		s := string(rune('a' + (n-1)%26))
		if f == "upperLetter" {
			s = strings.ToUpper(s)
		}
		return s
	case "lowerRoman", "upperRoman":
		s := roman(n)
		if f == "lowerRoman" {
			s = strings.ToLower(s)
		}
		return s
	}
	return strconv.Itoa(n)
}

func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// pData is what one w:p holds.
type pData struct {
	styleID      string
	numID        string
	ilvl         int
	hasNum       bool
	outline      int
	text         strings.Builder
	runIn        strings.Builder // leading runs in a run-in heading character style
	runInOpen    bool            // still reading the leading runs
	breaks       int
	boxes        [][]*pData // text boxes found in the paragraph
	hasFootnotes bool
	// markHidden: the paragraph mark is hidden (w:vanish in pPr/rPr), Word's style
	// separator: the paragraph shares its line with the next one.
	markHidden bool
	// blip and extentCX: the first picture in the paragraph (its relationship id and
	// its width in EMU), a seal when the paragraph is the signature.
	blip     string
	extentCX int64
}

func (d *docxReader) readBody(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		e, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch e.Name.Local {
		case "p":
			d.nPara++
			at := place{para: d.nPara}
			p, err := d.readParagraph(dec)
			if err != nil {
				return err
			}
			d.addParagraph(p, at)
			for _, box := range p.boxes {
				d.ws.add(at, CodeTextBox, "读取了文本框中的文字，放在本段之后。Read the text in a text box and placed it after this paragraph.")
				for _, bp := range box {
					d.addParagraph(bp, at)
				}
			}
		case "tbl":
			d.nTable++
			if err := d.readTable(dec, place{table: d.nTable}); err != nil {
				return err
			}
		case "Fallback", "sectPr", "del":
			if err := dec.Skip(); err != nil {
				return err
			}
		}
	}
}

// addParagraph classifies one paragraph by its style and adds it.
func (d *docxReader) addParagraph(p *pData, at place) {
	text := p.text.String()
	pr := para{at: at}
	outline := p.outline
	numID, ilvl, hasNum := p.numID, p.ilvl, p.hasNum
	names := []string{}
	d.styleChain(p.styleID, func(s *style) bool {
		names = append(names, styleKeys(s)...)
		if outline < 0 && s.outline >= 0 {
			outline = s.outline
		}
		if !hasNum && s.hasNum {
			numID, hasNum = s.numID, true
			ilvl, _ = strconv.Atoi(s.ilvl)
		}
		return false
	})
	id := strings.ToLower(p.styleID)
	names = append(names, id)
	has := func(want ...string) bool {
		for _, n := range names {
			for _, w := range want {
				if n == w {
					return true
				}
			}
		}
		return false
	}
	for _, n := range names {
		if strings.HasPrefix(n, "toc ") || strings.HasPrefix(n, "toc") && len(n) == 4 || n == "toc heading" || strings.HasPrefix(n, "目录") {
			if !d.tocWarned {
				d.ws.add(at, CodeTOC, "目录未导入（生成的文件按标题自带导航）。The table of contents was left out (headings are navigable in the output).")
				d.tocWarned = true
			}
			return
		}
	}
	switch {
	case has("title", "标题"):
		pr.hint = kindTitle
	case has("addressee"):
		pr.hint = kindAddressee
	case has("attachment"):
		pr.hint = kindAttachment
	case has("attachmentitem", "attachment item"):
		pr.hint = kindAttachmentItem
	case has("signature"):
		pr.hint = kindSignature
	case has("signaturedate", "signature date"):
		pr.hint = kindDate
	case has("tablecaption", "table caption", "caption", "题注"):
		pr.hint = kindCaption
	case has("headerline", "header line"):
		pr.hint = kindHeaderLine
	case has("organmark", "organ mark"):
		pr.hint = kindOrgan
	case has("documentnumber", "document number"):
		pr.hint = kindDocNumber
	case has("note"):
		pr.hint = kindNote
	case has("attachmentpagelabel", "attachment page label"):
		pr.hint = kindAttachmentLabel
	case has("printline", "print line"): // before 抄送: its style is based on it
		pr.hint = kindPrintLine
	case has("copyto", "copy to"):
		pr.hint = kindCopyTo
	case outline >= 0 && outline <= 8:
		pr.hint, pr.level = kindHeading, outline+1
	default:
		for n := 1; n <= 9; n++ {
			if has("heading "+strconv.Itoa(n), "heading"+strconv.Itoa(n), "标题 "+strconv.Itoa(n)) {
				pr.hint, pr.level = kindHeading, n
			}
		}
	}
	if hasNum {
		if l := d.label(numID, ilvl); l != "" {
			text = l + text
			if pr.hint == kindHeading && pr.level == 0 {
				pr.level = ilvl + 1
			}
		}
	}
	if pr.hint == kindHeading && pr.level > report.MaxLevels {
		pr.hint, pr.level = kindNone, 0
	}
	text = trimLine(text)
	if p.breaks > 0 && (pr.hint == kindHeading || pr.hint == kindAddressee || pr.hint == kindSignature || pr.hint == kindDate) {
		d.ws.add(at, CodeLineBreak, "删除了标题或署名中的 %d 处换行。Removed %d line break(s) from a heading or signature line.", p.breaks, p.breaks)
		text = strings.ReplaceAll(text, "\n", "")
	}
	if text == "" {
		return
	}
	if pr.hint != kindTitle && isChrome(text) {
		d.ws.add(at, CodeChrome, "删除了网页附带的内容“%s”。Removed web-page text (navigation, metadata or buttons).", text)
		return
	}
	if pr.hint == kindSignature && p.blip != "" && d.sealRel == "" {
		d.sealRel, d.sealCX = p.blip, p.extentCX
	}
	if pr.hint == kindPrintLine {
		pr.text = text // the tab between 印发机关 and 印发日期 is layout, not a typing slip
	} else {
		pr.text = repairLines(text, at, d.ws)
	}
	if p.runIn.Len() > 0 && pr.hint == kindHeading {
		pr.runIn = repairLines(trimLine(p.runIn.String()), at, &warnings{})
	}
	// A run-in heading as Word's style separator: the heading paragraph (its mark
	// hidden), then the body in 接排正文 (RunInBody). LibreOffice keeps the hidden mark
	// and the style's Chinese name; either one joins the two into one run-in heading.
	if h := d.runInHead; h >= 0 && h == len(d.paras)-1 && pr.hint != kindHeading && (has("runinbody") || d.paras[h].hidden) {
		d.runInHead = -1
		d.paras[h].runIn = d.paras[h].text
		d.paras[h].text += pr.text
		return
	}
	d.runInHead = -1
	if pr.hint == kindHeading {
		pr.hidden = p.markHidden
		d.runInHead = len(d.paras)
	}
	d.paras = append(d.paras, pr)
}

func repairLines(s string, at place, ws *warnings) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = repair(l, at, ws)
	}
	return strings.Join(lines, "\n")
}

// readParagraph reads a w:p up to its end element.
func (d *docxReader) readParagraph(dec *xml.Decoder) (*pData, error) {
	p := &pData{outline: -1, runInOpen: true}
	depth := 1
	var runStyle string
	inRun := false
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			v, _ := attr(e, "val")
			switch e.Name.Local {
			case "pStyle":
				p.styleID = v
			case "numId":
				p.numID, p.hasNum = v, true
			case "ilvl":
				p.ilvl, _ = strconv.Atoi(v)
			case "outlineLvl":
				p.outline, _ = strconv.Atoi(v)
			case "r":
				inRun, runStyle = true, ""
			case "rStyle":
				runStyle = v
			case "t":
				var s string
				if err := dec.DecodeElement(&s, &e); err != nil {
					return nil, err
				}
				p.text.WriteString(s)
				if p.runInOpen && inRun && d.isRunInStyle(runStyle) {
					p.runIn.WriteString(s)
				} else {
					p.runInOpen = false
				}
				continue
			case "tab":
				if inRun {
					p.text.WriteString(" ")
				}
			case "br", "cr":
				if t, _ := attr(e, "type"); t != "page" && t != "column" {
					p.text.WriteString("\n")
					p.breaks++
				}
			case "blip":
				if id, ok := attr(e, "embed"); ok && p.blip == "" {
					p.blip = id
				}
			case "extent":
				if cx, ok := attr(e, "cx"); ok && p.extentCX == 0 {
					p.extentCX, _ = strconv.ParseInt(cx, 10, 64)
				}
			case "noBreakHyphen":
				p.text.WriteString("-")
			case "footnoteReference", "endnoteReference":
				d.footnotes++
				d.ws.add(place{para: d.nPara}, CodeFootnote, "脚注/尾注未导入（报告格式不含脚注），请将其内容写入正文。A footnote or endnote was left out (the report format has none); put its text into the body.")
			case "commentReference":
				d.comments++
				d.ws.add(place{para: d.nPara}, CodeComment, "批注未导入。A comment was left out.")
			case "del", "moveFrom":
				d.ws.add(place{para: d.nPara}, CodeTrackedDeletion, "修订中已删除的文字未导入。Text deleted with tracked changes was left out.")
				if err := dec.Skip(); err != nil {
					return nil, err
				}
				continue
			case "instrText", "delText", "Fallback", "rPr", "pPrChange", "rPrChange":
				if e.Name.Local == "rPr" {
					// rStyle lives in rPr: read it, skip the rest.
					vanish, err := d.readRPr(dec, &runStyle)
					if err != nil {
						return nil, err
					}
					if !inRun && vanish {
						p.markHidden = true // the rPr of pPr: the paragraph mark's
					}
					continue
				}
				if err := dec.Skip(); err != nil {
					return nil, err
				}
				continue
			case "txbxContent":
				box, err := d.readBox(dec)
				if err != nil {
					return nil, err
				}
				p.boxes = append(p.boxes, box)
				continue
			}
			depth++
		case xml.EndElement:
			depth--
			if e.Name.Local == "r" {
				inRun = false
			}
		}
	}
	return p, nil
}

// readRPr reads a w:rPr: the run style, and whether it hides the text (w:vanish,
// unless w:val is false).
func (d *docxReader) readRPr(dec *xml.Decoder, runStyle *string) (vanish bool, err error) {
	depth := 1
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return false, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "rStyle":
				*runStyle, _ = attr(e, "val")
			case "vanish":
				v, _ := attr(e, "val")
				vanish = v != "0" && v != "false" && v != "off"
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return vanish, nil
}

// isRunInStyle: our DOCX marks a run-in heading with the character styles
// RunInHeading1–4 (LibreOffice keeps their names when it saves).
func (d *docxReader) isRunInStyle(id string) bool {
	if id == "" {
		return false
	}
	if strings.HasPrefix(strings.ToLower(id), "runinheading") {
		return true
	}
	if s, ok := d.styles[id]; ok && strings.HasPrefix(strings.ToLower(strings.ReplaceAll(s.name, " ", "")), "run-inheading") {
		return true
	}
	return false
}

// readBox reads the paragraphs of a text box (w:txbxContent).
func (d *docxReader) readBox(dec *xml.Decoder) ([]*pData, error) {
	var out []*pData
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Local == "p" {
				p, err := d.readParagraph(dec)
				if err != nil {
					return nil, err
				}
				out = append(out, p)
			} else if e.Name.Local == "tbl" {
				if err := dec.Skip(); err != nil {
					return nil, err
				}
			}
		case xml.EndElement:
			if e.Name.Local == "txbxContent" {
				return out, nil
			}
		}
	}
}

// readTable reads a w:tbl: the first row is the header. Merged cells are split (the
// text stays in the first cell) with a warning, or are an error naming the table.
func (d *docxReader) readTable(dec *xml.Decoder, at place) error {
	var rows [][]string
	var row []string
	var cell []string
	span, vcont := 1, false
	merged := 0
	nested := false
	depth := 1
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "tr":
				row = nil
			case "tc":
				cell, span, vcont = nil, 1, false
			case "gridSpan":
				v, _ := attr(e, "val")
				if n, err := strconv.Atoi(v); err == nil && n > 1 {
					span = n
				}
			case "vMerge":
				if v, _ := attr(e, "val"); v != "restart" {
					vcont = true
				}
			case "tbl":
				nested = true
			case "p":
				d.nPara++
				p, err := d.readParagraph(dec)
				if err != nil {
					return err
				}
				if t := trimLine(strings.ReplaceAll(p.text.String(), "\n", "")); t != "" {
					cell = append(cell, repair(t, at, d.ws))
				}
				continue
			}
			depth++
		case xml.EndElement:
			depth--
			switch e.Name.Local {
			case "tc":
				if len(cell) > 1 {
					d.ws.add(at, CodeTableCell, "表格单元格中的 %d 段文字合为一段。Joined the %d paragraphs of a table cell.", len(cell), len(cell))
				}
				text := strings.Join(cell, "")
				if vcont {
					merged++
					text = ""
				}
				row = append(row, text)
				for k := 1; k < span; k++ {
					row = append(row, "")
				}
				if span > 1 {
					merged++
				}
			case "tr":
				if depth == 1 {
					rows = append(rows, row)
				}
			}
		}
	}
	if nested {
		d.ws.add(at, CodeTableCell, "表格中嵌套的表格已并入单元格文字。A table nested in this table was read as cell text.")
	}
	if merged > 0 {
		if d.opts.MergedCellsError {
			d.mergedErr = fmt.Sprintf("第 %d 个表格有 %d 处合并单元格，报告格式的表格不能合并单元格：请拆分后再导入。Table %d has %d merged cell(s); report tables cannot merge cells: split them and import again.",
				at.table, merged, at.table, merged)
		} else {
			d.ws.add(at, CodeMergedCells, "第 %d 个表格的 %d 处合并单元格已拆分，文字留在第一个单元格中，请核对。Split %d merged cell(s) of table %d; the text stays in the first cell; please check.",
				at.table, merged, merged, at.table)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	for k := range rows {
		if len(rows[k]) < width {
			d.ws.add(at, CodeTableRagged, "表格第 %d 行少于 %d 格：已补空格。Row %d of the table has fewer than %d cells: padded.", k+1, width, k+1, width)
			for len(rows[k]) < width {
				rows[k] = append(rows[k], "")
			}
		}
	}
	t := &table{rows: rows}
	if k := len(d.paras) - 1; k >= 0 && d.paras[k].table == nil && (d.paras[k].hint == kindCaption || captionLine.Get().MatchString(d.paras[k].text)) {
		t.caption = d.paras[k].text
		d.paras = d.paras[:k]
	}
	d.paras = append(d.paras, para{table: t, at: at})
	return nil
}

// readSeal reads the picture anchored at the signature: the seal of the sealed
// signature (GB/T 9704 7.3.5.1), its diameter the drawing's width (36000 EMU a
// millimetre). Only a PNG is taken; report.Parse checks it like any seal.
func readSeal(zr *zip.Reader, main, rel string, cx int64) *sealJSON {
	b, err := readZip(zr, path.Join(path.Dir(main), "_rels", path.Base(main)+".rels"))
	if err != nil {
		return nil
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
			Mode   string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(b, &rels) != nil {
		return nil
	}
	for _, r := range rels.Rel {
		if r.ID != rel || r.Mode == "External" {
			continue
		}
		target := path.Join(path.Dir(main), r.Target)
		if strings.HasPrefix(r.Target, "/") {
			target = strings.TrimPrefix(r.Target, "/")
		}
		img, err := readZip(zr, target)
		if err != nil || !bytes.HasPrefix(img, []byte("\x89PNG\r\n\x1a\n")) {
			return nil
		}
		s := &sealJSON{PNG: base64.StdEncoding.EncodeToString(img), DiameterMM: report.DefaultSealDiameterMM}
		if cx > 0 {
			s.DiameterMM = math.Round(float64(cx)/36000*10) / 10
		}
		return s
	}
	return nil
}
