package fonts

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/jung-kurt/gofpdf"

	embedded "gongwen/fonts"
	"gongwen/internal/spec"
	"gongwen/internal/testtool"
)

// samples is printable text for each face, including its punctuation and symbols.
var samples = map[spec.Face]string{
	spec.RoleFace(spec.RoleTitle):    "吴川市科工贸和信息化局2023年法治政府建设年度报告𬌗",
	spec.RoleFace(spec.RoleHei):      "一、主要举措和成效（2023年）",
	spec.RoleFace(spec.RoleKai):      "（一）坚持党的领导，压实主体责任。",
	spec.RoleFace(spec.RoleFangsong): "现将有关情况报告如下：“依法行政”《纲要》——第①项…Ⅻ№℃×÷·‰※ABCxyz0123，。、；！？",
	spec.RoleFace(spec.RoleSong):     "— 12 —",
	spec.FaceFallback:                "鿏㑇䶮堃喆犇昇珺⑪⑳〜〝〞，。𠮷𬌗",
}

func embeddedSet(t testing.TB) *Set {
	t.Helper()
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCoverage checks the coverage list character by character: every role draws
// each one (own face or the fallback face), and the fallback face has them all itself.
func TestCoverage(t *testing.T) {
	s := embeddedSet(t)
	cov := Coverage()
	if len(cov) < 9100 {
		t.Fatalf("coverage list has %d characters, want the ~9,190 of GB 2312 + 通用规范汉字表 + symbols", len(cov))
	}
	for _, r := range cov {
		if !s.HasFace(spec.FaceFallback, r) {
			t.Errorf("fallback face lacks U+%04X %c", r, r)
		}
	}
	for _, role := range spec.Roles {
		own, fallback := 0, 0
		var missing []string
		for _, r := range cov {
			font, adv, ok := s.Glyph(role, r)
			switch {
			case !ok || adv <= 0 && !unicode.Is(unicode.Mn, r): // tone marks U+302A-302D have no advance
				missing = append(missing, fmt.Sprintf("U+%04X %c", r, r))
			case font == spec.RoleFace(role):
				own++
			case font == spec.FaceFallback:
				fallback++
			default:
				t.Errorf("%s: U+%04X drawn by the %s face", role, r, font)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s: %d characters not drawable: %s", role, len(missing), strings.Join(missing[:min(len(missing), 20)], ", "))
		}
		t.Logf("%-8s %-26s own %d, fallback %d", role, s.Name(role), own, fallback)
	}
}

// TestFallbackKeepsRareCharacters: the fallback face keeps every character of its
// source beyond the coverage list (rare characters in names), those of CJK
// Extensions B-F included.
func TestFallbackKeepsRareCharacters(t *testing.T) {
	s := embeddedSet(t)
	bmp, sup := 0, 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if s.HasFace(spec.FaceFallback, r) {
			if r > 0xFFFF {
				sup++
			} else {
				bmp++
			}
		}
	}
	// Noto Serif CJK SC Light (2.001): 42,215 BMP characters and 2,531 beyond.
	if bmp < 42000 || sup < 2500 {
		t.Errorf("fallback face maps %d BMP characters and %d beyond, want the source's full sets (42,215 and 2,531)", bmp, sup)
	}
	for _, r := range "䶮堃喆犇昇珺𠮷𬌗" {
		if !s.HasFace(spec.FaceFallback, r) {
			t.Errorf("fallback face lacks U+%04X %c", r, r)
		}
	}
}

func TestGlyph(t *testing.T) {
	s := embeddedSet(t)
	kai, fang, title := spec.RoleFace(spec.RoleKai), spec.RoleFace(spec.RoleFangsong), spec.RoleFace(spec.RoleTitle)
	tests := []struct {
		name string
		role spec.Role
		r    rune
		font spec.Face
		ok   bool
	}{
		{"own font", spec.RoleKai, '中', kai, true},
		{"title own", spec.RoleTitle, '报', title, true},
		{"body", spec.RoleFangsong, '。', fang, true},
		// 通用规范汉字表 characters FandolFang and FandolKai lack (levels 2 and 3).
		{"kai falls back", spec.RoleKai, '䶮', spec.FaceFallback, true},
		{"body falls back", spec.RoleFangsong, '堃', spec.FaceFallback, true},
		{"circled 11 falls back", spec.RoleFangsong, '⑪', spec.FaceFallback, true},
		{"beyond the BMP", spec.RoleFangsong, '𠮷', spec.FaceFallback, true},
		{"beyond the BMP, kai", spec.RoleKai, '𬌗', spec.FaceFallback, true},
		// 𬌗 U+2C317 is in 通用规范汉字表 (kTGH 2013:6979), so the title face has it itself;
		// 𠮷 U+20BB7 is not, and comes from the fallback face.
		{"beyond the BMP, title's own", spec.RoleTitle, '𬌗', title, true},
		{"beyond the BMP, title falls back", spec.RoleTitle, '𠮷', spec.FaceFallback, true},
		{"no face has it", spec.RoleKai, 0x10FFFD, kai, false},
		{"noncharacter", spec.RoleHei, 0xFFFF, spec.RoleFace(spec.RoleHei), false},
		{"negative", spec.RoleHei, -1, spec.RoleFace(spec.RoleHei), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			font, adv, ok := s.Glyph(tc.role, tc.r)
			if font != tc.font || ok != tc.ok {
				t.Fatalf("Glyph(%s, %U) = %s, %v, %v; want %s, ok=%v", tc.role, tc.r, font, adv, ok, tc.font, tc.ok)
			}
			if font, ok := s.FaceOf(tc.role, tc.r); font != tc.font || ok != tc.ok {
				t.Fatalf("FaceOf(%s, %U) = %s, %v; want %s, ok=%v", tc.role, tc.r, font, ok, tc.font, tc.ok)
			}
			if ok && (adv <= 0 || adv > 2) {
				t.Errorf("advance %v em out of range", adv)
			}
		})
	}
	// FaceOf names Glyph's face for every character the faces cover, and for some
	// nobody has.
	for _, role := range spec.Roles {
		for _, r := range append(Coverage(), 0x10FFFD, 0xE000, 0x2FFFF) {
			f, _, ok := s.Glyph(role, r)
			if g, ok2 := s.FaceOf(role, r); g != f || ok2 != ok {
				t.Fatalf("%s %U: FaceOf %s, %v; Glyph %s, %v", role, r, g, ok2, f, ok)
			}
		}
	}
	// CJK characters, full-width punctuation and the em dash (—— fills two cells) are
	// one em wide in every stand-in.
	for _, role := range spec.Roles {
		for _, r := range "中国，。（“—" {
			if _, adv, _ := s.Glyph(role, r); adv != 1 {
				t.Errorf("%s %c: advance %v em, want 1", role, r, adv)
			}
		}
	}
}

// TestSubset parses the subset back: exactly the requested characters, same advances,
// .notdef first, the face's own names.
func TestSubset(t *testing.T) {
	s := embeddedSet(t)
	for _, role := range spec.Faces {
		t.Run(role.Name(), func(t *testing.T) {
			text := []rune(samples[role])
			text = slices.DeleteFunc(text, func(r rune) bool { return !s.HasFace(role, r) })
			b, err := s.Subset(role, text)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parseFace(b)
			if err != nil {
				t.Fatalf("subset does not parse: %v", err)
			}
			uniq := slices.Compact(slices.Sorted(slices.Values(text)))
			if f.numGlyphs < len(uniq)+1 {
				t.Errorf("%d glyphs for %d characters", f.numGlyphs, len(uniq))
			}
			src := s.face(role)
			mapped := 0
			for r := rune(0); r <= unicode.MaxRune; r++ {
				if f.glyphID(r) == 0 {
					continue
				}
				mapped++
				if !slices.Contains(uniq, r) {
					t.Errorf("subset maps unrequested %U", r)
				}
				if got, want := f.advance(int(f.glyphID(r))), src.advance(int(src.glyphID(r))); got != want {
					t.Errorf("%c: advance %d, want %d", r, got, want)
				}
				// Same outline bytes, up to 4-byte alignment padding.
				got, want := f.glyph(int(f.glyphID(r))), src.glyph(int(src.glyphID(r)))
				if len(got) < len(want) || len(got)-len(want) > 3 || !bytes.Equal(got[:len(want)], want) {
					t.Errorf("%c: outline %d bytes differ from the source's %d", r, len(got), len(want))
				}
			}
			if mapped != len(uniq) {
				t.Errorf("subset maps %d characters, want %d", mapped, len(uniq))
			}
			if f.family != src.family || f.psName != src.psName || f.unitsPerEm != src.unitsPerEm {
				t.Errorf("family %q PostScript %q upem %v, want %q %q %v", f.family, f.psName, f.unitsPerEm, src.family, src.psName, src.unitsPerEm)
			}
			if checksum(b) != 0xB1B0AFBA {
				t.Errorf("whole-file checksum %08X, want B1B0AFBA", checksum(b))
			}
		})
	}
}

func TestSubsetDeterministic(t *testing.T) {
	s := embeddedSet(t)
	a, err := s.Subset(spec.RoleFace(spec.RoleFangsong), []rune("法治政府建设，法治。"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Subset(spec.RoleFace(spec.RoleFangsong), []rune("。，设建府政治法"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("same characters in another order give different bytes")
	}
}

func TestSubsetMissing(t *testing.T) {
	s := embeddedSet(t)
	_, err := s.Subset(spec.RoleFace(spec.RoleKai), []rune("中𠮷"))
	if err == nil || !strings.Contains(err.Error(), "U+20BB7 𠮷") {
		t.Fatalf("err = %v, want it to name U+20BB7 𠮷", err)
	}
	if _, err := s.Subset(spec.RoleFace(spec.RoleKai), nil); err != nil {
		t.Errorf("empty subset: %v", err)
	}
}

// TestComposite: composite glyphs bring their components and get them renumbered.
func TestComposite(t *testing.T) {
	s := embeddedSet(t)
	for _, role := range spec.Faces {
		f := s.face(role)
		for r := rune(0x20); r < 0xFFFF; r++ {
			g := f.glyphID(r)
			if g == 0 {
				continue
			}
			offs, _ := components(f.glyph(int(g)))
			if len(offs) == 0 {
				continue
			}
			b, err := s.Subset(role, []rune{r})
			if err != nil {
				t.Fatal(err)
			}
			sf, err := parseFace(b)
			if err != nil {
				t.Fatal(err)
			}
			sg := sf.glyph(int(sf.glyphID(r)))
			soffs, _ := components(sg)
			if len(soffs) != len(offs) || sf.numGlyphs < 2+len(offs) {
				t.Fatalf("%s %c: %d components, subset has %d glyphs", role, r, len(offs), sf.numGlyphs)
			}
			for _, o := range soffs {
				if c := int(binary.BigEndian.Uint16(sg[o:])); c == 0 || c >= sf.numGlyphs {
					t.Errorf("%s %c: component id %d not renumbered", role, r, c)
				}
			}
			t.Logf("%s: composite %c checked", role, r)
			break
		}
	}
}

// TestGofpdf loads every role through gofpdf (whole file and subset), writes each
// role's sample and extracts it back, which checks the subset's cmap end to end.
func TestGofpdf(t *testing.T) {
	pdftotext := testtool.Require(t, "pdftotext")
	s := embeddedSet(t)
	pdf := gofpdf.New("P", "pt", "A4", "")
	pdf.SetCompression(false)
	pdf.AddPage()
	var want strings.Builder
	y := 60.0
	for _, role := range spec.Faces {
		text := samples[role]
		var own []rune
		for _, r := range text {
			// gofpdf reads the BMP character map only.
			if s.HasFace(role, r) && r <= 0xFFFF {
				own = append(own, r)
			}
		}
		sub, err := s.Subset(role, own)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []struct {
			family string
			data   []byte
			// gofpdf writes into the bytes it is given: a copy of the (read-only) file.
		}{{role.Name() + "-sub", sub}, {role.Name() + "-full", bytes.Clone(s.File(role))}} {
			pdf.AddUTF8FontFromBytes(v.family, "", v.data)
			pdf.SetFont(v.family, "", 16)
			if err := pdf.Error(); err != nil {
				t.Fatalf("%s: gofpdf: %v", v.family, err)
			}
			// Only the role's own characters (fallback ones are another font's job), in
			// lines that fit the page: pdftotext drops what lies outside it.
			for line := range slices.Chunk(own, 28) {
				pdf.Text(40, y, string(line))
				want.WriteString(string(line))
				y += 24
			}
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "roles.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	strip := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r <= ' ' || r == '\u3000' {
				return -1
			}
			return r
		}, s)
	}
	if got, w := strip(string(out)), strip(want.String()); got != w {
		t.Errorf("extracted text:\n%s\nwant:\n%s", got, w)
	}
}

func TestDefault(t *testing.T) {
	a, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Default()
	if a != b {
		t.Error("Default parsed the fonts twice")
	}
	for _, role := range spec.Roles {
		if a.Name(role) == "" {
			t.Errorf("%s: no family name", role)
		}
	}
	// The faces' own PostScript names, as a PDF names them.
	for face, want := range map[spec.Face]string{
		spec.RoleFace(spec.RoleFangsong): "FandolFang-Regular",
		spec.RoleFace(spec.RoleKai):      "FandolKai-Regular",
		spec.RoleFace(spec.RoleTitle):    "NotoSerifCJKsc-Bold",
		spec.RoleFace(spec.RoleHei):      "NotoSansCJKsc-Medium",
		spec.RoleFace(spec.RoleSong):     "NotoSerifCJKsc-Regular",
		spec.FaceFallback:                "NotoSerifCJKsc-Light",
	} {
		if got := a.PostScriptName(face); got != want {
			t.Errorf("%s: PostScript name %q, want %q", face, got, want)
		}
	}
}

// TestOperatorFonts: a usable file overrides the stand-in; every unusable kind is
// reported (Warnings and slog) with the role, the file and a fix, and the stand-in kept.
func TestOperatorFonts(t *testing.T) {
	std := embeddedSet(t)
	good, err := std.Subset(spec.RoleFace(spec.RoleKai), []rune("一二三中国"))
	if err != nil {
		t.Fatal(err)
	}
	noUnicode := slices.Clone(good)
	patchCmapPlatform(t, noUnicode)
	restricted := slices.Clone(good)
	patchFsType(t, restricted, 0x0002)

	dir := t.TempDir()
	write := func(role spec.Role, b []byte) string {
		p := filepath.Join(dir, FileName(spec.RoleFace(role)))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	titlePath := write(spec.RoleTitle, good)
	write(spec.RoleHei, append([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10"), good...))
	write(spec.RoleKai, append([]byte("OTTO"), good[4:]...))
	write(spec.RoleSong, []byte("<html>not a font</html>"))
	write(spec.RoleFangsong, noUnicode)

	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	s, err := Load(dir)
	slog.SetDefault(old)
	if err != nil {
		t.Fatal(err)
	}

	if s.Source(spec.RoleFace(spec.RoleTitle)) != titlePath {
		t.Errorf("title source %q, want %q", s.Source(spec.RoleFace(spec.RoleTitle)), titlePath)
	}
	if s.Name(spec.RoleTitle) != std.Name(spec.RoleKai) {
		t.Errorf("title family %q, want the override's %q", s.Name(spec.RoleTitle), std.Name(spec.RoleKai))
	}
	if font, adv, ok := s.Glyph(spec.RoleTitle, '中'); font != spec.RoleFace(spec.RoleTitle) || !ok || adv != 1 {
		t.Errorf("override Glyph = %v %v %v", font, adv, ok)
	}
	if font, _, ok := s.Glyph(spec.RoleTitle, '报'); font != spec.FaceFallback || !ok {
		t.Errorf("character missing from the override should fall back to the fallback face, got %v %v", font, ok)
	}
	for _, role := range []spec.Role{spec.RoleFangsong, spec.RoleHei, spec.RoleKai, spec.RoleSong} {
		if f := spec.RoleFace(role); s.Source(f) != std.Source(f) || s.operator[f] {
			t.Errorf("%s: unusable file should leave the stand-in, source %q", role, s.Source(f))
		}
	}

	want := map[spec.Role]string{
		spec.RoleFangsong: "cmap format 4",
		spec.RoleHei:      "collection (TTC)",
		spec.RoleKai:      "CFF",
		spec.RoleSong:     "unknown signature",
		spec.RoleTitle:    "lacks", // the subset override lacks most of the coverage list
	}
	got := map[spec.Role]Warning{}
	for _, w := range s.Warnings() {
		got[spec.Role(w.Face)] = w
	}
	for role, frag := range want {
		w, ok := got[role]
		if !ok {
			t.Errorf("%s: no warning", role)
			continue
		}
		if !strings.Contains(w.Problem, frag) || w.Fix == "" || w.File != filepath.Join(dir, FileName(spec.RoleFace(role))) {
			t.Errorf("%s: warning %q, want problem with %q, a fix and the file", role, w, frag)
		}
		if !strings.Contains(logs.String(), "face="+role.Name()) {
			t.Errorf("%s: not logged: %s", role, logs.String())
		}
	}
	if len(s.Warnings()) != len(want) {
		t.Errorf("%d warnings, want %d: %v", len(s.Warnings()), len(want), s.Warnings())
	}

	// Restricted embedding, and a truncated file.
	dir2 := t.TempDir()
	os.WriteFile(filepath.Join(dir2, "hei.ttf"), restricted, 0o644)
	os.WriteFile(filepath.Join(dir2, "kai.ttf"), good[:len(good)/2], 0o644)
	s2, err := Load(dir2)
	if err != nil {
		t.Fatal(err)
	}
	ws := s2.Warnings()
	if len(ws) != 2 || !strings.Contains(ws[0].Problem, "fsType") || !strings.Contains(ws[1].Problem, "not a usable TrueType") {
		t.Errorf("warnings %v, want restricted fsType (hei) and corrupt (kai)", ws)
	}

	// No directory at all is normal and silent.
	s3, err := Load(filepath.Join(dir, "absent"))
	if err != nil || len(s3.Warnings()) != 0 {
		t.Errorf("missing dir: %v, warnings %v", err, s3.Warnings())
	}

	// A directory where the file belongs, and a file given as the directory: each
	// named, with a fix that says what the directory must hold.
	dir4 := t.TempDir()
	os.Mkdir(filepath.Join(dir4, "song.ttf"), 0o755)
	s4, err := Load(dir4)
	if err != nil {
		t.Fatal(err)
	}
	if ws := s4.Warnings(); len(ws) != 1 || ws[0].Face != spec.RoleFace(spec.RoleSong) || !strings.Contains(ws[0].Fix, "regular file song.ttf") {
		t.Errorf("directory as font file: warnings %v", ws)
	}
	notDir := filepath.Join(dir4, "plain")
	os.WriteFile(notDir, []byte("x"), 0o644)
	s5, err := Load(notDir)
	if err != nil {
		t.Fatal(err)
	}
	if ws := s5.Warnings(); len(ws) != spec.NumFaces || !strings.Contains(ws[0].Fix, EnvDir+" a directory") {
		t.Errorf("file as font directory: warnings %v", ws)
	}
	for _, f := range spec.Faces {
		if s4.Source(f) != std.Source(f) || s5.Source(f) != std.Source(f) {
			t.Errorf("%s: unreadable operator file should leave the stand-in", f)
		}
	}
}

// TestEmbeddedFilesParse: every stand-in parses; the OFL faces are in the executable,
// the GPL ones are not (they are files beside it); the sizes stay in budget.
func TestEmbeddedFilesParse(t *testing.T) {
	inExe, beside := 0, 0
	for _, f := range spec.Faces {
		b := embedded.File(f.Name())
		gpl := slices.Contains(embedded.GPLFaces, f.Name())
		if gpl != (b == nil) {
			t.Errorf("%s: embedded %v, GPL face %v", f, b != nil, gpl)
		}
		inExe += len(b)
		if b == nil {
			var err error
			var path string
			if b, path, err = embedded.GPL(f.Name()); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			t.Logf("%s: %s", f, path)
			beside += len(b)
		}
		full, err := parseFace(b)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if gpl {
			continue
		}
		// The embedded faces pass every check parseEmbedded skips: offsets in order
		// and in the glyf table, character maps ordered (searched, no tables built).
		if full.gid != nil {
			t.Errorf("%s: character map out of order", f)
		}
		e, err := parseEmbedded(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if e.numGlyphs != full.numGlyphs || e.gid != nil || len(e.cmap4) != len(full.cmap4) || len(e.cmap12) != len(full.cmap12) || e.psName != full.psName {
			t.Errorf("%s: parsed as embedded differs from the full parse", f)
		}
	}
	if inExe+beside > 40<<20 {
		t.Errorf("fonts total %d bytes, budget 40 MiB", inExe+beside)
	}
	t.Logf("fonts: %.1f MB in the executable, %.1f MB beside it", float64(inExe)/1e6, float64(beside)/1e6)
}

// TestMissingGPLFile: without the GPL files the set still loads, with a warning per
// missing face; those roles print in the fallback face, and the missing faces are
// never cut.
func TestMissingGPLFile(t *testing.T) {
	std := embeddedSet(t)
	old := gplFile
	gplFile = func(face string) ([]byte, string, error) {
		return nil, "", fmt.Errorf("%s.ttf: %w", face, embedded.ErrNoGPLFile)
	}
	s, err := Load("")
	gplFile = old
	if err != nil {
		t.Fatal(err)
	}
	ws := s.Warnings()
	if len(ws) != 2 || ws[0].Face != spec.RoleFace(spec.RoleFangsong) || ws[1].Face != spec.RoleFace(spec.RoleKai) ||
		!strings.Contains(ws[0].Fix, "fonts/gpl") {
		t.Errorf("warnings %v, want one for fangsong and one for kai naming fonts/gpl", ws)
	}
	if fc, _, ok := s.Glyph(spec.RoleFangsong, '国'); fc != spec.FaceFallback || !ok {
		t.Errorf("body without its file: Glyph = %v %v, want the fallback face", fc, ok)
	}
	if fc, adv, ok := s.Glyph(spec.RoleKai, '中'); fc != spec.FaceFallback || !ok || adv != 1 {
		t.Errorf("kai without its file: Glyph = %v %v %v, want the fallback face", fc, adv, ok)
	}
	if got, want := s.Name(spec.RoleKai), std.face(spec.FaceFallback).family; got != want {
		t.Errorf("kai without its file: name %q, want the fallback's %q", got, want)
	}
	if _, err := s.Cut(spec.RoleFace(spec.RoleKai), []rune("中")); err == nil {
		t.Error("cut of a missing face succeeded")
	}
}

func tableOffset(t *testing.T, b []byte, tag string) int {
	n := int(binary.BigEndian.Uint16(b[4:]))
	for i := 0; i < n; i++ {
		if string(b[12+16*i:16+16*i]) == tag {
			return int(binary.BigEndian.Uint32(b[12+16*i+8:]))
		}
	}
	t.Fatalf("no %s table", tag)
	return 0
}

// patchCmapPlatform turns the only encoding record into Windows Symbol (3,0).
func patchCmapPlatform(t *testing.T, b []byte) {
	off := tableOffset(t, b, "cmap")
	binary.BigEndian.PutUint16(b[off+6:], 0)
}

func patchFsType(t *testing.T, b []byte, v uint16) {
	off := tableOffset(t, b, "OS/2")
	binary.BigEndian.PutUint16(b[off+8:], v)
}

func BenchmarkLoad(b *testing.B) {
	for _, role := range spec.Faces {
		data := embedded.File(role.Name())
		if data == nil {
			data, _, _ = embedded.GPL(role.Name())
		}
		b.Run(role.Name(), func(b *testing.B) {
			for b.Loop() {
				if _, err := parseFace(data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(data))/1e6, "MB")
		})
	}
}

// BenchmarkLoadAll is the whole one-time cost of a process: every role, with an
// (empty) operator directory to look in.
func BenchmarkLoadAll(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		if _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// benchRunes is ~800 distinct characters, what a long report uses.
func benchRunes(s *Set) []rune {
	var rs []rune
	for _, r := range Coverage() {
		if r >= 0x4E00 && r <= 0xFFFF && s.Has(spec.RoleFangsong, r) && len(rs) < 800 {
			rs = append(rs, r)
		}
	}
	return rs
}

func BenchmarkSubset(b *testing.B) {
	s := embeddedSet(b)
	rs := benchRunes(s)
	var size int
	for b.Loop() {
		out, err := s.Subset(spec.RoleFace(spec.RoleFangsong), rs)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes")
}

// BenchmarkGofpdfParse is what a document pays in gofpdf for the body font: the
// ~800-character subset versus the whole file.
func BenchmarkGofpdfParse(b *testing.B) {
	s := embeddedSet(b)
	sub, err := s.Subset(spec.RoleFace(spec.RoleFangsong), benchRunes(s))
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range []struct {
		name string
		data []byte
		// gofpdf writes into the bytes it is given: a copy of the (read-only) file.
	}{{"subset800", sub}, {"full", bytes.Clone(s.File(spec.RoleFace(spec.RoleFangsong)))}} {
		b.Run(v.name, func(b *testing.B) {
			for b.Loop() {
				pdf := gofpdf.New("P", "pt", "A4", "")
				pdf.AddUTF8FontFromBytes("f", "", v.data)
				pdf.SetFont("f", "", 16)
				if pdf.Err() {
					b.Fatal(pdf.Error())
				}
			}
		})
	}
}

func BenchmarkGlyph(b *testing.B) {
	s := embeddedSet(b)
	text := []rune(samples[spec.RoleFace(spec.RoleFangsong)])
	for b.Loop() {
		for _, r := range text {
			s.Glyph(spec.RoleKai, r)
		}
	}
}

// TestSubsetConcurrent: one Set serves parallel renders (run with -race).
func TestSubsetConcurrent(t *testing.T) {
	s := embeddedSet(t)
	rs := []rune(samples[spec.RoleFace(spec.RoleFangsong)])
	want, err := s.Subset(spec.RoleFace(spec.RoleFangsong), rs)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for range 20 {
				got, err := s.Subset(spec.RoleFace(spec.RoleFangsong), rs)
				if err == nil && !bytes.Equal(got, want) {
					err = fmt.Errorf("concurrent subset differs")
				}
				if err != nil {
					errs <- err
					return
				}
				s.Glyph(spec.RoleKai, '中')
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestDashJoins: the em dash fills its whole cell in every face, so that the two
// halves of 破折号 —— form one line.
func TestDashJoins(t *testing.T) {
	s := embeddedSet(t)
	for _, role := range spec.Faces {
		f := s.face(role)
		g := f.glyphID('—')
		b := f.glyph(int(g))
		if len(b) < 10 {
			t.Fatalf("%s: em dash has no outline", role)
		}
		xMin, xMax := int16(binary.BigEndian.Uint16(b[2:])), int16(binary.BigEndian.Uint16(b[6:]))
		if adv := f.advance(int(g)); xMin > 0 || int(xMax) < adv {
			t.Errorf("%s: em dash spans %d..%d of its %d-unit advance", role, xMin, xMax, adv)
		}
	}
}

// FuzzParseFace: no operator file, however corrupt, may crash the process; what
// parses must also subset into something that parses.
func FuzzParseFace(f *testing.F) {
	s := embeddedSet(f)
	good, err := s.Subset(spec.FaceFallback, []rune("一中国，𠮷"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:100])
	f.Add([]byte("OTTO\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		face, err := parseFace(data)
		if err != nil {
			return
		}
		var rs []rune
		for r := rune(0); r < 0xFFFF && len(rs) < 50; r++ {
			if face.glyphID(r) != 0 {
				rs = append(rs, r)
			}
		}
		for r := rune(0x10000); (face.cmap12 != nil || face.sup != nil) && r <= 0x10FFFF && len(rs) < 60; r++ {
			if face.glyphID(r) != 0 {
				rs = append(rs, r)
			}
		}
		out, err := face.subset(rs)
		if err != nil {
			return // malformed composite: reported, not a crash
		}
		if _, err := parseFace(out.File()); err != nil {
			t.Fatalf("subset of a parsed font does not parse: %v", err)
		}
	})
}

// TestHintedOperatorFont runs a real hinted TrueType font with composite glyphs
// (DejaVu Serif, Debian fonts-dejavu-core) through override, subset, gofpdf and
// pdftotext: hinting tables travel along and components are renumbered.
func TestHintedOperatorFont(t *testing.T) {
	s, dir := dejaVuAsSong(t)
	pdftotext := testtool.Require(t, "pdftotext")
	song := spec.RoleFace(spec.RoleSong)
	if s.Source(song) != filepath.Join(dir, "song.ttf") || s.Name(spec.RoleSong) != "DejaVu Serif" {
		t.Fatalf("override not used: %q %q", s.Source(song), s.Name(spec.RoleSong))
	}
	text := "— 12 — ǺÅéŒ"
	composite := false
	for _, r := range text {
		if offs, _ := components(s.face(song).glyph(int(s.face(song).glyphID(r)))); len(offs) > 0 {
			composite = true
		}
	}
	if !composite {
		t.Fatal("no composite glyph in the sample: the test would not test components")
	}
	sub, err := s.Subset(song, []rune(text))
	if err != nil {
		t.Fatal(err)
	}
	f, err := parseFace(sub)
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"fpgm", "prep", "cvt "} {
		if len(f.tables[tag]) == 0 {
			t.Errorf("subset lost the %q hinting table", tag)
		}
	}
	pdf := gofpdf.New("P", "pt", "A4", "")
	pdf.AddPage()
	pdf.AddUTF8FontFromBytes("song", "", sub)
	pdf.SetFont("song", "", 14)
	pdf.Text(60, 60, text)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dejavu.pdf")
	os.WriteFile(path, buf.Bytes(), 0o644)
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != text {
		t.Errorf("extracted %q, want %q", got, text)
	}
}

// TestSubsetLocaFormat: a typical document's subset uses the short loca (glyphs fit
// in 128 KB), a large one the long loca; both parse back with the source's outlines
// and load in gofpdf.
func TestSubsetLocaFormat(t *testing.T) {
	s := embeddedSet(t)
	src := s.face(spec.RoleFace(spec.RoleFangsong))
	all := slices.DeleteFunc(Coverage(), func(r rune) bool { return !s.Has(spec.RoleFangsong, r) })
	for _, tc := range []struct {
		name  string
		runes []rune
		long  bool
	}{
		{"short", []rune(samples[spec.RoleFace(spec.RoleFangsong)]), false},
		{"long", all, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := s.Subset(spec.RoleFace(spec.RoleFangsong), tc.runes)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parseFace(b)
			if err != nil {
				t.Fatalf("subset does not parse: %v", err)
			}
			if f.locaLong != tc.long {
				t.Errorf("%d glyph bytes: long loca %v, want %v", len(f.glyf), f.locaLong, tc.long)
			}
			align := 2
			if f.locaLong {
				align = 4
			}
			for _, r := range tc.runes {
				got, want := f.glyph(int(f.glyphID(r))), src.glyph(int(src.glyphID(r)))
				if len(got) < len(want) || len(got)%align != 0 || len(got)-len(want) >= align || !bytes.Equal(got[:len(want)], want) {
					t.Fatalf("%c: outline %d bytes, source %d, alignment %d", r, len(got), len(want), align)
				}
			}
			pdf := gofpdf.New("P", "pt", "A4", "")
			pdf.AddUTF8FontFromBytes("sub", "", b)
			if err := pdf.Error(); err != nil {
				t.Errorf("gofpdf: %v", err)
			}
		})
	}
}

// TestLazyEmbeddedFaces: the embedded stand-ins are parsed on first use only, once,
// however many goroutines ask at the same time (run with -race), and answer as an
// eagerly parsed face does.
func TestLazyEmbeddedFaces(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	fb := s.lazy[spec.FaceFallback]
	if fb == nil || fb.f != nil {
		t.Fatalf("fallback face: lazy %v, want an unparsed lazy face after Load", fb)
	}
	if got := s.Source(spec.FaceFallback); got != "embedded" {
		t.Errorf("fallback source %q, want embedded", got)
	}
	eager, err := parseFace(embedded.File("fallback"))
	if err != nil {
		t.Fatal(err)
	}
	want := eager.glyphID('中')
	if want == 0 {
		t.Fatal("the fallback face lacks 中")
	}
	var wg sync.WaitGroup
	got := make([]uint16, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = s.face(spec.FaceFallback).glyphID('中')
			s.HasFace(spec.FaceFallback, '国')
		}()
	}
	wg.Wait()
	for i, g := range got {
		if g != want {
			t.Errorf("goroutine %d: glyph of 中 %d, want %d", i, g, want)
		}
	}
	if s.PostScriptName(spec.FaceFallback) != eager.psName || !bytes.Equal(s.File(spec.FaceFallback), embedded.File("fallback")) {
		t.Error("lazily parsed fallback face differs from the eager parse")
	}
}
