package docx

import (
	"bytes"
	"context"
	"testing"

	"gongwen/internal/fonts"
)

// withKeys is t with GUIDs of seed d in place of its keys, in a copy: as random as
// a document's (fontKeyOf's, of other ids).
func withKeys(t filledTable, d byte) filledTable {
	t.text = bytes.Clone(t.text)
	for i, g := range t.guids {
		guid, _ := fontKeyOf([]byte{d, byte(i)})
		copy(t.text[g:], guid[:])
	}
	return t
}

// TestFontTableDeflate: a font table compressed from the stretches around its keys
// (made from the first table of its mask) inflates, with compress/flate, to its own
// text, keys and all, for tables of one mask with other keys; so does a table of that
// mask whose text around the keys is not the first's (compressed whole). And a table
// of the stretches precompressed.bin holds compresses to no more than 100 bytes over
// the whole table compressed at once.
func TestFontTableDeflate(t *testing.T) {
	tm, err := readTemplate() // a font table of its own: no mask used yet
	if err != nil {
		t.Fatal(err)
	}
	ft := tm.fontTable
	all := allFontsTable(ft)
	if len(all.guids) != len(ft.names) || all.mask != 1<<len(ft.names)-1 {
		t.Fatalf("every font's table: %d keys, mask %b", len(all.guids), all.mask)
	}
	// The first table's keys all zeros, as much of the table's w:sig values: were
	// the keys not kept out of the dictionaries, the later tables' stretches would
	// refer to them.
	zeros := withKeys(all, 0)
	for _, g := range zeros.guids {
		copy(zeros.text[g:], "{00000000-0000-0000-0000-000000000000}")
	}
	other := withKeys(all, 7)
	other.text = bytes.Replace(other.text, []byte("<w:font "), []byte("<w:font  "), 1)
	for i, c := range []filledTable{zeros, withKeys(all, 2), other, withKeys(all, 3)} {
		z, err := ft.deflate(context.Background(), []byte("dst"), c)
		if err != nil {
			t.Fatal(err)
		}
		if got := inflate(t, z.z); !bytes.Equal(got, c.text) {
			t.Fatalf("table %d inflates to %d bytes, not its %d", i, len(got), len(c.text))
		}
		if whole, _ := deflatePieces(context.Background(), nil, piece{text: c.text}); i != 0 && i != 2 && len(z.z) > len(whole.z)+100 {
			t.Errorf("table %d: %d bytes in stretches, %d whole", i, len(z.z), len(whole.z))
		}
	}
}

// TestFontTableStretchesPrecompressed: Wuchuan's font table (every font embedded) is
// the table whose stretches precompressed.bin holds, so that a process's first
// render does not compress them.
func TestFontTableStretchesPrecompressed(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	tm, err := loadTemplate()
	if err != nil {
		t.Fatal(err)
	}
	doc := example(t, "wuchuan-2023.json")
	form, err := formOf(doc, set, Paging{})
	if err != nil {
		t.Fatal(err)
	}
	_, u, _, err := writeBody(context.Background(), doc, set, form, tm.sectPr)
	if err != nil {
		t.Fatal(err)
	}
	fj := startFonts(set, tm.fontTable)
	fj.give(u)
	table, _, _, err := fj.finish()
	if err != nil {
		t.Fatal(err)
	}
	dict, cuts, err := stretches(table)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cuts {
		if _, ok := precompressed(stretchKey(dict, c[0], c[1]-c[0]), i == len(cuts)-1); !ok {
			t.Errorf("stretch %d of %d (bytes %d-%d) is not in precompressed.bin", i, len(cuts), c[0], c[1])
		}
	}
}
