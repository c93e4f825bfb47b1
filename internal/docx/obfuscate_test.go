package docx

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"

	"gongwen/internal/fonts"
	"gongwen/internal/zipfile"
)

// TestObfuscateFonts: a font part written as it is and obfuscated in the archive
// reads back (archive/zip checks the CRC-32 the header carries) as the font file with
// its first 32 bytes XORed with the key; an archive whose entry does not hold the
// font's data, or that ends otherwise than zipfile writes it, is refused.
func TestObfuscateFonts(t *testing.T) {
	ttf := make([]byte, 300)
	for i := range ttf {
		ttf[i] = byte(i*7 + i/5)
	}
	var key [16]byte
	for i := range key {
		key[i] = byte(0xA0 + i)
	}
	p := fontPart{name: "word/fonts/font1.odttf", font: fonts.RawSubset(ttf), key: key}
	if !obfuscatesInPlace(p.font) {
		t.Fatal("a raw subset's data does not start with a stored block of 32 bytes")
	}
	archive := func() []byte {
		zw := zipfile.New(2024, 1, 15, 0)
		if err := zw.Add("word/document.xml", []byte("<w:document/>"), true); err != nil {
			t.Fatal(err)
		}
		if err := packFont(zw, p, true); err != nil {
			t.Fatal(err)
		}
		out, err := zw.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	out := archive()
	if err := obfuscateFonts(out, []fontPart{p}); err != nil {
		t.Fatal(err)
	}
	want := bytes.Clone(ttf)
	for i := range 32 {
		want[i] ^= key[i%16]
	}
	zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.File[1].Open()
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read the obfuscated font: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("the obfuscated font is not the file with its first 32 bytes XORed with the key")
	}

	damaged := archive()
	z := p.font.Deflate(nil)
	at := bytes.Index(damaged, z)
	damaged[at+len(z)-1] ^= 1
	if err := obfuscateFonts(damaged, []fontPart{p}); err != errNotObfuscated {
		t.Errorf("an entry not holding the font's data: %v, want errNotObfuscated", err)
	}
	if err := obfuscateFonts(append(archive(), 0), []fontPart{p}); err != errNotObfuscated {
		t.Errorf("an archive with a byte after its end record: %v, want errNotObfuscated", err)
	}
}

// TestObfuscateInPlaceSameBytes: the DOCX of a document embedding fonts is the same
// whether its fonts are obfuscated in the archive or in copies before zipping.
func TestObfuscateInPlaceSameBytes(t *testing.T) {
	doc, m := wuchuan(t), metrics(t)
	inPlace, err := Render(doc, m)
	if err != nil {
		t.Fatal(err)
	}
	obfuscateInPlace = false
	defer func() { obfuscateInPlace = true }()
	copied, err := Render(doc, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(embeddedFonts(t, copied)) == 0 {
		t.Fatal("no font embedded")
	}
	if !bytes.Equal(inPlace, copied) {
		t.Fatal("the DOCX differs between obfuscating in place and in copies")
	}
}
