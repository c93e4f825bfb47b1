package report

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongwen/internal/lazyre"
)

// builder walks the decoded JSON, builds the Report and checks what the schema cannot
// say. It tolerates values of the wrong type (the schema reports those) so that one
// pass finds every problem.
type builder struct {
	errs, warns      []Problem
	sections, blocks int
	auto             bool
	stop             *stopper // ends the build when the parse's context ends
}

func (b *builder) fail(path, code, msg string) {
	b.add(Problem{Path: path, Code: code, Message: msg})
}

// check is textProblem unless enough problems are known already.
func (b *builder) check(path, s string, newlineOK bool) *Problem {
	if b.full() {
		return nil
	}
	return textProblem(path, s, newlineOK)
}

// full tells whether enough problems are known: checks past it would only cost time.
func (b *builder) full() bool { return len(b.errs) > MaxProblems }

// add records a problem. Past MaxProblems more would not be listed anyway; the walk
// goes on only to build the report.
func (b *builder) add(p Problem) {
	if len(b.errs) <= MaxProblems {
		b.errs = append(b.errs, p)
	}
}

func build(tree any, stop *stopper) (*Report, []Problem, []Problem) {
	b := &builder{auto: true, stop: stop}
	root, ok := tree.(map[string]any)
	if !ok {
		return nil, nil, nil // the schema reports it
	}
	r := &Report{Numbering: NumberingAuto}
	if s, ok := root["numbering"].(string); ok && s == NumberingNone {
		r.Numbering, b.auto = NumberingNone, false
	}
	r.Title = b.text(root["title"], "/title", true, CodeEmptyText)
	r.Issuer = b.text(root["issuer"], "/issuer", false, CodeEmptyText)
	if n, ok := root["year"].(json.Number); ok {
		if f, err := n.Float64(); err == nil && f == math.Trunc(f) && f >= MinYear && f <= MaxYear {
			r.Year = int(f)
		}
	}
	if s, ok := root["date"].(string); ok {
		r.Date = b.date(s, "/date")
	}
	if v, ok := root["addressee"]; ok {
		r.Addressee = b.addressee(b.text(v, "/addressee", false, ""))
	}
	r.Preamble = b.blockList(root["preamble"], "/preamble")
	r.Sections = b.sectionList(root["sections"], "/sections", 1)
	if list, ok := root["attachments"].([]any); ok {
		for i, v := range list {
			p := "/attachments/" + strconv.Itoa(i)
			switch v := v.(type) {
			case string:
				r.Attachments = append(r.Attachments, b.attachment(b.text(v, p, false, CodeEmptyText), p))
			case map[string]any:
				a := b.attachmentPage(v, p, i+1)
				r.Attachments = append(r.Attachments, a.Title)
				r.AttachmentPages = append(r.AttachmentPages, a)
			}
		}
	}
	b.documentForm(root, r)
	return r, b.errs, b.warns
}

// addressee ends the 主送 line with a full-width colon, as GB/T 9704 has it.
func (b *builder) addressee(s string) string {
	if s == "" || strings.HasSuffix(s, "：") {
		return s
	}
	last, size := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune(standAloneStrip, last) {
		s = s[:len(s)-size]
	}
	b.warns = append(b.warns, Problem{Path: "/addressee", Code: CodePunctuationAdded,
		Message: "已将主送机关末尾改为全角冒号“：”。The addressee now ends with a full-width colon \"：\"."})
	return s + "："
}

// attachment drops closing punctuation from an attachment name: GB/T 9704 puts none
// after a name.
func (b *builder) attachment(s, path string) string {
	trimmed := strings.TrimRightFunc(s, func(r rune) bool {
		return strings.ContainsRune(standAloneStrip, r) || isTrimSpace(r)
	})
	if trimmed == s || trimmed == "" {
		return s
	}
	cut := s[len(trimmed):]
	b.warns = append(b.warns, Problem{Path: path, Code: CodePunctuationRemoved, Message: fmt.Sprintf(
		"已删除附件名称末尾的“%s”：附件名称后不加标点。Removed %q from the end of the attachment name: a name takes no punctuation after it.", cut, cut)})
	return trimmed
}

// text normalises a string value and checks its characters. emptyCode, when not "",
// is the problem an empty (after trimming) value is.
func (b *builder) text(v any, path string, newlineOK bool, emptyCode string) string {
	raw, ok := v.(string)
	if !ok {
		return ""
	}
	s := normText(raw)
	if p := b.check(path, s, newlineOK); p != nil {
		b.add(*p)
	}
	if s == "" && emptyCode != "" {
		zh, en := describe(splitPointer(path))
		b.fail(path, emptyCode, fmt.Sprintf("“%s”不能为空。%s must not be empty.", zh, capitalize(en)))
	}
	return s
}

var isoDate = &lazyre.Regexp{Expr: `^([0-9]{4})-([0-9]{2})-([0-9]{2})$`}

// date checks that an ISO date exists on the calendar (no 2023-02-30).
func (b *builder) date(s, path string) *Date {
	m := isoDate.Get().FindStringSubmatch(s)
	if m == nil {
		return nil // the schema's pattern reports it
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	zh, en := describe(splitPointer(path))
	switch {
	case mo < 1 || mo > 12:
		b.fail(path, CodeInvalidDate, fmt.Sprintf("%s“%s”不存在：月份应为 01 至 12。%s %s does not exist: the month must be 01 to 12.", zh, s, capitalize(en), s))
	case d < 1 || d > daysIn(y, mo):
		b.fail(path, CodeInvalidDate, fmt.Sprintf("%s“%s”不存在：%d年%d月只有 %d 天。%s %s does not exist: %d-%02d has %d days.",
			zh, s, y, mo, daysIn(y, mo), capitalize(en), s, y, mo, daysIn(y, mo)))
	case y < MinYear || y > MaxYear+1:
		b.fail(path, CodeInvalidDate, fmt.Sprintf("%s“%s”的年份应在 %d 至 %d 之间。The year of %s %s must be between %d and %d.",
			zh, s, MinYear, MaxYear+1, en, s, MinYear, MaxYear+1))
	default:
		return &Date{Year: y, Month: mo, Day: d}
	}
	return nil
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func (b *builder) blockList(v any, path string) []Block {
	list, ok := v.([]any)
	if !ok {
		return nil
	}
	var out []Block
	for j, item := range list {
		b.stop.poll()
		bp := path + "/" + strconv.Itoa(j)
		b.blocks++
		if b.blocks == MaxBlocks+1 {
			b.fail(bp, CodeTooManyBlocks, fmt.Sprintf("段落和表格过多：全文最多 %d 个，此处是第 %d 个。Too many paragraphs and tables: at most %d in all; this is number %d.",
				MaxBlocks, b.blocks, MaxBlocks, b.blocks))
		}
		switch it := item.(type) {
		case string:
			out = append(out, Block{Path: bp, Paragraph: b.paragraph(it, bp)})
		case map[string]any:
			if len(it) != 1 {
				continue // the schema reports it
			}
			if p, ok := it["paragraph"].(string); ok {
				out = append(out, Block{Path: bp, Paragraph: b.paragraph(p, bp+"/paragraph")})
			} else if t, ok := it["table"].(map[string]any); ok {
				out = append(out, Block{Path: bp, Table: b.table(t, bp+"/table")})
			}
		}
	}
	return out
}

func (b *builder) paragraph(raw, path string) string {
	s := normText(raw)
	if p := b.check(path, s, true); p != nil {
		b.add(*p)
	}
	if s == "" {
		b.fail(path, CodeEmptyParagraph, "段落不能为空（只有空白也算空）。A paragraph must not be empty (white space only counts as empty).")
	}
	return s
}

func (b *builder) table(m map[string]any, path string) *Table {
	t := &Table{}
	if v, ok := m["caption"]; ok {
		t.Caption = b.text(v, path+"/caption", false, "")
	}
	cells := func(v any, p string) []string {
		list, ok := v.([]any)
		if !ok {
			return nil
		}
		out := make([]string, 0, len(list))
		for i, c := range list {
			out = append(out, b.text(c, p+"/"+strconv.Itoa(i), false, ""))
		}
		return out
	}
	header, headerOK := m["header"].([]any)
	t.Header = cells(header, path+"/header")
	rows, _ := m["rows"].([]any)
	for i, rv := range rows {
		b.stop.poll()
		rp := path + "/rows/" + strconv.Itoa(i)
		row, ok := rv.([]any)
		if !ok {
			continue
		}
		if headerOK && len(header) > 0 && len(row) != len(header) && !b.full() {
			b.fail(rp, CodeRaggedTable, fmt.Sprintf("表格第 %d 行有 %d 个单元格，而表头有 %d 个：每行的单元格数应与表头相同。Row %d has %d cell(s) but the header has %d: every row needs as many cells as the header.",
				i+1, len(row), len(header), i+1, len(row), len(header)))
		}
		t.Rows = append(t.Rows, cells(row, rp))
	}
	return t
}

func (b *builder) sectionList(v any, path string, level int) []Section {
	list, ok := v.([]any)
	if !ok || level > MaxLevels {
		return nil // a fifth level is reported by the schema
	}
	var out []Section
	for i, item := range list {
		b.stop.poll()
		sp := path + "/" + strconv.Itoa(i)
		b.sections++
		if b.sections == MaxSections+1 {
			b.fail(sp, CodeTooManySections, fmt.Sprintf("章节过多：全文最多 %d 个（各级合计），此处是第 %d 个。Too many sections: at most %d in all levels together; this is number %d.",
				MaxSections, b.sections, MaxSections, b.sections))
		}
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		s := Section{Path: sp, Level: level}
		s.RunIn, _ = m["runIn"].(bool)
		s.Heading = b.heading(m["heading"], sp+"/heading", s.RunIn && level > 1)
		if b.auto {
			s.Number = SectionNumber(level, i+1)
		}
		s.Body = b.blockList(m["body"], sp+"/body")
		if s.RunIn && level > 1 && (len(s.Body) == 0 || s.Body[0].Table != nil) {
			b.fail(sp+"/runIn", CodeRunInNoText, "标题与正文同行（runIn）时，正文须以一个段落开头。A run-in heading needs a body that starts with a paragraph.")
		}
		s.Sections = b.sectionList(m["sections"], sp+"/sections", level+1)
		out = append(out, s)
	}
	return out
}

func (b *builder) heading(v any, path string, runIn bool) string {
	raw, ok := v.(string)
	if !ok {
		return ""
	}
	h := normText(raw)
	if p := b.check(path, h, false); p != nil {
		b.add(*p)
		return h
	}
	var removed string
	if b.auto && h != "" {
		var warns []Problem
		h, warns = fixHeading(path, h, runIn)
		b.warns = append(b.warns, warns...)
		if len(warns) > 0 && warns[0].Code == CodeNumberRemoved {
			removed = raw
		}
	}
	if h == "" {
		msg := "章节标题不能为空。The heading must not be empty."
		if removed != "" {
			msg = fmt.Sprintf("章节标题“%s”只有编号，没有文字（编号由系统自动生成）。The heading %q is only a number (numbers are generated automatically).",
				normText(removed), normText(removed))
		}
		b.fail(path, CodeEmptyHeading, msg)
	}
	return h
}

// splitPointer splits a JSON pointer into its (unescaped) tokens.
func splitPointer(p string) []string {
	if p == "" {
		return nil
	}
	var out []string
	start := 1
	for i := 1; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			out = append(out, unescapePointer(p[start:i]))
			start = i + 1
		}
	}
	return out
}

func unescapePointer(s string) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '~' && i+1 < len(s) {
			switch s[i+1] {
			case '0':
				out = append(out, '~')
				i++
				continue
			case '1':
				out = append(out, '/')
				i++
				continue
			}
		}
		out = append(out, s[i])
	}
	return string(out)
}
