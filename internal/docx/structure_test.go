package docx

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongwen/internal/fonts"
	"gongwen/internal/pdf"
	"gongwen/internal/spec"
	"gongwen/templates"
)

// The tests here parse the parts and check each property where it takes effect — on
// the style that a paragraph uses, through its basedOn chain — rather than searching
// the part for a string that could stand anywhere.

// node is a parsed XML element with its attributes keyed by local name.
type node struct {
	name  string // local name
	attrs map[string]string
	kids  []*node
	text  string
}

func parseXML(t *testing.T, data []byte) *node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	root := &node{}
	stack := []*node{root}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			n := &node{name: e.Name.Local, attrs: map[string]string{}}
			for _, a := range e.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			stack[len(stack)-1].text += string(e)
		}
	}
	return root.kids[0]
}

func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

func (n *node) all(name string) []*node {
	var out []*node
	var walk func(*node)
	walk = func(m *node) {
		for _, k := range m.kids {
			if k.name == name {
				out = append(out, k)
			}
			walk(k)
		}
	}
	walk(n)
	return out
}

// prop is the attribute attr of the element pPr/rPr/tblPr → name, or "" (absent);
// a present element without the attribute is "<on>" (a toggle set on).
func (n *node) prop(group, name, attr string) (string, bool) {
	e := n.child(group).child(name)
	if e == nil {
		return "", false
	}
	if v, ok := e.attrs[attr]; ok {
		return v, true
	}
	return "<on>", true
}

type styles map[string]*node

func parseStyles(t *testing.T, data []byte) styles {
	t.Helper()
	s := styles{}
	for _, st := range parseXML(t, data).all("style") {
		s[st.attrs["styleId"]] = st
	}
	return s
}

// get resolves a property through the style's basedOn chain.
func (s styles) get(id, group, name, attr string) string {
	for seen := 0; id != "" && seen < 10; seen++ {
		st := s[id]
		if st == nil {
			return ""
		}
		if v, ok := st.prop(group, name, attr); ok {
			return v
		}
		id = ""
		if b := st.child("basedOn"); b != nil {
			id = b.attrs["val"]
		}
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestStylesResolved(t *testing.T) {
	parts, _ := unzip(t, render(t, everything("正文")))
	s := parseStyles(t, parts["word/styles.xml"])
	body, title := spec.RoleFangsong.OfficialFont(), spec.RoleTitle.OfficialFont()
	pn := spec.RoleSong.OfficialFont()
	inset := itoa(spec.Twips(spec.PageNumberInsetCells * spec.Cell))
	type want struct{ group, name, attr, val string }
	on := "<on>"
	for _, c := range []struct {
		style string
		typ   string
		props []want
	}{
		{"Normal", "paragraph", []want{
			{"rPr", "rFonts", "eastAsia", body}, {"rPr", "rFonts", "ascii", body}, {"rPr", "rFonts", "hAnsi", body},
			{"rPr", "sz", "val", itoa(spec.HalfPoints(spec.BodySize))},
			{"rPr", "spacing", "val", itoa(spec.DocxCharSpacing)},
			{"pPr", "jc", "val", "both"},
			{"pPr", "ind", "firstLineChars", itoa(spec.IndentCells * 100)},
			{"pPr", "ind", "firstLine", itoa(spec.Twips(spec.IndentCells * spec.BodySize))},
			{"pPr", "spacing", "line", itoa(spec.LinePitchTwips)},
			{"pPr", "spacing", "lineRule", "exact"},
			{"pPr", "snapToGrid", "val", on},
			{"pPr", "kinsoku", "val", on},
			{"pPr", "overflowPunct", "val", "0"},
			{"pPr", "topLinePunct", "val", "0"},
			{"pPr", "autoSpaceDE", "val", "0"},
			{"pPr", "autoSpaceDN", "val", "0"},
		}},
		{"Title", "paragraph", []want{
			{"rPr", "rFonts", "eastAsia", title}, {"rPr", "rFonts", "ascii", title},
			{"rPr", "sz", "val", itoa(spec.HalfPoints(spec.TitleSize))},
			{"pPr", "jc", "val", "center"},
			{"pPr", "ind", "firstLineChars", "0"}, {"pPr", "ind", "firstLine", "0"},
			{"pPr", "spacing", "line", itoa(spec.LinePitchTwips)},
		}},
		{"RunInBody", "paragraph", []want{
			{"rPr", "rFonts", "eastAsia", body}, {"rPr", "sz", "val", itoa(spec.HalfPoints(spec.BodySize))},
			{"pPr", "jc", "val", "both"}, {"pPr", "ind", "firstLineChars", "0"}, {"pPr", "ind", "firstLine", "0"},
			{"pPr", "spacing", "line", itoa(spec.LinePitchTwips)},
		}},
		{"Footer", "paragraph", []want{
			{"rPr", "rFonts", "eastAsia", pn}, {"rPr", "rFonts", "ascii", pn}, {"rPr", "rFonts", "hAnsi", pn},
			{"rPr", "sz", "val", itoa(spec.HalfPoints(spec.PageNumberSize))},
			{"rPr", "spacing", "val", "0"},
			{"pPr", "ind", "firstLineChars", "0"}, {"pPr", "ind", "firstLine", "0"},
		}},
		{"PageNumberOdd", "paragraph", []want{
			{"rPr", "rFonts", "eastAsia", pn},
			{"rPr", "sz", "val", itoa(spec.HalfPoints(spec.PageNumberSize))},
			{"pPr", "jc", "val", "right"},
			{"pPr", "ind", "right", inset}, {"pPr", "ind", "left", "0"},
			{"pPr", "ind", "firstLineChars", "0"}, {"pPr", "ind", "firstLine", "0"},
		}},
		{"PageNumberEven", "paragraph", []want{
			{"rPr", "rFonts", "eastAsia", pn},
			{"rPr", "sz", "val", itoa(spec.HalfPoints(spec.PageNumberSize))},
			{"pPr", "jc", "val", "left"},
			{"pPr", "ind", "left", inset}, {"pPr", "ind", "right", "0"},
			{"pPr", "ind", "firstLineChars", "0"}, {"pPr", "ind", "firstLine", "0"},
		}},
		{"OfficialTable", "table", []want{
			{"tblPr", "tblBorders", "val", on}, // present
		}},
	} {
		st := s[c.style]
		if st == nil {
			t.Errorf("no style %s", c.style)
			continue
		}
		if st.attrs["type"] != c.typ {
			t.Errorf("style %s is a %s style, want %s", c.style, st.attrs["type"], c.typ)
		}
		for _, w := range c.props {
			if got := s.get(c.style, w.group, w.name, w.attr); got != w.val {
				t.Errorf("%s: %s/%s@%s = %q, want %q", c.style, w.group, w.name, w.attr, got, w.val)
			}
		}
	}

	// Headings 1-4: Word's built-in "heading N" (so the navigation pane and a TOC find
	// them), outline level N-1, the level's font, body size, indented like body text,
	// not bold, kept with the next paragraph. Run-in headings use them too.
	for l := 1; l <= spec.MaxHeadingLevel; l++ {
		id := "Heading" + itoa(l)
		font := spec.HeadingRole(l).OfficialFont()
		if st := s[id]; st == nil || st.child("name").attrs["val"] != "heading "+itoa(l) || st.attrs["type"] != "paragraph" {
			t.Errorf("%s is not Word's built-in paragraph style \"heading %d\"", id, l)
			continue
		}
		for _, w := range []want{
			{"pPr", "outlineLvl", "val", itoa(l - 1)},
			{"rPr", "rFonts", "eastAsia", font}, {"rPr", "rFonts", "ascii", font},
			{"rPr", "sz", "val", itoa(spec.HalfPoints(spec.BodySize))},
			{"rPr", "b", "val", "0"},
			{"pPr", "keepNext", "val", on},
			{"pPr", "ind", "firstLineChars", itoa(spec.IndentCells * 100)},
			{"pPr", "jc", "val", "both"},
		} {
			if got := s.get(id, w.group, w.name, w.attr); got != w.val {
				t.Errorf("%s: %s/%s@%s = %q, want %q", id, w.group, w.name, w.attr, got, w.val)
			}
		}
	}
}

func TestFootersAndSection(t *testing.T) {
	parts, _ := unzip(t, render(t, everything("正文")))
	settings := parseXML(t, parts["word/settings.xml"])
	if settings.child("evenAndOddHeaders") == nil {
		t.Error("settings.xml lacks w:evenAndOddHeaders")
	}
	if v := settings.child("characterSpacingControl").attrs["val"]; v != "doNotCompress" {
		t.Errorf("characterSpacingControl %q, want doNotCompress", v)
	}
	if v := settings.child("noLineBreaksBefore").attrs["val"]; v != spec.NoLineStart {
		t.Errorf("noLineBreaksBefore %q, want %q", v, spec.NoLineStart)
	}
	if v := settings.child("noLineBreaksAfter").attrs["val"]; v != spec.NoLineEnd {
		t.Errorf("noLineBreaksAfter %q, want %q", v, spec.NoLineEnd)
	}

	rels := map[string]string{}
	for _, r := range parseXML(t, parts["word/_rels/document.xml.rels"]).all("Relationship") {
		rels[r.attrs["Id"]] = "word/" + r.attrs["Target"]
	}
	doc := parseXML(t, parts[templates.DocumentPart])
	sects := doc.all("sectPr")
	if len(sects) != 1 {
		t.Fatalf("%d sections, want 1", len(sects))
	}
	sect := sects[0]
	footers := map[string]string{}
	for _, f := range sect.all("footerReference") {
		footers[f.attrs["type"]] = rels[f.attrs["id"]]
	}
	for typ, style := range map[string]string{"default": "PageNumberOdd", "even": "PageNumberEven"} {
		part := footers[typ]
		if parts[part] == nil {
			t.Errorf("%s footer: reference resolves to %q, which is not in the package", typ, part)
			continue
		}
		ftr := parseXML(t, parts[part])
		ps := ftr.all("p")
		if len(ps) != 1 {
			t.Errorf("%s footer has %d paragraphs, want 1", typ, len(ps))
			continue
		}
		p := ps[0]
		if got := p.child("pPr").child("pStyle").attrs["val"]; got != style {
			t.Errorf("%s footer style %q, want %q", typ, got, style)
		}
		if p.child("pPr").child("ind") != nil || p.all("rPr") != nil {
			t.Errorf("%s footer has direct formatting; it must come from its style", typ)
		}
		// Text: the dashes around a PAGE field, whose cached result is a number.
		var b strings.Builder
		for _, r := range p.all("r") {
			if r.child("t") != nil {
				b.WriteString(r.child("t").text)
			}
			if it := r.child("instrText"); it != nil {
				if strings.TrimSpace(it.text) != "PAGE" {
					t.Errorf("%s footer field %q, want PAGE", typ, it.text)
				}
				b.WriteString("#")
			}
		}
		want := strings.Replace(spec.PageNumberText(1), "1", "#1", 1)
		if typ == "even" {
			want = strings.Replace(spec.PageNumberText(2), "2", "#2", 1)
		}
		if b.String() != want {
			t.Errorf("%s footer text %q, want %q (# marks the field)", typ, b.String(), want)
		}
	}

	geo := map[string]map[string]int{
		"pgSz":    {"w": spec.DocxPageWidth, "h": spec.DocxPageHeight},
		"pgMar":   {"top": spec.DocxMarginTop, "bottom": spec.DocxMarginBottom, "left": spec.DocxMarginLeft, "right": spec.DocxMarginRight, "gutter": 0},
		"docGrid": {"linePitch": spec.LinePitchTwips},
	}
	for el, attrs := range geo {
		e := sect.child(el)
		if e == nil {
			t.Errorf("sectPr lacks %s", el)
			continue
		}
		for a, v := range attrs {
			if e.attrs[a] != itoa(v) {
				t.Errorf("sectPr %s@%s = %q, want %d", el, a, e.attrs[a], v)
			}
		}
	}
	if g := sect.child("docGrid").attrs["type"]; g != "lines" {
		t.Errorf("docGrid type %q, want lines", g)
	}
	// The margins are the type area of the spec, in twips.
	if w := spec.DocxPageWidth - spec.DocxMarginLeft - spec.DocxMarginRight; abs(float64(w)/20-spec.TypeWidth) > 0.1 {
		t.Errorf("type area width %d twips, spec %.2f pt", w, spec.TypeWidth)
	}
	if h := spec.DocxPageHeight - spec.DocxMarginTop - spec.DocxMarginBottom; abs(float64(h)/20-(spec.TypeBottom-spec.TypeTop)) > 0.1 {
		t.Errorf("type area height %d twips, spec %.2f pt", h, spec.TypeBottom-spec.TypeTop)
	}
	// 22 lines of the grid fill the type area height.
	if n := (spec.DocxPageHeight - spec.DocxMarginTop - spec.DocxMarginBottom) / spec.LinePitchTwips; n != spec.GridLines {
		t.Errorf("type area holds %d grid lines, want %d", n, spec.GridLines)
	}
}

func TestPackageParts(t *testing.T) {
	parts, names := unzip(t, render(t, everything("正文")))
	ct := parseXML(t, parts["[Content_Types].xml"])
	over := map[string]bool{}
	for _, o := range ct.all("Override") {
		over[strings.TrimPrefix(o.attrs["PartName"], "/")] = true
	}
	for _, n := range names {
		if strings.HasSuffix(n, ".rels") || n == "[Content_Types].xml" {
			continue
		}
		if !over[n] {
			t.Errorf("[Content_Types].xml has no override for %s", n)
		}
	}
	for n := range over {
		if parts[n] == nil {
			t.Errorf("[Content_Types].xml names %s, which is not in the package", n)
		}
	}
	// Every relationship target exists.
	for relPart, base := range map[string]string{"_rels/.rels": "", "word/_rels/document.xml.rels": "word/"} {
		for _, r := range parseXML(t, parts[relPart]).all("Relationship") {
			if parts[base+r.attrs["Target"]] == nil {
				t.Errorf("%s: target %s missing", relPart, r.attrs["Target"])
			}
		}
	}
	app := parseXML(t, parts["docProps/app.xml"])
	if app.name != "Properties" || app.child("Application") == nil || app.child("Application").text == "" {
		t.Errorf("docProps/app.xml: root %s without an Application", app.name)
	}
	// Font table: each official font, with its Windows name or stand-in as alternate.
	alt := map[string]string{}
	for _, f := range parseXML(t, parts["word/fontTable.xml"]).all("font") {
		alt[f.attrs["name"]] = f.child("altName").attrsOr("val")
	}
	for _, r := range spec.Roles {
		want := r.AltFont()
		if want == r.OfficialFont() {
			want = templates.StandIn[r]
		}
		if got, ok := alt[r.OfficialFont()]; !ok || got != want {
			t.Errorf("fontTable: %s altName %q, want %q", r.OfficialFont(), got, want)
		}
		if r.AltFont() != r.OfficialFont() {
			if got := alt[r.AltFont()]; got != templates.StandIn[r] {
				t.Errorf("fontTable: %s altName %q, want the stand-in %q", r.AltFont(), got, templates.StandIn[r])
			}
		}
	}
}

func (n *node) attrsOr(a string) string {
	if n == nil {
		return ""
	}
	return n.attrs[a]
}

// TestDatesMatchPDF: the DOCX's core dates are the PDF's creation date, for a dated
// and an undated report.
func TestDatesMatchPDF(t *testing.T) {
	set := metrics(t)
	fs, ok := set.(*fonts.Set)
	if !ok {
		t.Skip("no font set to render the PDF with")
	}
	re := regexp.MustCompile(`/CreationDate \(D:(\d{4})(\d{2})(\d{2})`)
	for _, name := range []string{"wuchuan-2023.json", "all-fields.json"} {
		doc := example(t, name)
		res, err := pdf.Render(doc, fs)
		if err != nil {
			t.Fatal(err)
		}
		m := re.FindSubmatch(res.Bytes)
		if m == nil {
			t.Fatalf("%s: PDF has no CreationDate", name)
		}
		want := string(m[1]) + "-" + string(m[2]) + "-" + string(m[3]) + "T00:00:00Z"
		b, err := Render(doc, fs)
		if err != nil {
			t.Fatal(err)
		}
		parts, _ := unzip(t, b)
		var core struct {
			Created  string `xml:"created"`
			Modified string `xml:"modified"`
		}
		if err := xml.Unmarshal(parts[templates.CorePart], &core); err != nil {
			t.Fatal(err)
		}
		if core.Created != want || core.Modified != want {
			t.Errorf("%s: DOCX dates %s, %s; the PDF's %s", name, core.Created, core.Modified, want)
		}
	}
}
