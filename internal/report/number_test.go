package report

import "testing"

func TestLeadingNumber(t *testing.T) {
	for _, c := range []struct {
		in, num string
		form    NumberForm
		value   int
		rest    string
	}{
		{"一、总体情况", "一、", FormChinese, 1, "总体情况"},
		{"十一、其他", "十一、", FormChinese, 11, "其他"},
		{"（一）健全机制。", "（一）", FormChineseParen, 1, "健全机制。"},
		{"(二十三)x", "(二十三)", FormChineseParen, 23, "x"},
		{"1.高度重视", "1.", FormArabic, 1, "高度重视"},
		{"12．规范", "12．", FormArabic, 12, "规范"},
		{"３、全角", "３、", FormArabic, 3, "全角"},
		{"（4）细则", "（4）", FormArabicParen, 4, "细则"},
		{"(10) 细则", "(10)", FormArabicParen, 10, "细则"},
		{"3.5亿元", "", FormNone, 0, "3.5亿元"},
		{"一是加强", "", FormNone, 0, "一是加强"},
	} {
		num, form, value, rest := LeadingNumber(c.in)
		if num != c.num || form != c.form || value != c.value || rest != c.rest {
			t.Errorf("LeadingNumber(%q) = %q %d %d %q, want %q %d %d %q", c.in, num, form, value, rest, c.num, c.form, c.value, c.rest)
		}
	}
	if FormChinese.Level() != 1 || FormChineseParen.Level() != 2 || FormArabic.Level() != 3 || FormArabicParen.Level() != 4 {
		t.Error("form levels are not 一、 1, （一） 2, 1. 3, （1） 4")
	}
	for n, s := range map[int]string{1: "一", 10: "十", 11: "十一", 20: "二十", 101: "一百零一", 110: "一百一十", 1010: "一千零一十"} {
		if got := ChineseValue(s); got != n {
			t.Errorf("ChineseValue(%q) = %d, want %d", s, got, n)
		}
	}
}
