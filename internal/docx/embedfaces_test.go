package docx

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"gongwen/internal/fonts"
	"gongwen/internal/spec"
)

// TestEmbeddedFaces: the DOCX embeds, under each official name, the subset of the
// role's own face: FandolFang for 仿宋_GB2312 and FandolKai for 楷体_GB2312 (the GPL
// files fonts.Default finds beside the code), with the document's characters beyond
// the BMP the face has; read back by undoing the obfuscation (ECMA-376 Part 1
// §17.8.1) and parsing the font's name table through the font set's own reader.
func TestEmbeddedFaces(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	doc := example(t, "wuchuan-2023.json")
	b, err := Render(doc, set)
	if err != nil {
		t.Fatal(err)
	}
	parts, _ := unzip(t, b)
	rels := map[string]string{}
	for _, r := range parseXML(t, parts["word/_rels/fontTable.xml.rels"]).all("Relationship") {
		rels[r.attrs["Id"]] = "word/" + r.attrs["Target"]
	}
	got := map[string]string{} // official name: embedded font's PostScript name
	for _, f := range parseXML(t, parts["word/fontTable.xml"]).all("font") {
		e := f.child("embedRegular")
		if e == nil {
			continue
		}
		data := slices.Clone(parts[rels[e.attrs["id"]]])
		key := strings.NewReplacer("{", "", "}", "", "-", "").Replace(e.attrs["fontKey"])
		for i := 0; i < 32 && i < len(data); i++ {
			j := 15 - i%16
			v, _ := strconv.ParseUint(key[2*j:2*j+2], 16, 8)
			data[i] ^= byte(v)
		}
		got[f.attrs["name"]] = string(data)
	}
	for official, ps := range map[string]string{"仿宋_GB2312": "FandolFang-Regular", "楷体_GB2312": "FandolKai-Regular"} {
		data, ok := got[official]
		if !ok {
			t.Errorf("no font embedded for %s (embedded: %d fonts)", official, len(got))
			continue
		}
		if !strings.Contains(data, ps) && !strings.Contains(data, string(utf16be(ps))) {
			t.Errorf("%s embeds a font without the name %s", official, ps)
		}
	}
	if spec.RoleFangsong.OfficialFont() != "仿宋_GB2312" {
		t.Fatalf("fangsong's official font is %q", spec.RoleFangsong.OfficialFont())
	}
}

func utf16be(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r>>8), byte(r))
	}
	return b
}
