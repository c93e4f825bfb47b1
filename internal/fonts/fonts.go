// Package fonts loads the font of every role once per process (the embedded
// stand-ins from the top-level fonts package, or the operator's files from
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
	"gongwen/internal/spec"
)

// EnvDir names the environment variable holding the operator's font directory.
const EnvDir = "GONGWEN_FONT_DIR"

// DefaultDir is where a Lambda layer's fonts/ directory lands.
const DefaultDir = "/opt/gongwen/fonts"

// FileName is the file an operator puts in the font directory to replace the role's
// stand-in: fangsong.ttf, title.ttf, hei.ttf, kai.ttf or song.ttf.
func FileName(role spec.Role) string { return role.Name() + ".ttf" }

// Set is the parsed font of every role. It is read-only after loading and safe for
// concurrent use.
type Set struct {
	faces    [spec.NumRoles]*face
	sources  [spec.NumRoles]string
	warnings []Warning
}

// Warning is an operator font that was not used, or is used but lacks characters.
type Warning struct {
	Role    spec.Role
	File    string
	Problem string
	Fix     string
}

func (w Warning) String() string {
	return fmt.Sprintf("font %s: %s %s; %s", w.Role, w.File, w.Problem, w.Fix)
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

// Load parses the font of every role: <dir>/<role>.ttf when present and usable, else
// the embedded stand-in. A missing directory or file is normal (no operator fonts);
// an unusable file is logged with slog.Warn, recorded in Warnings and skipped. The
// error is only for a broken build (an embedded font that does not parse).
func Load(dir string) (*Set, error) {
	s := &Set{}
	for _, role := range spec.Roles {
		if dir != "" {
			path := filepath.Join(dir, FileName(role))
			f, w := loadOperator(role, path)
			if w != nil {
				s.warn(*w)
			}
			if f != nil {
				s.faces[role], s.sources[role] = f, path
				slog.Info("operator font in use", "role", role.Name(), "file", path, "family", f.family)
				continue
			}
		}
		data := embedded.File(role.Name())
		f, err := parseFace(data)
		if err != nil {
			return nil, fmt.Errorf("fonts: embedded %s font: %w", role, err)
		}
		s.faces[role], s.sources[role] = f, "embedded"
	}
	s.checkCoverage()
	return s, nil
}

func loadOperator(role spec.Role, path string) (*face, *Warning) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	keep := "; the embedded stand-in is used instead"
	if err != nil {
		fix := "check the file's permissions"
		if !errors.Is(err, fs.ErrPermission) {
			// Not a directory, a directory named like the file, an I/O error.
			fix = fmt.Sprintf("make $%s a directory holding the font as the regular file %s", EnvDir, FileName(role))
		}
		return nil, &Warning{role, path, "cannot be read: " + err.Error(), fix + keep}
	}
	f, err := parseFace(data)
	if err != nil {
		var p *problem
		if errors.As(err, &p) {
			return nil, &Warning{role, path, p.what, p.fix + keep}
		}
		return nil, &Warning{role, path, err.Error(), "replace the file" + keep}
	}
	return f, nil
}

func (s *Set) warn(w Warning) {
	s.warnings = append(s.warnings, w)
	slog.Warn("operator font not fully usable", "role", w.Role.Name(), "file", w.File,
		"problem", w.Problem, "fix", w.Fix)
}

// checkCoverage warns about operator fonts lacking characters of the coverage list:
// a role's missing ones fall back to the body font, the body font's are not printable.
func (s *Set) checkCoverage() {
	cov := Coverage()
	for _, role := range spec.Roles {
		if s.sources[role] == "embedded" {
			continue
		}
		var miss []rune
		for _, r := range cov {
			if s.faces[role].gid[r] == 0 {
				miss = append(miss, r)
			}
		}
		if len(miss) == 0 {
			continue
		}
		ex := string(miss[:min(len(miss), 20)])
		w := Warning{Role: role, File: s.sources[role],
			Problem: fmt.Sprintf("lacks %d of the %d characters of the coverage list (%s…)", len(miss), len(cov), ex)}
		if role == spec.RoleFangsong {
			w.Fix = "reports using them fail with a missing-character error; use a fuller font or remove the file to use the stand-in"
		} else {
			w.Fix = "those characters are drawn in the body font"
		}
		s.warn(w)
	}
}

// Warnings lists the operator font problems found at load time, in role order.
func (s *Set) Warnings() []Warning { return append([]Warning(nil), s.warnings...) }

// Name is the family name of the role's font as Windows groups faces (name ID 1), for
// a DOCX's alternate font: "Noto Serif CJK SC Light" (fangsong), "Noto Serif CJK SC"
// (title: its Bold face; song: Regular), "Noto Sans CJK SC Medium", "AR PL UKai CN", or
// the operator font's own family.
func (s *Set) Name(role spec.Role) string {
	if role < 0 || role >= spec.NumRoles {
		return ""
	}
	return s.faces[role].family
}

// Source is "embedded" or the path of the operator file the role's font came from.
func (s *Set) Source(role spec.Role) string {
	if role < 0 || role >= spec.NumRoles {
		return ""
	}
	return s.sources[role]
}

// Has reports whether the role's own font (not the fallback) draws r.
func (s *Set) Has(role spec.Role, r rune) bool {
	return role >= 0 && role < spec.NumRoles && r >= 0 && r < 0xFFFF && s.faces[role].gid[r] != 0
}

// Glyph implements typeset.Metrics: the role's own font when it has r, else the body
// font (fangsong), else ok is false. Characters outside the BMP are never found
// (gofpdf reads only the BMP character map).
func (s *Set) Glyph(role spec.Role, r rune) (font spec.Role, advance float64, ok bool) {
	if r < 0 || r >= 0xFFFF {
		return role, 0, false
	}
	if role >= 0 && role < spec.NumRoles {
		if f := s.faces[role]; f.gid[r] != 0 {
			return role, float64(f.advance(int(f.gid[r]))) / f.unitsPerEm, true
		}
	}
	if f := s.faces[spec.RoleFangsong]; f.gid[r] != 0 {
		return spec.RoleFangsong, float64(f.advance(int(f.gid[r]))) / f.unitsPerEm, true
	}
	return role, 0, false
}

// Subset is one role's font cut down to a document's characters: the TrueType file
// and what a PDF writer needs to embed it, so that nobody parses the file again.
type Subset struct {
	TTF []byte
	// Runes are the characters, sorted and distinct; GIDs[i] is Runes[i]'s glyph in TTF
	// and Advances[i] its advance in font units.
	Runes    []rune
	GIDs     []uint16
	Advances []int
	// Font-wide metrics in font units: head's bounding box, hhea's ascent and descent,
	// OS/2's cap height (the ascent when the font has none).
	UnitsPerEm                 int
	BBox                       [4]int
	Ascent, Descent, CapHeight int
}

// Cut returns the role's font holding only the given characters (plus .notdef), small
// enough to embed per document. Every rune must be in that font itself (ask Glyph
// which font draws it); duplicates are fine. The output depends only on the font and
// the set of runes.
func (s *Set) Cut(font spec.Role, runes []rune) (*Subset, error) {
	if font < 0 || font >= spec.NumRoles {
		return nil, fmt.Errorf("fonts: subset: unknown role %d", font)
	}
	sub, err := s.faces[font].subset(runes)
	if err != nil {
		return nil, fmt.Errorf("fonts: subset %s font: %w", font, err)
	}
	return sub, nil
}

// Subset returns the TrueType file of Cut (for gofpdf and other readers of plain
// font files).
func (s *Set) Subset(font spec.Role, runes []rune) ([]byte, error) {
	sub, err := s.Cut(font, runes)
	if err != nil {
		return nil, err
	}
	return sub.TTF, nil
}

// File returns the role's whole font file (embedded or operator). Do not modify it.
func (s *Set) File(role spec.Role) []byte { return s.faces[role].data }

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

// Coverage lists, in code point order, the characters every role must draw (own font
// or body fallback) and the body font must have: GB 2312, the 通用规范汉字表 (BMP part),
// ASCII, CJK punctuation, full-width forms and the symbols of fonts/README.md.
func Coverage() []rune { return append([]rune(nil), coverage()...) }
