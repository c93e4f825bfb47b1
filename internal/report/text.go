package report

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normText normalises one text value without losing text: CRLF and CR become LF,
// the text is put in Unicode NFC, and leading and trailing white space (including the
// ideographic space U+3000 of pasted indents, and stray BOMs) is trimmed. Interior
// text, spaces included, is kept exactly.
func normText(s string) string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	if !stableNFC(s) {
		s = norm.NFC.String(s)
	}
	return strings.TrimFunc(s, isTrimSpace)
}

// stableNFC reports whether s is made only of characters that are in NFC and never
// combine with a neighbour (ASCII, CJK ideographs and punctuation, full-width forms):
// then s is NFC as it is. A report's text nearly always is, and the normaliser's
// per-character trie lookups were a third of parsing it.
func stableNFC(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		// U+5000–U+9FFF, most CJK ideographs, read from the lead byte (E5–E9) without
		// decoding (decoding each was most of this check).
		if c >= 0xE5 && c <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			i += 3
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !nfcStable(r) {
			return false
		}
		i += n
	}
	return true
}

// nfcStable is the set stableNFC accepts beyond ASCII (TestStableNFCSet checks every
// member against the Unicode normalisation properties): CJK Unified Ideographs, the
// CJK punctuation block without its combining tone marks U+302A–U+302F, full-width
// ASCII forms, and the dashes, quotes, ellipsis and middle dot of Chinese text.
func nfcStable(r rune) bool {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF:
		return true
	case r >= 0x3000 && r <= 0x303F:
		return r < 0x302A || r > 0x302F
	case r >= 0xFF01 && r <= 0xFF5E:
		return true
	}
	switch r {
	case 0x00B7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026:
		return true
	}
	return false
}

func isTrimSpace(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' }

// textProblem reports the first character of s that no printed text may hold: a
// control character (a line break only where newlineOK), a line or paragraph
// separator, the replacement character U+FFFD (what an unpaired surrogate escape such
// as \ud800 decodes to, or text already garbled before it reached us), or a Unicode
// noncharacter. Tabs count as control characters: the layout has no tab stops.
func textProblem(path, s string, newlineOK bool) *Problem {
	if plainText(s, newlineOK) {
		return nil
	}
	return decodedTextProblem(path, s, newlineOK)
}

// decodedTextProblem is textProblem decoding every character.
func decodedTextProblem(path, s string, newlineOK bool) *Problem {
	i := 0
	for _, r := range s {
		i++
		switch {
		case r == '\n' && newlineOK:
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			where := "此处"
			if newlineOK {
				where = "此处（只允许换行 \\n）"
			}
			return &Problem{Path: path, Code: CodeControlCharacter, Message: fmt.Sprintf(
				"第 %d 个字符是控制字符 %s，%s不允许使用。Character %d is the control character %s, which is not allowed here%s.",
				i, charName(r, true), where, i, charName(r, false), onlyNewline(newlineOK))}
		case r == utf8.RuneError || isNoncharacter(r):
			return &Problem{Path: path, Code: CodeInvalidText, Message: fmt.Sprintf(
				"第 %d 个字符 U+%04X 不是有效文字（乱码替换符、不成对的代理项如 \\ud800，或非字符）。Character %d, U+%04X, is not valid text (a replacement character, an unpaired surrogate such as \\ud800, or a noncharacter).",
				i, r, i, r)}
		}
	}
	return nil
}

// plainText reports, reading bytes rather than decoding characters, that s is valid
// UTF-8 holding none of the characters textProblem refuses. It answers for most
// texts (ASCII, CJK, full-width punctuation: the Wuchuan example's every string) and
// says false for whatever it does not look into (Latin-1, characters beyond the BMP,
// the blocks of the noncharacters), which textProblem then decodes: a third of the
// instructions of checking a report's texts.
func plainText(s string, newlineOK bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		// U+5000–U+9FFF, most CJK ideographs, first: none is refused.
		if c >= 0xE5 && c <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			i += 3
			continue
		}
		switch {
		case c < 0x20:
			if c != '\n' || !newlineOK {
				return false
			}
			i++
		case c < 0x7F:
			i++
		case c >= 0xC3 && c <= 0xDF: // U+00C0–U+07FF: no controls
			if i+1 >= len(s) || s[i+1]&0xC0 != 0x80 {
				return false
			}
			i += 2
		case c >= 0xE1 && c <= 0xEF && c != 0xED: // U+1000–U+FFFF but the surrogates
			if i+2 >= len(s) || s[i+1]&0xC0 != 0x80 || s[i+2]&0xC0 != 0x80 {
				return false
			}
			if c == 0xE2 && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) { // U+2028, U+2029
				return false
			}
			if c == 0xEF && (s[i+1] == 0xB7 || s[i+1] == 0xBF) { // U+FDC0–U+FDFF, U+FFC0–U+FFFF
				return false
			}
			i += 3
		default: // DEL, U+0080–U+00BF, U+0800–U+0FFF, beyond the BMP, invalid bytes
			return false
		}
	}
	return true
}

func onlyNewline(newlineOK bool) string {
	if newlineOK {
		return " (only a line break \\n is)"
	}
	return ""
}

func isNoncharacter(r rune) bool {
	return (r >= 0xFDD0 && r <= 0xFDEF) || r&0xFFFE == 0xFFFE
}

func charName(r rune, zh bool) string {
	names := map[rune][2]string{
		0:        {"NUL（空字符）", "NUL"},
		'\t':     {"U+0009（制表符）", "U+0009 (tab)"},
		'\n':     {"U+000A（换行）", "U+000A (line break)"},
		'\v':     {"U+000B（垂直制表符）", "U+000B (vertical tab)"},
		'\f':     {"U+000C（换页符）", "U+000C (form feed)"},
		'\u0085': {"U+0085（下一行）", "U+0085 (next line)"},
		'\u2028': {"U+2028（行分隔符）", "U+2028 (line separator)"},
		'\u2029': {"U+2029（段分隔符）", "U+2029 (paragraph separator)"},
	}
	if n, ok := names[r]; ok {
		if zh {
			return n[0]
		}
		return n[1]
	}
	return fmt.Sprintf("U+%04X", r)
}

// headingNumberLen is the length of the number a heading starts with, in any usual
// form: 一、 十一、 一. （一） (一) 1. 1． 1、 （1） (1), with full-width digits too; 0
// when it starts with none. It matches what the expression
//
//	^(?:[一二三四五六七八九十百千零〇两]+[、.．]|[（(][一二三四五六七八九十百千零〇两]+[）)]|[0-9０-９]+[、.．]|[（(][0-9０-９]+[）)])
//
// matches (TestHeadingNumberLen holds them together), without compiling it in
// every process: compiled, it cost a render 36 KB of backtracking state and
// 20 page faults.
func headingNumberLen(s string) int {
	i := 0
	open := false
	if strings.HasPrefix(s, "(") {
		i, open = 1, true
	} else if strings.HasPrefix(s, "（") {
		i, open = len("（"), true
	}
	// The numeral: a run of Chinese numerals or of digits (the two classes share no
	// character, and neither holds a closing mark, so the longest run is the only
	// one that can match).
	r, _ := utf8.DecodeRuneInString(s[i:])
	in := isChineseNumeral
	if isHeadingDigit(r) {
		in = isHeadingDigit
	}
	start := i
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !in(r) {
			break
		}
		i += n
	}
	if i == start || i == len(s) {
		return 0
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if open && (r == '）' || r == ')') || !open && (r == '、' || r == '.' || r == '．') {
		return i + n
	}
	return 0
}

func isChineseNumeral(r rune) bool {
	return strings.ContainsRune("一二三四五六七八九十百千零〇两", r)
}

func isHeadingDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// stripNumber removes leading heading numbers. A digit right after "1." means a
// decimal number ("3.5亿元…"), which is text, not a heading number.
func stripNumber(h string) (rest string, removed string) {
	for {
		end := headingNumberLen(h)
		if end == 0 {
			return h, removed
		}
		num := h[:end]
		after := h[end:]
		if strings.HasSuffix(num, ".") || strings.HasSuffix(num, "．") {
			if r, _ := utf8.DecodeRuneInString(after); unicode.IsDigit(r) {
				return h, removed
			}
		}
		removed += num
		h = strings.TrimLeftFunc(after, isTrimSpace)
	}
}

// Closing punctuation. A stand-alone heading carries none of standAloneStrip; a
// run-in heading ends with one of runInEnd.
const (
	standAloneStrip = "。；，：、;,:.．"
	runInEnd        = "。？！?!"
)

// fixHeading applies the heading rules of numbering "auto" and returns the warnings.
func fixHeading(path, h string, runIn bool) (string, []Problem) {
	var warns []Problem
	h, num := stripNumber(h)
	if num != "" {
		warns = append(warns, Problem{Path: path, Code: CodeNumberRemoved, Message: fmt.Sprintf(
			"已删除标题开头的编号“%s”：编号由系统按层级自动生成。Removed the number %q from the start of the heading: with numbering \"auto\" numbers are generated by level.",
			num, num)})
	}
	if h == "" {
		return h, warns
	}
	if !runIn {
		trimmed := strings.TrimRightFunc(h, func(r rune) bool {
			return strings.ContainsRune(standAloneStrip, r) || isTrimSpace(r)
		})
		if trimmed != h && trimmed != "" {
			cut := strings.TrimSpace(h[len(trimmed):])
			warns = append(warns, Problem{Path: path, Code: CodePunctuationRemoved, Message: fmt.Sprintf(
				"已删除标题末尾的“%s”：单独成行的标题不加句末标点。Removed %q from the end of the heading: a heading on its own line takes no closing punctuation.",
				cut, cut)})
			h = trimmed
		}
		return h, warns
	}
	last, size := utf8.DecodeLastRuneInString(h)
	if strings.ContainsRune(runInEnd, last) {
		return h, warns
	}
	if strings.ContainsRune(standAloneStrip, last) && len(h) > size {
		h = h[:len(h)-size]
	}
	h += "。"
	warns = append(warns, Problem{Path: path, Code: CodePunctuationAdded,
		Message: "已将标题末尾改为“。”：与正文同行的标题以句号结尾。The heading now ends with \"。\": a run-in heading ends with a full stop."})
	return h, warns
}

// SectionNumber is the printed number of the n-th (1-based) heading of a level:
// 一、 （一） 1. （1）.
func SectionNumber(level, n int) string {
	switch level {
	case 1:
		return ChineseNumeral(n) + "、"
	case 2:
		return "（" + ChineseNumeral(n) + "）"
	case 3:
		return strconv.Itoa(n) + "."
	case 4:
		return "（" + strconv.Itoa(n) + "）"
	}
	return ""
}

const cnDigits = "零一二三四五六七八九"

func cnDigit(d int) string { return string([]rune(cnDigits)[d]) }

// ChineseNumeral writes 1 ≤ n ≤ 9999 in Chinese numerals as headings count: 十, 十一,
// 二十, 一百, 一百零一, 一百一十, 一千零一十.
func ChineseNumeral(n int) string {
	if n <= 0 || n > 9999 {
		return strconv.Itoa(n)
	}
	if n < 20 && n >= 10 { // 十, 十一 … 十九: no leading 一
		if n == 10 {
			return "十"
		}
		return "十" + cnDigit(n-10)
	}
	var b strings.Builder
	units := []string{"千", "百", "十", ""}
	divs := []int{1000, 100, 10, 1}
	zero := false
	for i, d := range divs {
		q := n / d % 10
		if q == 0 {
			if b.Len() > 0 {
				zero = true
			}
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		b.WriteString(cnDigit(q))
		b.WriteString(units[i])
	}
	return b.String()
}
