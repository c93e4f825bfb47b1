package importer

import (
	"strconv"
	"strings"

	"gongwen/internal/lazyre"
	"gongwen/internal/report"
)

// The document form (GB/T 9704 7.2–7.4): the 版头 above the title, the 附注 after
// the date, attachment pages after the signature and the 版记 at the end. Our DOCX
// marks each with its style (版头项目, 发文机关标志, 发文字号, 附注, 附件标识, 抄送,
// 印发机关和印发日期); in text and other files they are known by their form.

// docForm is the contract's "document" as the importer fills it.
type docForm = report.DocumentJSON

// sealJSON is the contract's "seal".
type sealJSON struct {
	PNG        string  `json:"png"`
	DiameterMM float64 `json:"diameterMM"`
}

// attachmentPage is an attachment given as an object.
type attachmentPage struct {
	Title string `json:"title"`
	Body  []any  `json:"body,omitempty"`
}

var (
	copyNumberLine = &lazyre.Regexp{Expr: `^\d{6}$`}
	secrecyLine    = &lazyre.Regexp{Expr: `^(绝密|机密|秘密)(★\S{0,10})?$`}
	urgencyLine    = &lazyre.Regexp{Expr: `^(特急|加急)$`}
	organLine      = &lazyre.Regexp{Expr: `^\S{2,40}文件$`}
	// 发文字号, and the 签发人 that shares its line in an upward report.
	numberLine      = &lazyre.Regexp{Expr: `^(\S{1,20}〔\d{4}〕\d{1,6}号)(?:\s*签发人[：:]\s*(.+))?$`}
	attachmentPage1 = &lazyre.Regexp{Expr: `^附件\s*(\d{1,2})$`}
	copyToLine      = &lazyre.Regexp{Expr: `^抄送[：:]\s*(.+?)。?$`}
	printLine       = &lazyre.Regexp{Expr: `^(\S.*?)\s*(\d{4}年\d{1,2}月\d{1,2}日)\s*印发$`}
	signersLine     = &lazyre.Regexp{Expr: `^签发人[：:]\s*(.+)$`}
	printDateLine   = &lazyre.Regexp{Expr: `^(\d{4}年\d{1,2}月\d{1,2}日)\s*印发$`}
	listSep         = &lazyre.Regexp{Expr: `[，,、　 ]+`}
)

// readHead takes the 版头 lines that open ps. A head needs the 标志 or the 发文字号:
// a text that merely opens with "特急" is not a document form.
func readHead(ps []para) (*docForm, int) {
	f := &docForm{}
	k := 0
	for ; k < len(ps) && k < 8 && ps[k].table == nil; k++ {
		p := ps[k]
		t := strings.TrimSpace(p.text)
		plain := p.hint == kindNone || p.hint == kindHeaderLine
		switch {
		case (plain || p.hint == kindOrgan) && f.Organ == "" && (p.hint == kindOrgan || organLine.Get().MatchString(t)):
			f.Organ = t
		case (plain || p.hint == kindDocNumber) && f.Number == "" && numberLine.Get().MatchString(strings.Join(strings.Fields(t), " ")):
			m := numberLine.Get().FindStringSubmatch(strings.Join(strings.Fields(t), " "))
			f.Number = m[1]
			if m[2] != "" {
				f.Signers = listSep.Get().Split(strings.TrimSpace(m[2]), -1)
			}
		case plain && f.Number != "" && f.Signers == nil && signersLine.Get().MatchString(t):
			// Text extracted from a PDF puts the 签发人 block on a line of its own.
			f.Signers = listSep.Get().Split(strings.TrimSpace(signersLine.Get().FindStringSubmatch(t)[1]), -1)
		case plain && f.CopyNumber == "" && copyNumberLine.Get().MatchString(t):
			f.CopyNumber = t
		case plain && f.Secrecy == "" && secrecyLine.Get().MatchString(t):
			f.Secrecy = t
		case plain && f.Urgency == "" && urgencyLine.Get().MatchString(t):
			f.Urgency = t
		default:
			goto done
		}
	}
done:
	if f.Organ == "" && f.Number == "" {
		return nil, 0
	}
	return f, k
}

// readRecord takes the 版记 lines (抄送, 印发机关和印发日期) that end ps[:end].
func readRecord(ps []para, start, end int, f *docForm) int {
	if end > start && ps[end-1].table == nil && (ps[end-1].hint == kindNone || ps[end-1].hint == kindPrintLine) {
		t := strings.TrimSpace(ps[end-1].text)
		if m := printLine.Get().FindStringSubmatch(t); m != nil {
			if dt, ok := parseDate(m[2]); ok {
				f.Printer, f.PrintDate = strings.TrimSpace(m[1]), dt
				end--
			}
		} else if m := printDateLine.Get().FindStringSubmatch(t); m != nil && end-1 > start && ps[end-2].table == nil && ps[end-2].hint == kindNone && !copyToLine.Get().MatchString(ps[end-2].text) {
			// Text extracted from a PDF: the 印发机关 and the date on lines of their own.
			if dt, ok := parseDate(m[1]); ok {
				f.Printer, f.PrintDate = strings.TrimSpace(ps[end-2].text), dt
				end -= 2
			}
		}
	}
	if end > start && ps[end-1].table == nil && (ps[end-1].hint == kindNone || ps[end-1].hint == kindCopyTo) {
		if m := copyToLine.Get().FindStringSubmatch(strings.TrimSpace(ps[end-1].text)); m != nil {
			for _, c := range listSep.Get().Split(m[1], -1) {
				if c != "" {
					f.CC = append(f.CC, c)
				}
			}
			end--
		}
	}
	return end
}

// isPageLabel: "附件1" alone, the label of an attachment page.
func isPageLabel(p para) bool {
	return p.table == nil && (p.hint == kindNone || p.hint == kindAttachmentLabel) && attachmentPage1.Get().MatchString(strings.TrimSpace(p.text))
}

// readAttachmentPages takes the attachment pages in ps[start:end]: each a label
// "附件N", its title, then its blocks (lines a page break or a fixed width split are
// joined as in the body). It returns the pages by number and where they begin (end
// when there are none).
func readAttachmentPages(ps []para, start, end int, ws *warnings) (map[int]attachmentPage, int) {
	first := -1
	for k := start; k < end; k++ {
		if isPageLabel(ps[k]) && k > start && (isDateLine(ps[k-1]) || isNote(ps[k-1]) || isSignatureLine(ps[k-1])) {
			first = k
			break
		}
	}
	if first < 0 {
		return nil, end
	}
	pages := map[int]attachmentPage{}
	n := 0
	var title string
	var blocks []para
	flush := func() {
		if n == 0 {
			return
		}
		pg := attachmentPage{Title: title}
		for _, p := range joinSplits(blocks, ws) {
			if p.table != nil {
				pg.Body = append(pg.Body, tableBlock(p.table))
			} else {
				pg.Body = append(pg.Body, p.text)
			}
		}
		pages[n] = pg
	}
	for k := first; k < end; k++ {
		p := ps[k]
		if isPageLabel(p) {
			flush()
			n, _ = strconv.Atoi(attachmentPage1.Get().FindStringSubmatch(strings.TrimSpace(p.text))[1])
			title, blocks = "", nil
			if k+1 < end && ps[k+1].table == nil {
				title = strings.ReplaceAll(ps[k+1].text, "\n", "")
				k++
			}
			continue
		}
		blocks = append(blocks, p)
	}
	flush()
	return pages, first
}
