package docx

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"gongwen/internal/compose"
	"gongwen/internal/spec"
	"gongwen/internal/testtool"
	"gongwen/templates"
)

// What someone editing the DOCX meets: the navigation pane and a TOC built from
// outline levels, the style gallery, pandoc.

// headings lists the outline entries of a document: the text of every heading and
// run-in heading, in order (what the PDF's outline lists).
func headings(doc *compose.Document) []string {
	var out []string
	for _, b := range doc.Blocks {
		if b.Level > 0 && len(b.Runs) > 0 {
			out = append(out, b.Runs[0].Text)
		}
	}
	return out
}

// bodyParagraphs is the document's w:body paragraphs outside tables, as parsed nodes.
func bodyParagraphs(t *testing.T, documentXML []byte) []*node {
	t.Helper()
	body := parseXML(t, documentXML).child("body")
	var out []*node
	for _, k := range body.kids {
		if k.name == "p" {
			out = append(out, k)
		}
	}
	return out
}

func text(p *node) string {
	var b strings.Builder
	for _, r := range p.all("t") {
		b.WriteString(r.text)
	}
	return b.String()
}

// TestRunInHeadingsStyleSeparated: every run-in heading is a paragraph of its own in
// the level's heading style whose paragraph mark is hidden (w:vanish and w:specVanish
// in the mark's rPr: Word's style separator), holding exactly the heading; the next
// paragraph holds the body text, in the run-in body style (no first-line indent: it
// continues the heading's line), with no outline level.
func TestRunInHeadingsStyleSeparated(t *testing.T) {
	for name, doc := range map[string]*compose.Document{
		"wuchuan": wuchuan(t), "everything": everything("正文"), "all-fields": example(t, "all-fields.json"),
	} {
		parts, _ := unzip(t, render(t, doc))
		ps := bodyParagraphs(t, parts[templates.DocumentPart])
		runIns := 0
		for _, b := range doc.Blocks {
			if b.Kind != compose.KindParagraph || b.Level == 0 {
				continue
			}
			runIns++
			i := slices.IndexFunc(ps, func(p *node) bool { return text(p) == b.Runs[0].Text })
			if i < 0 || i+1 >= len(ps) {
				t.Errorf("%s: no paragraph holding only the run-in heading %q", name, b.Runs[0].Text)
				continue
			}
			h, body := ps[i], ps[i+1]
			if got := h.child("pPr").child("pStyle").attrs["val"]; got != "Heading"+itoa(b.Level) {
				t.Errorf("%s: run-in heading %q in style %q, want Heading%d", name, b.Runs[0].Text, got, b.Level)
			}
			mark := h.child("pPr").child("rPr")
			if mark.child("vanish") == nil || mark.child("specVanish") == nil {
				t.Errorf("%s: run-in heading %q: paragraph mark not hidden by a style separator", name, b.Runs[0].Text)
			}
			var rest strings.Builder
			for _, r := range b.Runs[1:] {
				rest.WriteString(strings.ReplaceAll(r.Text, "\n", ""))
			}
			if text(body) != rest.String() {
				t.Errorf("%s: after %q: %q, want the body text %q", name, b.Runs[0].Text, text(body), rest.String())
			}
			if body.child("pPr").child("pStyle").attrs["val"] != "RunInBody" || body.child("pPr").child("outlineLvl") != nil {
				t.Errorf("%s: body of %q is not in the run-in body style, or has an outline level", name, b.Runs[0].Text)
			}
			if body.child("pPr").child("rPr").child("specVanish") != nil {
				t.Errorf("%s: body of %q is joined to the next paragraph", name, b.Runs[0].Text)
			}
		}
		if runIns == 0 && name != "everything" {
			t.Errorf("%s: no run-in headings to check", name)
		}
	}
}

// TestOutlineLevelsOnlyOnHeadings reads the DOCX with python-docx: every paragraph
// with an outline level (its own or its style's, through basedOn) is a heading and
// holds nothing but it, in the order of the document's headings.
func TestOutlineLevelsOnlyOnHeadings(t *testing.T) {
	py := testtool.Require(t, "/usr/bin/python3")
	if err := exec.Command(py, "-c", "import docx").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python-docx is missing: %v", err)
		}
		t.Skipf("python-docx is missing: %v", err)
	}
	const script = `
import sys, docx
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
def level(p):
    pPr = p._p.pPr
    if pPr is not None and pPr.find(qn('w:outlineLvl')) is not None:
        return pPr.find(qn('w:outlineLvl')).get(qn('w:val'))
    s = p.style
    while s is not None:
        ppr = s.element.pPr
        if ppr is not None and ppr.find(qn('w:outlineLvl')) is not None:
            return ppr.find(qn('w:outlineLvl')).get(qn('w:val'))
        s = s.base_style
    return None
for p in d.paragraphs:
    l = level(p)
    if l is not None and l != '9':
        print(l + '\t' + p.style.name + '\t' + p.text)
`
	dir := t.TempDir()
	for name, doc := range map[string]*compose.Document{
		"wuchuan": example(t, "wuchuan-2023.json"), "all-fields": example(t, "all-fields.json"), "everything": everything("正文"),
	} {
		path := filepath.Join(dir, name+".docx")
		if err := os.WriteFile(path, render(t, doc), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(py, "-c", script, path).Output()
		if err != nil {
			t.Fatalf("%s: python-docx: %v", name, err)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.SplitN(l, "\t", 3)
			if len(f) != 3 {
				t.Fatalf("%s: python-docx printed %q", name, l)
			}
			if !strings.HasPrefix(f[1], "Heading ") || f[1][len("Heading "):] != string(rune('1'+f[0][0]-'0')) {
				t.Errorf("%s: outline level %s on a paragraph in style %q: %q", name, f[0], f[1], f[2])
			}
			got = append(got, f[2])
		}
		want := headings(doc)
		if !slices.Equal(got, want) {
			t.Errorf("%s: paragraphs with an outline level:\n got %q\nwant %q", name, got, want)
		}
		for _, g := range got {
			if len([]rune(g)) > 120 {
				t.Errorf("%s: an outline entry of %d characters: %q", name, len([]rune(g)), g)
			}
		}
	}
}

// Names of Word's and LibreOffice's built-in styles (English and Chinese UI names) that
// a custom style must not take: LibreOffice maps them to its own on import.
var builtinNames = []string{
	"Normal", "Title", "Subtitle", "Addressee", "Signature", "Salutation", "Date", "Closing",
	"Caption", "caption", "Table Contents", "Table Heading", "Body Text", "Text Body", "Footer",
	"Header", "Header and Footer", "Heading", "Index", "List", "Quotations", "Sender",
	"Envelope Address", "Table", "Figure", "Illustration", "Drawing", "Text", "Contents Heading",
	"Page Number", "page number", "Table Grid", "Normal Table", "Default Paragraph Font",
	"正文", "标题", "副标题", "签名", "日期", "称呼", "结束语", "题注", "页脚", "页眉", "页码",
	"表格", "正文文本", "表格内容", "表格标题", "信封地址", "网格型", "普通表格", "默认段落字体",
}

// TestStyleNames: every custom style (w:customStyle) has a Chinese name (Han
// characters, none of the built-in names) and its English name as an alias; every
// other style is one of Word's built-ins by its exact built-in name; the Quick Style
// gallery holds only the styles an editor applies by hand.
func TestStyleNames(t *testing.T) {
	parts, _ := unzip(t, render(t, everything("正文")))
	builtins := map[string]bool{"Normal": true, "Title": true, "heading 1": true, "heading 2": true,
		"heading 3": true, "heading 4": true, "caption": true, "footer": true,
		"Default Paragraph Font": true, "Normal Table": true}
	gallery := []string{"Normal", "Title", "主送机关", "heading 1", "heading 2", "heading 3", "heading 4",
		"附件说明", "发文机关署名", "caption"}
	var inGallery []string
	custom := 0
	for _, st := range parseXML(t, parts["word/styles.xml"]).all("style") {
		name := st.child("name").attrs["val"]
		if st.child("qFormat") != nil {
			inGallery = append(inGallery, name)
		}
		if st.attrs["customStyle"] != "1" {
			if !builtins[name] {
				t.Errorf("style %s %q is neither custom nor one of Word's built-ins", st.attrs["styleId"], name)
			}
			continue
		}
		custom++
		if !strings.ContainsFunc(name, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("custom style %s: name %q is not Chinese", st.attrs["styleId"], name)
		}
		if slices.Contains(builtinNames, name) {
			t.Errorf("custom style %s: name %q is a built-in's", st.attrs["styleId"], name)
		}
		alias := st.child("aliases").attrs["val"]
		if alias == "" || strings.ContainsFunc(alias, func(r rune) bool { return r > unicode.MaxASCII }) ||
			!strings.ContainsFunc(alias, unicode.IsLetter) {
			t.Errorf("custom style %s %q: alias %q is not an English name", st.attrs["styleId"], name, alias)
		}
		if st.child("qFormat") == nil && (st.child("semiHidden") == nil || st.child("unhideWhenUsed") == nil) {
			t.Errorf("custom style %q is neither in the gallery nor hidden until used", name)
		}
	}
	if custom < 10 {
		t.Errorf("%d custom styles, want the 12 of the template", custom)
	}
	slices.Sort(inGallery)
	slices.Sort(gallery)
	if !slices.Equal(inGallery, gallery) {
		t.Errorf("Quick Style gallery %q, want %q", inGallery, gallery)
	}
}

// TestPandocHeadings: pandoc reads every heading, run-in ones included, as a heading
// holding only the heading text, and the body text as a paragraph of its own.
func TestPandocHeadings(t *testing.T) {
	pandoc := testtool.Require(t, "pandoc")
	dir := t.TempDir()
	for name, doc := range map[string]*compose.Document{
		"wuchuan": example(t, "wuchuan-2023.json"), "all-fields": example(t, "all-fields.json"),
	} {
		path := filepath.Join(dir, name+".docx")
		if err := os.WriteFile(path, render(t, doc), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(pandoc, "-f", "docx", "-t", "markdown-smart", "--wrap=none", "--markdown-headings=atx", path).Output()
		if err != nil {
			t.Fatalf("%s: pandoc: %v", name, err)
		}
		var got []string
		var levels []int
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, "#") {
				hashes, txt, _ := strings.Cut(l, " ")
				got = append(got, strings.TrimSpace(txt))
				levels = append(levels, len(hashes))
			}
		}
		var want []string
		var wantLevels []int
		for _, b := range doc.Blocks {
			if b.Level > 0 {
				want = append(want, b.Runs[0].Text)
				wantLevels = append(wantLevels, b.Level)
			}
		}
		// pandoc escapes markdown's special characters; the headings here have none
		// but the period after an Arabic number ("1." becomes "1\.").
		for i := range got {
			got[i] = strings.ReplaceAll(got[i], `\.`, ".")
		}
		if !slices.Equal(got, want) || !slices.Equal(levels, wantLevels) {
			t.Errorf("%s: pandoc's headings\n got %q %v\nwant %q %v", name, got, levels, want, wantLevels)
		}
	}
}

// TestEmbeddedFonts: the font table's official fonts carry the stand-in subsets,
// obfuscated as ECMA-376 Part 1 §17.8.1 says. The test undoes the obfuscation itself
// (the key is the GUID's 16 bytes from the last to the first, XORed over the first 32
// bytes) and reads each font back with fc-scan (FreeType): its family must be the
// stand-in's, and it must hold every character the document's text uses in that font,
// and not many more (a per-document subset).
func TestEmbeddedFonts(t *testing.T) {
	fcScan := testtool.Require(t, "fc-scan")
	set := metrics(t)
	if _, ok := set.(cutter); !ok {
		t.Skip("no real fonts to embed")
	}
	doc := example(t, "all-fields.json")
	b, err := Render(doc, set)
	if err != nil {
		t.Fatal(err)
	}
	parts, names := unzip(t, b)
	ct := string(parts["[Content_Types].xml"])
	if !strings.Contains(ct, `Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"`) {
		t.Error("content types lack the obfuscated font type")
	}
	rels := map[string]string{}
	for _, r := range parseXML(t, parts["word/_rels/fontTable.xml.rels"]).all("Relationship") {
		if r.attrs["Type"] != "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font" {
			t.Errorf("font table relationship of type %s", r.attrs["Type"])
		}
		rels[r.attrs["Id"]] = "word/" + r.attrs["Target"]
	}
	// The text set in each official font, by the styles: body and table text, the
	// headings by level, the title; page numbers in 宋体.
	want := map[string]string{}
	for _, blk := range doc.Blocks {
		for _, r := range blk.Runs {
			want[r.Role.OfficialFont()] += r.Text
		}
		if blk.Table != nil {
			want["仿宋_GB2312"] += blk.Table.Caption + strings.Join(blk.Table.Header, "")
			for _, row := range blk.Table.Rows {
				want["仿宋_GB2312"] += strings.Join(row, "")
			}
		}
		want["仿宋_GB2312"] += strings.Join(blk.Items, "") + blk.Issuer + blk.Date
	}
	want["仿宋_GB2312"] += "附件："
	want["宋体"] += "— 0123456789"
	embedded := 0
	dir := t.TempDir()
	for _, f := range parseXML(t, parts["word/fontTable.xml"]).all("font") {
		e := f.child("embedRegular")
		if e == nil {
			continue
		}
		embedded++
		name := f.attrs["name"]
		part := rels[e.attrs["id"]]
		data := slices.Clone(parts[part])
		if data == nil || !slices.Contains(names, part) {
			t.Errorf("%s: no part %s", name, part)
			continue
		}
		guid := strings.NewReplacer("{", "", "}", "", "-", "").Replace(e.attrs["fontKey"])
		if len(guid) != 32 {
			t.Fatalf("%s: font key %q", name, e.attrs["fontKey"])
		}
		for i := 0; i < 32; i++ {
			j := 15 - i%16 // key byte i%16 is the GUID's byte 15-i%16
			var v byte
			for _, c := range guid[2*j : 2*j+2] {
				v = v<<4 | byte(strings.IndexRune("0123456789ABCDEF", unicode.ToUpper(c)))
			}
			data[i] ^= v
		}
		path := filepath.Join(dir, "font.ttf")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(fcScan, "--format", "%{family}\n%{charset}\n", path).Output()
		if err != nil {
			t.Errorf("%s: fc-scan cannot read the de-obfuscated font: %v", name, err)
			continue
		}
		lines := strings.SplitN(string(out), "\n", 2)
		if len(lines) < 2 {
			t.Fatalf("%s: fc-scan printed %q", name, out)
		}
		if alt := f.child("altName"); lines[0] == "" {
			t.Errorf("%s: embedded font has no family (altName %v)", name, alt)
		}
		cs := parseCharset(t, lines[1])
		for _, r := range want[name] {
			if r > ' ' && r < 0x10000 && !cs[r] && set.(interface{ Has(spec.Role, rune) bool }).Has(roleOf(name), r) {
				t.Errorf("%s (%s): embedded subset lacks %q", name, lines[0], r)
			}
		}
		distinct := map[rune]bool{}
		for _, r := range want[name] {
			distinct[r] = true
		}
		if n := len(cs); n > len(distinct)+8 {
			t.Errorf("%s: subset holds %d characters for %d distinct ones in the text", name, n, len(distinct))
		}
	}
	for _, d := range [][]byte{parts["word/fontTable.xml"], unzipPart(t, render(t, doc), "word/fontTable.xml")} {
		if strings.Contains(string(d), "<!--gongwen:") {
			t.Error("the font table keeps an embed marker")
		}
	}
	if embedded != len(spec.Roles) {
		t.Errorf("%d fonts embedded, want one per role (%d)", embedded, len(spec.Roles))
	}
	if !strings.Contains(string(parts["word/settings.xml"]), "<w:embedTrueTypeFonts/>") {
		t.Error("settings do not keep the fonts embedded")
	}
}

func roleOf(official string) spec.Role {
	for _, r := range spec.Roles {
		if r.OfficialFont() == official {
			return r
		}
	}
	return spec.RoleFangsong
}

// parseCharset reads fontconfig's charset notation ("20-7e 4e00 ...").
func parseCharset(t *testing.T, s string) map[rune]bool {
	t.Helper()
	out := map[rune]bool{}
	for _, f := range strings.Fields(s) {
		lo, hi, ok := strings.Cut(f, "-")
		if !ok {
			hi = lo
		}
		a, err1 := strconv.ParseUint(lo, 16, 32)
		b, err2 := strconv.ParseUint(hi, 16, 32)
		if err1 != nil || err2 != nil {
			t.Fatalf("charset %q", f)
		}
		for r := a; r <= b; r++ {
			out[rune(r)] = true
		}
	}
	return out
}

func unzipPart(t *testing.T, docx []byte, name string) []byte {
	t.Helper()
	parts, _ := unzip(t, docx)
	return parts[name]
}

// TestEmbeddableByLicence: fsType decides (OpenType OS/2): installable and editable
// fonts are embedded, restricted, preview & print, no-subsetting and bitmap-only
// ones are not.
func TestEmbeddableByLicence(t *testing.T) {
	font := func(fsType uint16) []byte {
		// An sfnt directory with one table, OS/2, whose fsType is at offset 8.
		b := make([]byte, 12+16+96)
		b[5] = 1
		copy(b[12:], "OS/2")
		b[12+8+3] = 28 // table offset 28
		b[12+12+3] = 96
		b[28+8], b[28+9] = byte(fsType>>8), byte(fsType)
		return b
	}
	for fsType, want := range map[uint16]bool{0: true, 8: true, 2: false, 4: false, 0x0104: false,
		0x0100: false, 0x0200: false, 0x0208: false, 0x000C: true} {
		if got := embeddable(font(fsType)); got != want {
			t.Errorf("fsType %#04x: embeddable %v, want %v", fsType, got, want)
		}
	}
	if set, ok := metrics(t).(interface {
		File(spec.Role) []byte
	}); ok {
		for _, r := range spec.Roles {
			if !embeddable(set.File(r)) {
				t.Errorf("the %s stand-in is not embeddable", r)
			}
		}
	}
}
