package docx

import (
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"

	"gongwen/templates"
)

// TestDeflatePieces: pieces compressed once and per call join into one stream that
// compress/flate reads back as the whole text, with the text's CRC and size, however
// the pieces are mixed (document.xml's body with bodyCode, the others with
// zipfile's encoder), an empty one among them; a body longer than deflateChunk
// (compressed a chunk a block, the context checked between them) reads back too,
// and another text so long compresses to the bytes zipfile's encoder gives it in
// one write.
func TestDeflatePieces(t *testing.T) {
	a := []byte(`<?xml version="1.0"?><w:document><w:body>`)
	b := []byte(strings.Repeat(`<w:p><w:r><w:t>正文 text &amp; more</w:t></w:r></w:p>`, 300))
	c := []byte(`<w:sectPr/></w:body></w:document>`)
	pa, err := compressPiece(a, false)
	if err != nil {
		t.Fatal(err)
	}
	pc, err := compressPiece(c, true)
	if err != nil {
		t.Fatal(err)
	}
	pcOpen, err := compressPiece(c, false)
	if err != nil {
		t.Fatal(err)
	}
	whole := string(a) + string(b) + string(c)
	for name, ps := range map[string][]piece{
		"once-dynamic-once": {pa, {text: b, body: true}, pc},
		"dynamic-only":      {{text: a}, {text: b, body: true}, {text: c}},
		"ends-dynamic":      {pa, {text: b}, {text: c, body: true}},
		"ends-open":         {pa, {text: b, body: true}, pcOpen},
		"one":               {{text: []byte(whole)}},
		"one-body":          {{text: []byte(whole), body: true}},
		"empty-open":        {pa, {text: nil, body: true}, {text: b, body: true}, pc},
		"empty-final":       {pa, {text: b}, {text: c, body: true}, {text: nil, body: true}},
	} {
		z, err := deflatePieces(context.Background(), []byte("prefix"), ps...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := io.ReadAll(flate.NewReader(bytes.NewReader(z.z)))
		if err != nil {
			t.Fatalf("%s: inflate: %v", name, err)
		}
		if string(got) != whole {
			t.Errorf("%s: inflated %d bytes, want the %d of the text", name, len(got), len(whole))
		}
		if z.crc != crc32.ChecksumIEEE([]byte(whole)) || z.size != len(whole) {
			t.Errorf("%s: crc %08x size %d, want %08x %d", name, z.crc, z.size, crc32.ChecksumIEEE([]byte(whole)), len(whole))
		}
	}
	long := bytes.Repeat(b, 2<<20/len(b)+1)
	chunked, err := deflatePieces(context.Background(), nil, piece{text: long, body: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(chunked.z)))
	if err != nil || !bytes.Equal(got, long) || chunked.size != len(long) {
		t.Errorf("%d bytes in chunks: %d back (%v), size %d", len(long), len(got), err, chunked.size)
	}
	other, err := deflatePieces(context.Background(), nil, piece{text: long})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := getPartWriter()
	w.fw.Write(long)
	w.fw.Close()
	if !bytes.Equal(other.z, w.out.b) {
		t.Error("not a body: compressed in chunks differs from one write")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, body := range []bool{false, true} {
		if _, err := deflatePieces(ctx, nil, piece{text: long, body: body}); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled, body %v: err = %v", body, err)
		}
	}
}

// TestDocumentPieces: document.xml as the library makes it (the body put in at the
// marker, the last section unnumbered or not) is cut into the template's compressed
// head and tail and the body; a text that does not start and end so is compressed
// whole.
func TestDocumentPieces(t *testing.T) {
	tm, err := loadTemplate()
	if err != nil {
		t.Fatal(err)
	}
	body := "<w:p><w:r><w:t>正文</w:t></w:r></w:p>"
	for _, unnumbered := range []bool{false, true} {
		ed := tm.r.Editable()
		ed.ReplaceRaw(templates.BodyMarker, body, 1)
		text, tail := ed.GetContent(), tm.tail
		if unnumbered {
			if tail, err = tm.tailUnnumbered(); err != nil {
				t.Fatal(err)
			}
			text = lastSectionUnnumbered(text)
		}
		ps := documentPieces([]byte(text), tm.head, tail)
		if len(ps) != 3 || string(ps[1].text) != body || ps[0].z == nil || ps[2].z == nil {
			t.Errorf("unnumbered %v: %d pieces, body %q", unnumbered, len(ps), ps[min(1, len(ps)-1)].text)
		}
		if ps := documentPieces([]byte(text), tm.head, tm.tail); unnumbered && len(ps) != 1 {
			t.Errorf("the other tail: %d pieces, want the whole text", len(ps))
		}
	}
}
