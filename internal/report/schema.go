package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
)

//go:embed schema.json
var schemaJSON []byte

// SchemaID is the $id of the published schema.
const SchemaID = "urn:gongwen:report:1"

// Schema returns the JSON Schema (2020-12) of the report contract, as published.
func Schema() []byte { return bytes.Clone(schemaJSON) }

// compiled is the schema compiled once per process (a warm Lambda validates many
// reports) by the built-in validator (validator.go).
var compiled = sync.OnceValues(func() (*schema, error) {
	if generatedSchema.root != nil {
		return &generatedSchema, nil
	}
	s, err := compileEmbedded(schemaJSON)
	if err != nil {
		return nil, fmt.Errorf("report schema: %w", err)
	}
	return s, nil
})

// Warm compiles the schema now rather than in the first Parse (a Lambda function's
// init phase, or while a CLI reads its inputs).
func Warm() error {
	_, err := compiled()
	return err
}

// validateSchema checks the decoded tree against the schema and translates every
// finding into our codes and a clerk's wording.
func validateSchema(tree any, stop *stopper) ([]Problem, error) {
	s, err := compiled()
	if err != nil {
		return nil, err
	}
	var leaves []violation
	if err := stoppable(func() { s.root.validate(s.defs, tree, make([]string, 0, 8), &leaves, stop) }); err != nil {
		return nil, err
	}
	if len(leaves) > MaxProblems {
		// Only the first problems in document order are listed: translate only those.
		sort.SliceStable(leaves, func(i, j int) bool {
			return comparePaths(leaves[i].loc, leaves[j].loc) < 0
		})
		leaves = leaves[:MaxProblems+1]
	}
	var out []Problem
	for _, l := range leaves {
		out = append(out, translate(l, tree)...)
	}
	return out, nil
}

// translate turns one failed keyword into problems.
func translate(ve violation, tree any) []Problem {
	loc := ve.loc
	path := pointer(loc)
	zh, en := describe(loc)
	last := ""
	if len(loc) > 0 {
		last = loc[len(loc)-1]
	}
	p := func(code, msg string) []Problem { return []Problem{{Path: path, Code: code, Message: msg}} }
	switch ve.keyword {
	case "required":
		var ps []Problem
		for _, m := range ve.names {
			mzh, _ := describe(append(slices.Clone(loc), m))
			ps = append(ps, Problem{Path: path + "/" + escapePointer(m), Code: CodeRequired,
				Message: fmt.Sprintf("缺少必填项“%s”（%s）。The required field %q is missing.", mzh, m, m)})
		}
		return ps
	case "additionalProperties":
		props := slices.Clone(ve.names)
		sort.Strings(props)
		known := knownFields(loc)
		var ps []Problem
		for _, f := range props {
			msg := fmt.Sprintf("不认识的字段“%s”。Unknown field %q.", f, f)
			if s := suggest(f, known); s != "" {
				msg = fmt.Sprintf("不认识的字段“%s”，是否应为“%s”？Unknown field %q; did you mean %q?", f, s, f, s)
			} else if len(known) > 0 {
				msg = fmt.Sprintf("不认识的字段“%s”，此处可用的字段：%s。Unknown field %q; the fields allowed here: %s.",
					f, strings.Join(known, "、"), f, strings.Join(known, ", "))
			}
			ps = append(ps, Problem{Path: path + "/" + escapePointer(f), Code: CodeUnknownField, Message: msg})
		}
		return ps
	case "type":
		var wzh, wen []string
		for _, w := range ve.types {
			a, b := typeName(w)
			wzh, wen = append(wzh, a), append(wen, b)
		}
		gzh, gen := typeName(ve.gotType)
		if ve.gotType == "number" && slices.Contains(ve.types, "integer") {
			// 2023.5 where a whole number belongs: "not a number" would read as nonsense.
			gzh, gen = "带小数的数", "a number with a fraction"
		}
		if len(loc) == 0 {
			return p(CodeWrongType, fmt.Sprintf("报告应为一个 JSON 对象 { … }，实为%s。The report must be a JSON object { … }, not %s.", gzh, gen))
		}
		if isBlock(loc) {
			return p(CodeWrongType, fmt.Sprintf("段落或表格应为一段文字，或 {\"paragraph\": …}、{\"table\": …} 对象，实为%s。A block must be text, or an object {\"paragraph\": …} or {\"table\": …}, not %s.", gzh, gen))
		}
		return p(CodeWrongType, fmt.Sprintf("“%s”应为%s，实为%s。%s must be %s, not %s.",
			zh, strings.Join(wzh, "或"), gzh, capitalize(en), strings.Join(wen, " or "), gen))
	case "enum":
		var want []string
		for _, w := range ve.values {
			want = append(want, fmt.Sprintf("%q", w))
		}
		return p(CodeInvalidValue, fmt.Sprintf("“%s”只能是 %s。%s must be one of %s.",
			zh, strings.Join(want, " 或 "), capitalize(en), strings.Join(want, ", ")))
	case "const":
		// The only const: runIn is false at level 1.
		return p(CodeRunInLevel1, "一级标题必须单独成行，不能与正文同行（runIn 只用于二至四级标题）。A level-1 heading stands alone: runIn is only for levels 2 to 4.")
	case "minLength":
		code := CodeEmptyText
		switch {
		case last == "heading":
			code = CodeEmptyHeading
		case last == "paragraph" || isBlock(loc):
			code = CodeEmptyParagraph
		}
		return p(code, fmt.Sprintf("“%s”不能为空。%s must not be empty.", zh, capitalize(en)))
	case "maxLength":
		return p(CodeTooLong, fmt.Sprintf("“%s”过长：%d 个字，最多 %d 个字。%s is too long: %d characters, at most %d.",
			zh, ve.got, ve.want, capitalize(en), ve.got, ve.want))
	case "minItems":
		switch last {
		case "sections":
			return p(CodeNoSections, "报告至少需要一个章节。The report needs at least one section.")
		case "header":
			return p(CodeEmptyTable, "表头至少需要一个单元格。The table header needs at least one cell.")
		case "rows":
			return p(CodeEmptyTable, "表格至少需要一行。The table needs at least one row.")
		}
		return p(CodeInvalidValue, fmt.Sprintf("“%s”至少需要 %d 项。%s needs at least %d items.", zh, ve.want, capitalize(en), ve.want))
	case "maxItems":
		switch {
		case ve.want == 0 && last == "sections":
			return p(CodeTooDeep, fmt.Sprintf("标题最多 %d 级，此处的小节是第 %d 级。Headings have at most %d levels; these subsections would be level %d.",
				MaxLevels, MaxLevels+1, MaxLevels, MaxLevels+1))
		case last == "sections":
			return p(CodeTooManySections, fmt.Sprintf("章节过多：最多 %d 个。Too many sections: at most %d.", MaxSections, MaxSections))
		case last == "body" || last == "preamble":
			return p(CodeTooManyBlocks, fmt.Sprintf("段落和表格过多：最多 %d 个。Too many paragraphs and tables: at most %d.", MaxBlocks, MaxBlocks))
		case last == "rows":
			return p(CodeTooManyItems, fmt.Sprintf("表格行数过多：%d 行，最多 %d 行。Too many table rows: %d, at most %d.", ve.got, ve.want, ve.got, ve.want))
		case last == "header" || (len(loc) >= 2 && loc[len(loc)-2] == "rows"):
			return p(CodeTooManyItems, fmt.Sprintf("表格列数过多：%d 列，最多 %d 列。Too many table columns: %d, at most %d.", ve.got, ve.want, ve.got, ve.want))
		}
		return p(CodeTooManyItems, fmt.Sprintf("“%s”过多：%d 项，最多 %d 项。%s has too many items: %d, at most %d.", zh, ve.got, ve.want, capitalize(en), ve.got, ve.want))
	case "minimum", "maximum":
		if last == "diameterMM" {
			return p(CodeOutOfRange, fmt.Sprintf("印章直径应在 %g 至 %g 毫米之间，实为 %s。The seal diameter must be %g to %g mm, not %s.",
				MinSealDiameterMM, MaxSealDiameterMM, numberAt(tree, loc), MinSealDiameterMM, MaxSealDiameterMM, numberAt(tree, loc)))
		}
		return p(CodeOutOfRange, fmt.Sprintf("“%s”应在 %d 至 %d 之间，实为 %s。%s must be between %d and %d, not %s.",
			zh, MinYear, MaxYear, numberAt(tree, loc), capitalize(en), MinYear, MaxYear, numberAt(tree, loc)))
	case "pattern":
		return p(CodeInvalidDate, fmt.Sprintf("“%s”应写作“2024-01-15”的格式（年-月-日）。%s must be written as 2024-01-15 (year-month-day).", zh, capitalize(en)))
	case "minProperties", "maxProperties":
		return p(CodeInvalidBlock, "段落或表格对象应恰好含一个字段：\"paragraph\" 或 \"table\"。A block object must have exactly one field: \"paragraph\" or \"table\".")
	}
	return p(CodeInvalidValue, fmt.Sprintf("“%s”的值不符合要求。%s has a value that is not allowed.", zh, capitalize(en)))
}

// isBlock tells whether loc points at a block (an item of preamble or body).
func isBlock(loc []string) bool {
	n := len(loc)
	return n >= 2 && (loc[n-2] == "preamble" || loc[n-2] == "body")
}

// knownFields lists the fields allowed in the object at loc, in contract order.
func knownFields(loc []string) []string {
	n := len(loc)
	switch {
	case n == 0:
		return []string{"title", "issuer", "year", "date", "addressee", "numbering", "preamble", "sections", "attachments", "document", "note", "seal"}
	case n == 1 && loc[0] == "document":
		return []string{"copyNumber", "secrecy", "urgency", "organ", "number", "signers", "cc", "printer", "printDate"}
	case n == 1 && loc[0] == "seal":
		return []string{"png", "diameterMM"}
	case n == 2 && loc[0] == "attachments":
		return []string{"title", "body"}
	case n >= 2 && loc[n-2] == "sections":
		return []string{"heading", "runIn", "body", "sections"}
	case isBlock(loc):
		return []string{"paragraph", "table"}
	case loc[n-1] == "table":
		return []string{"caption", "header", "rows"}
	}
	return nil
}

// suggest finds the known field a typo most likely meant: same letters ignoring case,
// or at most two edits away.
func suggest(f string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if strings.EqualFold(f, k) {
			return k
		}
		if d := editDistance(strings.ToLower(f), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Damerau (optimal string alignment) distance, so that a swap
// such as "titel" counts as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 99
	}
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// numberAt returns the JSON number at loc as written.
func numberAt(tree any, loc []string) string {
	v := tree
	for _, t := range loc {
		m, ok := v.(map[string]any)
		if !ok {
			return "?"
		}
		v = m[t]
	}
	if n, ok := v.(json.Number); ok {
		return n.String()
	}
	return fmt.Sprint(v)
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
