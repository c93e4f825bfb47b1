package zipfile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"testing"
	"time"
	"unsafe"
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
	if _, got := firstEntry(t, w); !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes, want %d", len(got), len(data))
	}
}

// readBack closes the archive and opens it with archive/zip.
func readBack(t *testing.T, w *Writer) *zip.Reader {
	t.Helper()
	b, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

// firstEntry closes the archive and reads its first entry back (io.ReadAll checks the
// CRC at the end).
func firstEntry(t *testing.T, w *Writer) (*zip.File, []byte) {
	t.Helper()
	zr := readBack(t, w)
	r, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read back %d bytes: %v", len(got), err)
	}
	return zr.File[0], got
}

// TestCopyRaw copies an entry compressed elsewhere: the data reads back, the
// compressed bytes are the source's, the day is this archive's, extra fields go.
func TestCopyRaw(t *testing.T) {
	data := bytes.Repeat([]byte("<w:p>text</w:p>"), 200)
	var src bytes.Buffer
	sw := zip.NewWriter(&src)
	fw, err := sw.CreateHeader(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate,
		Modified: time.Date(2011, 5, 6, 7, 8, 10, 0, time.UTC), Extra: []byte{0xfe, 0xca, 0, 0}, Comment: "x"})
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	sw.Close()
	sr, err := zip.NewReader(bytes.NewReader(src.Bytes()), int64(src.Len()))
	if err != nil {
		t.Fatal(err)
	}
	w := New(2024, 1, 15, 0)
	if err := w.CopyRaw(sr.File[0]); err != nil {
		t.Fatal(err)
	}
	f, got := firstEntry(t, w)
	if f.CompressedSize64 != sr.File[0].CompressedSize64 || f.Method != zip.Deflate {
		t.Errorf("compressed %d bytes by method %d, want %d by deflate", f.CompressedSize64, f.Method, sr.File[0].CompressedSize64)
	}
	if got := f.Modified.Format("2006-01-02 15:04:05"); got != "2024-01-15 00:00:00" {
		t.Errorf("stamped %s, want 2024-01-15 00:00:00", got)
	}
	if len(f.Extra) != 0 || f.Comment != "" {
		t.Errorf("extra %x, comment %q: want none", f.Extra, f.Comment)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes, want %d", len(got), len(data))
	}
}

// TestAddContext: the entry written in chunks is the one archive/zip writes at once,
// and an ended context stops the archive.
func TestAddContext(t *testing.T) {
	data := bytes.Repeat([]byte("法治政府建设 annual report "), 3*chunk/30)
	archive := func(add func(w *Writer) error) []byte {
		w := New(2024, 1, 15, 0)
		if err := add(w); err != nil {
			t.Fatal(err)
		}
		b, err := w.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	once := viaArchiveZip(t, 2024, 1, 15, func(zw *zip.Writer, fh func(string, uint16) *zip.FileHeader) error {
		fw, err := zw.CreateHeader(fh("a.xml", zip.Deflate))
		if err == nil {
			_, err = fw.Write(data)
		}
		return err
	})
	chunked := archive(func(w *Writer) error { return w.AddContext(context.Background(), "a.xml", data, true) })
	if !bytes.Equal(once, chunked) {
		t.Errorf("chunked writes give other bytes (%d against %d)", len(chunked), len(once))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := New(2024, 1, 15, 0)
	if err := w.AddContext(ctx, "a.xml", data, true); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
	if _, err := w.Bytes(); !errors.Is(err, context.Canceled) {
		t.Errorf("Bytes after a cancelled entry: got %v", err)
	}
}

// TestDeflaterForgetsDictionary: a compressor given a dictionary (ResetDict) and put
// back compresses for the next user as one without: its stream inflates alone. And
// Zlib's stream is what compress/zlib reads back.
func TestDeflaterForgetsDictionary(t *testing.T) {
	text := bytes.Repeat([]byte("法治政府建设 <w:p><w:r><w:t>text</w:t></w:r></w:p> "), 40)
	var out bytes.Buffer
	w, err := GetDeflater(&out)
	if err != nil {
		t.Fatal(err)
	}
	w.ResetDict(&out, text) // text as the dictionary: the stream below would refer into it
	PutDeflater(w)
	for range 2 { // the pooled one (there is one now), then whichever comes
		out.Reset()
		w, err := GetDeflater(&out)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(text); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		PutDeflater(w)
		got, err := io.ReadAll(flate.NewReader(bytes.NewReader(out.Bytes())))
		if err != nil || !bytes.Equal(got, text) {
			t.Fatalf("inflated %d bytes (%v), want the %d written", len(got), err, len(text))
		}
	}
	z, err := Zlib([]byte("prefix"), text)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(z[len("prefix"):]))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(got, text) || string(z[:len("prefix")]) != "prefix" {
		t.Fatalf("zlib: read %d bytes (%v), want the %d written after the prefix", len(got), err, len(text))
	}
}

// TestZlibSizes: Zlib's stream, stateless (up to StatelessMax bytes) or from a
// compressor (above), in one part or several, is what compress/zlib reads back
// (which checks the Adler-32), after dst's bytes left as they were; and a stream
// joined from parts is the stream of the parts joined.
func TestZlibSizes(t *testing.T) {
	var text []byte
	for i := 0; len(text) < 3*StatelessMax; i++ {
		text = fmt.Appendf(text, "BT /GWSong 16 Tf %d.%03d 0 Td <%04X%04X> Tj ET\n", i%600, i%1000, i*7%65536, i*13%65536)
	}
	for _, n := range []int{0, 1, 100, 4000, StatelessMax, StatelessMax + 1, 3 * StatelessMax} {
		in := text[:n]
		whole, err := Zlib([]byte("dst"), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, cut := range []int{0, n / 3, n} {
			z, err := Zlib([]byte("dst"), in[:cut], in[cut:])
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(z, whole) {
				t.Errorf("%d bytes cut at %d: %d bytes of stream, %d in one part", n, cut, len(z), len(whole))
			}
		}
		if string(whole[:3]) != "dst" {
			t.Fatalf("%d bytes: dst's bytes became %q", n, whole[:3])
		}
		zr, err := zlib.NewReader(bytes.NewReader(whole[3:]))
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, in) {
			t.Fatalf("%d bytes: read back %d (%v)", n, len(got), err)
		}
		if n > 4000 && len(whole) > n/2 {
			t.Errorf("%d bytes: compressed to %d", n, len(whole))
		}
	}
}

// TestAddSizes: entries on either side of StatelessMax (stateless encoder or
// compressor) read back with archive/zip, which checks each CRC-32, as deflated
// entries of the written sizes; a small entry stops on an ended context too.
func TestAddSizes(t *testing.T) {
	var text []byte
	for i := 0; len(text) < 2*StatelessMax; i++ {
		text = fmt.Appendf(text, `<ofd:TextObject ID="%d" Boundary="%d 0 16 16"><ofd:TextCode X="0">%c</ofd:TextCode></ofd:TextObject>`, i, i%170, 0x4E00+i%500)
	}
	sizes := []int{0, 1, 700, StatelessMax, StatelessMax + 1, 2 * StatelessMax}
	w := New(2024, 1, 15, 0)
	for i, n := range sizes {
		if err := w.Add(fmt.Sprintf("p%d.xml", i), text[:n], true); err != nil {
			t.Fatal(err)
		}
	}
	zr := readBack(t, w)
	if len(zr.File) != len(sizes) {
		t.Fatalf("%d entries, want %d", len(zr.File), len(sizes))
	}
	for i, f := range zr.File {
		n := sizes[i]
		if f.Name != fmt.Sprintf("p%d.xml", i) || f.Method != zip.Deflate || f.UncompressedSize64 != uint64(n) {
			t.Errorf("entry %d: %s method %d size %d, want %d bytes deflated", i, f.Name, f.Method, f.UncompressedSize64, n)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, text[:n]) {
			t.Errorf("%s: read %d bytes (%v), want %d", f.Name, len(got), err, n)
		}
		if n > 700 && f.CompressedSize64 > uint64(n/3) {
			t.Errorf("%s: %d bytes compressed to %d", f.Name, n, f.CompressedSize64)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := New(2024, 1, 15, 0).AddContext(ctx, "a.xml", text[:10], true); !errors.Is(err, context.Canceled) {
		t.Errorf("small entry, cancelled: got %v", err)
	}
}

// TestDeflatePieces: pieces of every size class, compressed apart by Deflate (the
// last one final) and joined, are one raw deflate stream compress/flate reads back
// as the pieces' text joined; a non-final piece leaves the stream byte-aligned for
// stored blocks written after it.
func TestDeflatePieces(t *testing.T) {
	var text []byte
	for i := 0; len(text) < 3*StatelessMax; i++ {
		text = fmt.Appendf(text, `<w:p><w:r><w:t xml:space="preserve">%d 法治政府建设 %x</w:t></w:r></w:p>`, i, i*i)
	}
	cuts := []int{0, 0, 1, 200, 9000, 9000 + StatelessMax, 9001 + 2*StatelessMax, len(text)}
	var z []byte
	for i := 1; i < len(cuts); i++ {
		var err error
		if z, err = Deflate(z, text[cuts[i-1]:cuts[i]], i == len(cuts)-1); err != nil {
			t.Fatal(err)
		}
		if i == 3 { // a stored block of its own after a flushed piece
			z = append(z, 0, 3, 0, ^byte(3), 0xFF, 'a', 'b', 'c')
		}
	}
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(z)))
	want := slices.Concat(text[:200], []byte("abc"), text[200:])
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("read back %d bytes (%v), want %d", len(got), err, len(want))
	}
	if len(z) > len(text)/3 {
		t.Errorf("%d bytes compressed to %d", len(text), len(z))
	}
}

// DeflateContext: a text longer than deflateChunk compresses to the bytes one write
// to the shared compressor gives, reads back whole, and a cancelled context stops it.
func TestDeflateContextChunks(t *testing.T) {
	text := bytes.Repeat([]byte(`<w:p><w:r><w:t>正文 text &amp; more</w:t></w:r></w:p>`), 3<<20/64)
	got, err := DeflateContext(context.Background(), []byte("x"), text, true)
	if err != nil {
		t.Fatal(err)
	}
	var one bytes.Buffer
	w, err := GetDeflater(&one)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(text)
	w.Close()
	PutDeflater(w)
	if !bytes.Equal(got[1:], one.Bytes()) {
		t.Error("compressed in chunks differs from one write")
	}
	back, err := io.ReadAll(flate.NewReader(bytes.NewReader(got[1:])))
	if err != nil || !bytes.Equal(back, text) {
		t.Fatalf("read back %d bytes (%v), want %d", len(back), err, len(text))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := DeflateContext(ctx, nil, text, true); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

// viaArchiveZip is the archive archive/zip's Writer makes of the entries add writes,
// with the shared compressors registered and every entry stamped y-m-d as New
// stamps them: the oracle of the bytes Writer writes itself.
func viaArchiveZip(t *testing.T, y, m, d int, add func(*zip.Writer, func(string, uint16) *zip.FileHeader) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		fw, err := GetDeflater(w)
		return fw, err
	})
	// The day as a zip header holds it, computed here rather than taken from New.
	date := uint16((y-1980)<<9 | m<<5 | d)
	fh := func(name string, method uint16) *zip.FileHeader {
		return &zip.FileHeader{Name: name, Method: method, ModifiedDate: date}
	}
	if err := add(zw, fh); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSameBytesAsArchiveZip: every kind of entry (stored, deflated small and large,
// compressed already in one piece or several, copied from another archive, with a
// name that needs the UTF-8 flag) comes out byte for byte as archive/zip's Writer
// writes it: CreateHeader for the entries Writer compresses or stores, CreateRaw for
// those compressed already. A joined writer (NewJoined) writes the same bytes.
func TestSameBytesAsArchiveZip(t *testing.T) {
	for _, joined := range []bool{false, true} {
		t.Run(fmt.Sprintf("joined=%v", joined), func(t *testing.T) { sameBytesAsArchiveZip(t, joined) })
	}
}

func sameBytesAsArchiveZip(t *testing.T, joined bool) {
	var text []byte
	for i := 0; len(text) < 2*StatelessMax; i++ {
		text = fmt.Appendf(text, "<w:p><w:r><w:t>%d 法治政府建设 %x</w:t></w:r></w:p>", i, i*i)
	}
	small := text[:5000]
	smallZ, err := Deflate(nil, small, true) // the stateless encoder's stream
	if err != nil {
		t.Fatal(err)
	}
	// A source archive whose entry has a data descriptor, a comment, an extra
	// field, other versions and attributes: CopyPart keeps what CreateRaw keeps.
	var src bytes.Buffer
	sw := zip.NewWriter(&src)
	sfh := &zip.FileHeader{Name: "word/styles.xml", Method: zip.Deflate, Comment: "c", Extra: []byte{0xfe, 0xca, 0, 0},
		Modified: time.Date(2011, 5, 6, 7, 8, 10, 0, time.UTC), CreatorVersion: 3 << 8}
	sfh.SetMode(0o640)
	sf, err := sw.CreateHeader(sfh)
	if err != nil {
		t.Fatal(err)
	}
	sf.Write(text[:3000])
	sw.Close()
	sr, err := zip.NewReader(bytes.NewReader(src.Bytes()), int64(src.Len()))
	if err != nil {
		t.Fatal(err)
	}
	part, err := ReadPart(sr.File[0])
	if err != nil {
		t.Fatal(err)
	}
	srcRaw, err := sr.File[0].OpenRaw()
	if err != nil {
		t.Fatal(err)
	}
	srcZ, _ := io.ReadAll(srcRaw)
	crcSmall := crc32.ChecksumIEEE(small)

	w := New(2023, 12, 31, 0)
	if joined {
		w = NewJoined(2023, 12, 31, 0)
	}
	steps := []error{
		w.CopyPart(part),
		w.Add("Doc_0/Res/图章.png", text[:700], false),
		w.Add("OFD.xml", small, true),
		w.Add("word/document.xml", text, true),
		w.AddDeflated("Res/font.ttf", smallZ, crcSmall, len(small)),
		w.AddDeflatedParts("word/fonts/font1.odttf", crcSmall, len(small), smallZ[:37], nil, smallZ[37:]),
		w.AddDeflated("word/fonts/font2.odttf", smallZ, crcSmall, len(small)),
		w.Add("media/", nil, false),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}
	got, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want := viaArchiveZip(t, 2023, 12, 31, func(zw *zip.Writer, fh func(string, uint16) *zip.FileHeader) error {
		f := sr.File[0].FileHeader
		f.ModifiedDate, f.ModifiedTime, f.Modified, f.Extra, f.Comment = fh("", 0).ModifiedDate, 0, time.Time{}, nil, ""
		raw := func(h *zip.FileHeader, data ...[]byte) error {
			fw, err := zw.CreateRaw(h)
			for _, d := range data {
				if err == nil {
					_, err = fw.Write(d)
				}
			}
			return err
		}
		header := func(h *zip.FileHeader, data []byte) error {
			fw, err := zw.CreateHeader(h)
			if err == nil {
				_, err = fw.Write(data)
			}
			return err
		}
		deflated := func(name string, z ...[]byte) *zip.FileHeader {
			h := fh(name, zip.Deflate)
			h.CRC32, h.UncompressedSize64 = crcSmall, uint64(len(small))
			for _, b := range z {
				h.CompressedSize64 += uint64(len(b))
			}
			return h
		}
		return errors.Join(
			raw(&f, srcZ),
			header(fh("Doc_0/Res/图章.png", zip.Store), text[:700]),
			raw(deflated("OFD.xml", smallZ), smallZ),
			header(fh("word/document.xml", zip.Deflate), text),
			raw(deflated("Res/font.ttf", smallZ), smallZ),
			raw(deflated("word/fonts/font1.odttf", smallZ), smallZ[:37], smallZ[37:]),
			raw(deflated("word/fonts/font2.odttf", smallZ), smallZ),
			header(fh("media/", zip.Store), nil),
		)
	})
	if !bytes.Equal(got, want) {
		n := 0
		for n < min(len(got), len(want)) && got[n] == want[n] {
			n++
		}
		t.Fatalf("%d bytes, archive/zip's %d: they differ from byte %d", len(got), len(want), n)
	}
	if _, err := w.Bytes(); err == nil {
		t.Error("closed twice without an error")
	}
}

// A joined writer refers to its entries' data until Bytes: the headers alone fill
// the buffer its hint sized (EntrySize, EndSize), which never grows, and the archive
// is allocated at its length; the data is copied in once, when Bytes joins it.
func TestJoinedCopiesOnce(t *testing.T) {
	a, b := bytes.Repeat([]byte("font"), 5000), []byte("<Types/>")
	hint := EntrySize("a", false) + EntrySize("b.png", true) + EntrySize("c", false) + EndSize
	w := NewJoined(2024, 1, 15, hint)
	if err := errors.Join(w.AddDeflated("a", a, 1, 1), w.Add("b.png", b, false), w.AddDeflatedParts("c", 2, 3, b, a)); err != nil {
		t.Fatal(err)
	}
	before := unsafe.SliceData(w.buf)
	a[0] = 'F' // still the caller's until Bytes
	out, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if len(w.buf) != hint || cap(w.buf) != hint || unsafe.SliceData(w.buf) != before {
		t.Errorf("headers took %d bytes in a buffer of %d (hint %d), regrown: %v", len(w.buf), cap(w.buf), hint, unsafe.SliceData(w.buf) != before)
	}
	if len(out) != cap(out) || len(out) != hint+2*len(a)+2*len(b) {
		t.Errorf("archive of %d bytes in %d, want %d", len(out), cap(out), hint+2*len(a)+2*len(b))
	}
	if !bytes.Contains(out, a) || a[0] != 'F' {
		t.Error("the archive lacks the data as it was at Bytes")
	}
	zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 3 || zr.File[2].CompressedSize64 != uint64(len(a)+len(b)) {
		t.Fatalf("entries read back: %d", len(zr.File))
	}
	r, err := zr.File[1].Open()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, b) {
		t.Errorf("stored entry reads %q, %v", got, err)
	}
}
