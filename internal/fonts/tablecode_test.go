package fonts

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"gongwen/internal/spec"
)

// encodeAlone compresses b as one final block with glyphCodes' table, its bytes
// coded as spans say.
func encodeAlone(b []byte, spans []codeSpan) []byte {
	t := glyphCodes()
	w := bitWriter{}
	w.reserve(4*len(b) + 8*len(t.header) + 64)
	w.appendBits(t.header, t.headerBits)
	encodeSpans(&w, t, b, 0, spans)
	w.reserve(8)
	eob := t.lit[endBlock]
	w.bits(uint64(eob.bits), uint(eob.n))
	return w.bytes()
}

// The cmap coder's stream decodes (compress/flate) to the table, for tables of one
// character per segment, of runs, with a format 12 subtable, with padding, and for
// tables it does not know (a changed format, a nonzero idRangeOffset, a wrong
// length), which it leaves to lz.fast; and it is no longer than literals.
func TestCmapCodeRoundTrips(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	coded := 0
	for trial := range 400 {
		seen := map[rune]bool{}
		var rs []rune
		for range 1 + rng.IntN(600) {
			r := rune(0x4E00 + rng.IntN(0x5000))
			switch rng.IntN(8) {
			case 0:
				r = rune(0x20 + rng.IntN(0x60))
			case 1:
				r = rune(0x20000 + rng.IntN(0x100))
			}
			rs = appendRun(rs, seen, r, 1+rng.IntN(3)*rng.IntN(4)) // mostly single characters
		}
		slices.Sort(rs)
		cmap, err := cmapTable(nil, rs, numbered(len(rs)))
		if err != nil {
			t.Fatal(err)
		}
		b := append(cmap, make([]byte, (4-len(cmap)%4)%4)...) // assemble's padding
		want := true
		switch trial % 8 {
		case 5: // the format 4 subtable's format changed
			off := int(binary.BigEndian.Uint32(b[8:]))
			b[off+1] = 6
			want = false
		case 6: // an idRangeOffset that is not zero
			off := int(binary.BigEndian.Uint32(b[8:]))
			ns := int(binary.BigEndian.Uint16(b[off+6:])) / 2
			b[off+16+6*ns+2*rng.IntN(ns)+1] = 2
			want = false
		case 7: // a length that is not the segments'
			off := int(binary.BigEndian.Uint32(b[8:]))
			b[off+3]++
			want = false
		}
		w := bitWriter{}
		w.reserve(4 * len(b))
		if got := encodeCmap(&w, glyphCodes(), b); got != want {
			t.Fatalf("trial %d: encodeCmap took the table: %v, want %v", trial, got, want)
		} else if !got && w.k != 0 {
			t.Fatalf("trial %d: a table not taken left %d bytes written", trial, w.k)
		}
		z := encodeAlone(b, []codeSpan{{len(b), codeCmap}})
		if got := inflate(t, z); !bytes.Equal(got, b) {
			t.Fatalf("trial %d (%d characters): the cmap decodes to %d bytes, not its %d", trial, len(rs), len(got), len(b))
		}
		// Never longer than literals; shorter once there are a few characters.
		if lits := encodeAlone(b, []codeSpan{{len(b), codeLiterals}}); want && (len(z) > len(lits) || len(rs) >= 20 && len(z) >= len(lits)) {
			t.Fatalf("trial %d (%d characters): cmap coded in %d bytes, literals take %d", trial, len(rs), len(z), len(lits))
		}
		if want {
			coded++
		}
	}
	if coded < 250 {
		t.Fatalf("only %d tables coded as cmaps", coded)
	}
}

// Spans cover what they say and no more: a cmap span not starting where the table
// does (a file cut before it) and bytes past the last span go through lz.fast, and
// every mix of codes decodes to the bytes.
func TestEncodeSpansRoundTrips(t *testing.T) {
	cmap, err := cmapTable(nil, []rune{'a', 'c', 0x4E00, 0x4E01, 0x4E02, 0x5000}, []uint16{1, 2, 3, 4, 5, 6})
	if err != nil {
		t.Fatal(err)
	}
	head := bytes.Repeat([]byte("OS/2 name post "), 9)
	b := slices.Concat(head, cmap, bytes.Repeat([]byte{0, 7, 0, 9}, 50), []byte("tail tail tail"))
	cases := map[string][]codeSpan{
		"none":           nil,
		"all":            {{len(head), codeLZ}, {len(head) + len(cmap), codeCmap}, {len(b) - 14, codeLiterals}},
		"open end":       {{len(head), codeLZ}, {len(head) + len(cmap), codeCmap}},
		"cmap not first": {{len(head) + 3, codeLZ}, {len(head) + len(cmap), codeCmap}, {len(b), codeLiterals}},
		"cmap elsewhere": {{len(head) - 4, codeLZ}, {len(head) + len(cmap), codeCmap}, {len(b), codeLZ}},
		"literals only":  {{len(b), codeLiterals}},
	}
	for name, spans := range cases {
		if got := inflate(t, encodeAlone(b, spans)); !bytes.Equal(got, b) {
			t.Errorf("%s: decodes to %d bytes, not the %d", name, len(got), len(b))
		}
	}
}

// A subset read by fontTools (python3-fonttools, not our parser): every character
// maps to a glyph whose advance and left side bearing in hmtx, read with hhea's
// numberOfHMetrics, are the source font's for the character (fontTools reading it
// too) and the advance the subset's Advances; hmtx is the short form (no long
// metric repeats the advance of the one after it at the end) and its length
// exactly what numberOfHMetrics says; fontTools warns of nothing.
func TestSubsetMetricsReadByFontTools(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import fontTools.ttLib").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3-fonttools is required under CI: %v", err)
		}
		t.Skipf("fontTools not installed: %v", err)
	}
	set := embeddedSet(t)
	dir := t.TempDir()
	var files []string
	var subs []*Subset
	for _, fc := range spec.Faces {
		src := filepath.Join(dir, fc.Name()+".ttf")
		if err := os.WriteFile(src, set.face(fc).data, 0o644); err != nil {
			t.Fatal(err)
		}
		for i, n := range []int{1, 3, 40, 900} {
			runes := sample(set, fc, n, uint64(10+i))
			if i == 1 {
				runes = append(runes, '1', 'A', 0x3001) // advances of several widths
			}
			sub, err := set.Cut(fc, runes)
			if err != nil {
				t.Fatal(err)
			}
			f := filepath.Join(dir, fmt.Sprintf("%s-%d.ttf", fc.Name(), n))
			if err := os.WriteFile(f, sub.File(), 0o644); err != nil {
				t.Fatal(err)
			}
			files, subs = append(files, src, f), append(subs, sub)
		}
	}
	script := `import sys, json, logging, io
log = io.StringIO()
logging.basicConfig(stream=log, level=logging.WARNING)
from fontTools.ttLib import TTFont
out = []
fonts = {}
for i in range(0, len(sys.argv) - 1, 2):
    src, f = sys.argv[1 + i], sys.argv[2 + i]
    if src not in fonts:
        fonts[src] = TTFont(src)
    s = fonts[src]
    font = TTFont(f)
    cmap, scmap = font.getBestCmap(), s.getBestCmap()
    hmtx = font["hmtx"]
    adv = {str(c): list(hmtx[g]) for c, g in cmap.items()}
    want = {str(c): list(s["hmtx"][scmap[c]]) for c in cmap}
    out.append({"adv": adv, "want": want, "long": font["hhea"].numberOfHMetrics,
        "glyphs": font["maxp"].numGlyphs, "len": len(font.reader["hmtx"]),
        "metrics": [hmtx[g][0] for g in font.getGlyphOrder()]})
print(json.dumps({"fonts": out, "log": log.getvalue()}))`
	out, err := exec.Command(py, append([]string{"-c", script}, files...)...).Output()
	if err != nil {
		t.Fatalf("fontTools: %v", err)
	}
	var got struct {
		Fonts []struct {
			Adv     map[string][2]int
			Want    map[string][2]int
			Long    int
			Glyphs  int
			Len     int
			Metrics []int
		}
		Log string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("fontTools output: %v", err)
	}
	if got.Log != "" {
		t.Errorf("fontTools warned: %s", got.Log)
	}
	shorter := false
	for i, f := range got.Fonts {
		sub, name := subs[i], filepath.Base(files[2*i+1])
		for k, r := range sub.Runes {
			a, ok := f.Adv[fmt.Sprint(r)]
			if !ok || a[0] != sub.Advances[k] || a != f.Want[fmt.Sprint(r)] {
				t.Errorf("%s: %c: advance and bearing %v in hmtx (mapped: %v), the source's %v, Advances says %d",
					name, r, a, ok, f.Want[fmt.Sprint(r)], sub.Advances[k])
			}
		}
		if want := 4*f.Long + 2*(f.Glyphs-f.Long); f.Len != want {
			t.Errorf("%s: hmtx is %d bytes, %d long metrics of %d glyphs take %d", name, f.Len, f.Long, f.Glyphs, want)
		}
		if m := f.Metrics; f.Long >= 2 && m[f.Long-2] == m[f.Long-1] {
			t.Errorf("%s: the long metrics end in two of advance %d: not the short form", name, m[f.Long-1])
		}
		shorter = shorter || f.Long < f.Glyphs
	}
	if !shorter {
		t.Error("no subset used short metrics")
	}
}

// FuzzEncodeCmap: any bytes given as a cmap span, ours or not, decode back to
// themselves (the coder takes its own tables and leaves the rest to lz.fast).
func FuzzEncodeCmap(f *testing.F) {
	for _, rs := range [][]rune{{'a'}, {'a', 'b', 'c', 0x4E00, 0x4E02}, {0x4E00, 0x20000, 0x20001}} {
		cmap, err := cmapTable(nil, rs, numbered(len(rs)))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(cmap)
	}
	f.Add([]byte{0, 0, 0, 1, 0, 3, 0, 1, 0xFF, 0xFF, 0xFF, 0xF0, 0, 4})
	f.Fuzz(func(t *testing.T, b []byte) {
		if got := inflate(t, encodeAlone(b, []codeSpan{{len(b), codeCmap}})); !bytes.Equal(got, b) {
			t.Fatalf("%d bytes decode to %d others", len(b), len(got))
		}
	})
}
