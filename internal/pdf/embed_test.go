package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"hash/fnv"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"gongwen/internal/spec"
)

var (
	bfcharRE  = regexp.MustCompile(`(?m)^<([0-9A-F]{4})> <([0-9A-F]{4}|[0-9A-F]{8})>$`)
	bfrangeRE = regexp.MustCompile(`(?m)^<([0-9A-F]{4})> <([0-9A-F]{4})> <([0-9A-F]{4})>$`)
	arrayRE   = regexp.MustCompile(`(?m)^<([0-9A-F]{4})> <([0-9A-F]{4})> \[([^\]\n]*)\]$`)
	dstRE     = regexp.MustCompile(`^<([0-9A-F]{4}|[0-9A-F]{8})>$`)
	blockRE   = regexp.MustCompile(`(?m)^(\d+) begin(bfchar|bfrange)$`)
)

// TestToUnicode reads the CMap back: every CID maps to its character, ranges keep
// their source (and a range's destination) within one last-byte run, blocks hold at
// most 100.
func TestToUnicode(t *testing.T) {
	seq := func(from rune, n int) []rune {
		var rs []rune
		for i := range n {
			rs = append(rs, from+rune(i))
		}
		return rs
	}
	tests := []struct {
		name  string
		runes []rune
	}{
		{"empty", nil},
		{"one", []rune{'中'}},
		{"digits and CJK", []rune("0123456789一七三上下中为么")},
		{"destination crosses a byte", seq(0x4EFA, 12)},
		{"CID crosses a byte", append(seq(0x3000, 250), seq(0x4E00, 20)...)},
		{"CID 256 alone", seq(0x4E00, 256)},
		{"more than 100 ranges", seq(0x100, 26000)},
		// 𠮷 U+20BB7 is <D842DFB7> in UTF-16; consecutive characters beyond the BMP
		// are bfchar entries, never a range.
		{"beyond the BMP", []rune("中𠮷𬌗")},
		{"consecutive beyond the BMP", append([]rune("一"), seq(0x2A700, 5)...)},
		{"many singles", func() []rune {
			var rs []rune
			for r := rune(0x4E00); len(rs) < 333; r += 2 {
				rs = append(rs, r)
			}
			return rs
		}()},
	}
	hex := func(s string) int { v, _ := strconv.ParseInt(s, 16, 32); return int(v) }
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cm := string(toUnicode(nil, tc.runes))
			_, maps, ok := strings.Cut(cm, "endcodespacerange\n")
			if !ok {
				t.Fatal("no codespace range")
			}
			got := map[int]rune{}
			// A destination is UTF-16BE: one code unit, or a surrogate pair.
			decode := func(d string) rune {
				var units []uint16
				for i := 0; i+4 <= len(d); i += 4 {
					units = append(units, uint16(hex(d[i:i+4])))
				}
				if rs := utf16.Decode(units); len(rs) == 1 && len(d) == 4*len(units) {
					return rs[0]
				}
				t.Errorf("destination <%s> is not one UTF-16 character", d)
				return -1
			}
			for _, m := range bfcharRE.FindAllStringSubmatch(maps, -1) {
				got[hex(m[1])] = decode(m[2])
			}
			for _, m := range arrayRE.FindAllStringSubmatch(maps, -1) {
				lo, hi := hex(m[1]), hex(m[2])
				dsts := strings.Fields(m[3])
				if lo > hi || lo>>8 != hi>>8 || len(dsts) != hi-lo+1 {
					t.Errorf("bad range %s", m[0])
					continue
				}
				for i, d := range dsts {
					if dm := dstRE.FindStringSubmatch(d); dm != nil {
						got[lo+i] = decode(dm[1])
					} else {
						t.Errorf("bad destination %q in %s", d, m[0])
					}
				}
			}
			for _, m := range bfrangeRE.FindAllStringSubmatch(maps, -1) {
				lo, hi, dst := hex(m[1]), hex(m[2]), hex(m[3])
				if lo >= hi || lo>>8 != hi>>8 || dst>>8 != (dst+hi-lo)>>8 {
					t.Errorf("bad range %s", m[0])
				}
				for c := lo; c <= hi; c++ {
					got[c] = rune(dst + c - lo)
				}
			}
			for _, m := range blockRE.FindAllStringSubmatch(cm, -1) {
				if n, _ := strconv.Atoi(m[1]); n < 1 || n > 100 {
					t.Errorf("block of %d entries", n)
				}
			}
			if len(got) != len(tc.runes) {
				t.Errorf("%d CIDs mapped, want %d", len(got), len(tc.runes))
			}
			for i, r := range tc.runes {
				if got[i+1] != r {
					t.Errorf("CID %d maps to %U, want %U", i+1, got[i+1], r)
				}
			}
			if !strings.HasSuffix(cm, "end\nend") {
				t.Error("CMap not closed")
			}
		})
	}
}

// TestAppendWidths reads /W back: the listed CIDs have their widths, every other
// CID has the default width.
func TestAppendWidths(t *testing.T) {
	tests := [][]int{
		nil,
		{1000, 1000},
		{500},
		{340, 548, 1000, 1000, 552, 1000, 250, 250},
		{1000, 600},
	}
	entryRE := regexp.MustCompile(`(\d+) \[([\d ]+)\]`)
	for _, adv := range tests {
		s := string(appendWidths(nil, adv))
		all := !slices.ContainsFunc(adv, func(w int) bool { return w != defaultWidth })
		if all != (s == "") {
			t.Errorf("%v: /W %q", adv, s)
			continue
		}
		got := make([]int, len(adv))
		for i := range got {
			got[i] = defaultWidth
		}
		for _, m := range entryRE.FindAllStringSubmatch(s, -1) {
			c, _ := strconv.Atoi(m[1])
			for k, f := range strings.Fields(m[2]) {
				w, _ := strconv.Atoi(f)
				if c+k < 1 || c+k > len(adv) {
					t.Fatalf("%v: CID %d out of range in %q", adv, c+k, s)
				}
				got[c+k-1] = w
			}
		}
		if !slices.Equal(got, adv) && len(adv) > 0 {
			t.Errorf("%v: /W %q reads back as %v", adv, s, got)
		}
	}
}

// TestStreamsInflate: every FlateDecode stream of the examples' PDFs (pages,
// ToUnicode maps, font files, images) is one zlib stream of exactly its /Length
// bytes that compress/zlib reads to its end (checking the Adler-32), the font
// files to their /Length1; the pages decode to content operators and the maps to
// CMaps.
func TestStreamsInflate(t *testing.T) {
	streamRE := regexp.MustCompile(`(\d+) 0 obj\n<<([^>]*(?:<<[^>]*>>[^>]*)*)>>\nstream\n`)
	lengthRE := regexp.MustCompile(`/Length (\d+)`)
	length1RE := regexp.MustCompile(`/Length1 (\d+)`)
	for _, name := range []string{"wuchuan-2023.json", "all-fields-document.json"} {
		res, err := Render(exampleDoc(t, name), defaultFonts(t))
		if err != nil {
			t.Fatal(err)
		}
		pdf := res.Bytes
		kinds := map[string]int{}
		for _, m := range streamRE.FindAllSubmatchIndex(pdf, -1) {
			dict := string(pdf[m[4]:m[5]])
			lm := lengthRE.FindStringSubmatch(dict)
			if lm == nil || !strings.Contains(dict, "/FlateDecode") {
				t.Fatalf("%s object %s: dictionary %q", name, pdf[m[2]:m[3]], dict)
			}
			n, _ := strconv.Atoi(lm[1])
			if m[1]+n > len(pdf) || !bytes.HasPrefix(pdf[m[1]+n:], []byte("\nendstream\nendobj\n")) {
				t.Fatalf("%s object %s: no endstream after %d bytes", name, pdf[m[2]:m[3]], n)
			}
			zr, err := zlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+n]))
			if err != nil {
				t.Fatalf("%s object %s: %v", name, pdf[m[2]:m[3]], err)
			}
			data, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("%s object %s: %v", name, pdf[m[2]:m[3]], err)
			}
			switch {
			case length1RE.MatchString(dict):
				if l1, _ := strconv.Atoi(length1RE.FindStringSubmatch(dict)[1]); len(data) != l1 {
					t.Errorf("%s object %s: font file of %d bytes, /Length1 %d", name, pdf[m[2]:m[3]], len(data), l1)
				}
				kinds["font"]++
			case strings.Contains(dict, "/Image"):
				kinds["image"]++
			case bytes.HasPrefix(data, []byte("/CIDInit")):
				if !bytes.HasSuffix(data, []byte("defineresource pop\nend\nend")) {
					t.Errorf("%s object %s: CMap ends %q", name, pdf[m[2]:m[3]], data[max(0, len(data)-40):])
				}
				kinds["cmap"]++
			case bytes.Contains(data, []byte(" Tj")) && bytes.Contains(data, []byte("BT\n")):
				kinds["page"]++
			default:
				t.Errorf("%s object %s: unknown stream %q…", name, pdf[m[2]:m[3]], data[:min(len(data), 40)])
			}
		}
		if kinds["page"] != res.Pages || kinds["cmap"] != kinds["font"] || kinds["font"] < 4 {
			t.Errorf("%s: streams %v for %d pages", name, kinds, res.Pages)
		}
	}
}

// TestFontTailOffsets: a font whose glyphs are not numbered as its CIDs gets a
// CIDToGIDMap, and setTail's offsets point at each tail object, whose streams read
// back as the CMap and the glyph ids.
func TestFontTailOffsets(t *testing.T) {
	f := &subsetFont{runes: []rune("一中国"), gids: []uint16{3, 1, 2}}
	if numObjects(f) != 6 {
		t.Fatalf("numObjects %d, want 6", numObjects(f))
	}
	const first = 40
	o := fontObjects{head: []byte("head:40,41,42,43"), file: []byte("font file"), offs: []int{0, 5, 8, 11}}
	tail, err := fontTailOf(f, first)
	if err != nil {
		t.Fatal(err)
	}
	o.setTail(tail, numObjects(f))
	all := slices.Concat(o.head, o.file, o.tail)
	if len(o.offs) != 6 {
		t.Fatalf("offsets %v", o.offs)
	}
	want := [][]byte{toUnicode(nil, f.runes), {0, 0, 0, 3, 0, 1, 0, 2}}
	for k, at := range o.offs[4:] {
		head := fmt.Sprintf("%d 0 obj\n<</Length ", first+4+k)
		if !bytes.HasPrefix(all[at:], []byte(head)) {
			t.Fatalf("object %d at %d: %q", first+4+k, at, all[at:min(len(all), at+30)])
		}
		rest := all[at+len(head):]
		n, _ := strconv.Atoi(string(rest[:bytes.IndexByte(rest, ' ')]))
		s := bytes.Index(rest, []byte("stream\n")) + len("stream\n")
		zr, err := zlib.NewReader(bytes.NewReader(rest[s : s+n]))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, want[k]) {
			t.Errorf("object %d: read %q (%v), want %q", first+4+k, got, err, want[k])
		}
	}
	if !bytes.HasPrefix(o.tail, []byte("\nendstream\nendobj\n")) || !bytes.HasSuffix(o.tail, []byte("\nendstream\nendobj\n")) {
		t.Errorf("tail %q", o.tail)
	}
}

// The subset tag is FNV-1a of the face's name, the PostScript name and the characters
// in UTF-8, as hash/fnv computes it (the tag a document had before must stay).
func TestFontNameTagIsFNV(t *testing.T) {
	f := &subsetFont{face: spec.Face(spec.RoleSong), name: "FandolSong-Regular", runes: []rune{-1, 'A', 0x7F, 0x80, 0x7FF, 0x800, '中', 0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xFFFF, 0x10000, 0x20BB7, 0x110000}}
	h := fnv.New64a()
	h.Write([]byte(f.face.Name()))
	h.Write([]byte(f.name))
	for _, r := range f.runes {
		h.Write([]byte(string(r)))
	}
	v := h.Sum64()
	want := make([]byte, 6)
	for i := range want {
		want[i] = byte('A' + v%26)
		v /= 26
	}
	if got := fontName(f); got != string(want)+"+FandolSong-Regular" {
		t.Errorf("fontName = %q, want %q", got, string(want)+"+FandolSong-Regular")
	}
}
