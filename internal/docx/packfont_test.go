package docx

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"gongwen/internal/fonts"
	"gongwen/internal/typeset"
	"gongwen/internal/zipfile"
)

// TestPackFont: a font part written from the subset's parts (its obfuscated first
// block and the shared rest) reads back through archive/zip, which checks the CRC-32
// and sizes the header carries, as the font file with its first 32 bytes XORed with
// the key (ECMA-376 Part 1 §17.8.1), for a font longer than those 32 bytes and one
// shorter; and the subset's shared compressed data is left as it was.
func TestPackFont(t *testing.T) {
	var key [16]byte
	for i := range key {
		key[i] = byte(0xA0 + i)
	}
	for _, n := range []int{300, 20} {
		ttf := make([]byte, n)
		for i := range ttf {
			ttf[i] = byte(i*7 + i/5)
		}
		p := fontPart{name: "word/fonts/font1.odttf", font: fonts.RawSubset(ttf), key: key}
		shared := bytes.Clone(p.font.Deflate(nil))
		zw := zipfile.New(2024, 1, 15, 0)
		head, rest := p.font.DeflateParts(&p.key)
		if err := packFont(zw, p, head, rest); err != nil {
			t.Fatal(err)
		}
		if err := zw.Add("word/document.xml", []byte("<w:document/>"), true); err != nil {
			t.Fatal(err)
		}
		out, err := zw.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
		if err != nil {
			t.Fatal(err)
		}
		want := [][]byte{bytes.Clone(ttf), []byte("<w:document/>")}
		for i := 0; i < 32 && i < n; i++ {
			want[0][i] ^= key[i%16]
		}
		for i, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			if err != nil {
				t.Fatalf("%d-byte font: read %s: %v", n, f.Name, err)
			}
			if !bytes.Equal(got, want[i]) {
				t.Errorf("%d-byte font: %s is not the file with its first 32 bytes XORed with the key", n, f.Name)
			}
		}
		if !bytes.Equal(p.font.Deflate(nil), shared) {
			t.Errorf("%d-byte font: packing it changed the subset's shared compressed data", n)
		}
	}
}

// TestPackSizeOnce: pack computes the archive's size before writing it (every
// entry's data and headers; a font compressed into the archive by its bound,
// fonts.Subset.DeflateBound), so that the buffer is allocated once: without fonts
// the DOCX's capacity is its length; with them it is under 1.5 times it (a buffer
// bitWriter.reserve or append grew would be more) and the fonts' bounds' slack.
func TestPackSizeOnce(t *testing.T) {
	for _, name := range []string{"wuchuan-2023.json", "all-fields-document.json", "all-fields.json"} {
		doc := example(t, name)
		for _, m := range []typeset.Metrics{metrics(t), fakeMetrics{}} {
			out, err := Render(doc, m)
			if err != nil {
				t.Fatal(err)
			}
			_, fonts := m.(*fonts.Set)
			if !fonts && len(out) != cap(out) || cap(out) >= len(out)*3/2 {
				t.Errorf("%s (%T): %d bytes in a buffer of %d", name, m, len(out), cap(out))
			}
		}
	}
}

// sharedCutter is a font set behind a cutter of another type, as internal/render's
// is: its subsets count as shared unless exclusive says otherwise.
type sharedCutter struct {
	*fonts.Set
	exclusive *bool
}

func (s sharedCutter) ExclusiveSubsets() bool { return *s.exclusive }

// TestFontsAloneOrShared: a DOCX whose fonts are compressed into the archive (the
// font set's own subsets, or a cutter saying they are exclusive) is byte for byte
// the DOCX written from subsets shared with other writers (their compressed
// streams made and copied), and those streams decode to the font files.
func TestFontsAloneOrShared(t *testing.T) {
	set, ok := metrics(t).(*fonts.Set)
	if !ok {
		t.Skip("no font set")
	}
	for _, name := range []string{"wuchuan-2023.json", "all-fields-document.json"} {
		doc := example(t, name)
		alone, err := Render(doc, set)
		if err != nil {
			t.Fatal(err)
		}
		for _, exclusive := range []bool{false, true} {
			got, err := Render(doc, sharedCutter{set, &exclusive})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, alone) {
				t.Errorf("%s: exclusive %v: %d bytes, alone %d: not the same", name, exclusive, len(got), len(alone))
			}
		}
		parts, _ := unzip(t, alone) // archive/zip checks every part's CRC-32 and size
		n := 0
		for p := range parts {
			if strings.HasPrefix(p, "word/fonts/") {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: no font parts", name)
		}
	}
}
