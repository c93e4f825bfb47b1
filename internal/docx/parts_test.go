package docx

import (
	"bytes"
	"context"
	"io"
	"runtime"
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

// TestRenderPartsAllocates pins round 9 of issue 15 without a clock: a render in parts
// that is released allocates at least 80 % of the file less than the joined render,
// which copies the archive into a slice of its own, and under 60 % of the file in all,
// its buffers being the released ones of the render before (in round 9 46 KB against
// 195 KB for Wuchuan's 147 KB file; 63 KB under -race). Bytes allocated, counted by the
// runtime, do not depend on the machine's load.
func TestRenderPartsAllocates(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 60 times")
	}
	doc, m, ctx := example(t, "wuchuan-2023.json"), metrics(t), context.Background()
	size := 0
	perRender := func(render func()) float64 {
		for range 10 { // the pools and the fonts' caches filled
			render()
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		const n = 20
		for range n {
			render()
		}
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc-before.TotalAlloc) / n
	}
	joined := perRender(func() {
		b, err := Render(doc, m)
		if err != nil {
			t.Fatal(err)
		}
		size = len(b)
	})
	parts := perRender(func() {
		ps, err := RenderParts(ctx, doc, m, Paging{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ps.WriteTo(io.Discard); err != nil {
			t.Fatal(err)
		}
		ps.Release()
	})
	t.Logf("bytes allocated a render: joined %.0f, in parts %.0f; file %d", joined, parts, size)
	if parts > joined-0.8*float64(size) {
		t.Errorf("a render in parts allocates %.0f bytes, the joined one %.0f: want at least %.0f (80 %% of the file) less",
			parts, joined, 0.8*float64(size))
	}
	if parts > 0.6*float64(size) {
		t.Errorf("a render in parts allocates %.0f bytes, over 60 %% of its %d-byte file: its buffers are not reused", parts, size)
	}
}
