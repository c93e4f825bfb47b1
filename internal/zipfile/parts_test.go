package zipfile

import (
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"testing"
)

// TestAddDeflatedParts: an entry written from its compressed data cut in pieces (one
// empty), and one from the whole, read back through archive/zip (which checks the
// CRC-32 and the sizes) as the original data, its compressed size is the pieces' sum,
// and the entry after it reads back too (its offset counts every piece).
func TestAddDeflatedParts(t *testing.T) {
	data := bytes.Repeat([]byte("head glyf loca cmap "), 300)
	var raw bytes.Buffer
	fw, _ := flate.NewWriter(&raw, 6)
	fw.Write(data)
	fw.Close()
	z := raw.Bytes()
	w := New(2024, 1, 15, 0)
	if err := w.AddDeflatedParts("word/fonts/font1.odttf", crc32.ChecksumIEEE(data), len(data), z[:7], nil, z[7:20], z[20:]); err != nil {
		t.Fatal(err)
	}
	if err := w.AddDeflated("word/fonts/font2.odttf", z, crc32.ChecksumIEEE(data), len(data)); err != nil {
		t.Fatal(err)
	}
	if err := w.Add("word/document.xml", []byte("<w:document/>"), true); err != nil {
		t.Fatal(err)
	}
	zr := readBack(t, w)
	if len(zr.File) != 3 {
		t.Fatalf("%d entries, want 3", len(zr.File))
	}
	for _, f := range zr.File[:2] {
		if got := f.CompressedSize64; got != uint64(len(z)) {
			t.Errorf("%s: compressed size %d, want %d", f.Name, got, len(z))
		}
	}
	want := [][]byte{data, data, []byte("<w:document/>")}
	for i, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if !bytes.Equal(got, want[i]) {
			t.Errorf("%s read back %d bytes, not the %d written", f.Name, len(got), len(want[i]))
		}
	}
}
