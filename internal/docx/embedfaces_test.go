package docx

import (
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
	got := map[string]string{} // official name: embedded font's PostScript name
	for _, f := range embeddedFonts(t, b) {
		got[f.name] = string(f.data)
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
