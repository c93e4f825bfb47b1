package fonts

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongwen/internal/spec"
)

var updateCodes = flag.Bool("update-glyph-codes", false, "rewrite fonts/gpl/fangsong.codes from fangsong.ttf")

// codeFileChars are the characters whose fangsong glyphs the shipped code file holds:
// coverage.txt's ASCII, punctuation, fullwidth forms and circled numbers, and of its
// GB 2312 group the symbols and the 3,755 level-1 hanzi (rows B0–D7: the common
// characters, by frequency; the GB 2312 codec of golang.org/x/text says which row a
// character is in). The 通用规范汉字表's own levels are not in the repository.
func codeFileChars(t testing.TB) []rune {
	f, err := os.Open("coverage.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enc := simplifiedchinese.GBK.NewEncoder()
	var out []rune
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		cp, group, ok := strings.Cut(line, "\t")
		if !ok || !strings.HasPrefix(cp, "U+") {
			t.Fatalf("coverage.txt: bad line %q", line)
		}
		v, err := strconv.ParseUint(cp[2:], 16, 32)
		if err != nil {
			t.Fatalf("coverage.txt: %q: %v", line, err)
		}
		r := rune(v)
		switch group {
		case "tgh":
			continue
		case "gb2312":
			if r < 0x4E00 || r > 0x9FFF {
				break // a symbol
			}
			b, err := enc.String(string(r))
			if err != nil || len(b) != 2 {
				t.Fatalf("U+%04X of coverage.txt's GB 2312 group does not encode: %v", r, err)
			}
			if b[0] > 0xD7 {
				continue // level 2
			}
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

const codeFilePathInRepo = "../../fonts/gpl/fangsong.codes"

func fangsongFace(t testing.TB) *face {
	data, _, err := gplFile("fangsong")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parseFace(data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestGlyphCodeFile: fonts/gpl/fangsong.codes is what buildCodeFile makes of the
// shipped fangsong.ttf with this build's glyph code (-update-glyph-codes rewrites it).
func TestGlyphCodeFile(t *testing.T) {
	chars := codeFileChars(t)
	hanzi := 0
	for _, r := range chars {
		if r >= 0x4E00 && r <= 0x9FFF {
			hanzi++
		}
	}
	if hanzi != 3755 {
		t.Fatalf("%d level-1 hanzi, want GB 2312's 3755", hanzi)
	}
	f := fangsongFace(t)
	want := buildCodeFile(f, chars)
	if *updateCodes {
		if err := os.WriteFile(codeFilePathInRepo, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(codeFilePathInRepo)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale (%d bytes, want %d); regenerate it: go test ./internal/fonts -run TestGlyphCodeFile -update-glyph-codes", codeFilePathInRepo, len(got), len(want))
	}
}

// TestCodeFileCodesAreTheCache's: every code the shipped file holds decodes (with the
// glyph table's header, as a block of its own) to its glyph's bytes, is the one the
// cache encodes for the glyph, and a face that uses the file is served from it.
func TestCodeFileCodesAreTheCaches(t *testing.T) {
	f := fangsongFace(t)
	data, err := os.ReadFile(codeFilePathInRepo)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := openCodeFile(alignedCopy(data), f)
	if err != nil {
		t.Fatal(err)
	}
	n := len(cf.index) / codeFileEntry
	if n < 3000 {
		t.Fatalf("%d glyphs in the file", n)
	}
	var order []uint16
	for i := range n {
		order = append(order, binary.LittleEndian.Uint16(cf.index[i*codeFileEntry:]))
	}
	fresh := fangsongFace(t) // no code file: encodes
	enc := fresh.glyphCodes(order, new(lz), glyphCodes())
	tb := glyphCodes()
	for i, gid := range order {
		g := f.glyph(int(gid))
		pc, ok := cf.lookup(gid, g)
		if !ok {
			t.Fatalf("glyph %d: not found", gid)
		}
		if e := enc[i]; e.nbits != pc.nbits || !equalWords(e.words, pc.words) || e.adler != pc.adler || e.size != pc.size {
			t.Fatalf("glyph %d: file's code differs from the cache's", gid)
		}
		if i%97 == 0 { // a sample decoded by compress/flate
			var w bitWriter
			w.reserve(64)
			w.appendBits(tb.header, tb.headerBits)
			w.appendBits(pc.words, pc.nbits)
			w.reserve(8)
			eob := tb.lit[endBlock]
			w.bits(uint64(eob.bits), uint(eob.n))
			if got := inflate(t, w.bytes()); !bytes.Equal(got, g) {
				t.Fatalf("glyph %d: decodes to %d bytes, not its %d", gid, len(got), len(g))
			}
		}
		// A glyph whose bytes differ is not served.
		if len(g) > 1 {
			h := append([]byte(nil), g...)
			h[len(h)/2] ^= 1
			if _, ok := cf.lookup(gid, h); ok {
				t.Fatalf("glyph %d: served for other bytes", gid)
			}
		}
	}
}

func equalWords(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// alignedCopy is data at an 8-aligned address, as a mapping is.
func alignedCopy(data []byte) []byte {
	w := make([]uint64, (len(data)+7)/8)
	b := unsafeBytes(w)[:len(data)]
	copy(b, data)
	return b
}

// TestCodeFileMismatchIgnored: a code file made for another font, another glyph code
// or cut short is refused (the face then encodes), and Load finds it beside the font.
func TestCodeFileMismatchIgnored(t *testing.T) {
	f := fangsongFace(t)
	good, err := os.ReadFile(codeFilePathInRepo)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openCodeFile(alignedCopy(good), f); err != nil {
		t.Fatalf("shipped file refused: %v", err)
	}
	kai, _, err := gplFile("kai")
	if err != nil {
		t.Fatal(err)
	}
	kf, err := parseFace(kai)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openCodeFile(alignedCopy(good), kf); err == nil {
		t.Error("fangsong's code file accepted for kai")
	}
	for name, edit := range map[string]func([]byte) []byte{
		"magic":      func(b []byte) []byte { b[0] = 'X'; return b },
		"version":    func(b []byte) []byte { b[8]++; return b },
		"font size":  func(b []byte) []byte { b[16]++; return b },
		"font id":    func(b []byte) []byte { b[30] ^= 1; return b },
		"code id":    func(b []byte) []byte { b[60] ^= 1; return b },
		"truncated":  func(b []byte) []byte { return b[:len(b)-3] },
		"entries":    func(b []byte) []byte { binary.LittleEndian.PutUint32(b[12:], 1<<30); return b },
		"too short":  func(b []byte) []byte { return b[:40] },
		"empty file": func(b []byte) []byte { return b[:0] },
	} {
		b := edit(alignedCopy(good))
		if _, err := openCodeFile(b, f); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// An entry pointing past the words is not served.
	b := alignedCopy(good)
	binary.LittleEndian.PutUint32(b[codeFileHeader+12:], 1<<31)
	cf, err := openCodeFile(b, f)
	if err != nil {
		t.Fatal(err)
	}
	gid := binary.LittleEndian.Uint16(b[codeFileHeader:])
	if _, ok := cf.lookup(gid, f.glyph(int(gid))); ok {
		t.Error("entry past the words served")
	}
	// A code whose words were damaged is not served; its neighbours are.
	b = alignedCopy(good)
	cf, err = openCodeFile(b, f)
	if err != nil {
		t.Fatal(err)
	}
	e := b[codeFileHeader+codeFileEntry:]
	gid = binary.LittleEndian.Uint16(e)
	off := binary.LittleEndian.Uint32(e[12:])
	if _, ok := cf.lookup(gid, f.glyph(int(gid))); !ok {
		t.Fatal("intact entry not served")
	}
	cf.raw[8*off+3] ^= 4
	if _, ok := cf.lookup(gid, f.glyph(int(gid))); ok {
		t.Error("damaged code served")
	}
	gid0 := binary.LittleEndian.Uint16(b[codeFileHeader:])
	if _, ok := cf.lookup(gid0, f.glyph(int(gid0))); !ok {
		t.Error("intact neighbour not served")
	}

	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	fs := s.face(spec.Face(spec.RoleFangsong))
	if fs.pre == nil || filepath.Base(fs.pre.path) != "fangsong.codes" || fs.pre.get(fs) == nil {
		t.Errorf("Load did not find the shipped code file beside %s", s.Source(spec.Face(spec.RoleFangsong)))
	}
}

func unsafeBytes(w []uint64) []byte {
	if len(w) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&w[0])), 8*len(w))
}
