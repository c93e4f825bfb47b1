package zipfile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"testing"
	"time"
)

func build(t *testing.T, y, m, d int) []byte {
	t.Helper()
	w := New(y, m, d, 0)
	if err := w.Add("a.xml", []byte("<a>hello hello hello</a>"), true); err != nil {
		t.Fatal(err)
	}
	if err := w.Add("Res/b.png", []byte{1, 2, 3}, false); err != nil {
		t.Fatal(err)
	}
	b, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDeterministicAndReadable(t *testing.T) {
	a, b := build(t, 2024, 1, 15), build(t, 2024, 1, 15)
	if !bytes.Equal(a, b) {
		t.Fatal("same entries gave different bytes")
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name   string
		method uint16
		data   string
	}{{"a.xml", zip.Deflate, "<a>hello hello hello</a>"}, {"Res/b.png", zip.Store, "\x01\x02\x03"}}
	if len(zr.File) != len(want) {
		t.Fatalf("%d entries, want %d", len(zr.File), len(want))
	}
	for i, f := range zr.File {
		if f.Name != want[i].name || f.Method != want[i].method {
			t.Errorf("entry %d: %s method %d, want %s method %d", i, f.Name, f.Method, want[i].name, want[i].method)
		}
		if got := f.Modified.UTC(); !got.Equal(time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: time %v, want 2024-01-15 00:00", f.Name, got)
		}
		if len(f.Extra) != 0 {
			t.Errorf("%s: extra field %x", f.Name, f.Extra)
		}
		r, _ := f.Open()
		got, _ := io.ReadAll(r)
		if string(got) != want[i].data {
			t.Errorf("%s: %q", f.Name, got)
		}
	}
}

func TestUnstorableDate(t *testing.T) {
	b := build(t, 1900, 12, 31)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if got := zr.File[0].Modified.UTC(); !got.Equal(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("time %v, want 1980-01-01", got)
	}
}

func TestAddDeflated(t *testing.T) {
	data := bytes.Repeat([]byte("glyf loca cmap "), 100)
	var raw bytes.Buffer
	fw, _ := flate.NewWriter(&raw, 4)
	fw.Write(data)
	fw.Close()
	w := New(2024, 1, 15, 0)
	if err := w.AddDeflated("Res/font.ttf", raw.Bytes(), crc32.ChecksumIEEE(data), len(data)); err != nil {
		t.Fatal(err)
	}
	b, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r) // checks the CRC at the end
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes, %v", len(got), err)
	}
}
