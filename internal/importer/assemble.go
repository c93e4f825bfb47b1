package importer

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongwen/internal/fonts"
	"gongwen/internal/lazyre"
	"gongwen/internal/report"
	"gongwen/internal/typeset"
)

// kind is what the source says a paragraph is (a DOCX style); kindNone leaves it to
// the text.
type kind int

const (
	kindNone kind = iota
	kindBody      // a body paragraph, whatever its text looks like
	kindTitle
	kindHeading // level from the style or outline level
	kindAddressee
	kindAttachment
	kindAttachmentItem
	kindSignature
	kindDate
	kindCaption
	kindHeaderLine      // 版头项目: 份号, 密级, 紧急程度
	kindOrgan           // 发文机关标志
	kindDocNumber       // 发文字号 (and 签发人)
	kindNote            // 附注
	kindAttachmentLabel // 附件标识 "附件1" on an attachment page
	kindCopyTo          // 抄送
	kindPrintLine       // 印发机关和印发日期
)

// para is one paragraph or table of the input, in order.
type para struct {
	text  string
	at    place
	hint  kind
	level int    // kindHeading: 1-4
	runIn string // DOCX: the leading text styled as a run-in heading
	// hidden: DOCX, a heading whose paragraph mark is hidden (a style separator)
	hidden bool
	table  *table
	soft   bool // text input: the paragraph may be a piece of one split at a page break
	// wrap is set in text wrapped at a fixed width (extracted from a PDF line by line):
	// wrapFull for a line that reaches the width (its paragraph goes on), wrapShort for
	// one that ends its paragraph.
	wrap      wrapKind
	wrapWidth float64 // the wrap width, in character cells
}

type wrapKind int8

const (
	wrapNone wrapKind = iota
	wrapFull
	wrapShort
)

type table struct {
	caption string
	rows    [][]string
}

// The report JSON the assembler writes, in the contract's field names.
type doc struct {
	Title       string     `json:"title"`
	Issuer      string     `json:"issuer"`
	Year        int        `json:"year"`
	Date        string     `json:"date,omitempty"`
	Addressee   string     `json:"addressee,omitempty"`
	Numbering   string     `json:"numbering,omitempty"`
	Preamble    []any      `json:"preamble,omitempty"`
	Sections    []*section `json:"sections"`
	Attachments []any      `json:"attachments,omitempty"`
	Document    *docForm   `json:"document,omitempty"`
	Note        string     `json:"note,omitempty"`
	Seal        *sealJSON  `json:"seal,omitempty"`

	preambleAt []place
}

type section struct {
	Heading  string     `json:"heading"`
	RunIn    bool       `json:"runIn,omitempty"`
	Body     []any      `json:"body,omitempty"`
	Sections []*section `json:"sections,omitempty"`

	at     place
	bodyAt []place
	level  int
	number string // the number as the input had it ("" when none)
}

type tableJSON struct {
	Table struct {
		Caption string     `json:"caption,omitempty"`
		Header  []string   `json:"header"`
		Rows    [][]string `json:"rows"`
	} `json:"table"`
}

func tableBlock(t *table) tableJSON {
	var tj tableJSON
	tj.Table.Caption = t.caption
	tj.Table.Header = t.rows[0]
	tj.Table.Rows = t.rows[1:]
	if tj.Table.Rows == nil {
		tj.Table.Rows = [][]string{}
	}
	return tj
}

// meta is what a file says about itself beside its text (a DOCX's core properties).
type meta struct {
	creator string // dc:creator, used as the issuer when it names an organ
	// strict: the file has Gongwen's own styles (our DOCX, or one saved from it), which
	// mark every part; an unstyled paragraph is body text, whatever it looks like
	// (a paragraph "附件：……" is not the attachment note).
	strict bool
	seal   *sealJSON // the picture anchored at the signature (DOCX)
}

// assemble recognises the parts of a report in ps and writes its JSON.
func assemble(ps []para, source string, opts Options, ws *warnings, m meta) (*Result, error) {
	var kept []para
	for _, p := range ps {
		if p.table != nil || strings.TrimSpace(p.text) != "" {
			kept = append(kept, p)
		}
	}
	ps = kept
	if m.strict {
		for k := range ps {
			if ps[k].hint == kindNone {
				ps[k].hint = kindBody
			}
		}
	}
	if len(ps) == 0 {
		return nil, invalid(report.KindInvalid, CodeEmpty, "输入中没有文字。The input holds no text.", ws.list)
	}
	d := &doc{Seal: m.seal}
	// The 版头 of the document form, when the input opens with one.
	form, i := readHead(ps)
	d.Document = form

	// Title: styled title paragraphs, or the short unpunctuated lines that open the
	// text. A line repeating the title (web pages print it twice) is dropped.
	var title []string
	var titleAt place
	styledTitle := i < len(ps) && ps[i].hint == kindTitle
	for i < len(ps) && ps[i].table == nil {
		p := ps[i]
		joined := strings.Join(title, "")
		if len(title) > 0 && (p.text == joined || contains(title, p.text)) && (p.hint == kindTitle || p.hint == kindNone) {
			ws.add(p.at, CodeDuplicateTitle, "删除了重复的标题“%s”。Removed the title repeated here.", p.text)
			i++
			continue
		}
		if styledTitle && p.hint != kindTitle || !styledTitle && (p.hint != kindNone || !isTitleLine(p.text) || len(title) == 3) {
			break
		}
		if len(title) == 0 {
			titleAt = p.at
		}
		title = append(title, strings.Split(p.text, "\n")...)
		i++
	}

	// Addressee: a short line ending with a colon right after the title.
	if i < len(ps) && ps[i].table == nil && (ps[i].hint == kindAddressee || ps[i].hint == kindNone && isAddressee(ps[i].text)) {
		d.Addressee = ps[i].text
		i++
	}

	// The end: an optional 附注 line, the date, the issuer above it.
	end := len(ps)
	var sigIssuer string
	var sigAt place
	if form != nil {
		end = readRecord(ps, i, end, form)
	}
	pages, pagesAt := readAttachmentPages(ps, i, end, ws)
	end = pagesAt
	if end > i && isNote(ps[end-1]) && end-2 >= i && (isDateLine(ps[end-2]) || isSignatureLine(ps[end-2])) {
		// The format adds the parentheses: the report holds the note without them.
		t := []rune(strings.TrimSpace(ps[end-1].text))
		d.Note = strings.TrimSpace(string(t[1 : len(t)-1]))
		end--
	}
	if end > i && isDateLine(ps[end-1]) {
		if dt, ok := parseDate(ps[end-1].text); ok {
			d.Date = dt
			sigAt = ps[end-1].at
			end--
			if end > i && isSignatureLine(ps[end-1]) {
				sigIssuer = ps[end-1].text
				sigAt = ps[end-1].at
				end--
			}
		}
	}

	// The attachment note: "附件：" and its names, just before the signature.
	attStart := end
	for k := end - 1; k >= i; k-- {
		p := ps[k]
		if p.table != nil {
			break
		}
		if p.hint == kindAttachment || p.hint == kindNone && attachmentLabel.Get().MatchString(p.text) {
			attStart = k
			break
		}
		if !(p.hint == kindAttachmentItem || p.hint == kindNone && isAttachmentItem(p.text)) {
			break
		}
	}
	for k := attStart; k < end; k++ {
		name := ps[k].text
		if k == attStart {
			name = attachmentLabel.Get().ReplaceAllString(name, "")
		}
		// "1." before a name is the item's number, even before a year ("1.2024年度…").
		if m := attachmentNumber.Get().FindStringSubmatch(name); m != nil && m[1] == strconv.Itoa(k-attStart+1) {
			name = name[len(m[0]):]
		}
		d.Attachments = append(d.Attachments, strings.TrimSpace(name))
	}
	// Attachment pages: each is the attachment of its number, given as an object.
	for n := 1; n <= len(pages)+len(d.Attachments); n++ {
		pg, ok := pages[n]
		if !ok {
			continue
		}
		if pg.Title == "" && n <= len(d.Attachments) {
			pg.Title, _ = d.Attachments[n-1].(string)
		}
		if n <= len(d.Attachments) {
			d.Attachments[n-1] = pg
		} else {
			d.Attachments = append(d.Attachments, pg)
		}
	}

	body := joinSplits(ps[i:attStart], ws)
	styledHeadings := false
	for _, p := range body {
		if p.hint == kindHeading {
			styledHeadings = true
		}
	}
	b := &treeBuilder{d: d, ws: ws, opts: opts, strict: m.strict, running: map[report.NumberForm]int{}}
	for _, p := range body {
		b.add(p, styledHeadings)
	}
	b.finishNumbering()

	// Issuer, year and title.
	titleText := strings.Join(title, "")
	// The issuer: the signature's, else the document's author when that names an
	// organ (our DOCX records the issuer there; a person's name or "Administrator"
	// does not end like an organ), else the organ that begins the title.
	d.Issuer = sigIssuer
	if d.Issuer == "" && organName.Get().MatchString(m.creator) && runes(m.creator) <= 40 {
		d.Issuer = m.creator
	}
	if fromTitle := issuerOf(titleText); d.Issuer == "" && fromTitle != "" {
		d.Issuer = fromTitle
	}
	if m := yearIn.Get().FindStringSubmatch(titleText); m != nil {
		d.Year = yearValue(m[1])
	} else if d.Date != "" {
		y, _ := strconv.Atoi(d.Date[:4])
		if mo, _ := strconv.Atoi(d.Date[5:7]); mo <= 6 {
			y-- // a report dated in the first half of a year reports on the year before
		}
		d.Year = y
		ws.add(sigAt, CodeYearGuessed, "标题中没有年份：按成文日期取 %d 年，请核对。The title has no year: took %d from the date; please check.", y, y)
	} else if m := yearIn.Get().FindStringSubmatch(firstText(d)); m != nil {
		d.Year = yearValue(m[1])
		ws.add(place{}, CodeYearGuessed, "标题中没有年份：按正文取 %d 年，请核对。The title has no year: took %d from the text; please check.", d.Year, d.Year)
	}
	if len(title) == 0 {
		kindName := "年度工作报告"
		for _, p := range ps {
			if strings.Contains(p.text, "法治") {
				kindName = "年法治政府建设年度报告"
				break
			}
		}
		titleText = d.Issuer + strconv.Itoa(d.Year) + kindName
		title = []string{titleText}
		ws.add(place{}, CodeNoTitle, "没有找到标题：按发文机关和年份拟为“%s”，请核对。No title found: made %q from the issuer and year; please check.", titleText, titleText)
	}
	d.Title = titleLines(title, d.Issuer, titleAt, ws)

	where := map[string]place{"/title": titleAt, "/issuer": sigAt, "/date": sigAt}
	for j, at := range d.preambleAt {
		where["/preamble/"+strconv.Itoa(j)] = at
	}
	var walk func([]*section, string)
	walk = func(ss []*section, path string) {
		for j, s := range ss {
			sp := path + "/" + strconv.Itoa(j)
			where[sp+"/heading"] = s.at
			for k, at := range s.bodyAt {
				where[sp+"/body/"+strconv.Itoa(k)] = at
			}
			walk(s.Sections, sp+"/sections")
		}
	}
	walk(d.Sections, "/sections")
	if d.Seal != nil {
		// A picture at the signature that is no valid seal (a photo, a scan without
		// transparency, a size outside 20–60 mm) is left out rather than failing
		// the import; the warning says why.
		trial := *ws
		trial.list = append([]Warning(nil), ws.list...)
		res, err := finish(d, source, &trial, where)
		var inv *report.InvalidError
		if !errors.As(err, &inv) || !sealProblem(inv) {
			return res, err
		}
		var why string
		for _, p := range inv.Problems {
			if strings.HasPrefix(p.Path, "/seal") {
				why = p.Message
				break
			}
		}
		d.Seal = nil
		ws.add(sigAt, CodeSealDropped, "署名处的图片未作为印章导入。The picture at the signature was not imported as the seal: %s", why)
	}
	return finish(d, source, ws, where)
}

func sealProblem(inv *report.InvalidError) bool {
	for _, p := range inv.Problems {
		if strings.HasPrefix(p.Path, "/seal") {
			return true
		}
	}
	return false
}

// titleLines writes the title. A break the typesetter would make anyway (our own
// DOCX writes the PDF's title lines as line breaks) is dropped, so the report keeps
// no forced break it did not have; any other break is kept as "\n".
func titleLines(lines []string, issuer string, at place, ws *warnings) string {
	if len(lines) < 2 {
		return strings.Join(lines, "")
	}
	joined := strings.Join(lines, "")
	if set, err := fonts.Default(); err == nil {
		auto := typeset.TitleLines(joined, issuer, set)
		if strings.Join(auto, "\n") == strings.Join(lines, "\n") {
			ws.add(at, CodeTitleBreak, "标题的换行与自动排版相同，未作为强制换行保留。The title's line breaks are where automatic layout puts them, so they are not kept as forced breaks.")
			return joined
		}
	}
	return strings.Join(lines, "\n")
}

func firstText(d *doc) string {
	for _, p := range d.Preamble {
		if s, ok := p.(string); ok {
			return s
		}
	}
	var walk func([]*section) string
	walk = func(ss []*section) string {
		for _, s := range ss {
			for _, b := range s.Body {
				if t, ok := b.(string); ok {
					return t
				}
			}
			if t := walk(s.Sections); t != "" {
				return t
			}
		}
		return ""
	}
	return walk(d.Sections)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// organKind is how the name of an organ ends (局, 委员会, 人民政府 …), longest first.
const organKind = `(?:人民政府|人民法院|人民检察院|街道办事处|委员会|办公室|管理局|检察院|政府|法院|中心|公司|街道|局|委|办|厅|院|部|署|所|站|处|队|镇|乡)`

// Line classes.
var (
	attachmentLabel = &lazyre.Regexp{Expr: `^附\s*件\s*[：:]\s*`}
	yearIn          = &lazyre.Regexp{Expr: `((?:19|20)[0-9]{2}|[〇零○][一二三四五六七八九〇零○]{3}|二[〇零○][一二三四五六七八九〇零○]{2})\s*年`}
	// An organ's name at the start of a title: up to its kind of organ, then
	// "关于" or the year.
	issuerPrefix = &lazyre.Regexp{Expr: `^(.{2,40}?` + organKind + `)(?:关于)?(?:(?:19|20)[0-9]{2}|二[〇零○]|年度)`}
	// A whole line that names an organ (a document's author).
	organName        = &lazyre.Regexp{Expr: `^\p{Han}{2,}` + organKind + `$`}
	attachmentNumber = &lazyre.Regexp{Expr: `^([0-9]+)[.．、]\s*`}
	// A colon line that introduces the text rather than naming its recipients.
	notAddressee = &lazyre.Regexp{Expr: `如下|现将|报告|情况|[0-9]`}
	enumerator   = &lazyre.Regexp{Expr: `^[一二三四五六七八九十]+是`}
	isoDate      = &lazyre.Regexp{Expr: `^([0-9]{4})\s*[-./年]\s*([0-9]{1,2})\s*[-./月]\s*([0-9]{1,2})\s*日?$`}
	cnDate       = &lazyre.Regexp{Expr: `^([〇零一二三四五六七八九○Ｏ]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$`}
	noteLine     = &lazyre.Regexp{Expr: `^[（(][^（()）]{1,60}[）)]$`}
)

func issuerOf(title string) string {
	if m := issuerPrefix.Get().FindStringSubmatch(title); m != nil {
		return m[1]
	}
	return ""
}

const (
	closingPunct = "，。；：！？、,.;:!?"
	sentenceEnd  = "。！？"
)

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func isTitleLine(s string) bool {
	num, _, _, _ := report.LeadingNumber(s)
	return runes(s) <= 60 && num == "" && !strings.ContainsAny(s, "。，；") &&
		!strings.ContainsRune(closingPunct, lastRune(s)) && !attachmentLabel.Get().MatchString(s) &&
		!isDate(s)
}

func isAddressee(s string) bool {
	num, _, _, _ := report.LeadingNumber(s)
	return (strings.HasSuffix(s, "：") || strings.HasSuffix(s, ":")) && runes(s) <= 30 && num == "" &&
		!strings.ContainsAny(s, "。，；") && !attachmentLabel.Get().MatchString(s) && !notAddressee.Get().MatchString(s)
}

func isDate(s string) bool { _, ok := parseDate(s); return ok }

func isDateLine(p para) bool {
	return p.table == nil && (p.hint == kindDate || p.hint == kindNone) && isDate(p.text)
}

func isSignatureLine(p para) bool {
	if p.table != nil {
		return false
	}
	if p.hint == kindSignature {
		return true
	}
	num, _, _, _ := report.LeadingNumber(p.text)
	return p.hint == kindNone && runes(p.text) <= 40 && num == "" && !strings.ContainsAny(p.text, "，。；：:,;") &&
		!strings.ContainsRune(closingPunct, lastRune(p.text))
}

func isNote(p para) bool {
	return p.table == nil && p.hint != kindHeading && noteLine.Get().MatchString(p.text)
}

func isAttachmentItem(s string) bool {
	m := attachmentNumber.Get().FindStringSubmatch(s)
	return m != nil && len(s) > len(m[0]) && runes(s) <= 100 && !strings.ContainsAny(s, "。")
}

// parseDate reads a signature date (2024年1月15日, 二〇二四年一月十五日, 2024-01-15) as
// an ISO date.
func parseDate(s string) (string, bool) {
	var y, m, d int
	if g := isoDate.Get().FindStringSubmatch(s); g != nil {
		y, _ = strconv.Atoi(g[1])
		m, _ = strconv.Atoi(g[2])
		d, _ = strconv.Atoi(g[3])
		if !strings.Contains(s, "年") && !strings.ContainsAny(s, "-./") {
			return "", false
		}
	} else if g := cnDate.Get().FindStringSubmatch(s); g != nil {
		y = cnYear(g[1])
		m, d = report.ChineseValue(g[2]), report.ChineseValue(g[3])
	} else {
		return "", false
	}
	if y < 1990 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	return strconv.Itoa(y) + "-" + pad2(m) + "-" + pad2(d), true
}

func yearValue(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return cnYear(s)
}

func cnYear(s string) int {
	y := 0
	for _, r := range s {
		switch r {
		case '〇', '零', '○', 'Ｏ':
			y = y * 10
		default:
			y = y*10 + report.ChineseValue(string(r))
		}
	}
	return y
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// joinSplits joins the pieces of paragraphs that a page break (in text extracted from
// a PDF) or a hard-wrapped web page split: a piece that does not end a sentence,
// followed by one that is not a heading.
func joinSplits(ps []para, ws *warnings) []para {
	var out []para
	wrapped := 0
	var first place
	for _, p := range ps {
		n := len(out)
		if n == 0 || !p.soft || !out[n-1].soft || p.table != nil || out[n-1].table != nil || startsBlock(p.text) || isDate(p.text) {
			out = append(out, p)
			continue
		}
		prev := &out[n-1]
		switch {
		case prev.wrap == wrapShort && p.wrap == wrapShort && splitLine(prev.text, p.text, prev.wrapWidth):
			// Two short pieces of one printed line (a run-in heading and its text come
			// out of a PDF as two lines where the font changes).
			if wrapped == 0 {
				first = p.at
			}
			wrapped++
			prev.text += p.text
			prev.wrap = wrapFull
			continue
		case prev.wrap == wrapFull:
			// A line that reaches the wrap width goes on in the next, heading or not.
			if wrapped == 0 {
				first = p.at
			}
			wrapped++
			prev.text += p.text
			prev.wrap = p.wrap
			continue
		case prev.wrap == wrapNone && continues(prev.text):
			ws.add(p.at, CodeJoined, "此行与上一段连为一段（原文在分页处断开）。Joined this line to the paragraph before it (split at a page break).")
			prev.text += p.text
			continue
		}
		out = append(out, p)
	}
	if wrapped > 0 {
		ws.add(first, CodeJoined, "文字按固定宽度折行（如从 PDF 逐行复制）：已将 %d 行接回所在段落。The text is wrapped at a fixed width (as copied line by line from a PDF): joined %d lines back into their paragraphs.", wrapped, wrapped)
	}
	return out
}

// continues tells whether a paragraph stops mid-sentence: it does not end with
// sentence-ending punctuation, and it is body text (or a run-in heading with body
// text after its first sentence), not a stand-alone heading.
func continues(s string) bool {
	last := lastRune(s)
	if strings.ContainsRune("。！？；：…”’」』!?;:", last) {
		return false
	}
	if strings.ContainsRune("）)", last) {
		rs := []rune(s)
		if len(rs) > 1 && strings.ContainsRune(sentenceEnd, rs[len(rs)-2]) {
			return false
		}
	}
	num, form, _, rest := report.LeadingNumber(s)
	if num != "" {
		if form == report.FormChinese {
			return false
		}
		_, after := splitRunIn(rest)
		return after != ""
	}
	return runes(s) >= 15 || strings.ContainsRune("，、,", last)
}

// splitLine tells whether two short lines of wrapped text were one printed line: together
// they fill it (less the paragraph indent), and the first is a heading with its
// sentence ended (a run-in heading) or stops mid-sentence.
func splitLine(a, b string, wrapWidth float64) bool {
	w := textWidth(a) + textWidth(b)
	if w < wrapWidth-wrapSlack || w > wrapWidth+0.5 {
		return false
	}
	num, form, _, rest := report.LeadingNumber(a)
	if num != "" && form != report.FormChinese {
		h, after := splitRunIn(rest)
		return after == "" && strings.ContainsRune(sentenceEnd, lastRune(h))
	}
	return !strings.ContainsRune("。！？；：…”’」』!?;:", lastRune(a))
}

func startsBlock(s string) bool {
	num, _, _, _ := report.LeadingNumber(s)
	return num != "" || enumerator.Get().MatchString(s) || attachmentLabel.Get().MatchString(s)
}

// splitRunIn splits a heading's text after its first sentence (a 。！？ outside
// brackets and quotes): the heading and the body text that follows on its line.
func splitRunIn(s string) (heading, rest string) {
	depth := 0
	for i, r := range s {
		switch r {
		case '（', '(', '《', '“', '「', '【', '〔':
			depth++
		case '）', ')', '》', '”', '」', '】', '〕':
			if depth > 0 {
				depth--
			}
		case '。', '！', '？':
			if depth == 0 {
				j := i + utf8.RuneLen(r)
				return s[:j], strings.TrimSpace(s[j:])
			}
		}
	}
	return s, ""
}

// treeBuilder puts headings and paragraphs into the section tree.
type treeBuilder struct {
	d       *doc
	ws      *warnings
	opts    Options
	stack   []*section // the open section of each level
	forms   []report.NumberForm
	running map[report.NumberForm]int // headings of each number form so far
	changed []*section                // headings whose number automatic numbering changes
	strict  bool                      // the file is Gongwen's own DOCX (meta.strict)
	bare    int                       // headings without a number
}

func (b *treeBuilder) add(p para, styled bool) {
	if p.table != nil {
		b.block(tableBlock(p.table), p.at)
		return
	}
	num, form, value, rest := report.LeadingNumber(p.text)
	isHeading := p.hint == kindHeading
	if p.hint == kindNone && num != "" && rest != "" {
		// In a file whose headings are styled, a numbered plain paragraph is a heading
		// only below the styled ones, in a form they do not use (Heading 1–2 styles,
		// then "1." typed or list-numbered in body paragraphs).
		isHeading = !styled || form.Level() > len(b.stack) && !slices.Contains(b.forms, form)
	}
	if !isHeading {
		b.block(p.text, p.at)
		return
	}
	if num == "" {
		rest = p.text
	}
	level := 0
	switch {
	case p.hint == kindHeading && p.level > 0:
		level = p.level
		if level > len(b.stack)+1 {
			b.ws.add(p.at, CodeLevelSkipped, "标题层级从第 %d 级跳到第 %d 级，按第 %d 级导入。The heading skips from level %d to %d; imported as level %d.",
				len(b.stack), level, len(b.stack)+1, len(b.stack), level, len(b.stack)+1)
			level = len(b.stack) + 1
		}
	default:
		level = len(b.forms) + 1
		for k, f := range b.forms {
			if f == form {
				level = k + 1
				break
			}
		}
	}
	if level > report.MaxLevels {
		b.block(p.text, p.at) // a fifth level is body text with its number
		return
	}
	b.stack = b.stack[:level-1]
	if len(b.forms) >= level {
		b.forms = b.forms[:level-1]
	}
	for len(b.forms) < level-1 {
		b.forms = append(b.forms, report.FormNone)
	}
	b.forms = append(b.forms, form)

	s := &section{at: p.at, level: level, number: num}
	// Run-in: the source's styled run, or the first sentence with text after it.
	heading, body := rest, ""
	if p.runIn != "" {
		_, _, _, h := report.LeadingNumber(p.runIn)
		if num == "" {
			h = p.runIn
		}
		if strings.HasPrefix(rest, h) {
			heading, body = h, strings.TrimSpace(rest[len(h):])
		}
	} else if level > 1 || strings.ContainsRune(sentenceEnd, lastRune(rest)) {
		heading, body = splitRunIn(rest)
		if level == 1 && body != "" {
			b.ws.add(p.at, CodeRunInSplit, "一级标题不能与正文同行：“%s”之后的文字另起一段。A level-1 heading cannot run in: the text after %q is a paragraph of its own.", heading, heading)
		}
	}
	s.Heading = heading
	s.RunIn = body != "" && level > 1

	// Numbering: what automatic numbering prints here, against what the input had.
	var parentList []*section
	if level == 1 {
		parentList = b.d.Sections
	} else if len(b.stack) > 0 {
		parentList = b.stack[len(b.stack)-1].Sections
	}
	if num == "" {
		b.bare++
	} else {
		auto := report.SectionNumber(level, len(parentList)+1)
		switch {
		case form.Level() != level:
			b.ws.add(p.at, CodeLevelSkipped, "编号“%s”在第 %d 级（跳过了上一级），自动编号将印为“%s”。The number %q is at level %d (a level is skipped); automatic numbering prints %q.",
				num, level, auto, num, level, auto)
			b.changed = append(b.changed, s)
		case value != len(parentList)+1 && value == b.running[form]+1:
			b.ws.add(p.at, CodeRunOnNumbering, "编号“%s”接续上一部分连续编号，自动编号在每个上级标题下重新从头编号，将印为“%s”。The number %q runs on from the previous part; automatic numbering restarts under each parent and prints %q.",
				num, auto, num, auto)
			b.changed = append(b.changed, s)
		case value != len(parentList)+1:
			b.ws.add(p.at, CodeNumberGap, "编号“%s”不连续，自动编号将印为“%s”。The number %q is out of sequence; automatic numbering prints %q.", num, auto, num, auto)
			b.changed = append(b.changed, s)
		}
		b.running[form] = value
	}
	if level == 1 {
		b.d.Sections = append(b.d.Sections, s)
	} else if len(b.stack) > 0 {
		parent := b.stack[len(b.stack)-1]
		parent.Sections = append(parent.Sections, s)
	} else {
		b.d.Sections = append(b.d.Sections, s)
	}
	b.stack = append(b.stack, s)
	if body != "" {
		b.block(body, p.at)
	}
}

func (b *treeBuilder) block(v any, at place) {
	if len(b.stack) == 0 {
		b.d.Preamble = append(b.d.Preamble, v)
		b.d.preambleAt = append(b.d.preambleAt, at)
		return
	}
	s := b.stack[len(b.stack)-1]
	s.Body = append(s.Body, v)
	s.bodyAt = append(s.bodyAt, at)
}

// finishNumbering keeps the input's numbers (numbering "none") when asked to and
// automatic numbering would change some of them.
//
// Gongwen's own DOCX prints every heading with its number under numbering "auto", so
// one of them with a heading automatic numbering would not print (no number, or another
// number) was made with numbering "none": it is read back so.
func (b *treeBuilder) finishNumbering() {
	own := b.strict && (len(b.changed) > 0 || b.bare > 0)
	if !own && (len(b.changed) == 0 || !b.opts.KeepNumbers) {
		return
	}
	b.d.Numbering = report.NumberingNone
	var walk func([]*section)
	walk = func(ss []*section) {
		for _, s := range ss {
			s.Heading = s.number + s.Heading
			walk(s.Sections)
		}
	}
	walk(b.d.Sections)
	if own {
		b.ws.add(place{}, CodeNumberingKept, "本文件由 Gongwen 以“不自动编号”生成：标题按原样保留（numbering: none）。This file was made by Gongwen with numbering \"none\": headings are kept as printed.")
		return
	}
	b.ws.add(place{}, CodeNumberingKept, "自动编号无法重现原文的 %d 处编号：保留原编号（numbering: none）。Automatic numbering cannot reproduce %d of the input's numbers: kept them as typed (numbering \"none\").",
		len(b.changed), len(b.changed))
}
