package docx

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// embeddedFont is a font the DOCX embeds, read back.
type embeddedFont struct {
	name string // the font table's name: the official font's name
	data []byte // the font file, its obfuscation undone
}

// embeddedFonts reads the fonts a DOCX embeds, in the font table's order, undoing the
// obfuscation (ECMA-376 Part 1 §17.8.1: the first 32 bytes XORed with the fontKey
// GUID's bytes in reverse order).
func embeddedFonts(t *testing.T, docx []byte) []embeddedFont {
	t.Helper()
	parts, _ := unzip(t, docx)
	rels := map[string]string{}
	for _, r := range parseXML(t, parts["word/_rels/fontTable.xml.rels"]).all("Relationship") {
		rels[r.attrs["Id"]] = "word/" + r.attrs["Target"]
	}
	var out []embeddedFont
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
		out = append(out, embeddedFont{name: f.attrs["name"], data: data})
	}
	return out
}
