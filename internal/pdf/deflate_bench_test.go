package pdf

import (
	"bytes"
	stdzlib "compress/zlib"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"

	kpzlib "github.com/klauspost/compress/zlib"

	"gongwen/internal/fonts"
	"gongwen/internal/spec"
	"gongwen/internal/testtool"
	"gongwen/internal/typeset"
)

// The font subsets are most of a PDF's bytes and were most of its CPU. These
// benchmarks compare ways of compressing the Wuchuan example's five subsets, as they
// come out of a real render: BenchmarkSubsetZlib the writer's own (fonts.Subset.Zlib),
// BenchmarkFontDeflate the general compressors it replaced, compress/zlib against
// github.com/klauspost/compress/zlib at several levels, with a fresh writer per stream (the first document in a process: a writer
// is about 1 MB of state whose pages the kernel must fault in) or a pooled one (a
// warm process), one stream after the other or each in its own goroutine. Each
// reports the bytes it produces, the CPU per op and the wall time.

// wuchuanSubsets returns the uncompressed font files embedded in the Wuchuan PDF.
func wuchuanSubsets(b *testing.B) [][]byte {
	res, err := Render(exampleDoc(b, "wuchuan-2023.json"), defaultFonts(b))
	if err != nil {
		b.Fatal(err)
	}
	re := regexp.MustCompile(`<</Length (\d+) /Length1 (\d+) /Filter /FlateDecode>>\nstream\n`)
	var out [][]byte
	for _, m := range re.FindAllSubmatchIndex(res.Bytes, -1) {
		n, _ := strconv.Atoi(string(res.Bytes[m[2]:m[3]]))
		n1, _ := strconv.Atoi(string(res.Bytes[m[4]:m[5]]))
		r, err := stdzlib.NewReader(bytes.NewReader(res.Bytes[m[1] : m[1]+n]))
		if err != nil {
			b.Fatal(err)
		}
		ttf, err := io.ReadAll(r)
		if err != nil || len(ttf) != n1 {
			b.Fatalf("font file: %d bytes of %d, %v", len(ttf), n1, err)
		}
		out = append(out, ttf)
	}
	if len(out) < 4 {
		b.Fatalf("found %d font files", len(out))
	}
	return out
}

type zwriter interface {
	io.WriteCloser
	Reset(io.Writer)
}

type codec struct {
	name  string
	level int
	new   func(level int) zwriter
}

var codecs = []codec{
	{"std", 4, func(l int) zwriter { w, _ := stdzlib.NewWriterLevel(nil, l); return w }},
	{"std", 6, func(l int) zwriter { w, _ := stdzlib.NewWriterLevel(nil, l); return w }},
	{"klauspost", 2, func(l int) zwriter { w, _ := kpzlib.NewWriterLevel(nil, l); return w }},
	{"klauspost", 4, func(l int) zwriter { w, _ := kpzlib.NewWriterLevel(nil, l); return w }},
	{"klauspost", 5, func(l int) zwriter { w, _ := kpzlib.NewWriterLevel(nil, l); return w }},
	{"klauspost", 6, func(l int) zwriter { w, _ := kpzlib.NewWriterLevel(nil, l); return w }},
	{"klauspost", 7, func(l int) zwriter { w, _ := kpzlib.NewWriterLevel(nil, l); return w }},
}

func compressWith(w zwriter, data []byte) int {
	var buf bytes.Buffer
	buf.Grow(len(data)*3/4 + 64)
	w.Reset(&buf)
	w.Write(data)
	w.Close()
	return buf.Len()
}

func BenchmarkFontDeflate(b *testing.B) {
	subsets := wuchuanSubsets(b)
	raw := 0
	for _, s := range subsets {
		raw += len(s)
	}
	for _, c := range codecs {
		for _, pooled := range []bool{false, true} {
			for _, parallel := range []bool{false, true} {
				name := fmt.Sprintf("%s-%d/fresh", c.name, c.level)
				if pooled {
					name = fmt.Sprintf("%s-%d/pooled", c.name, c.level)
				}
				if parallel {
					name += "-goroutines"
				} else {
					name += "-sequential"
				}
				b.Run(name, func(b *testing.B) {
					pool := sync.Pool{New: func() any { return c.new(c.level) }}
					get := func() zwriter {
						if pooled {
							return pool.Get().(zwriter)
						}
						return c.new(c.level)
					}
					put := func(w zwriter) {
						if pooled {
							pool.Put(w)
						}
					}
					total := 0
					b.ReportAllocs()
					cpu := testtool.CPUTime()
					for b.Loop() {
						sizes := make([]int, len(subsets))
						if parallel {
							var wg sync.WaitGroup
							for i, s := range subsets {
								wg.Go(func() {
									w := get()
									sizes[i] = compressWith(w, s)
									put(w)
								})
							}
							wg.Wait()
						} else {
							for i, s := range subsets {
								w := get()
								sizes[i] = compressWith(w, s)
								put(w)
							}
						}
						total = 0
						for _, n := range sizes {
							total += n
						}
					}
					testtool.ReportCPUPerOp(b, cpu)
					b.ReportMetric(float64(total), "bytes")
					b.ReportMetric(float64(raw), "raw-bytes")
				})
			}
		}
	}
}

// cut is one subset a render cuts: the face and the characters.
type cut struct {
	face  spec.Face
	runes []rune
}

// recorder is a FontSource that records the subsets a render cuts.
type recorder struct {
	*fonts.Set
	cuts []cut
}

func (r *recorder) Cut(face spec.Face, runes []rune) (*fonts.Subset, error) {
	r.cuts = append(r.cuts, cut{face, slices.Clone(runes)})
	return r.Set.Cut(face, runes)
}

func wuchuanCuts(b testing.TB) []cut {
	rec := &recorder{Set: defaultFonts(b)}
	doc := exampleDoc(b, "wuchuan-2023.json")
	lay, err := typeset.Typeset(doc, rec.Set)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := Write(doc, lay, rec); err != nil {
		b.Fatal(err)
	}
	return rec.cuts
}

// BenchmarkSubsetZlib is how the writer compresses the font files now
// (fonts.Subset.Zlib): "cut" is cutting the five subsets alone, "cut+zlib" cutting
// and compressing them with every glyph's code cached (a warm process: the
// difference is the compression), "cold" the same in a process that has encoded no
// glyph yet (fonts loaded afresh, outside the timer).
func BenchmarkSubsetZlib(b *testing.B) {
	cuts := wuchuanCuts(b)
	set := defaultFonts(b)
	run := func(b *testing.B, set *fonts.Set, compress bool) int {
		total := 0
		for _, c := range cuts {
			sub, err := set.Cut(c.face, c.runes)
			if err != nil {
				b.Fatal(err)
			}
			if compress {
				total += len(sub.Zlib())
			}
		}
		return total
	}
	for _, compress := range []bool{false, true} {
		name := "cut"
		if compress {
			name = "cut+zlib"
		}
		b.Run(name, func(b *testing.B) {
			total := run(b, set, compress)
			b.ReportAllocs()
			cpu := testtool.CPUTime()
			for b.Loop() {
				run(b, set, compress)
			}
			testtool.ReportCPUPerOp(b, cpu)
			b.ReportMetric(float64(total), "bytes")
		})
	}
	b.Run("cold", func(b *testing.B) {
		total := 0
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			fresh, err := fonts.Load("")
			if err != nil {
				b.Fatal(err)
			}
			subs := make([]*fonts.Subset, len(cuts))
			for i, c := range cuts {
				if subs[i], err = fresh.Cut(c.face, c.runes); err != nil {
					b.Fatal(err)
				}
			}
			b.StartTimer()
			total = 0
			for _, s := range subs {
				total += len(s.Zlib())
			}
		}
		b.ReportMetric(float64(total), "bytes")
	})
}

// TestFontStreamsSize: the embedded font files, compressed by fonts.Subset.Zlib
// (each glyph coded on its own, so that its code is made once per process), stay
// within 11 % of klauspost/compress at level 7, the compressor they replaced, on the
// Wuchuan example: 129,909 bytes against 117,967 when this was written. The matches
// across glyphs that level 7 finds (shared strokes and radicals, about 7 KB here)
// are what a per-glyph code gives up, for a warm render's font compression at a
// few percent of level 7's CPU (BenchmarkSubsetZlib against BenchmarkFontDeflate).
func TestFontStreamsSize(t *testing.T) {
	res, err := Render(exampleDoc(t, "wuchuan-2023.json"), defaultFonts(t))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`<</Length (\d+) /Length1 (\d+) /Filter /FlateDecode>>\nstream\n`)
	embedded, l7, raw := 0, 0, 0
	for _, m := range re.FindAllSubmatchIndex(res.Bytes, -1) {
		n, _ := strconv.Atoi(string(res.Bytes[m[2]:m[3]]))
		n1, _ := strconv.Atoi(string(res.Bytes[m[4]:m[5]]))
		r, err := stdzlib.NewReader(bytes.NewReader(res.Bytes[m[1] : m[1]+n]))
		if err != nil {
			t.Fatal(err)
		}
		ttf, err := io.ReadAll(r)
		if err != nil || len(ttf) != n1 {
			t.Fatalf("font file: %d bytes of %d, %v", len(ttf), n1, err)
		}
		w, _ := kpzlib.NewWriterLevel(nil, 7)
		embedded, l7, raw = embedded+n, l7+compressWith(w, ttf), raw+len(ttf)
	}
	if l7 == 0 {
		t.Fatal("no font streams found")
	}
	t.Logf("font streams %d bytes of %d; klauspost/compress level 7: %d (%+.1f %%)", embedded, raw, l7, 100*float64(embedded-l7)/float64(l7))
	if float64(embedded) > float64(l7)*1.11 {
		t.Errorf("font streams %d bytes, more than 11 %% over level 7's %d", embedded, l7)
	}
}
