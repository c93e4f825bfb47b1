package templates

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gongwen/internal/fonts"
	"gongwen/internal/spec"
)

func TestPartsListMatchesFiles(t *testing.T) {
	var found []string
	err := fs.WalkDir(files, "official", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		found = append(found, strings.TrimPrefix(p, "official/"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(Parts)
	slices.Sort(want)
	slices.Sort(found)
	if !slices.Equal(found, want) {
		t.Errorf("embedded files %v, Parts %v", found, want)
	}
	if Parts[0] != "[Content_Types].xml" {
		t.Errorf("first part %s", Parts[0])
	}
}

func TestDocxBuiltOnceAndWellFormed(t *testing.T) {
	a, err := Docx()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Docx()
	if &a[0] != &b[0] {
		t.Error("Docx rebuilt the template")
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range zr.File {
		if f.Name != Parts[i] {
			t.Errorf("zip entry %d is %s, want %s", i, f.Name, Parts[i])
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(r); err != nil {
			t.Fatal(err)
		}
		if err := WellFormed(buf.Bytes()); err != nil {
			t.Errorf("%s: %v", f.Name, err)
		}
		if bytes.Contains(buf.Bytes(), []byte("{{")) || bytes.Contains(buf.Bytes(), []byte("<no value>")) {
			t.Errorf("%s keeps a template action", f.Name)
		}
	}
}

func TestValuesFromSpec(t *testing.T) {
	v := NewValues()
	if v.LinePitch != spec.LinePitchTwips || v.BodySize != 32 || v.TitleSize != 44 || v.PageNumberSize != 28 ||
		v.CharSpacing != spec.DocxCharSpacing || v.IndentChars != 200 || v.IndentTwips != 640 {
		t.Errorf("values %+v", v)
	}
	// The footer's line bottom lies one descent below the PDF's page-number baseline.
	bottom := spec.PageHeight - float64(v.FooterDistance)/20
	if d := bottom - spec.PageNumberBaseline(); d < 2 || d > 3.5 {
		t.Errorf("footer line bottom %.2f pt below the page number's baseline", d)
	}
	if v.PageNumberInset != spec.Twips(spec.Cell) {
		t.Errorf("page number inset %d twips", v.PageNumberInset)
	}
	if !strings.Contains(v.NoLineEnd, "&lt;") {
		t.Errorf("kinsoku list not escaped: %s", v.NoLineEnd)
	}
}

func TestWellFormed(t *testing.T) {
	for _, c := range []struct {
		xml string
		ok  bool
	}{
		{`<a><b/>x &amp; y</a>`, true},
		{`<?xml version="1.0"?><w:a xmlns:w="u"><w:b></w:b></w:a>`, true},
		{`<a><b></a></b>`, false},
		{`<a>`, false},
		{`<a/><b/>`, false},
		{`<a>&bad;</a>`, false},
		{`<a>x < y</a>`, false},
		{"<a>\x01</a>", false},
		{`<a x="1" x="2"/>`, true}, // duplicate attributes are not checked; the writer never makes them
		{`text<a/>`, false},
	} {
		if err := WellFormed([]byte(c.xml)); (err == nil) != c.ok {
			t.Errorf("%q: err %v, want ok=%v", c.xml, err, c.ok)
		}
	}
}

// TestNoFormatNumbersInParts: every number of the format reaches the parts from spec
// through Values. The template sources may hold only numbers that are not format
// numbers: 0 and 1 (off, on, zero indents), and the few listed here with their reason.
func TestNoFormatNumbersInParts(t *testing.T) {
	allowed := map[string]string{
		"9":   "uiPriority of Word's built-in heading styles",
		"99":  "uiPriority of Word's built-in footer and table styles",
		"35":  "uiPriority of Word's built-in caption style",
		"100": "zoom percent",
		"15":  "compatibilityMode: Word 2013 and later",
		"86":  "font charset: GB2312 (GB_CHINESE_CHARSET)",
		"425": "column gap of the single column, Word's default for Chinese documents; unused",
	}
	num := regexp.MustCompile(`="(-?\d+)"`)
	for _, name := range Parts {
		src, err := fs.ReadFile(files, "official/"+name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range num.FindAllSubmatch(src, -1) {
			v := string(m[1])
			if _, ok := allowed[v]; !ok && v != "0" && v != "1" {
				t.Errorf("%s: literal number %s; take it from spec through Values", name, m[0])
			}
		}
	}
}

// TestStandInsAreTheEmbeddedFonts: the font table's last alternates name the faces the
// PDF really embeds (their Windows family names), so a reader who installs them gets
// the PDF's look.
func TestStandInsAreTheEmbeddedFonts(t *testing.T) {
	set, err := fonts.Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range spec.Roles {
		if got := set.Name(r); got != StandIn[r] {
			t.Errorf("%s: StandIn %q, embedded font's family %q", r, StandIn[r], got)
		}
	}
}
