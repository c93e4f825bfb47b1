package fonts

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"flag"
	"hash/adler32"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/text/encoding/simplifiedchinese"

	embedded "gongwen/fonts"
	"gongwen/internal/spec"
)

var updateCodes = flag.Bool("update-glyph-codes", false, "rewrite the glyph code files (fonts/gpl/*.codes, fonts/*.codes) from their fonts")

// codeFaces are the faces with a code file, where it lies in the repository and the
// characters whose glyphs it holds: the common ones (codeFileChars) in the faces of
// the body, the headings and the title; the page numbers' face only what is not a
// hanzi (a government report prints its page numbers and little else in it; the
// hanzi would add 0.8 MB to the executable for nothing).
var codeFaces = []struct {
	face  spec.Face
	path  string
	hanzi bool
}{
	{spec.Face(spec.RoleFangsong), "../../fonts/gpl/fangsong.codes", true},
	{spec.Face(spec.RoleKai), "../../fonts/gpl/kai.codes", true},
	{spec.Face(spec.RoleTitle), "../../fonts/title.codes", true},
	{spec.Face(spec.RoleHei), "../../fonts/hei.codes", true},
	{spec.Face(spec.RoleSong), "../../fonts/song.codes", false},
}

// codeFaceChars are the characters of a code file's face.
func codeFaceChars(t testing.TB, hanzi bool) []rune {
	chars := codeFileChars(t)
	if !hanzi {
		chars = slices.DeleteFunc(chars, isHanzi)
	}
	return chars
}

func isHanzi(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF }

// codeFileChars are the characters whose glyphs the shipped code files hold:
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

// freshFace parses the stand-in of fc from its file, without a code file.
func freshFace(t testing.TB, fc spec.Face) *face {
	data := embedded.File(fc.Name())
	if data == nil {
		var err error
		if data, _, err = gplFile(fc.Name()); err != nil {
			t.Fatal(err)
		}
	}
	f, err := parseFace(data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func fangsongFace(t testing.TB) *face { return freshFace(t, spec.Face(spec.RoleFangsong)) }

// TestGlyphCodeFile: each code file (fonts/gpl/fangsong.codes, kai.codes,
// fonts/title.codes, hei.codes, song.codes) is what buildCodeFile makes of its shipped
// font with this build's glyph code (-update-glyph-codes rewrites them).
func TestGlyphCodeFile(t *testing.T) {
	hanzi := 0
	for _, r := range codeFileChars(t) {
		if isHanzi(r) {
			hanzi++
		}
	}
	if hanzi != 3755 {
		t.Fatalf("%d level-1 hanzi, want GB 2312's 3755", hanzi)
	}
	for _, cf := range codeFaces {
		t.Run(cf.face.Name(), func(t *testing.T) {
			f := freshFace(t, cf.face)
			if f.gid != nil {
				// A code file vouches for its font's scans (loadStandIn).
				t.Fatal("character maps out of order: no code file may be made for this font")
			}
			want := buildCodeFile(f, codeFaceChars(t, cf.hanzi))
			if *updateCodes {
				if err := os.WriteFile(cf.path, want, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			got, err := os.ReadFile(cf.path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s is stale (%d bytes, want %d); regenerate it: go test ./internal/fonts -run TestGlyphCodeFile -update-glyph-codes", cf.path, len(got), len(want))
			}
			if e := embedded.Codes(cf.face.Name()); e != nil && !bytes.Equal(e, got) {
				t.Fatalf("the embedded %s is not the file's", cf.path)
			}
		})
	}
}

// TestCodeFileCodesAreTheCache's: every code the shipped file holds decodes (with the
// glyph table's header, as a block of its own) to its glyph's bytes, is the one the
// cache encodes for the glyph, and a face that uses the file is served from it.
func TestCodeFileCodesAreTheCaches(t *testing.T) {
	for _, c := range codeFaces {
		t.Run(c.face.Name(), func(t *testing.T) { testCodesAreTheCaches(t, c.face, c.path, c.hanzi) })
	}
}

func testCodesAreTheCaches(t *testing.T, fc spec.Face, path string, hanzi bool) {
	f := freshFace(t, fc)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, aligned := range []bool{true, false} {
		b := alignedCopy(data)
		if !aligned {
			// Words not at a multiple of 8 are read into copies.
			b = alignedCopy(append([]byte{0}, data...))[1:]
		}
		cf, err := openCodeFile(b, f)
		if err != nil {
			t.Fatal(err)
		}
		if (cf.words != nil) != aligned {
			t.Fatalf("aligned %v: words in place %v", aligned, cf.words != nil)
		}
		n := len(cf.index) / codeFileEntry
		if min := map[bool]int{true: 3000, false: 200}[hanzi]; n < min {
			t.Fatalf("%d glyphs in the file", n)
		}
		var order []uint16
		for i := range n {
			order = append(order, binary.LittleEndian.Uint16(cf.index[i*codeFileEntry:]))
		}
		fresh := freshFace(t, fc) // no code file: encodes
		enc := fresh.glyphCodes(order, new(lz), glyphCodes())
		tb := glyphCodes()
		for i, gid := range order {
			g := f.glyph(int(gid))
			pc, ok := cf.lookup(gid, len(g))
			if !ok {
				t.Fatalf("glyph %d: not found", gid)
			}
			if e := enc[i]; e.nbits != pc.nbits || !equalWords(e.words(), pc.words()) || e.adler != pc.adler || e.size != pc.size {
				t.Fatalf("glyph %d: file's code differs from the cache's", gid)
			}
			if pc.adler != adler32.Checksum(g) {
				t.Fatalf("glyph %d: Adler-32 %08x, hash/adler32 says %08x", gid, pc.adler, adler32.Checksum(g))
			}
			if want := crc32.ChecksumIEEE(g); pc.crc != want {
				t.Fatalf("glyph %d: CRC-32 %08x, hash/crc32 says %08x", gid, pc.crc, want)
			}
			if want := sfntHalves(g); pc.sum != want {
				t.Fatalf("glyph %d: checksum halves %x, summed %x", gid, pc.sum, want)
			}
			if i%97 == 0 { // a sample decoded by compress/flate
				var w bitWriter
				w.reserve(64)
				w.appendBits(tb.header, tb.headerBits)
				w.appendBits(pc.words(), pc.nbits)
				w.reserve(8)
				eob := tb.lit[endBlock]
				w.bits(uint64(eob.bits), uint(eob.n))
				if got := inflate(t, w.bytes()); !bytes.Equal(got, g) {
					t.Fatalf("glyph %d: decodes to %d bytes, not its %d", gid, len(got), len(g))
				}
			}
			// Nor for a glyph of another size (the font's loca disagrees).
			if i%7 == 0 {
				for _, size := range []int{len(g) - 1, len(g) + 1} {
					if _, ok := cf.lookup(gid, size); ok {
						t.Fatalf("glyph %d: served for %d bytes, not its %d", gid, size, len(g))
					}
				}
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
	good, err := os.ReadFile("../../fonts/gpl/fangsong.codes")
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
	// The embedded faces' files, made for fonts of one family, are not each other's.
	for _, p := range [][2]string{{"title", "hei"}, {"title", "song"}, {"song", "title"}, {"hei", "fallback"}} {
		if _, err := openCodeFile(alignedCopy(embedded.Codes(p[0])), freshFace(t, faceNamed(t, p[1]))); err == nil {
			t.Errorf("%s's code file accepted for %s", p[0], p[1])
		}
	}
	for name, edit := range map[string]func([]byte) []byte{
		"magic":      func(b []byte) []byte { b[0] = 'X'; return b },
		"version":    func(b []byte) []byte { b[8]++; return b },
		"font size":  func(b []byte) []byte { b[16]++; return b },
		"code id":    func(b []byte) []byte { b[30] ^= 1; return b },
		"font id":    func(b []byte) []byte { b[codeFileFixed+20] ^= 1; return b },
		"font head":  func(b []byte) []byte { b[entriesAt(b)-20] ^= 1; return b },
		"id length":  func(b []byte) []byte { b[56] += 2; return b },
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
	binary.LittleEndian.PutUint32(b[entriesAt(b)+12:], 1<<31)
	cf, err := openCodeFile(b, f)
	if err != nil {
		t.Fatal(err)
	}
	gid := binary.LittleEndian.Uint16(b[entriesAt(b):])
	if _, ok := cf.lookup(gid, len(f.glyph(int(gid)))); ok {
		t.Error("entry past the words served")
	}
	// A code whose words were damaged is not served; its neighbours are.
	b = alignedCopy(good)
	cf, err = openCodeFile(b, f)
	if err != nil {
		t.Fatal(err)
	}
	e := b[entriesAt(b)+codeFileEntry:]
	gid = binary.LittleEndian.Uint16(e)
	off := binary.LittleEndian.Uint32(e[12:])
	if _, ok := cf.lookup(gid, len(f.glyph(int(gid)))); !ok {
		t.Fatal("intact entry not served")
	}
	cf.raw[8*off+3] ^= 4
	if _, ok := cf.lookup(gid, len(f.glyph(int(gid)))); ok {
		t.Error("damaged code served")
	}
	gid0 := binary.LittleEndian.Uint16(b[entriesAt(b):])
	if _, ok := cf.lookup(gid0, len(f.glyph(int(gid0)))); !ok {
		t.Error("intact neighbour not served")
	}
	// Nor one whose stored CRC-32 or checksum halves were damaged.
	for _, at := range []int{16, 21, 27} {
		b = alignedCopy(good)
		cf, err = openCodeFile(b, f)
		if err != nil {
			t.Fatal(err)
		}
		b[entriesAt(b)+at] ^= 0x10
		if _, ok := cf.lookup(gid0, len(f.glyph(int(gid0)))); ok {
			t.Errorf("entry damaged at byte %d served", at)
		}
	}

	// Load finds every code file: beside the GPL fonts, embedded with the others.
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range codeFaces {
		f := s.face(c.face)
		if f.pre == nil || !strings.HasSuffix(f.pre.path, filepath.Base(c.path)) || f.pre.get(f) == nil {
			t.Errorf("%s: Load did not use %s (source %s)", c.face, filepath.Base(c.path), s.Source(c.face))
		}
	}
	if f := s.face(spec.FaceFallback); f.pre != nil {
		t.Errorf("fallback face with a code file %q", f.pre.path)
	}
}

// entriesAt is where a code file's entries start: after its font's identity.
func entriesAt(b []byte) int { return codeFileFixed + int(binary.LittleEndian.Uint32(b[56:])) }

func unsafeBytes(w []uint64) []byte {
	if len(w) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&w[0])), 8*len(w))
}

func faceNamed(t testing.TB, name string) spec.Face {
	for _, fc := range spec.Faces {
		if fc.Name() == name {
			return fc
		}
	}
	t.Fatalf("no face %q", name)
	return 0
}

// TestCodeFilesChangeNoByte: for every face with a code file, a subset's zlib stream
// is the same byte for byte whether the glyphs come from the code file or are encoded
// (a face whose code file is taken away), for the file's own characters, GB 2312's
// level-2 hanzi (not in the files), both mixed, and after either was cached; and
// compress/zlib reads the stream back as the subset's TrueType file. (The whole
// program with and without the GPL faces' files: cmd/gongwen
// TestGlyphCodeFileChangesNoByte.)
func TestCodeFilesChangeNoByte(t *testing.T) {
	with, without := embeddedSet(t), embeddedSet(t)
	inFiles := map[rune]bool{}
	for _, r := range codeFileChars(t) {
		inFiles[r] = true
	}
	var level2 []rune
	for _, r := range Coverage() {
		if isHanzi(r) && !inFiles[r] {
			level2 = append(level2, r)
		}
	}
	for _, c := range codeFaces {
		t.Run(c.face.Name(), func(t *testing.T) {
			without.face(c.face).pre = nil
			if with.face(c.face).pre.get(with.face(c.face)) == nil {
				t.Fatal("code file not in use")
			}
			own := codeFaceChars(t, c.hanzi)
			has := func(rs []rune) []rune {
				return slices.DeleteFunc(slices.Clone(rs), func(r rune) bool { return !with.HasFace(c.face, r) })
			}
			sets := [][]rune{
				has([]rune(samples[c.face])),
				has(own[:min(len(own), 600)]),
				has(level2[:500]),
				has(append(slices.Clone(own[len(own)/2:]), level2[200:900]...)),
				has(own),
			}
			for i, rs := range sets {
				a, err := with.Cut(c.face, rs)
				if err != nil {
					t.Fatal(err)
				}
				b, err := without.Cut(c.face, rs)
				if err != nil {
					t.Fatal(err)
				}
				za, zb := a.Zlib(), b.Zlib()
				if !bytes.Equal(a.File(), b.File()) || !bytes.Equal(za, zb) {
					t.Fatalf("set %d (%d characters): %d zlib bytes with the code file, %d without", i, len(rs), len(za), len(zb))
				}
				if got := inflateZlib(t, za); !bytes.Equal(got, a.File()) {
					t.Fatalf("set %d: the stream reads back as %d bytes, not the subset's %d", i, len(got), len(a.File()))
				}
			}
		})
	}
}

func inflateZlib(t *testing.T, z []byte) []byte {
	t.Helper()
	r, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEmbeddedCodeFileMismatchWarns: an embedded code file that does not match its
// face (a build that embedded a stale one) is not used and says so with a warning
// naming it and the command that regenerates it; the face still answers (encoding).
func TestEmbeddedCodeFileMismatchWarns(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(old)
	f := freshFace(t, faceNamed(t, "title"))
	f.pre = &precomputed{path: "embedded title.codes", data: embedded.Codes("hei")}
	if cf := f.pre.get(f); cf != nil {
		t.Fatal("hei's code file used for title")
	}
	out := logs.String()
	for _, want := range []string{"glyph code file not used", "embedded title.codes", "made for a font of", "-update-glyph-codes"} {
		if !strings.Contains(out, want) {
			t.Errorf("warning lacks %q:\n%s", want, out)
		}
	}
	gid := f.glyphID('国')
	codes := f.glyphCodes([]uint16{gid}, new(lz), glyphCodes())
	if codes[0] == nil || int(codes[0].size) != len(f.glyph(int(gid))) {
		t.Error("glyph not encoded without the code file")
	}
}

// sfntHalves sums a glyph's big-endian 16-bit words at offsets 4k and 4k+2 apart,
// the last byte padded with zero, as the sfnt checksum sees them (glyphSums' oracle).
func sfntHalves(g []byte) [2]uint32 {
	var s [2]uint32
	for i := 0; i < len(g); i += 2 {
		w := uint32(g[i]) << 8
		if i+1 < len(g) {
			w |= uint32(g[i+1])
		}
		s[i/2%2] += w
	}
	return s
}

// TestStandInScansUnlessCodeFileMatches: a stand-in whose code file matches it loads
// as parseFace would load it; one whose code file does not match (here: its table
// directory changed) or that has none is scanned, so a bad glyph offset is refused.
func TestStandInScansUnlessCodeFileMatches(t *testing.T) {
	data, src, err := gplFile("fangsong")
	if err != nil {
		t.Fatal(err)
	}
	codes, err := os.ReadFile(codeFilePath(src))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := dir + "/fangsong.ttf"
	write := func(ttf []byte, withCodes bool) {
		t.Helper()
		os.Remove(codeFilePath(path))
		if err := os.WriteFile(path, ttf, 0o644); err != nil {
			t.Fatal(err)
		}
		if withCodes {
			if err := os.WriteFile(codeFilePath(path), codes, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(data, true)
	f, err := loadStandIn(data, path)
	if err != nil {
		t.Fatal(err)
	}
	if f.pre.get(f) == nil || f.cmap4 == nil || f.gid != nil {
		t.Fatalf("matching code file: code file %v, cmap4 %v, gid table %v", f.pre.get(f) != nil, f.cmap4 != nil, f.gid != nil)
	}
	ref, err := parseFace(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range "国务院办公厅关于印发通知，。A1" {
		if f.glyphID(r) != ref.glyphID(r) {
			t.Errorf("%c: glyph %d, parseFace's %d", r, f.glyphID(r), ref.glyphID(r))
		}
	}

	// Glyph 5's offset past glyph 6's: a bad loca, found by the scan.
	bad := bytes.Clone(data)
	loca := tableOffset(t, bad, "loca")
	if ref.locaLong {
		binary.BigEndian.PutUint32(bad[loca+4*5:], binary.BigEndian.Uint32(bad[loca+4*7:])+2)
	} else {
		binary.BigEndian.PutUint16(bad[loca+2*5:], binary.BigEndian.Uint16(bad[loca+2*7:])+1)
	}
	if _, err := parseFace(bad); err == nil {
		t.Fatal("parseFace accepts the damaged loca: the test damages nothing")
	}
	write(bad, false)
	if _, err := loadStandIn(bad, path); err == nil || !strings.Contains(err.Error(), "bad offset") {
		t.Errorf("no code file: %v, want a bad offset", err)
	}
	// The loca's checksum in the directory updated, as a font tool would: the code
	// file no longer matches.
	dirRec := tableRecord(t, bad, "loca")
	binary.BigEndian.PutUint32(bad[dirRec+4:], binary.BigEndian.Uint32(bad[dirRec+4:])+1)
	write(bad, true)
	if _, err := loadStandIn(bad, path); err == nil || !strings.Contains(err.Error(), "bad offset") {
		t.Errorf("code file of the undamaged font: %v, want a bad offset", err)
	}
}

// tableRecord is where tag's record lies in the table directory of an sfnt.
func tableRecord(t *testing.T, ttf []byte, tag string) int {
	t.Helper()
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	for i := range n {
		if string(ttf[12+16*i:16+16*i]) == tag {
			return 12 + 16*i
		}
	}
	t.Fatalf("no %s table", tag)
	return 0
}

// TestStaleFontRefused: a code file is not used for another version of its font, even
// one with a single glyph changed in place (same size, same offsets) when the font was
// saved as font tools save one: the glyf table's checksum in the directory updated,
// or head's checkSumAdjustment, or both. The glyph is then encoded from its new bytes.
// (Not covered, as the code file documents: an edit that updates neither.)
func TestStaleFontRefused(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(old)
	data, _, err := gplFile("fangsong")
	if err != nil {
		t.Fatal(err)
	}
	codes, err := os.ReadFile("../../fonts/gpl/fangsong.codes")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := parseFace(data)
	if err != nil {
		t.Fatal(err)
	}
	const r = '国'
	gid := ref.glyphID(r)
	g := ref.glyph(int(gid))
	cf, err := openCodeFile(alignedCopy(codes), ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cf.lookup(gid, len(g)); !ok || composite(g) || len(g) < 8 {
		t.Fatalf("glyph %d of %c is not a simple glyph of the code file: the test edits nothing it uses", gid, r)
	}
	// Its last byte (a y coordinate) one unit off.
	edited := bytes.Clone(data)
	glyf := tableOffset(t, edited, "glyf")
	at := glyf + ref.locaAt(int(gid)) + len(g) - 1
	edited[at] ^= 1
	newGlyph := bytes.Clone(edited[at-len(g)+1 : at+1])
	// sfntSum is the sfnt checksum of b (zero-padded 32-bit big-endian words).
	sfntSum := func(b []byte) uint32 {
		var s uint32
		for i := 0; i < len(b); i += 4 {
			var w [4]byte
			copy(w[:], b[i:])
			s += binary.BigEndian.Uint32(w[:])
		}
		return s
	}
	dirSum := func(b []byte) {
		rec := tableRecord(t, b, "glyf")
		n := int(binary.BigEndian.Uint32(b[rec+12:]))
		binary.BigEndian.PutUint32(b[rec+4:], sfntSum(b[glyf:glyf+n]))
	}
	headSum := func(b []byte) {
		head := tableOffset(t, b, "head")
		binary.BigEndian.PutUint32(b[head+8:], 0)
		binary.BigEndian.PutUint32(b[head+8:], 0xB1B0AFBA-sfntSum(b))
	}
	for name, save := range map[string]func([]byte){
		"directory and head": func(b []byte) { dirSum(b); headSum(b) },
		"directory only":     dirSum,
		"head only":          headSum,
	} {
		b := bytes.Clone(edited)
		save(b)
		if bytes.Equal(b[:12+16*int(binary.BigEndian.Uint16(b[4:]))], data[:12+16*int(binary.BigEndian.Uint16(data[4:]))]) &&
			bytes.Equal(b[tableOffset(t, b, "head"):][:54], data[tableOffset(t, data, "head"):][:54]) {
			t.Fatalf("%s: the saved font's directory and head are the old ones", name)
		}
		f, err := parseFace(b)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := openCodeFile(alignedCopy(codes), f); err == nil {
			t.Errorf("%s: the old font's code file accepted", name)
		}
		f.pre = &precomputed{path: "fangsong.codes", data: alignedCopy(codes)}
		sub, err := f.subset([]rune{r})
		if err != nil {
			t.Fatal(err)
		}
		file := inflateZlib(t, sub.Zlib())
		if !bytes.Equal(file, sub.File()) || !bytes.Contains(file, newGlyph) || bytes.Contains(file, g) {
			t.Errorf("%s: the subset does not carry the glyph's new bytes", name)
		}
	}
	if !strings.Contains(logs.String(), "glyph code file not used") {
		t.Errorf("no warning:\n%s", logs.String())
	}
}
