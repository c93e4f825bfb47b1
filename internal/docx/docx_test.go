package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/fonts"
	"gongwen/internal/report"
	"gongwen/internal/spec"
	"gongwen/internal/typeset"
	"gongwen/templates"
)

// example parses and composes one of examples/*.json.
func example(t testing.TB, name string) *compose.Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	rep, _, err := report.Parse(data)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return compose.Compose(rep)
}

// metrics is the real font set when it loads, else the outline fake.
func metrics(t testing.TB) typeset.Metrics {
	t.Helper()
	set, err := fonts.Default()
	if err != nil {
		t.Logf("fonts.Default: %v; measuring with the fake metrics", err)
		return fakeMetrics{}
	}
	return set
}

// wantText is doc.Text() as the DOCX must print it: the title's line breaks are the
// title shaper's, so they are compared without line breaks.
func wantText(doc *compose.Document) []string {
	want := doc.Text()
	for i, b := range doc.Blocks {
		if b.Kind == compose.KindTitle && i < len(want) {
			want[i] = strings.ReplaceAll(want[i], "\n", "")
		}
	}
	return want
}

func gotText(t testing.TB, docXML []byte, doc *compose.Document) []string {
	got := paragraphs(t, docXML)
	for i := range got {
		// A longer signature date follows a tab, its style's right tab stop: layout.
		got[i] = strings.TrimPrefix(got[i], "\t")
	}
	if len(got) > 0 && len(doc.Blocks) > 0 && doc.Blocks[0].Kind == compose.KindTitle {
		got[0] = strings.ReplaceAll(got[0], "\n", "")
	}
	return got
}

func render(t testing.TB, doc *compose.Document) []byte {
	t.Helper()
	b, err := Render(doc, fakeMetrics{})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return b
}

func TestPartsWellFormedAndOrdered(t *testing.T) {
	for name, doc := range map[string]*compose.Document{
		"wuchuan":    wuchuan(t),
		"everything": everything("正文"),
		"empty":      {Title: "空", Blocks: []compose.Block{{Kind: compose.KindTitle, Runs: []compose.Run{{Text: "空"}}}}},
	} {
		t.Run(name, func(t *testing.T) {
			parts, names := unzip(t, render(t, doc))
			if strings.Join(names, " ") != strings.Join(templates.Parts, " ") {
				t.Errorf("parts %v, want %v", names, templates.Parts)
			}
			for n, data := range parts {
				if err := templates.WellFormed(data); err != nil {
					t.Errorf("%s: %v", n, err)
				}
				if bytes.Contains(data, []byte("<!--gongwen:")) || bytes.Contains(data, []byte("{{")) {
					t.Errorf("%s keeps a template marker", n)
				}
			}
		})
	}
}

func TestTextRoundTrip(t *testing.T) {
	nasty := []string{
		`< & > " ' ]]>`,
		`<w:t>注入</w:t></w:r></w:p><w:p>`,
		`&amp; &lt; &#x41; &#0; <![CDATA[x]]>`,
		`<!--gongwen:body--> {{.PageWidth}} ]]]]><![CDATA[>`,
		"行一\n行二\t制表",
		"  前后空格  ",
		"𠀀𪚥 emoji 😀 全角＆＜＞",
	}
	for i, s := range nasty {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			doc := everything(s)
			doc.Title, doc.Author, doc.Subject = s, s, s
			parts, _ := unzip(t, render(t, doc))
			got, want := gotText(t, parts[templates.DocumentPart], doc), wantText(doc)
			if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
				t.Errorf("text differs:\n got %q\nwant %q", got, want)
			}
			var core struct {
				Title   string `xml:"title"`
				Subject string `xml:"subject"`
				Creator string `xml:"creator"`
			}
			if err := xml.Unmarshal(parts[templates.CorePart], &core); err != nil {
				t.Fatal(err)
			}
			if core.Title != s || core.Subject != s || core.Creator != s {
				t.Errorf("core properties %+v, want %q", core, s)
			}
		})
	}
}

func TestRefusesCharactersXMLForbids(t *testing.T) {
	for _, s := range []string{"a\x00b", "a\x1bb", "a\rb", "a\u0085b", "a\xffb", "a\uffffb"} {
		doc := everything(s)
		b, err := Render(doc, fakeMetrics{})
		if err == nil || b != nil {
			t.Errorf("%q: got %d bytes, err %v; want an error", s, len(b), err)
			continue
		}
		if !strings.Contains(err.Error(), "/sections/0/sections/0/body/0") && !strings.Contains(err.Error(), "/rows/") {
			t.Errorf("%q: error %v does not name the input path", s, err)
		}
	}
}

func TestDeterministic(t *testing.T) {
	doc := wuchuan(t)
	a, b := render(t, doc), render(t, doc)
	if !bytes.Equal(a, b) {
		t.Fatal("two renders differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if got := f.Modified.Format("2006-01-02 15:04:05"); got != "2024-01-15 00:00:00" {
			t.Errorf("%s: time %s, want the report's date", f.Name, got)
		}
	}
	doc.Date = ""
	c := render(t, doc)
	zr, err = zip.NewReader(bytes.NewReader(c), int64(len(c)))
	if err != nil {
		t.Fatal(err)
	}
	if got := zr.File[0].Modified.Format("2006-01-02"); got != "2023-12-31" {
		t.Errorf("undated report: time %s, want 31 December of the year reported on", got)
	}
	doc.Year = 1970 // before zip's epoch
	c = render(t, doc)
	zr, err = zip.NewReader(bytes.NewReader(c), int64(len(c)))
	if err != nil {
		t.Fatal(err)
	}
	if got := zr.File[0].Modified.Format("2006-01-02"); got != "1980-01-01" {
		t.Errorf("report of 1970: zip time %s, want 1980-01-01", got)
	}
}

func TestCoreProperties(t *testing.T) {
	doc := wuchuan(t)
	parts, _ := unzip(t, render(t, doc))
	var core struct {
		Title    string `xml:"title"`
		Creator  string `xml:"creator"`
		Created  string `xml:"created"`
		Modified string `xml:"modified"`
	}
	if err := xml.Unmarshal(parts[templates.CorePart], &core); err != nil {
		t.Fatal(err)
	}
	if core.Title != doc.Title || core.Creator != doc.Author ||
		core.Created != "2024-01-15T00:00:00Z" || core.Modified != core.Created {
		t.Errorf("core properties %+v", core)
	}
	// Without a date: 31 December of the year reported on, as in the PDF.
	doc.Date = ""
	parts, _ = unzip(t, render(t, doc))
	core.Created, core.Modified = "", ""
	if err := xml.Unmarshal(parts[templates.CorePart], &core); err != nil {
		t.Fatal(err)
	}
	if core.Created != "2023-12-31T00:00:00Z" || core.Modified != core.Created {
		t.Errorf("undated report: core dates %q, %q; want 2023-12-31T00:00:00Z", core.Created, core.Modified)
	}
}

// TestTemplateNumbersFromSpec reads the numbers back out of the built template.
func TestTemplateNumbersFromSpec(t *testing.T) {
	parts, _ := unzip(t, render(t, wuchuan(t)))
	doc := string(parts[templates.DocumentPart])
	for _, want := range []string{
		`<w:pgSz w:w="` + strconv.Itoa(spec.DocxPageWidth) + `" w:h="` + strconv.Itoa(spec.DocxPageHeight) + `"/>`,
		`w:top="` + strconv.Itoa(spec.DocxMarginTop) + `" w:right="` + strconv.Itoa(spec.DocxMarginRight) +
			`" w:bottom="` + strconv.Itoa(spec.DocxMarginBottom) + `" w:left="` + strconv.Itoa(spec.DocxMarginLeft) + `"`,
		`<w:docGrid w:type="lines" w:linePitch="` + strconv.Itoa(spec.LinePitchTwips) + `"/>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	styles := string(parts["word/styles.xml"])
	for _, want := range []string{
		`<w:spacing w:before="0" w:after="0" w:line="579" w:lineRule="exact"/>`,
		`<w:spacing w:val="-5"/>`,
		`<w:sz w:val="32"/>`, `<w:sz w:val="44"/>`, `<w:sz w:val="28"/>`,
		`<w:ind w:firstLineChars="200" w:firstLine="640"/>`,
		`<w:overflowPunct w:val="0"/>`,
		`w:eastAsia="仿宋_GB2312"`, `w:eastAsia="方正小标宋简体"`, `w:eastAsia="黑体"`, `w:eastAsia="楷体_GB2312"`, `w:eastAsia="宋体"`,
	} {
		if !strings.Contains(styles, want) {
			t.Errorf("styles.xml lacks %s", want)
		}
	}
	// Every style the body refers to exists.
	for _, id := range []string{styleTitle, styleAddressee, styleAttachment, styleAttachmentItem, styleSignature,
		styleSignatureDate, styleCaption, styleTableText, styleTableNumber, styleTableHeading, styleTable,
		styleHeading + "1", styleHeading + "4"} {
		if !strings.Contains(styles, `w:styleId="`+id+`"`) {
			t.Errorf("styles.xml has no style %s", id)
		}
	}
	// Headings are Word's built-in ones with outline levels 0-3.
	for l := 1; l <= spec.MaxHeadingLevel; l++ {
		re := regexp.MustCompile(`(?s)w:styleId="Heading` + strconv.Itoa(l) + `">\s*<w:name w:val="heading ` +
			strconv.Itoa(l) + `"/>.*?<w:outlineLvl w:val="` + strconv.Itoa(l-1) + `"/>.*?w:eastAsia="` +
			regexp.QuoteMeta(spec.HeadingRole(l).OfficialFont()) + `"`)
		if !re.MatchString(styles) {
			t.Errorf("heading %d style is not built-in heading with outline level %d and font %s", l, l-1, spec.HeadingRole(l).OfficialFont())
		}
	}
	settings := string(parts["word/settings.xml"])
	for _, want := range []string{"<w:evenAndOddHeaders/>", `<w:characterSpacingControl w:val="doNotCompress"/>`, "&lt;"} {
		if !strings.Contains(settings, want) {
			t.Errorf("settings.xml lacks %s", want)
		}
	}
	fontTable := string(parts["word/fontTable.xml"])
	for _, r := range spec.Roles {
		if !strings.Contains(fontTable, `<w:font w:name="`+r.OfficialFont()+`">`) ||
			!strings.Contains(fontTable, `<w:font w:name="`+r.AltFont()+`">`) ||
			!strings.Contains(fontTable, `<w:font w:name="`+templates.StandIn[r]+`">`) {
			t.Errorf("fontTable.xml lacks the fonts of role %s", r)
		}
	}
}

// TestBodyStructure checks the WordprocessingML of each block kind.
func TestBodyStructure(t *testing.T) {
	parts, _ := unzip(t, render(t, everything("正文")))
	doc := string(parts[templates.DocumentPart])
	for _, want := range []string{
		`<w:pStyle w:val="Title"/></w:pPr><w:r><w:t xml:space="preserve">某某局</w:t><w:br/><w:t xml:space="preserve">2023年法治政府建设年度报告</w:t></w:r></w:p><w:p/>`,
		`<w:pStyle w:val="Addressee"/>`,
		`<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve">一、主要工作</w:t>`,
		// A run-in heading: its own heading paragraph, the mark hidden by a style
		// separator, then the body text in 接排正文 (no first-line indent).
		`<w:p><w:pPr><w:pStyle w:val="Heading2"/><w:rPr><w:vanish/><w:specVanish/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">（一）健全机制。</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="RunInBody"/></w:pPr><w:r><w:t xml:space="preserve">正文</w:t></w:r></w:p>`,
		`<w:pStyle w:val="Heading4"/><w:rPr><w:vanish/><w:specVanish/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">（1）公示。</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="RunInBody"/></w:pPr><w:r><w:t xml:space="preserve">第一行</w:t>`,
		// The caption: Word's caption style, its number a SEQ field.
		`<w:pStyle w:val="Caption"/></w:pPr><w:r><w:t xml:space="preserve">表</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> SEQ 表 \* ARABIC </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> 执法情况 &lt;统计&gt;</w:t></w:r></w:p>`,
		`第一行</w:t><w:br/><w:t xml:space="preserve">第二行`,
		`<w:tblStyle w:val="OfficialTable"/><w:tblW w:w="8844" w:type="dxa"/>`,
		`<w:tr><w:trPr><w:trHeight w:val="569" w:hRule="exact"/><w:tblHeader/></w:trPr>`,
		`<w:tr><w:trPr><w:trHeight w:val="579" w:hRule="exact"/></w:trPr>`,
		`<w:pStyle w:val="TableNumber"/></w:pPr><w:r><w:t xml:space="preserve">10.88%</w:t>`,
		// The note's lines stay together, as in the PDF.
		`<w:pStyle w:val="Attachment"/><w:keepNext/></w:pPr><w:r><w:t xml:space="preserve">附件：1.执法统计表</w:t>`,
		`<w:pStyle w:val="AttachmentItem"/><w:keepNext/></w:pPr><w:r><w:t xml:space="preserve">2.普法工作清单</w:t>`,
		`<w:pStyle w:val="Signature"/><w:keepNext/>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	// Alignment is always a style's: the body sets none directly.
	if strings.Contains(doc, "<w:jc ") {
		t.Error("document.xml aligns a paragraph directly")
	}
	// Table grid columns fill the type area exactly.
	sum := 0
	for _, m := range regexp.MustCompile(`<w:gridCol w:w="(\d+)"/>`).FindAllStringSubmatch(doc, -1) {
		n, _ := strconv.Atoi(m[1])
		sum += n
	}
	if sum != typeWidthTwips {
		t.Errorf("table columns sum to %d twips, want %d", sum, typeWidthTwips)
	}
}

// TestSignaturePlacement checks the date offsets of GB/T 9704 7.3.5.2 in both cases:
// the name placed by its style alone when the date fits under it, the date's left
// indent computed; when the date is longer, both left indents computed from the date.
func TestSignaturePlacement(t *testing.T) {
	cases := []struct {
		issuer, date string
		long         bool // the date is longer than the name minus the offset
	}{
		{"吴川市科工贸和信息化局", "2024年1月15日", false},
		{"某某局", "2024年3月5日", true},
	}
	indent := regexp.MustCompile(`<w:pStyle w:val="(\w+)"/>(?:<w:keepNext/>)?(<w:ind [^>]*/>)?(<w:jc w:val="(\w+)"/>)?`)
	for _, c := range cases {
		w := &writer{m: fakeMetrics{}, used: new(used)}
		if err := w.signature(c.issuer, c.date, false); err != nil {
			t.Fatal(err)
		}
		ps := indent.FindAllStringSubmatch(w.b.String(), -1)
		if len(ps) != 2 || ps[0][1] != "Signature" || ps[1][1] != "SignatureDate" {
			t.Fatalf("%s/%s: paragraphs %q", c.issuer, c.date, ps)
		}
		nameW, dateW := w.widthPt(spec.RoleFangsong, c.issuer), w.widthPt(spec.RoleFangsong, c.date)
		typeW := float64(typeWidthTwips) / 20
		cell := spec.BodySize + bodyTracking
		left := func(ind string) string {
			m := regexp.MustCompile(` w:left="(\d+)"`).FindStringSubmatch(ind)
			if m == nil {
				return ""
			}
			return m[1]
		}
		if !c.long {
			// The name by its style alone; the date two cells right of its start.
			nameStart := typeW - 2*spec.BodySize - nameW
			if ps[0][2] != "" || ps[0][4] != "" {
				t.Errorf("%s: the name has direct formatting %q", c.issuer, ps[0][0])
			}
			if got, want := left(ps[1][2]), strconv.Itoa(spec.Twips(nameStart+2*cell)); got != want || ps[1][4] != "" {
				t.Errorf("%s/%s: date indent %s (jc %q), want %s", c.issuer, c.date, got, ps[1][4], want)
			}
			continue
		}
		// The date follows a tab (its style's right tab stop keeps the right gap); the
		// name ends where it starts two cells left of the date.
		dateStart := typeW - 2*spec.BodySize - dateW
		right := regexp.MustCompile(` w:right="(\d+)"`).FindStringSubmatch(ps[0][2])
		if want := strconv.Itoa(spec.Twips(typeW - (dateStart - 2*cell + nameW))); right == nil || right[1] != want || ps[0][4] != "" {
			t.Errorf("%s/%s: name %q, want right indent %s and the style's alignment", c.issuer, c.date, ps[0][0], want)
		}
		if ps[1][2] != "" || ps[1][4] != "" || !strings.Contains(w.b.String(), `<w:tab/><w:t xml:space="preserve">`+c.date) {
			t.Errorf("%s/%s: date %q, want the style's tab stop alone", c.issuer, c.date, ps[1][0])
		}
	}
}

func TestExamplesRender(t *testing.T) {
	m := metrics(t)
	for _, name := range []string{"wuchuan-2023.json", "all-fields.json"} {
		t.Run(name, func(t *testing.T) {
			doc := example(t, name)
			b, err := Render(doc, m)
			if err != nil {
				t.Fatal(err)
			}
			parts, _ := unzip(t, b)
			got, want := gotText(t, parts[templates.DocumentPart], doc), wantText(doc)
			if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
				t.Errorf("text differs:\n got %q\nwant %q", got, want)
			}
		})
	}
}

// BenchmarkRenderWuchuan: a warm render, the embedded font subsets included (cut and
// compressed per document); docx-bytes is the file's size.
func BenchmarkRenderWuchuan(b *testing.B) {
	doc := example(b, "wuchuan-2023.json")
	m := metrics(b)
	out, err := Render(doc, m)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Render(doc, m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(out)), "docx-bytes")
}

// TestConcurrentRenders shares the cached template between goroutines, as a warm
// Lambda does.
func TestConcurrentRenders(t *testing.T) {
	doc := wuchuan(t)
	want := render(t, doc)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			b, err := Render(doc, fakeMetrics{})
			if err == nil && !bytes.Equal(b, want) {
				err = errors.New("concurrent render differs")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestRenderRefusesMissingInput(t *testing.T) {
	if b, err := Render(nil, fakeMetrics{}); err == nil || b != nil {
		t.Error("nil document rendered")
	}
	if b, err := Render(everything("x"), nil); err == nil || b != nil {
		t.Error("rendered without metrics")
	}
	doc := everything("x")
	doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindHeading, Level: 7, Path: "/bad"})
	if _, err := Render(doc, fakeMetrics{}); err == nil || !strings.Contains(err.Error(), "/bad") {
		t.Errorf("heading level 7: err %v", err)
	}
	doc = everything("x")
	doc.Date = "15.01.2024"
	if _, err := Render(doc, fakeMetrics{}); err == nil {
		t.Error("malformed date accepted")
	}
}
