package importer

import (
	"os"
	"path/filepath"
	"testing"

	"gongwen/internal/render"
)

// TestCorpus imports reports shaped as they come from government sites and PDF
// extraction (testdata/corpus) and asserts each one's structure and the warnings
// with their lines. 01: breadcrumb, metadata line, font-size buttons, the title twice,
// half-width punctuation, a URL in brackets. 02: half-width punctuation beside
// numbers (1,560, 10:30), Latin (OA(Office Automation)), an e-mail address and a URL.
// 03: 1. directly under 一、 (a level skipped). 04: （三） under 二、 (numbering run on).
// 05: no title, a signature. 06: a two-line issuer-first title, addressee, 附件 note,
// signature and 附注. 07: PDF text with a page number, a form feed and split
// paragraphs. 08: a tab-separated table with its caption. 09: (一) 1、 2． (1) forms
// at four levels, 一是 enumerations. 10: a year and a date in Chinese numerals.
func TestCorpus(t *testing.T) {
	cases := map[string]struct{ outline, warnings string }{
		"01-web-chrome.txt": {
			`title "示例市市场监督管理局2024年法治政府建设年度报告"
issuer "示例市市场监督管理局"
year 2024
¶ 2024年，我局在市委、
一、主要工作
  （一）健全依法决策机制。 [runIn]
    ¶ 全年作出重大行政决策3项
  （二）规范行政执法。 [runIn]
    ¶ 开展“双随机、一公开”抽
二、存在问题
  ¶ 一是执法人员法治素养有待
三、下一步安排
  ¶ 我局将继续深入学习贯彻习
`,
			`line 1 web_chrome_removed
line 11 punctuation_restored
line 13 punctuation_restored
line 14 web_chrome_removed
line 3 web_chrome_removed
line 4 web_chrome_removed
line 5 duplicate_title_removed
line 6 punctuation_restored
line 8 punctuation_restored
line 9 punctuation_restored`},
		"02-half-width.txt": {
			`title "示例县教育局2023年度法治政府建设工作报告"
issuer "示例县教育局"
year 2023
¶ 2023年，全县共办理行
一、工作成效
  ¶ 全年开展培训23场次（含
二、下一步工作
  ¶ 持续推进依法治教：加强制
`,
			`line 2 punctuation_restored
line 4 punctuation_restored
line 6 punctuation_restored`},
		"03-level-skip.txt": {
			`title "示例区司法局2024年法治政府建设年度报告"
issuer "示例区司法局"
year 2024
¶ 现将我局2024年法治政
一、主要举措
  （一）加强组织领导。 [runIn]
    ¶ 成立领导小组，统筹推进各
  （二）完善制度建设
    1.制定制度5项
    2.修订制度3项
二、存在不足
  （一）学习不够深入。 [runIn]
    ¶ 部分干部学习停留在表面。
`,
			`line 4 level_skipped
line 5 level_skipped
line 6 (/sections/0/sections/1/sections/0/heading) punctuation_removed
line 6 level_skipped
line 7 (/sections/0/sections/1/sections/1/heading) punctuation_removed
line 7 level_skipped
line 9 level_skipped`},
		"04-run-on.txt": {
			`title "示例市水务局2024年法治政府建设年度报告"
issuer "示例市水务局"
year 2024
一、主要工作
  （一）加强学习。 [runIn]
    ¶ 全年组织学习12次。
  （二）规范执法。 [runIn]
    ¶ 办理执法案件56件。
二、存在问题
  （一）队伍建设有待加强。 [runIn]
    ¶ 执法人员数量不足。
  （二）信息化程度不高。 [runIn]
    ¶ 系统功能有待完善。
`,
			`line 6 numbering_runs_on
line 7 numbering_runs_on`},
		"05-no-title.txt": {
			`title "示例县示例镇人民政府2024年法治政府建设年度报告"
issuer "示例县示例镇人民政府"
year 2024
date 2025-01-10
¶ 2024年，我镇深入学习
一、工作开展情况
  ¶ 全镇共开展法治宣传活动3
二、存在问题和下一步打算
  ¶ 基层法治力量仍然薄弱，我
`,
			`(document) title_made
line 7 year_guessed`},
		"06-issuer-first-signed.txt": {
			`title "示例市司法局关于2025年度\n法治政府建设情况的报告"
issuer "示例市司法局"
year 2025
date 2026-01-15
addressee "市委、市政府："
¶ 2025年，我局坚持以习
一、主要工作举措和成效
  （一）健全依法决策机制。 [runIn]
    ¶ 全年作出重大行政决策5项
  （二）深化行政执法规范化建设
    ¶ 推进行政执法“三项制度”
二、存在的不足
  ¶ 一是基层执法力量不足。二
attachment "2025年度行政执法数据统计表"
attachment "重点任务完成情况清单"
note "此件公开发布"
`,
			``},
		"07-pdf-extract.txt": {
			`title "示例市统计局2023年法治政府建设年度报告"
issuer "示例市统计局"
year 2023
一、总体情况
  ¶ 2023年，我局认真落实
二、下一年度安排
  ¶ 继续深化统计法治建设，提
`,
			`line 15 paragraphs_joined
line 7 page_number_removed
line 9 paragraphs_joined`},
		"08-table.txt": {
			`title "示例县财政局2024年法治政府建设年度报告"
issuer "示例县财政局"
year 2024
一、行政执法情况
  ¶ 全年行政执法情况见下表。
  ▦ "表1\u30002024年行政执法情况" 3x3
二、下一步工作
  ¶ 继续规范执法行为。
`,
			``},
		"09-mixed-forms.txt": {
			`title "示例市卫生健康委员会2024年法治政府建设年度报告"
issuer "示例市卫生健康委员会"
year 2024
一、主要工作
  （一）强化制度保障
    1.完善议事规则。 [runIn]
      ¶ 修订党组议事规则1项。
    2.规范合同管理。 [runIn]
      ¶ 审查合同42份。
      （1）开展专项清理。 [runIn]
        ¶ 清理文件17件。
      （2）公开清理结果
二、存在问题
  ¶ 一是法治意识有待提升。二
`,
			`line 3 punctuation_restored
line 6 punctuation_restored
line 7 punctuation_restored`},
		"10-chinese-date.txt": {
			`title "示例县应急管理局二〇二三年度法治政府建设情况报告"
issuer "示例县应急管理局"
year 2023
date 2024-01-15
addressee "县委、县政府："
¶ 现将我局2023年度法治
一、主要工作
  ¶ 全年开展安全生产执法检查
二、工作计划
  ¶ 持续推进应急管理综合行政
`,
			`line 2 punctuation_restored
line 3 punctuation_restored`},
	}
	// The document form as typed or copied: 版头 lines, 附注, an attachment page, 版记.
	cases["11-document-form.txt"] = struct{ outline, warnings string }{
		`title "示例县农业农村局2024年法治政府建设年度报告"
issuer "示例县农业农村局"
year 2024
date 2025-01-20
addressee "县委、县政府："
¶ 2024年，我局扎实推进
一、主要工作
  ¶ 全年办理行政执法案件42
二、下一步打算
  ¶ 持续提升依法行政水平。
attachment "2024年度执法案件统计"
attachment "重点任务清单"
attachment page 1 "2024年度执法案件统计"
  ¶ 全年办理行政处罚案件30
note "此件主动公开"
document copy "000023" secrecy "机密★5年" urgency "加急" organ "示例县农业农村局文件" number "示农〔2025〕7号" signers ["王五"]
record cc ["县人大常委会办公室" "县政协办公室"] printer "示例县农业农村局办公室" printDate 2025年1月21日
`, `line 22 digit_space_removed`}
	files, _ := filepath.Glob("testdata/corpus/*.txt")
	if len(files) != len(cases) {
		t.Fatalf("%d corpus files, %d expectations", len(files), len(cases))
	}
	for _, f := range files {
		want, ok := cases[filepath.Base(f)]
		if !ok {
			t.Errorf("%s: no expectation", f)
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Text(b, Options{})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if got := outline(res.Report); got != want.outline {
			t.Errorf("%s: outline\n%s\nwant\n%s", f, got, want.outline)
		}
		if got := codes(res.Warnings); got != want.warnings {
			t.Errorf("%s: warnings\n%s\nwant\n%s", f, got, want.warnings)
		}
		// What was imported also renders (every character has a font).
		if _, _, err := render.Validate(res.JSON); err != nil {
			t.Errorf("%s: the imported report does not render: %v", f, err)
		}
	}
}

// TestKeepNumbers: with KeepNumbers, numbers automatic numbering cannot reproduce are
// kept as typed (numbering "none"); the report then prints them exactly.
func TestKeepNumbers(t *testing.T) {
	b, err := os.ReadFile("testdata/corpus/04-run-on.txt")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Text(b, Options{KeepNumbers: true})
	if err != nil {
		t.Fatal(err)
	}
	want := `title "示例市水务局2024年法治政府建设年度报告"
issuer "示例市水务局"
year 2024
numbering none
一、主要工作
  （一）加强学习。 [runIn]
    ¶ 全年组织学习12次。
  （二）规范执法。 [runIn]
    ¶ 办理执法案件56件。
二、存在问题
  （三）队伍建设有待加强。 [runIn]
    ¶ 执法人员数量不足。
  （四）信息化程度不高。 [runIn]
    ¶ 系统功能有待完善。
`
	if got := outline(res.Report); got != want {
		t.Errorf("outline\n%s\nwant\n%s", got, want)
	}
	if got := codes(res.Warnings); got != "(document) numbering_kept\nline 6 numbering_runs_on\nline 7 numbering_runs_on" {
		t.Errorf("warnings:\n%s", got)
	}
}
