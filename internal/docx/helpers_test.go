package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/width"

	"gongwen/internal/compose"
	"gongwen/internal/report"
	"gongwen/internal/spec"
)

// fakeMetrics measures like the embedded fonts do in outline: CJK and full-width
// characters one em, everything else half an em.
type fakeMetrics struct{}

func (fakeMetrics) Glyph(role spec.Role, r rune) (spec.Face, float64, bool) {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return spec.RoleFace(role), 1, true
	}
	return spec.RoleFace(role), 0.5, true
}

// wuchuan builds the Wuchuan 2023 report (testdata/wuchuan.txt, the seed text) as a
// composed document the way compose lays it out: a title, level-1 headings (一、),
// run-in level-2 headings (（一）…。 followed by body text), body paragraphs and the
// signature.
func wuchuan(t testing.TB) *compose.Document {
	t.Helper()
	data, err := os.ReadFile("testdata/wuchuan.txt")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	issuer := "吴川市科工贸和信息化局"
	doc := &compose.Document{Title: lines[0], Author: issuer, Subject: issuer + " 2023年度报告",
		Year: 2023, Date: "2024-01-15"}
	doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindTitle, Path: "/title",
		Runs: []compose.Run{{Text: lines[0], Role: spec.RoleTitle, Path: "/title"}}})
	level1 := []string{"一、", "二、", "三、", "四、", "五、", "六、"}
	for i, l := range lines[1:] {
		path := "/body/" + strconv.Itoa(i)
		switch {
		case hasAnyPrefix(l, level1):
			doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindHeading, Path: path, Level: 1,
				Bookmark: l, Runs: []compose.Run{{Text: l, Role: spec.RoleHei, Path: path}}})
		case strings.HasPrefix(l, "（") && strings.Contains(l, "。"):
			k := strings.Index(l, "。") + len("。")
			doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindParagraph, Path: path, Level: 2,
				Bookmark: l[:k], Runs: []compose.Run{
					{Text: l[:k], Role: spec.RoleKai, Path: path + "/heading"},
					{Text: l[k:], Role: spec.RoleFangsong, Path: path}}})
		default:
			doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindParagraph, Path: path,
				Runs: []compose.Run{{Text: l, Role: spec.RoleFangsong, Path: path}}})
		}
	}
	doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindSignature, Path: "/date",
		Issuer: issuer, Date: "2024年1月15日"})
	return doc
}

func hasAnyPrefix(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// everything builds a document with every block kind.
func everything(text string) *compose.Document {
	para := func(path, s string) compose.Block {
		return compose.Block{Kind: compose.KindParagraph, Path: path,
			Runs: []compose.Run{{Text: s, Role: spec.RoleFangsong, Path: path}}}
	}
	return &compose.Document{Title: "某某局2023年法治政府建设年度报告", Author: "某某局",
		Subject: "某某局 2023年度报告", Year: 2023, Date: "2024-03-05",
		Blocks: []compose.Block{
			{Kind: compose.KindTitle, Path: "/title", Runs: []compose.Run{{Text: "某某局\n2023年法治政府建设年度报告", Role: spec.RoleTitle}}},
			{Kind: compose.KindAddressee, Path: "/addressee", Runs: []compose.Run{{Text: "市人民政府：", Role: spec.RoleFangsong}}},
			para("/preamble/0", "现将我局2023年度法治政府建设情况报告如下："),
			{Kind: compose.KindHeading, Path: "/sections/0", Level: 1, Bookmark: "一、主要工作",
				Runs: []compose.Run{{Text: "一、主要工作", Role: spec.RoleHei}}},
			{Kind: compose.KindParagraph, Path: "/sections/0/sections/0/body/0", Level: 2, Bookmark: "（一）健全机制。",
				Runs: []compose.Run{{Text: "（一）健全机制。", Role: spec.RoleKai}, {Text: text, Role: spec.RoleFangsong}}},
			{Kind: compose.KindHeading, Path: "/sections/0/sections/1", Level: 2, Bookmark: "（二）严格执法",
				Runs: []compose.Run{{Text: "（二）严格执法", Role: spec.RoleKai}}},
			{Kind: compose.KindHeading, Path: "/sections/0/sections/1/sections/0", Level: 3, Bookmark: "1.规范程序",
				Runs: []compose.Run{{Text: "1.规范程序", Role: spec.RoleFangsong}}},
			{Kind: compose.KindParagraph, Path: "/sections/0/sections/1/sections/0/sections/0/body/0", Level: 4,
				Bookmark: "（1）公示。", Runs: []compose.Run{{Text: "（1）公示。", Role: spec.RoleFangsong}, {Text: "第一行\n第二行", Role: spec.RoleFangsong}}},
			{Kind: compose.KindTable, Path: "/sections/0/body/1", Table: &report.Table{
				Caption: "表1 执法情况 <统计>",
				Header:  []string{"序号", "项目", "数量"},
				Rows:    [][]string{{"1", "行政许可 & 备案", "1,234"}, {"2", text, "10.88%"}},
			}},
			para("/sections/0/body/2", "本年度共办理案件12件，同比增长10.88%。"),
			{Kind: compose.KindAttachments, Path: "/attachments", Items: []string{"1.执法统计表", "2.普法工作清单"}},
			{Kind: compose.KindSignature, Path: "/date", Issuer: "某某局", Date: "2024年3月5日"},
		}}
}

// unzip returns every part of a zip archive by name, and the names in order.
func unzip(t testing.TB, b []byte) (map[string][]byte, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	parts := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatalf("open %s: %v", f.Name, err)
		}
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("read %s: %v", f.Name, err)
		}
		parts[f.Name] = data
		names = append(names, f.Name)
	}
	return parts, names
}

const wNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// paragraphs parses document.xml and returns each body paragraph's text (w:t text, w:br
// as "\n", w:tab as "\t"), table cell paragraphs included, empty paragraphs skipped.
// A paragraph whose mark is hidden by a style separator (w:specVanish in the mark's
// w:rPr) runs on into the next, as Word shows it.
func paragraphs(t testing.TB, documentXML []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(documentXML))
	var out []string
	var cur strings.Builder
	inT, inBody, inPPr, joined := false, false, false, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Space != wNS {
				continue
			}
			switch e.Name.Local {
			case "body":
				inBody = true
			case "p":
				if !joined {
					cur.Reset()
				}
				joined = false
			case "pPr":
				inPPr = true
			case "specVanish":
				joined = inPPr
			case "t":
				inT = true
			case "br":
				cur.WriteString("\n")
			case "tab":
				cur.WriteString("\t")
			}
		case xml.EndElement:
			if e.Name.Space != wNS {
				continue
			}
			switch e.Name.Local {
			case "t":
				inT = false
			case "pPr":
				inPPr = false
			case "p":
				if inBody && cur.Len() > 0 && !joined {
					out = append(out, cur.String())
				}
			}
		case xml.CharData:
			if inT {
				cur.Write(e)
			}
		}
	}
	return out
}
