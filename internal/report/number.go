package report

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NumberForm is the form a heading number was typed in. The importer
// (internal/importer) recognises headings by these forms, with the same pattern that
// numbering "auto" strips, so that the two can never disagree on what a number is.
type NumberForm int

// Number forms, in the order of the levels GB/T 9704 gives them.
const (
	FormNone         NumberForm = iota
	FormChinese                 // 一、 十一、 (also 一. 一．)
	FormChineseParen            // （一） (一)
	FormArabic                  // 1. 1． 1、
	FormArabicParen             // （1） (1)
)

// Level is the heading level the standard gives the form: 一、 1, （一） 2, 1. 3, （1） 4.
func (f NumberForm) Level() int { return int(f) }

// LeadingNumber reads one heading number at the start of s, in any form the
// headingNumberLen form accepts, and returns it with its form, its value (1-based;
// 0 if it cannot be read) and the text after it (leading white space trimmed). A
// digit right after "1." makes a decimal ("3.5亿元"), which is not a number: then num
// is "".
func LeadingNumber(s string) (num string, form NumberForm, value int, rest string) {
	end := headingNumberLen(s)
	if end == 0 {
		return "", FormNone, 0, s
	}
	num, after := s[:end], s[end:]
	if strings.HasSuffix(num, ".") || strings.HasSuffix(num, "．") {
		if r, _ := utf8.DecodeRuneInString(after); unicode.IsDigit(r) {
			return "", FormNone, 0, s
		}
	}
	inner := strings.TrimFunc(num, func(r rune) bool { return strings.ContainsRune("（()）、.．", r) })
	paren := strings.ContainsAny(num[:1], "(") || strings.HasPrefix(num, "（")
	if r, _ := utf8.DecodeRuneInString(inner); r >= '0' && r <= '9' || r >= '０' && r <= '９' {
		value = arabicValue(inner)
		form = FormArabic
		if paren {
			form = FormArabicParen
		}
	} else {
		value = ChineseValue(inner)
		form = FormChinese
		if paren {
			form = FormChineseParen
		}
	}
	return num, form, value, strings.TrimLeftFunc(after, isTrimSpace)
}

func arabicValue(s string) int {
	var b strings.Builder
	for _, r := range s {
		if r >= '０' && r <= '９' {
			r = r - '０' + '0'
		}
		b.WriteRune(r)
	}
	n, err := strconv.Atoi(b.String())
	if err != nil {
		return 0
	}
	return n
}

// ChineseValue reads a Chinese numeral as headings count (一 … 十一 … 一百零一, 〇 and
// 两 too); 0 when s is not one. It is the inverse of ChineseNumeral.
func ChineseValue(s string) int {
	digits := map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	units := map[rune]int{'十': 10, '百': 100, '千': 1000}
	total, cur := 0, -1
	for _, r := range s {
		if d, ok := digits[r]; ok {
			cur = d
			continue
		}
		u, ok := units[r]
		if !ok {
			return 0
		}
		if cur < 0 {
			cur = 1 // 十一: an implied 一
		}
		total += cur * u
		cur = -1
	}
	if cur > 0 {
		total += cur
	}
	return total
}
