package pdf

import (
	"bytes"
	stdzlib "compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"sync"
	"testing"

	kpzlib "github.com/klauspost/compress/zlib"
)

// The font subsets are most of a PDF's bytes and most of its CPU. These benchmarks
// compare ways of compressing the Wuchuan example's five subsets, as they come out of
// a real render: compress/zlib against github.com/klauspost/compress/zlib at several
// levels, with a fresh writer per stream (the first document in a process: a writer
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
					cpu := cpuTime()
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
					if c := cpuTime() - cpu; c > 0 {
						b.ReportMetric(float64(c.Microseconds())/1000/float64(b.N), "cpu-ms/op")
					}
					b.ReportMetric(float64(total), "bytes")
					b.ReportMetric(float64(raw), "raw-bytes")
				})
			}
		}
	}
}

// TestFontStreamsNoLargerThanStdlibLevel4: the compressor the writer uses
// (klauspost/compress, fontLevel) keeps the embedded fonts as small as compress/zlib
// at level 4, the setting it replaced, within 0.1 %.
func TestFontStreamsNoLargerThanStdlibLevel4(t *testing.T) {
	res, err := Render(exampleDoc(t, "wuchuan-2023.json"), defaultFonts(t))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`<</Length (\d+) /Length1 (\d+) /Filter /FlateDecode>>\nstream\n`)
	embedded, std := 0, 0
	for _, m := range re.FindAllSubmatchIndex(res.Bytes, -1) {
		n, _ := strconv.Atoi(string(res.Bytes[m[2]:m[3]]))
		r, err := stdzlib.NewReader(bytes.NewReader(res.Bytes[m[1] : m[1]+n]))
		if err != nil {
			t.Fatal(err)
		}
		ttf, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		w, _ := stdzlib.NewWriterLevel(nil, 4)
		embedded, std = embedded+n, std+compressWith(w, ttf)
	}
	if std == 0 {
		t.Fatal("no font streams found")
	}
	t.Logf("font streams %d bytes; compress/zlib level 4: %d", embedded, std)
	if float64(embedded) > float64(std)*1.001 {
		t.Errorf("font streams %d bytes, more than compress/zlib level 4's %d", embedded, std)
	}
}
