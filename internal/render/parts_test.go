package render

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
)

// TestPDFPartsHeld: a PDF kept in parts (Options.Parts) is the file the joined
// render makes, its cross-reference table pointing at every object, and the parts a
// caller holds stay that file while other renders (in parts or not, concurrently,
// their layouts released and the writers' pooled buffers reused) run: the parts
// alias neither pooled memory nor anything a render writes. Under -race a write to
// the fonts' shared compressed files while this test reads them is reported.
func TestPDFPartsHeld(t *testing.T) {
	ctx := context.Background()
	wuchuan := readExample(t, "wuchuan-2023.json")
	held, err := RenderWith(ctx, wuchuan, []Format{PDF}, Options{Parts: true})
	if err != nil {
		t.Fatal(err)
	}
	if held.PDF != nil || len(held.pdfParts) < 3 {
		t.Fatalf("PDF not kept in parts: PDF %d bytes, %d parts", len(held.PDF), len(held.pdfParts))
	}
	var written bytes.Buffer
	n, err := held.WriteTo(PDF, &written)
	if err != nil || n != int64(written.Len()) {
		t.Fatalf("WriteTo: %d bytes, %v", n, err)
	}
	snapshot := bytes.Clone(written.Bytes())
	if !bytes.Equal(held.Bytes(PDF), snapshot) {
		t.Fatal("Bytes(PDF) is not what WriteTo wrote")
	}
	joined, err := RenderWith(ctx, wuchuan, []Format{PDF}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(joined.PDF, snapshot) {
		t.Fatalf("PDF in parts (%d bytes) differs from the joined render's (%d bytes)", len(snapshot), len(joined.PDF))
	}
	checkXref(t, snapshot)
	qpdfCheck(t, snapshot)

	// A document with images and an outline: their objects follow the font files.
	other := readExample(t, "all-fields-document.json")
	inParts, err := RenderWith(ctx, other, []Format{PDF}, Options{Parts: true})
	if err != nil {
		t.Fatal(err)
	}
	if joined, err = RenderWith(ctx, other, []Format{PDF}, Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(inParts.Bytes(PDF), joined.PDF) || !bytes.Contains(joined.PDF, []byte("/Subtype /Image")) {
		t.Fatal("all-fields-document: PDF in parts differs from the joined render's, or has no image")
	}
	checkXref(t, joined.PDF)
	qpdfCheck(t, joined.PDF)

	// What the renders below must give, each of its formats, made one at a time: the
	// renders run at once reuse each other's released subsets (fonts.Subset.Release).
	all := []Format{PDF, DOCX, OFD}
	want := map[bool]*Output{}
	for odd, input := range map[bool][]byte{false: wuchuan, true: other} {
		if want[odd], err = RenderWith(ctx, input, all, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			input := wuchuan
			if i%2 == 1 {
				input = other
			}
			for k := range 3 {
				out, err := RenderWith(ctx, input, all, Options{Parts: k%2 == 0, Concurrent: true})
				if err != nil {
					t.Error(err)
					return
				}
				for _, f := range all {
					if !bytes.Equal(out.Bytes(f), want[i%2 == 1].Bytes(f)) {
						t.Errorf("render %d.%d: %s differs from the one made alone", i, k, f)
					}
				}
				var b bytes.Buffer
				if _, err := out.WriteTo(PDF, &b); err != nil {
					t.Error(err)
					return
				}
				out.Release() // its DOCX's buffers go to the renders after
			}
		}()
	}
	// Read the held parts while the others render.
	for range 3 {
		var b bytes.Buffer
		if _, err := held.WriteTo(PDF, &b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), snapshot) {
			t.Fatal("held PDF parts changed while other renders ran")
		}
	}
	wg.Wait()
	if !bytes.Equal(held.Bytes(PDF), snapshot) {
		t.Fatal("held PDF parts changed after other renders")
	}
}

// checkXref reads the file's cross-reference table (startxref, then 20-byte
// entries) and checks each object's offset starts "N 0 obj" and startxref "xref".
func checkXref(t *testing.T, pdf []byte) {
	t.Helper()
	i := bytes.LastIndex(pdf, []byte("startxref\n"))
	if i < 0 {
		t.Fatal("no startxref")
	}
	rest := pdf[i+len("startxref\n"):]
	end := bytes.IndexByte(rest, '\n')
	xref, err := strconv.Atoi(string(rest[:end]))
	if err != nil || !bytes.HasPrefix(pdf[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %q does not point at the table", rest[:end])
	}
	tab := pdf[xref+len("xref\n0 "):]
	nl := bytes.IndexByte(tab, '\n')
	size, err := strconv.Atoi(string(tab[:nl]))
	if err != nil || size < 10 {
		t.Fatalf("xref size %q", tab[:nl])
	}
	entries := tab[nl+1+20:] // object 0's entry skipped
	for num := 1; num < size; num++ {
		off, err := strconv.Atoi(string(entries[20*(num-1) : 20*(num-1)+10]))
		if err != nil {
			t.Fatalf("object %d: %v", num, err)
		}
		if want := strconv.Itoa(num) + " 0 obj"; !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Fatalf("object %d: offset %d has %q", num, off, pdf[off:min(off+16, len(pdf))])
		}
	}
}

// qpdfCheck runs qpdf --check on the file, when qpdf is installed.
func qpdfCheck(t *testing.T, pdf []byte) {
	t.Helper()
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Log("qpdf not installed: not checked")
		return
	}
	p := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("qpdf", "--check", p).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
}

// TestDOCXPartsHeld: a DOCX kept in parts (Options.Parts) is the file the joined
// render makes, and stays it while other renders, DOCX alone or beside a PDF, give
// their parts' buffers back (Output.Release) and reuse them; after its own Release
// its buffers are the next render's, and the output says so rather than writing what
// they hold by then.
func TestDOCXPartsHeld(t *testing.T) {
	ctx := context.Background()
	inputs := [][]byte{readExample(t, "wuchuan-2023.json"), readExample(t, "all-fields-document.json")}
	for _, formats := range [][]Format{{DOCX}, {PDF, DOCX}} {
		var want [2][]byte
		for k, in := range inputs {
			out, err := RenderWith(ctx, in, formats, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want[k] = out.DOCX
		}
		held, err := RenderWith(ctx, inputs[0], formats, Options{Parts: true})
		if err != nil {
			t.Fatal(err)
		}
		if held.DOCX != nil || len(held.docxParts) < 10 {
			t.Fatalf("%v: DOCX not kept in parts: DOCX %d bytes, %d parts", formats, len(held.DOCX), len(held.docxParts))
		}
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range 4 {
					out, err := RenderWith(ctx, inputs[(i+k)%2], formats, Options{Parts: true, Concurrent: i%2 == 0})
					if err != nil {
						t.Error(err)
						return
					}
					var b bytes.Buffer
					if _, err := out.WriteTo(DOCX, &b); err != nil {
						t.Error(err)
					}
					if !bytes.Equal(b.Bytes(), want[(i+k)%2]) {
						t.Errorf("%v: render %d.%d: DOCX in parts differs from the joined render's", formats, i, k)
					}
					out.Release()
				}
			}()
		}
		for range 4 {
			var b bytes.Buffer
			if n, err := held.WriteTo(DOCX, &b); err != nil || n != int64(len(want[0])) {
				t.Fatalf("WriteTo: %d bytes, %v", n, err)
			}
			if !bytes.Equal(b.Bytes(), want[0]) || !bytes.Equal(held.Bytes(DOCX), want[0]) {
				t.Fatalf("%v: held DOCX parts changed while other renders ran", formats)
			}
		}
		wg.Wait()
		docxCheck(t, held.Bytes(DOCX))
		held.Release()
		held.Release()
		if b := held.Bytes(DOCX); b != nil {
			t.Errorf("Bytes(DOCX) after Release: %d bytes, want nil", len(b))
		}
		if n, err := held.WriteTo(DOCX, io.Discard); err == nil {
			t.Errorf("WriteTo after Release wrote %d bytes without an error", n)
		}
	}
}

// docxCheck reads the file back with archive/zip, every entry's CRC-32 checked.
func docxCheck(t *testing.T, b []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		r, err := f.Open()
		if err == nil {
			_, err = io.Copy(io.Discard, r)
			r.Close()
		}
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
		}
	}
}
