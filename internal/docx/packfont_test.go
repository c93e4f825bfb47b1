package docx

import (
	"archive/zip"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/fonts"
	"gongwen/internal/spec"
	"gongwen/internal/typeset"
	"gongwen/internal/zipfile"
)

// TestPackFont: a font part written from the subset's parts (its obfuscated first
// block and the shared rest), or compressed for the DOCX alone, reads back through
// archive/zip, which checks the CRC-32
// and sizes the header carries, as the font file with its first 32 bytes XORed with
// the key (ECMA-376 Part 1 §17.8.1), for a font longer than those 32 bytes and one
// shorter; and the subset's shared compressed data is left as it was.
func TestPackFont(t *testing.T) {
	var key [16]byte
	for i := range key {
		key[i] = byte(0xA0 + i)
	}
	for _, c := range []struct {
		n     int
		alone bool
	}{{300, false}, {20, false}, {300, true}, {20, true}} {
		n := c.n
		ttf := make([]byte, n)
		for i := range ttf {
			ttf[i] = byte(i*7 + i/5)
		}
		p := fontPart{name: "word/fonts/font1.odttf", font: fonts.RawSubset(ttf), key: key}
		shared := bytes.Clone(p.font.Deflate(nil))
		zw := zipfile.New(2024, 1, 15, 0)
		p.compress(c.alone)
		p.z.crc = p.font.CRC32(&p.key)
		if err := packFont(zw, p); err != nil {
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
				t.Errorf("%d-byte font (alone %v): %s is not the file with its first 32 bytes XORed with the key", n, c.alone, f.Name)
			}
		}
		if !bytes.Equal(p.font.Deflate(nil), shared) {
			t.Errorf("%d-byte font: packing it changed the subset's shared compressed data", n)
		}
	}
}

// TestPackSizeOnce: the archive is allocated once, at the DOCX's length (the
// entries' data joined by zipfile's joined writer; one append grown would leave a
// larger capacity).
func TestPackSizeOnce(t *testing.T) {
	for _, name := range []string{"wuchuan-2023.json", "all-fields-document.json", "all-fields.json"} {
		doc := example(t, name)
		for _, m := range []typeset.Metrics{metrics(t), fakeMetrics{}} {
			out, err := Render(doc, m)
			if err != nil {
				t.Fatal(err)
			}
			if len(out) != cap(out) {
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

// TestFontsAloneOrShared: a DOCX whose fonts are compressed for it alone (the
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

// TestConcurrentRendersWithFonts: renders cutting and compressing their own fonts
// on several goroutines at once (each render's fonts on the spare cores, their
// buffers reused between renders) give each example's DOCX of a render alone, byte
// for byte. CI runs it under the race detector.
func TestConcurrentRendersWithFonts(t *testing.T) {
	set, ok := metrics(t).(*fonts.Set)
	if !ok {
		t.Skip("no font set")
	}
	names := []string{"wuchuan-2023.json", "all-fields-document.json", "all-fields.json"}
	want := make([][]byte, len(names))
	docs := make([]*compose.Document, len(names))
	for i, name := range names {
		docs[i] = example(t, name)
		b, err := Render(docs[i], set)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = b
	}
	errs := make(chan error, 6)
	for g := range 6 {
		go func() {
			var err error
			for k := range 4 {
				i := (g + k) % len(names)
				b, e := Render(docs[i], set)
				if e == nil && !bytes.Equal(b, want[i]) {
					e = fmt.Errorf("%s: concurrent render differs", names[i])
				}
				err = cmp.Or(err, e)
			}
			errs <- err
		}()
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// failingCutter is the font set with one face's Cut failing, by an error or a panic;
// its subsets are the DOCX's alone, so that the fonts are cut on the spare cores.
type failingCutter struct {
	*fonts.Set
	face  spec.Face
	panic bool
}

func (f failingCutter) ExclusiveSubsets() bool { return true }

func (f failingCutter) Cut(face spec.Face, runes []rune) (*fonts.Subset, error) {
	if face == f.face {
		if f.panic {
			panic("cut failed")
		}
		return nil, errors.New("cut failed")
	}
	return f.Set.Cut(face, runes)
}

// TestFontCutFails: a font that cannot be cut, by an error or a panic in whichever
// goroutine cuts it, fails the render with an error naming the role, and the next
// render is whole.
func TestFontCutFails(t *testing.T) {
	set, ok := metrics(t).(*fonts.Set)
	if !ok {
		t.Skip("no font set")
	}
	doc := example(t, "wuchuan-2023.json")
	want, err := Render(doc, set)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []spec.Role{spec.RoleFangsong, spec.RoleSong} {
		for _, p := range []bool{false, true} {
			_, err := Render(doc, failingCutter{set, spec.RoleFace(role), p})
			if err == nil || !strings.Contains(err.Error(), "embed "+role.String()) || !strings.Contains(err.Error(), "cut failed") {
				t.Errorf("%s cut failing (panic %v): error %v", role, p, err)
			}
			if got, err := Render(doc, set); err != nil || !bytes.Equal(got, want) {
				t.Errorf("after %s's cut failed (panic %v): the next render differs (%v)", role, p, err)
			}
		}
	}
}
