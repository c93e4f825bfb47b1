package docx

import (
	"bytes"
	"context"
	"testing"
)

// TestRenderParts: the parts, written one after the other, are RenderPaged's file
// byte for byte, Len its length; a second render, of another document, given the
// first one's released buffers, is its own file; Release leaves the parts empty.
func TestRenderParts(t *testing.T) {
	m := metrics(t)
	for _, name := range []string{"wuchuan-2023.json", "all-fields-document.json"} {
		doc := example(t, name)
		want, err := Render(doc, m)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second render takes the first one's released buffers
			ps, err := RenderParts(context.Background(), doc, m, Paging{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ps.Pieces()) < 10 {
				t.Errorf("%s: %d pieces: the archive was joined", name, len(ps.Pieces()))
			}
			var b bytes.Buffer
			n, err := ps.WriteTo(&b)
			if err != nil || n != int64(len(want)) || ps.Len() != len(want) {
				t.Fatalf("%s: WriteTo %d bytes (%v), Len %d, want %d", name, n, err, ps.Len(), len(want))
			}
			if !bytes.Equal(b.Bytes(), want) || !bytes.Equal(ps.Bytes(), want) {
				t.Fatalf("%s: the parts are not Render's file", name)
			}
			ps.Release()
			ps.Release()
			if ps.Len() != 0 || ps.Pieces() != nil {
				t.Errorf("%s: after Release: %d bytes in %d pieces", name, ps.Len(), len(ps.Pieces()))
			}
		}
	}
}
