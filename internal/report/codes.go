package report

import (
	"fmt"
	"strconv"
)

// Problem codes. They are stable: clients match on them.
const (
	// The input as a whole.
	CodeTooLarge        = "too_large"
	CodeInvalidUTF8     = "invalid_utf8"
	CodeMalformedJSON   = "malformed_json"
	CodeTooManyProblems = "too_many_problems"

	// Structure (mostly from the JSON Schema).
	CodeRequired       = "required"
	CodeUnknownField   = "unknown_field"
	CodeDuplicateField = "duplicate_field"
	CodeWrongType      = "wrong_type"
	CodeInvalidValue   = "invalid_value"
	CodeInvalidBlock   = "invalid_block"
	CodeNoSections     = "no_sections"
	CodeTooDeep        = "too_deep"
	CodeRunInLevel1    = "run_in_level1"
	CodeRunInNoText    = "run_in_without_paragraph"
	CodeTooManyItems   = "too_many_items"

	// Text and values.
	CodeEmptyHeading     = "empty_heading"
	CodeEmptyParagraph   = "empty_paragraph"
	CodeEmptyText        = "empty_text"
	CodeControlCharacter = "control_character"
	CodeInvalidText      = "invalid_text"
	CodeTooLong          = "too_long"
	CodeInvalidDate      = "invalid_date"
	CodeOutOfRange       = "out_of_range"
	CodeRaggedTable      = "ragged_table"
	CodeEmptyTable       = "empty_table"
	CodeInvalidSeal      = "invalid_seal"

	// Whole-report limits.
	CodeTooManySections = "too_many_sections"
	CodeTooManyBlocks   = "too_many_blocks"

	// Warnings: what Parse changed.
	CodeNumberRemoved      = "number_removed"
	CodePunctuationRemoved = "punctuation_removed"
	CodePunctuationAdded   = "punctuation_added"
	CodeNumberNormalised   = "number_normalised"  // 发文字号 rewritten as 〔2025〕3号
	CodeNumberYear         = "number_year"        // 发文字号's year is not the date's
	CodeCopyNumberPadded   = "copy_number_padded" // 份号 zero-padded to six digits
	CodeNoteParentheses    = "note_parentheses"   // 附注's own parentheses removed
)

// fieldNames gives each contract field a name a records clerk knows.
var fieldNames = map[string][2]string{
	"title":       {"标题", "the title"},
	"issuer":      {"发文机关", "the issuer"},
	"year":        {"年度", "the year"},
	"date":        {"成文日期", "the date"},
	"addressee":   {"主送机关", "the addressee"},
	"preamble":    {"前言", "the preamble"},
	"sections":    {"章节", "the sections"},
	"attachments": {"附件", "the attachments"},
	"numbering":   {"编号方式", "the numbering"},
	"heading":     {"章节标题", "the heading"},
	"runIn":       {"标题与正文同行（runIn）", "the runIn flag"},
	"body":        {"正文", "the body"},
	"paragraph":   {"段落", "the paragraph"},
	"table":       {"表格", "the table"},
	"caption":     {"表题", "the caption"},
	"header":      {"表头", "the header"},
	"rows":        {"表格各行", "the rows"},
	"$schema":     {"$schema", "$schema"},
	"document":    {"版头和版记（document）", "the document"},
	"note":        {"附注", "the note"},
	"seal":        {"印章", "the seal"},
	"copyNumber":  {"份号", "the copy number"},
	"secrecy":     {"密级和保密期限", "the secrecy"},
	"urgency":     {"紧急程度", "the urgency"},
	"organ":       {"发文机关标志", "the organ"},
	"number":      {"发文字号", "the document number"},
	"signers":     {"签发人", "the signers"},
	"cc":          {"抄送机关", "the cc list"},
	"printer":     {"印发机关", "the printer"},
	"printDate":   {"印发日期", "the print date"},
	"png":         {"印章图片", "the seal image"},
	"diameterMM":  {"印章直径", "the seal diameter"},
}

// fieldOrder is the order fields are listed and problems sorted in.
var fieldOrder = map[string]int{
	"$schema": 0, "title": 1, "issuer": 2, "year": 3, "date": 4, "addressee": 5, "numbering": 6,
	"preamble": 7, "heading": 8, "runIn": 9, "body": 10, "sections": 11, "attachments": 12,
	"paragraph": 13, "table": 14, "caption": 15, "header": 16, "rows": 17,
	"document": 18, "note": 19, "seal": 20,
	"copyNumber": 21, "secrecy": 22, "urgency": 23, "organ": 24, "number": 25, "signers": 26,
	"cc": 27, "printer": 28, "printDate": 29, "png": 30, "diameterMM": 31,
}

// describe names the value at a pointer, in Chinese and English: "/sections/2/heading"
// → 章节标题 / heading; "/sections/2/body/0" → 正文段落 / block.
func describe(tokens []string) (zh, en string) {
	if len(tokens) == 0 {
		return "报告", "the report"
	}
	last := tokens[len(tokens)-1]
	if n, ok := fieldNames[last]; ok {
		return n[0], n[1]
	}
	if _, err := strconv.Atoi(last); err == nil && len(tokens) >= 2 {
		parent := tokens[len(tokens)-2]
		switch parent {
		case "sections":
			return "章节", "the section"
		case "preamble", "body":
			return "段落或表格", "the block"
		case "attachments":
			return "附件名称", "the attachment name"
		case "signers":
			return "签发人姓名", "the signer's name"
		case "cc":
			return "抄送机关名称", "the cc organ"
		case "header":
			return "表头单元格", "the header cell"
		case "rows":
			return "表格行", "the table row"
		}
		if len(tokens) >= 3 && tokens[len(tokens)-3] == "rows" {
			return "单元格", "the table cell"
		}
	}
	return fmt.Sprintf("“%s”", last), fmt.Sprintf("%q", last)
}

// typeNames names JSON types for a clerk.
var typeNames = map[string][2]string{
	"string":  {"文字（带引号的字符串）", "text (a quoted string)"},
	"integer": {"整数", "a whole number"},
	"number":  {"数字", "a number"},
	"boolean": {"true 或 false", "true or false"},
	"array":   {"列表 [ … ]", "a list [ … ]"},
	"object":  {"对象 { … }", "an object { … }"},
	"null":    {"null", "null"},
}

func typeName(t string) (zh, en string) {
	if n, ok := typeNames[t]; ok {
		return n[0], n[1]
	}
	return t, t
}
