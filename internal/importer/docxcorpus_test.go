package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gongwen/internal/report"
	"gongwen/internal/testtool"
)

// wordLike is a report as a Word user types it, written by python-docx from Word's
// own default template (styles "Title", "Heading 1", "Heading 2"), with a merged
// table cell and a manual line break.
const wordLike = `
import sys, docx
d = docx.Document()
d.add_paragraph("示例市生态环境局2024年法治政府建设年度报告", style="Title")
d.add_paragraph("市委、市政府：")
d.add_paragraph("2024年，我局坚持依法行政，现将有关情况报告如下：")
d.add_heading("一、主要工作", level=1)
d.add_heading("（一）完善制度体系", level=2)
p = d.add_paragraph("制定规范性文件3件。")
p.add_run().add_break()
p.add_run("清理文件12件。")
d.add_paragraph("表1　执法情况")
t = d.add_table(rows=3, cols=3)
for i, row in enumerate([["类别", "件数", "备注"], ["行政处罚", "18", "含简易程序"], ["行政检查", "40", ""]]):
    for j, c in enumerate(row):
        t.cell(i, j).text = c
t.cell(2, 1).merge(t.cell(2, 2))
d.add_heading("二、存在问题", level=1)
d.add_paragraph("一是执法力量不足。二是宣传不够深入。")
d.add_paragraph("示例市生态环境局")
d.add_paragraph("2025年1月20日")
d.save(sys.argv[1])
`

func pythonDocx(t *testing.T, script string) []byte {
	t.Helper()
	// Debian's python3-docx is installed for the system Python, which a pyenv shim
	// earlier in PATH would hide.
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		py = testtool.Require(t, "python3")
	}
	if err := exec.Command(py, "-c", "import docx").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python-docx (python3-docx) is required under CI")
		}
		t.Skip("python-docx not installed")
	}
	out := filepath.Join(t.TempDir(), "in.docx")
	if msg, err := exec.Command(py, "-c", script, out).CombinedOutput(); err != nil {
		t.Fatalf("python-docx: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWordStylesDOCX(t *testing.T) {
	res, err := DOCX(pythonDocx(t, wordLike), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := `title "示例市生态环境局2024年法治政府建设年度报告"
issuer "示例市生态环境局"
year 2024
date 2025-01-20
addressee "市委、市政府："
¶ 2024年，我局坚持依法
一、主要工作
  （一）完善制度体系
    ¶ 制定规范性文件3件。
清
    ▦ "表1\u3000执法情况" 3x3
二、存在问题
  ¶ 一是执法力量不足。二是宣
`
	if got := outline(res.Report); got != want {
		t.Errorf("outline:\n%s\nwant:\n%s", got, want)
	}
	tbl := res.Report.Sections[0].Sections[0].Body[1].Table
	if strings.Join(tbl.Rows[1], "|") != "行政检查|40|" {
		t.Errorf("merged row %q, want the text in the first cell and the spanned cell empty", tbl.Rows[1])
	}
	if !strings.Contains(codes(res.Warnings), "table 1 merged_cells_split") {
		t.Errorf("warnings:\n%s", codes(res.Warnings))
	}
	if _, err := DOCX(pythonDocx(t, wordLike), Options{MergedCellsError: true}); err == nil ||
		!strings.Contains(err.Error(), "第 1 个表格") || !strings.Contains(err.Error(), "Table 1 has 1 merged cell") {
		t.Errorf("MergedCellsError: %v", err)
	}
}

// handMade builds a DOCX part by part, as Word writes the features python-docx
// cannot: automatic heading numbering (numbering.xml), a text box in
// mc:AlternateContent (with its VML fallback copy), a footnote, a comment and a
// tracked deletion.
func handMade(t testing.TB, body string) []byte {
	t.Helper()
	const w = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/styles.xml": `<?xml version="1.0" encoding="UTF-8"?><w:styles ` + w + `>
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="10"><w:name w:val="toc 1"/></w:style>
</w:styles>`,
		"word/numbering.xml": `<?xml version="1.0" encoding="UTF-8"?><w:numbering ` + w + `>
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl><w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8"?><w:document ` + w + ` xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml"><w:body>` + body + `<w:sectPr/></w:body></w:document>`,
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/numbering.xml"} {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(parts[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func p(style, text string) string {
	s := "<w:p>"
	if style != "" {
		s += `<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`
	}
	return s + `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

func TestWordNumberingDOCX(t *testing.T) {
	box := `<w:p><w:r><w:t>正文第一段，附文本框。</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>` +
		p("", "文本框中的说明文字。") + `</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>` +
		p("", "文本框中的说明文字。") + `</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`
	body := p("a3", "示例县民政局2024年法治政府建设年度报告") + p("10", "一、主要工作	1") + p("10", "二、存在问题	2") +
		p("1", "主要工作") +
		p("2", "健全制度") + box +
		p("2", "规范执法") +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>细化措施。落实到人。</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>开展执法检查20次</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>，发现问题</w:t></w:r><w:del w:id="3"><w:r><w:delText>已删除</w:delText></w:r></w:del><w:ins w:id="4"><w:r><w:t>均已整改</w:t></w:r></w:ins><w:r><w:t>。</w:t></w:r><w:commentRangeStart w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>` +
		p("1", "存在问题") +
		p("2", "队伍建设不足") +
		p("", "执法人员偏少。") +
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>数量</w:t></w:r></w:p></w:tc></w:tr>` +
		`<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>检查</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>20</w:t></w:r></w:p></w:tc></w:tr>` +
		`<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>5</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`
	res, err := DOCX(handMade(t, body), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := `title "示例县民政局2024年法治政府建设年度报告"
issuer "示例县民政局"
year 2024
一、主要工作
  （一）健全制度
    ¶ 正文第一段，附文本框。
    ¶ 文本框中的说明文字。
  （二）规范执法
    1.细化措施。 [runIn]
      ¶ 落实到人。
      ¶ 开展执法检查20次，发现
二、存在问题
  （一）队伍建设不足
    ¶ 执法人员偏少。
    ▦ "" 3x2
`
	if got := outline(res.Report); got != want {
		t.Errorf("outline:\n%s\nwant:\n%s", got, want)
	}
	if got := res.Report.Sections[0].Sections[1].Sections[0].Body[1].Paragraph; got != "开展执法检查20次，发现问题均已整改。" {
		t.Errorf("paragraph with footnote, deletion and insertion: %q", got)
	}
	wantCodes := "paragraph 2 table_of_contents_ignored\nparagraph 6 text_box_read\nparagraph 9 comment_ignored\nparagraph 9 footnote_ignored\nparagraph 9 tracked_deletion_ignored\ntable 1 merged_cells_split"
	if got := codes(res.Warnings); got != wantCodes {
		t.Errorf("warnings:\n%s\nwant:\n%s", got, wantCodes)
	}
	// Numbering "auto" prints the same numbers Word's list showed.
	if s := res.Report.Sections[1].Sections[0]; s.Number != "（一）" || s.Heading != "队伍建设不足" {
		t.Errorf("second part's first heading: %q %q", s.Number, s.Heading)
	}
	_, err = DOCX(handMade(t, body), Options{MergedCellsError: true})
	var inv *report.InvalidError
	if !errors.As(err, &inv) || inv.Problems[0].Code != CodeMergedError || !strings.Contains(inv.Problems[0].Message, "Table 1 has 1 merged cell") {
		t.Errorf("MergedCellsError: %v", err)
	}
}

// TestWordNumberLabels pins numbering.xml formats to the numbers Word shows.
func TestWordNumberLabels(t *testing.T) {
	for _, c := range []struct {
		n    int
		f    string
		want string
	}{
		{1, "chineseCounting", "一"}, {11, "chineseCounting", "十一"}, {20, "chineseCountingThousand", "二十"},
		{3, "decimal", "3"}, {12, "decimalFullWidth", "１２"}, {4, "upperRoman", "IV"}, {2, "decimalEnclosedCircle", "②"},
		{3, "chineseLegalSimplified", "叁"},
	} {
		if got := formatNumber(c.n, c.f); got != c.want {
			t.Errorf("formatNumber(%d, %s) = %q, want %q", c.n, c.f, got, c.want)
		}
	}
}

// TestPandocDOCX: a DOCX written by pandoc (another independent writer: its own Title,
// Heading and Body Text styles, its own table markup) imports with its structure.
func TestPandocDOCX(t *testing.T) {
	pandoc := testtool.Require(t, "pandoc")
	dir := t.TempDir()
	md := "---\ntitle: 示例市审计局2024年法治政府建设年度报告\n---\n\n市委、市政府：\n\n现将有关情况报告如下：\n\n" +
		"# 一、主要工作\n\n## （一）完善制度\n\n制定制度3项。\n\n| 类别 | 数量 |\n|---|---|\n| 审计 | 12 |\n\n" +
		"# 二、存在问题\n\n一是力量不足。\n\n示例市审计局\n\n2025年1月8日\n"
	in, out := filepath.Join(dir, "in.md"), filepath.Join(dir, "out.docx")
	if err := os.WriteFile(in, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(pandoc, in, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("pandoc: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	res, err := DOCX(b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := `title "示例市审计局2024年法治政府建设年度报告"
issuer "示例市审计局"
year 2024
date 2025-01-08
addressee "市委、市政府："
¶ 现将有关情况报告如下：
一、主要工作
  （一）完善制度
    ¶ 制定制度3项。
    ▦ "" 2x2
二、存在问题
  ¶ 一是力量不足。
`
	if got := outline(res.Report); got != want {
		t.Errorf("outline:\n%s\nwant:\n%s", got, want)
	}
}

// plainWord is a report typed in Word without any style: everything Normal, the
// title centred and bold by direct formatting, numbers typed, half-width punctuation
// pasted from a web page; python-docx writes it.
const plainWord = `
import sys, docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
d = docx.Document()
p = d.add_paragraph()
r = p.add_run("示例县农业农村局关于2024年度法治政府建设情况的报告")
r.bold = True
p.alignment = WD_ALIGN_PARAGRAPH.CENTER
for t in ["县委、县政府:", "2024年,我局认真贯彻落实法治政府建设各项部署.现将有关情况报告如下:",
          "一、主要做法", "(一)强化组织领导。成立领导小组,定期研究部署。", "(二)规范执法行为",
          "1.开展专项检查。检查农资门店56家。", "2.加强案卷评查", "二、下一步打算", "持续提升依法行政水平。",
          "示例县农业农村局", "2025年2月10日"]:
    d.add_paragraph(t)
d.save(sys.argv[1])
`

func TestPlainWordDOCX(t *testing.T) {
	res, err := DOCX(pythonDocx(t, plainWord), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := `title "示例县农业农村局关于2024年度法治政府建设情况的报告"
issuer "示例县农业农村局"
year 2024
date 2025-02-10
addressee "县委、县政府："
¶ 2024年，我局认真贯彻
一、主要做法
  （一）强化组织领导。 [runIn]
    ¶ 成立领导小组，定期研究部
  （二）规范执法行为
    1.开展专项检查。 [runIn]
      ¶ 检查农资门店56家。
    2.加强案卷评查
二、下一步打算
  ¶ 持续提升依法行政水平。
`
	if got := outline(res.Report); got != want {
		t.Errorf("outline:\n%s\nwant:\n%s", got, want)
	}
	if got := codes(res.Warnings); got != "paragraph 2 punctuation_restored\nparagraph 3 punctuation_restored\nparagraph 5 punctuation_restored\nparagraph 6 punctuation_restored" {
		t.Errorf("warnings:\n%s", got)
	}
}

// TestZipBomb: a small DOCX whose document.xml unpacks to more than 32 MB is refused
// as unreadable, without parsing it.
func TestZipBomb(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
	} {
		f, _ := zw.Create(name)
		f.Write([]byte(body))
	}
	f, _ := zw.Create("word/document.xml")
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range 33 {
		f.Write(chunk)
	}
	zw.Close()
	if buf.Len() > report.MaxInputBytes {
		t.Fatalf("bomb is %d bytes", buf.Len())
	}
	_, err := DOCX(buf.Bytes(), Options{})
	var inv *report.InvalidError
	if !errors.As(err, &inv) || inv.Kind != report.KindMalformed || !strings.Contains(inv.Problems[0].Message, "unpacks to more than 32 MB") {
		t.Errorf("zip bomb: %v", err)
	}
}

// TestOtherFormats: the files people send instead (an old .doc, a PDF, an .odt saved
// by LibreOffice) are refused with what to do.
func TestOtherFormats(t *testing.T) {
	inputs := map[string][]byte{
		"old Word": []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"),
		"PDF":      []byte("%PDF-1.7\n"),
		"RTF":      []byte(`{\rtf1\ansi 报告}`),
	}
	soffice := testtool.Require(t, "soffice")
	dir := t.TempDir()
	_, docx := renderDOCX(t, readFile(t, "..", "..", "examples", "all-fields.json"))
	src := filepath.Join(dir, "r.docx")
	os.WriteFile(src, docx, 0o644)
	cmd := exec.Command(soffice, "--headless", "--norestore", "--convert-to", "odt", "--outdir", dir, src)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	inputs["ODT"] = readFile(t, dir, "r.odt")
	want := map[string]string{"old Word": "save it as .docx in Word or WPS", "PDF": "extract its text first (pdftotext FILE.pdf)",
		"RTF": "This is an RTF file", "ODT": "This is an OpenDocument (.odt) file"}
	for name, data := range inputs {
		_, err := Import(data, Options{})
		var inv *report.InvalidError
		if !errors.As(err, &inv) || inv.Kind != report.KindMalformed || !strings.Contains(inv.Problems[0].Message, want[name]) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// withPadding is docx with one more stored (uncompressed) part of n bytes, as Word
// stores an embedded font: the file grows by n, nothing the importer reads changes.
func withPadding(t *testing.T, docx []byte, n int) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "word/fonts/font9.odttf", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(make([]byte, n))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestLargeDOCX: a Word file with embedded fonts is far over the 2 MB of report JSON
// and still imports, up to 64 MB (67108864 bytes); over that it is refused as too
// large, naming its size.
func TestLargeDOCX(t *testing.T) {
	want, docx := renderDOCX(t, readFile(t, "..", "..", "examples", "all-fields.json"))
	big := withPadding(t, docx, 30<<20)
	res, err := Import(big, Options{})
	if err != nil {
		t.Fatalf("30 MB DOCX: %v", err)
	}
	sameReport(t, "30 MB DOCX", res.Report, want)

	huge := withPadding(t, docx, 64<<20)
	_, err = Import(huge, Options{})
	var inv *report.InvalidError
	if !errors.As(err, &inv) || inv.Kind != report.KindTooLarge || !strings.Contains(inv.Problems[0].Message, "The Word file is too large: "+strconv.Itoa(len(huge))+" bytes, at most 67108864 (64 MB).") {
		t.Errorf("over 64 MB: %v", err)
	}
}

// TestWordStyleSeparator: a run-in heading as Word's style separator makes it (Ctrl+Alt+
// Enter): a Heading 2 paragraph whose mark is hidden, then the body in Normal. A mark
// with w:vanish w:val="0" is not hidden: that heading stands alone.
func TestWordStyleSeparator(t *testing.T) {
	hidden := func(style, text, vanish string) string {
		return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/><w:rPr>` + vanish + `</w:rPr></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
	}
	docx := handMade(t, p("a3", "示例县水利局2024年法治政府建设年度报告")+
		p("1", "主要工作")+
		hidden("2", "加强学习。", `<w:vanish/><w:specVanish/>`)+p("", "全年组织学习12次。")+p("", "覆盖全体干部。")+
		hidden("2", "规范执法", `<w:vanish w:val="0"/>`)+p("", "办理执法案件56件。")+
		p("1", "存在问题")+p("", "信息化程度不高。"))
	res, err := DOCX(docx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := `title "示例县水利局2024年法治政府建设年度报告"
issuer "示例县水利局"
year 2024
一、主要工作
  （一）加强学习。 [runIn]
    ¶ 全年组织学习12次。
    ¶ 覆盖全体干部。
  （二）规范执法
    ¶ 办理执法案件56件。
二、存在问题
  ¶ 信息化程度不高。
`
	if got := outline(res.Report); got != want {
		t.Errorf("outline:\n%s\nwant:\n%s", got, want)
	}
}

// TestSealNotUsable: a picture at the signature 80 mm wide (a seal is 20–60 mm) is
// left out with a warning; the rest of the document form imports.
func TestSealNotUsable(t *testing.T) {
	want, docx := renderDOCX(t, readFile(t, "..", "..", "examples", "all-fields-document.json"))
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			zw.Copy(f)
			continue
		}
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		if !bytes.Contains(b.Bytes(), []byte(`<wp:extent cx="1512000" cy="1512000"/>`)) {
			t.Fatal("the seal's 42 mm extent is not in document.xml")
		}
		w, _ := zw.Create(f.Name)
		w.Write(bytes.Replace(b.Bytes(), []byte(`<wp:extent cx="1512000" cy="1512000"/>`), []byte(`<wp:extent cx="2880000" cy="2880000"/>`), 1))
	}
	zw.Close()
	res, err := DOCX(buf.Bytes(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Seal != nil {
		t.Errorf("an 80 mm picture was imported as the seal")
	}
	w := *want
	w.Seal = nil
	sameReport(t, "80 mm picture", res.Report, &w)
	found := false
	for _, wn := range res.Warnings {
		if wn.Code == "seal_not_imported" && strings.Contains(wn.Message, "The picture at the signature was not imported as the seal: ") && strings.Contains(wn.Message, "80") {
			found = true
		}
	}
	if !found {
		t.Errorf("no seal_not_imported warning naming 80 mm: %v", res.Warnings)
	}
}
