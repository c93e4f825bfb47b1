// Package fonts loads the font of every face (one per role and the fallback face) once
// per process (the stand-ins from the top-level fonts package, or the operator's files from
// GONGWEN_FONT_DIR), answers width questions for the typesetter and cuts per-document
// subsets for the PDF writer.
package fonts

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	embedded "gongwen/fonts"
	"gongwen/internal/mapfile"
	"gongwen/internal/spec"
)

// EnvDir names the environment variable holding the operator's font directory.
const EnvDir = "GONGWEN_FONT_DIR"

// DefaultDir is where a Lambda layer's fonts/ directory lands.
const DefaultDir = "/opt/gongwen/fonts"

// FileName is the file an operator puts in the font directory to replace the face's
// stand-in: fangsong.ttf, title.ttf, hei.ttf, kai.ttf, song.ttf or fallback.ttf.
func FileName(f spec.Face) string { return f.Name() + ".ttf" }

// Set is the parsed font of every face: one per role and the fallback face. It is
// read-only after loading and safe for concurrent use.
type Set struct {
	faces    [spec.NumFaces]*face // nil: a GPL stand-in whose file is missing, or lazy
	lazy     [spec.NumFaces]*lazyFace
	sources  [spec.NumFaces]string
	operator [spec.NumFaces]bool
	warnings []Warning
}

// Warning is an operator font that was not used or lacks characters, or a stand-in
// font file that was not found.
type Warning struct {
	Face    spec.Face
	File    string
	Problem string
	Fix     string
}

// lazyFace is an embedded stand-in parsed on first use: most documents never touch
// the 14.7 MB fallback face, whose parse (character tables, glyph offsets) is a good
// part of the start-up. Being the binary's own data, it parses (fonts_test checks it).
type lazyFace struct {
	once sync.Once
	data []byte
	fc   spec.Face
	f    *face
}

func (l *lazyFace) get() *face {
	l.once.Do(func() {
		f, err := parseEmbedded(l.data)
		if err != nil {
			// A broken build; the face's text prints in the fallback face or is missing.
			slog.Error("embedded stand-in font does not parse", "face", l.fc.Name(), "error", err)
			return
		}
		if codes := embedded.Codes(l.fc.Name()); codes != nil {
			f.pre = &precomputed{path: "embedded " + CodeFileName(l.fc.Name()), data: codes}
		}
		l.f = f
	})
	return l.f
}

// face is the parsed face fc, nil when it is missing.
func (s *Set) face(fc spec.Face) *face {
	if l := s.lazy[fc]; l != nil {
		return l.get()
	}
	return s.faces[fc]
}

func (w Warning) String() string {
	return fmt.Sprintf("font %s: %s %s; %s", w.Face, w.File, w.Problem, w.Fix)
}

var (
	defaultOnce sync.Once
	defaultSet  *Set
	defaultErr  error
)

// Default returns the process-wide font set, parsing the fonts on first use only.
// The operator directory is $GONGWEN_FONT_DIR, or /opt/gongwen/fonts when unset.
func Default() (*Set, error) {
	defaultOnce.Do(func() {
		dir, ok := os.LookupEnv(EnvDir)
		if !ok {
			dir = DefaultDir
		}
		defaultSet, defaultErr = Load(dir)
	})
	return defaultSet, defaultErr
}

// gplFile reads a GPL stand-in's file (a variable so that tests can take it away).
var gplFile = embedded.GPL

// Load parses the font of every face: <dir>/<face>.ttf when present and usable, else
// the stand-in (embedded, or for the GPL faces the file embedded.GPL finds). A
// missing directory or file is normal (no operator fonts); an unusable file is logged
// with slog.Warn, recorded in Warnings and skipped. A GPL stand-in whose file is
// missing is a warning too: its role prints in the fallback face. The error is only
// for a broken build (a GPL stand-in that does not parse); the embedded stand-ins are
// parsed on first use.
func Load(dir string) (*Set, error) {
	s := &Set{}
	for _, fc := range spec.Faces {
		if dir != "" {
			path := filepath.Join(dir, FileName(fc))
			f, w := loadOperator(fc, path)
			if w != nil {
				s.warn(*w)
			}
			if f != nil {
				s.faces[fc], s.sources[fc], s.operator[fc] = f, path, true
				slog.Info("operator font in use", "face", fc.Name(), "file", path, "family", f.family)
				continue
			}
		}
		if data := embedded.File(fc.Name()); data != nil {
			// Parsed on first use (lazyFace).
			s.lazy[fc], s.sources[fc] = &lazyFace{data: data, fc: fc}, "embedded"
			continue
		}
		data, src, err := gplFile(fc.Name())
		if errors.Is(err, embedded.ErrNoGPLFile) {
			w := Warning{Face: fc, File: FileName(fc), Problem: "not found: " + err.Error(),
				Fix: "ship the fonts/gpl directory beside the executable (or deploy the StandInFonts layer); until then this role prints in the fallback face"}
			s.warnings = append(s.warnings, w)
			slog.Warn("stand-in font file missing", "face", fc.Name(), "file", w.File, "problem", w.Problem, "fix", w.Fix)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("fonts: stand-in %s font: %w", fc, err)
		}
		f, err := loadStandIn(data, src)
		if err != nil {
			return nil, fmt.Errorf("fonts: stand-in %s font (%s): %w", fc, src, err)
		}
		s.faces[fc], s.sources[fc] = f, src
	}
	if s.faces[spec.FaceFallback] == nil && s.lazy[spec.FaceFallback] == nil {
		return nil, errors.New("fonts: no fallback face")
	}
	s.checkCoverage()
	return s, nil
}

// loadStandIn parses a GPL stand-in's file (at path src) and attaches its code file.
// The scans over every glyph offset and character map segment (a fifth of a cold
// render's font work) are skipped when the code file matches the font: it was
// generated from this very font (its size and table directory, which holds every
// table's checksum) after the font passed them (TestGlyphCodeFile). Otherwise, as
// without a code file, they run.
func loadStandIn(data []byte, src string) (*face, error) {
	f, err := parseEmbedded(data)
	if err != nil {
		return nil, err
	}
	f.pre = &precomputed{path: codeFilePath(src)}
	if f.pre.get(f) == nil {
		if err := f.scan(); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// loadOperator maps the operator's file read-only (internal/mapfile): parseFace checks
// every table against the size it had then, so a short file is a warning, not a crash.
func loadOperator(fc spec.Face, path string) (*face, *Warning) {
	data, err := mapfile.Read(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	keep := "; the stand-in is used instead"
	if err != nil {
		fix := "check the file's permissions"
		if !errors.Is(err, fs.ErrPermission) {
			// Not a directory, a directory named like the file, an I/O error.
			fix = fmt.Sprintf("make $%s a directory holding the font as the regular file %s", EnvDir, FileName(fc))
		}
		return nil, &Warning{fc, path, "cannot be read: " + err.Error(), fix + keep}
	}
	f, err := parseFace(data)
	if err != nil {
		var p *problem
		if errors.As(err, &p) {
			return nil, &Warning{fc, path, p.what, p.fix + keep}
		}
		return nil, &Warning{fc, path, err.Error(), "replace the file" + keep}
	}
	return f, nil
}

func (s *Set) warn(w Warning) {
	s.warnings = append(s.warnings, w)
	slog.Warn("operator font not fully usable", "face", w.Face.Name(), "file", w.File,
		"problem", w.Problem, "fix", w.Fix)
}

// checkCoverage warns about operator fonts lacking characters of the coverage list:
// a role's missing ones are drawn in the fallback face, the fallback face's are not
// printable unless the role's face has them.
func (s *Set) checkCoverage() {
	var cov []rune // parsed only when an operator font is in use: 3.8 M instructions
	for _, fc := range spec.Faces {
		if !s.operator[fc] {
			continue
		}
		if cov == nil {
			cov = coverage()
		}
		var miss []rune
		for _, r := range cov {
			if !s.face(fc).has(r) {
				miss = append(miss, r)
			}
		}
		if len(miss) == 0 {
			continue
		}
		ex := string(miss[:min(len(miss), 20)])
		w := Warning{Face: fc, File: s.sources[fc],
			Problem: fmt.Sprintf("lacks %d of the %d characters of the coverage list (%s…)", len(miss), len(cov), ex)}
		if fc == spec.FaceFallback {
			w.Fix = "reports using them fail with a missing-character error unless the role's own face has them; use a fuller font or remove the file to use the stand-in"
		} else {
			w.Fix = "those characters are drawn in the fallback face"
		}
		s.warn(w)
	}
}

// Warnings lists the font problems found at load time, in face order.
func (s *Set) Warnings() []Warning { return append([]Warning(nil), s.warnings...) }

// roleFace is the face that draws text of the role when it has the character: the
// role's own, or the fallback face when the role's file is missing.
func (s *Set) roleFace(role spec.Role) spec.Face {
	if f := spec.RoleFace(role); s.face(f) != nil {
		return f
	}
	return spec.FaceFallback
}

// Name is the family name of the role's face as Windows groups faces (name ID 16, or
// 1), for a DOCX's alternate font: "FandolFang" (fangsong), "Noto Serif CJK SC"
// (title: its Bold face; song: Regular), "Noto Sans CJK SC Medium", "FandolKai", or
// the operator font's own family.
func (s *Set) Name(role spec.Role) string {
	if role < 0 || role >= spec.NumRoles {
		return ""
	}
	return s.face(s.roleFace(role)).family
}

// Family is the face's family name as Windows groups faces (name ID 16, or 1):
// "FandolFang", "Noto Serif CJK SC" (the title's Bold face and the fallback's Light
// face alike), or an operator font's own family; "" when the face is missing.
func (s *Set) Family(fc spec.Face) string {
	if !fc.Valid() || s.face(fc) == nil {
		return ""
	}
	return s.face(fc).family
}

// PostScriptName is the face's own PostScript name (name ID 6), e.g.
// "FandolFang-Regular", "NotoSerifCJKsc-Light": what a PDF names it.
func (s *Set) PostScriptName(fc spec.Face) string {
	if !fc.Valid() || s.face(fc) == nil {
		return ""
	}
	return s.face(fc).psName
}

// Source is "embedded" or the path of the file the face came from (a GPL stand-in or
// an operator's file); "" when the face is missing (its role prints in the fallback).
func (s *Set) Source(fc spec.Face) string {
	if !fc.Valid() {
		return ""
	}
	return s.sources[fc]
}

// Has reports whether the role's own face (not the fallback) draws r.
func (s *Set) Has(role spec.Role, r rune) bool {
	if role < 0 || role >= spec.NumRoles {
		return false
	}
	f := s.face(spec.RoleFace(role))
	return f != nil && f.has(r)
}

// HasFace reports whether the face draws r.
func (s *Set) HasFace(fc spec.Face, r rune) bool {
	return fc.Valid() && s.face(fc) != nil && s.face(fc).has(r)
}

// FaceOf is Glyph without the advance: the face that draws r for role, for a
// writer that only groups characters by face (a DOCX's embedded fonts).
func (s *Set) FaceOf(role spec.Role, r rune) (spec.Face, bool) {
	_, fc, g := s.find(role, r)
	return fc, g != 0
}

// Glyph implements typeset.Metrics: the role's own face when it has r, else the
// fallback face, else ok is false. Characters beyond the BMP (CJK Extensions B-F)
// are found like any other, through the fonts' format 12 character maps.
func (s *Set) Glyph(role spec.Role, r rune) (fc spec.Face, advance float64, ok bool) {
	f, fc, g := s.find(role, r)
	if g == 0 {
		return fc, 0, false
	}
	return fc, float64(f.advance(int(g))) / f.unitsPerEm, true
}

// find is the face that draws r for role and r's glyph in it: the role's own face,
// else the fallback face; glyph 0 when neither has r (fc then the role's face, or
// the fallback face for a role out of range).
func (s *Set) find(role spec.Role, r rune) (f *face, fc spec.Face, g uint16) {
	if role >= 0 && role < spec.NumRoles {
		fc = spec.RoleFace(role)
		if f := s.face(fc); f != nil {
			if g := f.glyphID(r); g != 0 {
				return f, fc, g
			}
		}
	}
	if f := s.face(spec.FaceFallback); f != nil {
		if g := f.glyphID(r); g != 0 {
			return f, spec.FaceFallback, g
		}
	}
	if role >= 0 && role < spec.NumRoles {
		return nil, spec.RoleFace(role), 0
	}
	return nil, spec.FaceFallback, 0
}

// Subset is one face cut down to a document's characters: the TrueType file (File,
// Size; built only when asked) and what a PDF writer needs to embed it, so that
// nobody parses the file again.
type Subset struct {
	// PostScriptName is the face's own PostScript name (name ID 6), also in the file's name
	// table; a PDF writer prefixes its subset tag.
	PostScriptName string
	// Runes are the characters, sorted and distinct; GIDs[i] is Runes[i]'s glyph in the file
	// and Advances[i] its advance in font units.
	Runes    []rune
	GIDs     []uint16
	Advances []int
	// Font-wide metrics in font units: head's bounding box, hhea's ascent and descent,
	// OS/2's cap height (the ascent when the font has none).
	UnitsPerEm                 int
	BBox                       [4]int
	Ascent, Descent, CapHeight int

	packing *packing // the file and how to compress it (subsetdeflate.go); nil: no file
}

// Cut returns the face holding only the given characters (plus .notdef), small
// enough to embed per document. Every rune must be in that face itself (ask Glyph
// which face draws it); duplicates are fine. The output depends only on the font and
// the set of runes.
func (s *Set) Cut(fc spec.Face, runes []rune) (*Subset, error) {
	if !fc.Valid() {
		return nil, fmt.Errorf("fonts: subset: unknown face %d", fc)
	}
	if s.face(fc) == nil {
		return nil, fmt.Errorf("fonts: subset: the %s face's file is missing", fc)
	}
	sub, err := s.face(fc).subset(runes)
	if err != nil {
		return nil, fmt.Errorf("fonts: subset %s face: %w", fc, err)
	}
	return sub, nil
}

// Subset returns the TrueType file of Cut (for gofpdf and other readers of plain
// font files).
func (s *Set) Subset(fc spec.Face, runes []rune) ([]byte, error) {
	sub, err := s.Cut(fc, runes)
	if err != nil {
		return nil, err
	}
	return sub.File(), nil
}

// File returns the face's whole font file (embedded, GPL stand-in or operator), nil
// when it is missing. Do not modify it.
func (s *Set) File(fc spec.Face) []byte {
	if !fc.Valid() || s.face(fc) == nil {
		return nil
	}
	return s.face(fc).data
}

//go:embed coverage.txt
var coverageTxt string

var coverage = sync.OnceValue(func() []rune {
	var out []rune
	for _, line := range strings.Split(coverageTxt, "\n") {
		if !strings.HasPrefix(line, "U+") {
			continue
		}
		hex, _, _ := strings.Cut(line[2:], "\t")
		v, err := strconv.ParseUint(hex, 16, 32)
		if err == nil {
			out = append(out, rune(v))
		}
	}
	return out
})

// Coverage lists, in code point order, the characters every role must draw (own face
// or the fallback face) and the fallback face must have: GB 2312, the 通用规范汉字表 (all
// 8,105, those of CJK Extensions B-F included),
// ASCII, CJK punctuation, full-width forms and the symbols of fonts/README.md.
func Coverage() []rune { return append([]rune(nil), coverage()...) }
