package importer

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"

	"gongwen/internal/lazyre"
	"gongwen/internal/report"
)

// Text imports a report from UTF-8 text: copied from a web page, or extracted from a
// PDF (pdftotext). Every non-empty line is a paragraph; a tab-separated block of
// lines is a table.
func Text(data []byte, opts Options) (*Result, error) {
	if len(data) > report.MaxInputBytes {
		return nil, report.TooLarge(int64(len(data)))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return nil, &report.InvalidError{Kind: report.KindMalformed, Problems: []report.Problem{{Code: CodeNotText, Offset: off,
			Message: fmt.Sprintf("字节偏移 %d 处不是 UTF-8 文字：请以 UTF-8 保存文本（例如 GBK 编码需先转换），或上传 DOCX。Not UTF-8 text at byte offset %d: save the text as UTF-8 (convert GBK first), or upload the DOCX.", off, off)}}}
	}
	s := norm.NFC.String(string(data))
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\f", "\n").Replace(s)
	ws := &warnings{}
	var ps []para
	lines := strings.Split(s, "\n")
	for n := 0; n < len(lines); n++ {
		at := place{line: n + 1}
		line := trimLine(lines[n])
		if line == "" {
			continue
		}
		if strings.Contains(line, "\t") {
			if t, used := textTable(lines[n:], &ps, at, ws); t != nil {
				ps = append(ps, para{table: t, at: at})
				n += used - 1
				continue
			}
			line = strings.Join(strings.FieldsFunc(line, func(r rune) bool { return r == '\t' }), " ")
		}
		if pageNumber.Get().MatchString(line) {
			ws.add(at, CodePageNumber, "删除了页码行“%s”。Removed the page number line %q.", line, line)
			continue
		}
		if isChrome(line) {
			ws.add(at, CodeChrome, "删除了网页附带的内容“%s”。Removed web-page text (%s).", line, "navigation, metadata or buttons")
			continue
		}
		ps = append(ps, para{text: repair(line, at, ws), at: at, soft: true})
	}
	markWrapped(ps)
	return assemble(ps, "text", opts, ws, meta{})
}

// markWrapped finds text wrapped at a fixed width — most lines of some length end
// within two characters of the same width, as in text copied from a PDF line by
// line — and marks each line as reaching that width or ending short of it. Text with
// a paragraph to a line (a web page, the seed) is left alone.
func markWrapped(ps []para) {
	var widths []float64
	maxW := 0.0
	for _, p := range ps {
		if p.table == nil {
			w := textWidth(p.text)
			widths = append(widths, w)
			maxW = max(maxW, w)
		}
	}
	if maxW < 15 || maxW > 80 {
		return
	}
	long, near := 0, 0
	for _, w := range widths {
		if w >= 10 {
			long++
			if w >= maxW-wrapSlack {
				near++
			}
		}
	}
	if long < 6 || near*2 < long {
		return
	}
	for k := range ps {
		if ps[k].table != nil {
			continue
		}
		ps[k].wrapWidth = maxW
		if textWidth(ps[k].text) >= maxW-wrapSlack {
			ps[k].wrap = wrapFull
		} else {
			ps[k].wrap = wrapShort
		}
	}
}

// wrapSlack is how much shorter than the wrap width a line may be and still reach it:
// a paragraph's first line is two characters shorter (its indent), and digits and
// Latin letters are counted as half a character though fonts set them a little wider.
const wrapSlack = 3.5

// textWidth is the width of a line in character cells: a CJK or full-width character
// is one, anything else half.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianAmbiguous: // “ ” … — are full width in Chinese fonts
			w++
		default:
			w += 0.5
		}
	}
	return w
}

func trimLine(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u00A0' })
}

// pageNumber is a page number line of text extracted from a PDF: "— 2 —", "-2-", "第 2 页".
var pageNumber = &lazyre.Regexp{Expr: `^(?:[—\-－–]+\s*[0-9]+\s*[—\-－–]+|第\s*[0-9]+\s*页(?:\s*[,，/]?\s*共\s*[0-9]+\s*页)?)$`}

var captionLine = &lazyre.Regexp{Expr: `^表\s*[0-9０-９一二三四五六七八九十]+`}

// textTable reads the tab-separated lines starting at lines[0] as a table (at least
// a header and one row of two or more cells). A caption line ("表1 ……") just before
// it becomes its caption.
func textTable(lines []string, ps *[]para, at place, ws *warnings) (*table, int) {
	var rows [][]string
	n := 0
	for ; n < len(lines); n++ {
		l := trimLine(lines[n])
		if !strings.Contains(l, "\t") {
			break
		}
		var cells []string
		for _, c := range strings.Split(l, "\t") {
			cells = append(cells, repair(trimLine(c), place{line: at.line + n}, ws))
		}
		rows = append(rows, cells)
	}
	if len(rows) < 2 || len(rows[0]) < 2 {
		return nil, 0
	}
	width := len(rows[0])
	for k := 1; k < len(rows); k++ {
		if len(rows[k]) != width {
			ws.add(place{line: at.line + k}, CodeTableRagged, "表格此行有 %d 格，表头有 %d 格：已补齐或合并。This table row has %d cells, the header %d: padded or merged.",
				len(rows[k]), width, len(rows[k]), width)
			for len(rows[k]) < width {
				rows[k] = append(rows[k], "")
			}
			if len(rows[k]) > width {
				rows[k] = append(rows[k][:width-1], strings.Join(rows[k][width-1:], " "))
			}
		}
	}
	t := &table{rows: rows}
	if k := len(*ps) - 1; k >= 0 && (*ps)[k].table == nil && captionLine.Get().MatchString((*ps)[k].text) {
		t.caption = (*ps)[k].text
		*ps = (*ps)[:k]
	}
	return t, n
}

// Web-page chrome: navigation, metadata and buttons around the report's text.
var (
	chromePrefix = &lazyre.Regexp{Expr: `^(?:【\s*)?(?:当前位置|您当前的位置|您现在的位置|您的位置|你的位置|当前的位置|来源|信息来源|文章来源|发布时间|发布日期|发布机构|更新时间|浏览次数|浏览量|点击数|点击量|点击率|阅读次数|阅读量|访问次数|访问量|责任编辑|编辑|作者|字号|字体|索引号|上一篇|下一篇)\s*[:：]`}
	breadcrumb   = &lazyre.Regexp{Expr: `^(?:首页|网站首页|主页)\s*(?:>|＞|»|›|>>|→|/|-)`}
	chromeWords  = map[string]bool{"打印": true, "打印本页": true, "打印此页": true, "关闭": true, "关闭窗口": true, "关闭本页": true,
		"分享": true, "分享到": true, "分享至": true, "收藏": true, "加入收藏": true, "字体": true, "字号": true, "字体大小": true, "文字大小": true,
		"大": true, "中": true, "小": true, "加大": true, "缩小": true, "默认": true, "扫一扫": true, "扫一扫在手机打开当前页": true,
		"返回顶部": true, "返回": true, "微信": true, "微博": true, "QQ空间": true, "视力保护色": true, "纠错": true, "我要纠错": true, "分享到：": true}
)

func isChrome(line string) bool {
	if runes(line) > 150 {
		return false
	}
	if chromePrefix.Get().MatchString(line) || breadcrumb.Get().MatchString(line) {
		return true
	}
	tokens := strings.FieldsFunc(line, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("【】[]|｜丨·•/：:", r)
	})
	if len(tokens) == 0 {
		return false
	}
	for _, t := range tokens {
		if !chromeWords[t] {
			return false
		}
	}
	return true
}

// repair restores what web pages and PDF extraction do to Chinese text, with one
// warning per kind of change and line.
func repair(s string, at place, ws *warnings) string {
	s, n := removeDigitSpaces(s)
	if n > 0 {
		ws.add(at, CodeDigitSpace, "删除了数字与汉字之间的 %d 处空格（如“2023 年”）。Removed %d space(s) between digits and Chinese characters (as in \"2023 年\").", n, n)
	}
	s, changes := restorePunctuation(s)
	if len(changes) > 0 {
		ws.add(at, CodePunctuation, "已将中文语境中的半角标点改为全角：%s。Restored full-width punctuation in Chinese text: %s.",
			strings.Join(changes, "，"), strings.Join(changes, ", "))
	}
	return s
}

// isCJK is a Han character or CJK / full-width punctuation: Chinese context.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF01 && r <= 0xFF5E ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—'
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

// removeDigitSpaces removes spaces between an Arabic digit and a CJK character (Word's
// automatic digit spacing, turned into real spaces by PDF extraction).
func removeDigitSpaces(s string) (string, int) {
	rs := []rune(s)
	var out []rune
	n := 0
	for i := 0; i < len(rs); i++ {
		if rs[i] == ' ' || rs[i] == '\u00A0' {
			j := i
			for j < len(rs) && (rs[j] == ' ' || rs[j] == '\u00A0') {
				j++
			}
			if len(out) > 0 && j < len(rs) {
				a, b := out[len(out)-1], rs[j]
				if isASCIIDigit(a) && isCJK(b) || isCJK(a) && isASCIIDigit(b) {
					n++
					i = j - 1
					continue
				}
			}
		}
		out = append(out, rs[i])
	}
	return string(out), n
}

var urlLike = &lazyre.Regexp{Expr: `(?i)(?:https?|ftp)://[!-~]+|www\.[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`}

var fullWidth = map[rune]rune{',': '，', ':': '：', ';': '；', '(': '（', ')': '）', '!': '！', '?': '？'}

// restorePunctuation turns , : ; ( ) ! ? into ，：；（）！？ where the text around them is
// Chinese: never inside a number (1,560 or 10:30), a URL or e-mail address, or Latin
// text. It returns the changes made ("\",\" → \"，\" ×2").
func restorePunctuation(s string) (string, []string) {
	if !strings.ContainsAny(s, ",:;()!?") {
		return s, nil
	}
	rs := []rune(s)
	protected := make([]bool, len(rs))
	for _, loc := range urlLike.Get().FindAllStringIndex(s, -1) {
		a, b := utf8.RuneCountInString(s[:loc[0]]), utf8.RuneCountInString(s[:loc[1]])
		// A URL ends before trailing ASCII punctuation that Chinese text put after it.
		for b > a && strings.ContainsRune(",.;:!?)", rs[b-1]) {
			b--
		}
		for k := a; k < b; k++ {
			protected[k] = true
		}
	}
	prev := func(i int) rune {
		for k := i - 1; k >= 0; k-- {
			if rs[k] != ' ' {
				return rs[k]
			}
		}
		return 0
	}
	next := func(i int) rune {
		for k := i + 1; k < len(rs); k++ {
			if rs[k] != ' ' {
				return rs[k]
			}
		}
		return 0
	}
	count := map[rune]int{}
	convert := make([]bool, len(rs))
	for i, r := range rs {
		if protected[i] {
			continue
		}
		a, b := prev(i), next(i)
		switch r {
		case ',', ';':
			if isASCIIDigit(a) && isASCIIDigit(b) {
				continue
			}
			convert[i] = isCJK(a) || isCJK(b)
		case ':':
			if isASCIIDigit(a) && isASCIIDigit(b) {
				continue
			}
			convert[i] = isCJK(a) || a == 0 && isCJK(b)
		case '!', '?':
			convert[i] = isCJK(a)
		case '(':
			close := matching(rs, i)
			if close < 0 || protected[close] {
				continue
			}
			inner := string(rs[i+1 : close])
			chinese := isCJK(a) || isCJK(next(close)) || strings.IndexFunc(inner, isCJK) >= 0
			if chinese && !(isLatin(a) && strings.IndexFunc(inner, isCJK) < 0) {
				convert[i], convert[close] = true, true
			}
		}
	}
	var out []rune
	justConverted := false
	for i, r := range rs {
		if convert[i] {
			count[r]++
			// Drop the spaces a Latin writer puts around the mark.
			for len(out) > 0 && out[len(out)-1] == ' ' && r != '(' {
				out = out[:len(out)-1]
			}
			out = append(out, fullWidth[r])
			justConverted = true
			continue
		}
		if r == ' ' && justConverted {
			continue
		}
		justConverted = false
		out = append(out, r)
	}
	var changes []string
	for _, r := range ",:;()!?" {
		if count[r] > 0 {
			changes = append(changes, fmt.Sprintf("“%c”→“%c” ×%d", r, fullWidth[r], count[r]))
		}
	}
	return string(out), changes
}

func isLatin(r rune) bool { return r < 0x80 && (unicode.IsLetter(r)) }

func matching(rs []rune, open int) int {
	depth := 0
	for k := open; k < len(rs); k++ {
		switch rs[k] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}
