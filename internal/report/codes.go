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

	// Whole-report limits.
	CodeTooManySections = "too_many_sections"
	CodeTooManyBlocks   = "too_many_blocks"

	// Warnings: what Parse changed.
	CodeNumberRemoved      = "number_removed"
	CodePunctuationRemoved = "punctuation_removed"
	CodePunctuationAdded   = "punctuation_added"
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
}

// fieldOrder is the order fields are listed and problems sorted in.
var fieldOrder = map[string]int{
	"$schema": 0, "title": 1, "issuer": 2, "year": 3, "date": 4, "addressee": 5, "numbering": 6,
	"preamble": 7, "heading": 8, "runIn": 9, "body": 10, "sections": 11, "attachments": 12,
	"paragraph": 13, "table": 14, "caption": 15, "header": 16, "rows": 17,
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
