package fonts

import (
	"flag"
	"testing"

	"gongwen/internal/deflate"
	"gongwen/internal/deflate/deflatetest"
	"gongwen/internal/spec"
)

var updateTable = flag.Bool("update-glyph-table", false, "rewrite glyphtable.go from the shipped faces")

// trainGlyphTable derives the glyph code from the shipped faces: every glyph that
// draws a character of the coverage list in each face, encoded as subsets encode
// them (lz.fast), symbols counted, code lengths made; three rounds, starting from
// deflate's fixed code, since the encoder's choice of matches depends on the code.
// Every symbol counts at least once, so that any bytes (an operator's font) encode;
// literal/length codes are limited to maxLiteralBits (bitWriter.literals writes four
// literals at a time).
func trainGlyphTable(t testing.TB) ([numLit]uint8, [numDist]uint8) {
	set, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	var corpus [][]byte
	cov := Coverage()
	for _, fc := range spec.Faces {
		f := set.face(fc)
		if f == nil {
			t.Fatalf("face %s missing: the table is trained on all shipped faces", fc)
		}
		seen := map[uint16]bool{}
		for _, r := range cov {
			g := f.glyphID(r)
			if g == 0 || seen[g] {
				continue
			}
			seen[g] = true
			if b := f.glyph(int(g)); len(b) > 0 && !composite(b) {
				corpus = append(corpus, b)
			}
		}
	}
	var lit [numLit]uint8
	var dist [numDist]uint8
	for i := range lit {
		switch {
		case i < 144:
			lit[i] = 8
		case i < 256:
			lit[i] = 9
		case i < 280:
			lit[i] = 7
		default:
			lit[i] = 8
		}
	}
	for i := range dist {
		dist[i] = 5
	}
	for range 3 {
		tab := newCodeTable(lit, dist)
		var freq [numLit + numDist]uint32
		e := &lz{freq: &freq}
		var w bitWriter
		for _, g := range corpus {
			e.fast(&w, tab, g)
			w.k, w.n, w.acc = 0, 0, 0
		}
		freq[endBlock]++
		for i := range freq {
			freq[i]++
		}
		lit = [numLit]uint8(deflate.HuffLengths(freq[:numLit], maxLiteralBits))
		dist = [numDist]uint8(deflate.HuffLengths(freq[numLit:], maxBits))
	}
	return lit, dist
}

// TestGlyphTableIsTrained: glyphtable.go holds the code trainGlyphTable derives
// from the shipped faces (go test -run GlyphTable -update-glyph-table rewrites it).
func TestGlyphTableIsTrained(t *testing.T) {
	lit, dist := trainGlyphTable(t)
	if *updateTable {
		f := deflatetest.File{Path: "glyphtable.go", Package: "fonts", By: "TestGlyphTableIsTrained -update-glyph-table",
			Doc:   "glyphLitLens and glyphDistLens are the code lengths of the glyph code\n(subsetdeflate.go), trained on the shipped faces (glyphtable_test.go).",
			Codes: []deflatetest.Lengths{{Name: "glyph", LitType: "[numLit]uint8", DistType: "[numDist]uint8", Lit: lit[:], Dist: dist[:]}}}
		if err := f.Write(); err != nil {
			t.Fatal(err)
		}
		return
	}
	for s, l := range glyphLitLens {
		if l == 0 || l > maxLiteralBits {
			t.Errorf("symbol %d: code length %d", s, l)
		}
	}
	if lit != glyphLitLens || dist != glyphDistLens {
		t.Errorf("glyphtable.go is not the code trained on the shipped faces; rerun with -update-glyph-table\nlit  %v\ndist %v", lit, dist)
	}
}

// TestGlyphCacheTable: codes cached in a face are found again by their ids, through
// every growth of its table (batches of one to thousands), while ids never cached are
// not; caching an id again keeps the first code. Readers run alongside the puts (go
// test -race).
func TestGlyphCacheTable(t *testing.T) {
	defer cacheBytes.Store(cacheBytes.Load())
	f := &face{}
	if f.codes.get(7) != nil {
		t.Fatal("empty cache has glyph 7")
	}
	// Ids 3 apart, and runs of neighbours, as a font's common characters give.
	var ids []uint16
	for g := 0; g < 65536; g += 3 {
		if g%1000 < 400 {
			ids = append(ids, uint16(g))
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 50 {
			for _, g := range ids {
				if p := f.codes.get(g); p != nil && p.size != uint32(g)+1 {
					t.Errorf("glyph %d: code of size %d", g, p.size)
					return
				}
			}
		}
	}()
	for i, n := 0, 1; i < len(ids); n *= 3 {
		var batch []*glyphCode
		for _, g := range ids[i:min(i+n, len(ids))] {
			batch = append(batch, &glyphCode{gid: g, size: uint32(g) + 1}, nil, emptyGlyph)
		}
		f.cache(batch)
		i += n
	}
	<-done
	for _, g := range ids {
		if p := f.codes.get(g); p == nil || p.size != uint32(g)+1 {
			t.Fatalf("glyph %d: got %v", g, p)
		}
		if g%3 == 0 && g > 0 {
			if p := f.codes.get(g - 1); p != nil {
				t.Fatalf("glyph %d never cached, got one of size %d", g-1, p.size)
			}
		}
	}
	f.cache([]*glyphCode{{gid: ids[5], size: 1}})
	if f.codes.get(ids[5]).size != uint32(ids[5])+1 {
		t.Error("caching an id again replaced its code")
	}
	if n, slots := f.codes.n, len(f.codes.table.Load().slots); n != len(ids) || 2*n > slots {
		t.Errorf("%d codes in %d slots", n, slots)
	}
}
