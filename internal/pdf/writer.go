package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"

	"gongwen/internal/spec"
	"gongwen/internal/typeset"
)

// Creator and Producer of every file.
const (
	creator  = "Gongwen"
	producer = "Gongwen (github.com/jung-kurt/gofpdf 1.16.2)"
)

// familyPad is put before each role's name in the family name given to gofpdf.
// gofpdf names a UTF-8 font "utf8"+family; "utf8"+familyPad is exactly as long as a
// subset tag ("ABCDEF+"), so the finished file can be patched in place (same length,
// cross-reference offsets unchanged) to carry the tag PDF readers expect of subsets.
const familyPad = "zzz"

// posTolerance is how far (points) a drawn glyph may stray from the typesetter's X
// before a run is split into another text-showing operation.
const posTolerance = 0.01

// write draws lay as a PDF.
func write(lay *typeset.Layout, in info, src fontSource) (out []byte, err error) {
	defer func() {
		// gofpdf indexes font tables without bounds checks: a broken font must come
		// back as an error, never a crash.
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("pdf: gofpdf failed: %v", p)
		}
	}()
	if len(lay.Pages) == 0 {
		return nil, errors.New("pdf: layout has no pages")
	}
	used, err := usedRunes(lay)
	if err != nil {
		return nil, err
	}

	pdf := gofpdf.NewCustom(&gofpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "pt",
		Size:           gofpdf.SizeType{Wd: spec.PageWidth, Ht: spec.PageHeight},
	})
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	if in.Date.IsZero() {
		return nil, errors.New("pdf: no document date") // gofpdf would use the clock
	}
	pdf.SetCreationDate(in.Date)
	pdf.SetModificationDate(in.Date)
	pdf.SetTitle(in.Title, true)
	pdf.SetAuthor(in.Author, true)
	pdf.SetSubject(in.Subject, true)
	pdf.SetCreator(creator, true)
	pdf.SetProducer(producer, true)

	// Register one subset per role used, and read back the advance widths gofpdf
	// writes into the file: the text operators below are computed with them, so
	// every glyph lands where the typesetter put it whatever the viewer.
	var widths [spec.NumRoles]map[rune]float64 // em
	var tags [spec.NumRoles]string
	for _, role := range spec.Roles {
		runes := used[role]
		if len(runes) == 0 {
			continue
		}
		ttf, err := src.Subset(role, runes)
		if err != nil {
			return nil, fmt.Errorf("pdf: subset %s font: %w", role, err)
		}
		if err := checkCmap(ttf, runes); err != nil {
			return nil, fmt.Errorf("pdf: subset %s font: %w", role, err)
		}
		pdf.AddUTF8FontFromBytes(family(role), "", ttf)
		// gofpdf prints some font errors instead of returning them and then leaves
		// the font unregistered: SetFont reports that as an error.
		pdf.SetFont(family(role), "", spec.BodySize)
		if err := pdf.Error(); err != nil {
			return nil, fmt.Errorf("pdf: load %s font subset: %w", role, err)
		}
		w := make(map[rune]float64, len(runes))
		for _, r := range runes {
			w[r] = float64(pdf.GetStringSymbolWidth(string(r))) / 1000
		}
		widths[role] = w
		tags[role] = subsetTag(role, runes)
	}

	outline := outlineLevels(lay.Bookmarks)
	var marks [][]int // bookmark indexes per page, in document order
	marks = make([][]int, len(lay.Pages))
	for i, b := range lay.Bookmarks {
		if b.Page < 0 || b.Page >= len(lay.Pages) {
			return nil, fmt.Errorf("pdf: bookmark %q on page index %d of %d", b.Title, b.Page, len(lay.Pages))
		}
		marks[b.Page] = append(marks[b.Page], i)
	}

	var text []byte
	for pi := range lay.Pages {
		page := &lay.Pages[pi]
		pdf.AddPage()
		if len(marks[pi]) > 0 {
			// gofpdf writes outline titles as UTF-16 only while a UTF-8 font is set.
			if err := selectAnyFont(pdf, used); err != nil {
				return nil, err
			}
			for _, bi := range marks[pi] {
				b := lay.Bookmarks[bi]
				pdf.Bookmark(b.Title, outline[bi], b.Y)
			}
		}
		for _, r := range page.Rules {
			pdf.SetLineWidth(r.Width)
			pdf.Line(r.X1, r.Y1, r.X2, r.Y2)
		}
		tc := 0.0 // character spacing in force; every page starts with 0
		for ri := range page.Runs {
			run := &page.Runs[ri]
			if len(run.Glyphs) == 0 {
				continue
			}
			pdf.SetFont(family(run.Font), "", run.Size)
			text = drawRun(pdf, run, widths[run.Font], &tc, text)
		}
		if err := pdf.Error(); err != nil {
			return nil, fmt.Errorf("pdf: page %d: %w", pi+1, err)
		}
	}

	var buf bytes.Buffer
	buf.Grow(64 << 10)
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: write: %w", err)
	}
	out = buf.Bytes()
	for _, role := range spec.Roles {
		if tags[role] == "" {
			continue
		}
		if out, err = tagSubset(out, role, tags[role]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// drawRun shows a run's glyphs. Glyphs whose gaps are uniform (a justified CJK line:
// every glyph one cell apart) go out as one string with the gap as character spacing
// (Tc); a run is split where the gap changes. gofpdf's Text records the characters
// for the font subset and the ToUnicode map and encodes them as the font expects.
func drawRun(pdf *gofpdf.Fpdf, run *typeset.Run, w map[rune]float64, tc *float64, buf []byte) []byte {
	gs := run.Glyphs
	adv := func(r rune) float64 { return w[r] * run.Size }
	for i := 0; i < len(gs); {
		j := i + 1
		c := 0.0
		if j < len(gs) {
			c = math.Round((gs[j].X-gs[i].X-adv(gs[i].R))*1e4) / 1e4
		}
		p := gs[i].X
		for j < len(gs) {
			p += adv(gs[j-1].R) + c
			if math.Abs(p-gs[j].X) > posTolerance {
				break
			}
			j++
		}
		if j-i > 1 && c != *tc {
			pdf.RawWriteStr(strconv.FormatFloat(c, 'f', -1, 64) + " Tc")
			*tc = c
		}
		buf = buf[:0]
		for _, g := range gs[i:j] {
			buf = utf8.AppendRune(buf, g.R)
		}
		pdf.Text(gs[i].X, run.Y, string(buf))
		i = j
	}
	return buf
}

// usedRunes lists, per font, the characters the layout draws, sorted. gofpdf encodes
// text as UTF-16 code units mapped 1:1 to glyphs, so characters outside the Basic
// Multilingual Plane cannot be drawn; control characters have no glyph.
func usedRunes(lay *typeset.Layout) ([spec.NumRoles][]rune, error) {
	var sets [spec.NumRoles]map[rune]struct{}
	var out [spec.NumRoles][]rune
	for pi := range lay.Pages {
		for _, run := range lay.Pages[pi].Runs {
			if run.Font < 0 || run.Font >= spec.NumRoles {
				return out, fmt.Errorf("pdf: page %d: run with unknown font %d", pi+1, run.Font)
			}
			if run.Size <= 0 {
				return out, fmt.Errorf("pdf: page %d: run with type size %g", pi+1, run.Size)
			}
			s := sets[run.Font]
			if s == nil {
				s = make(map[rune]struct{}, 1024)
				sets[run.Font] = s
			}
			for _, g := range run.Glyphs {
				if g.R < 0x20 || g.R > 0xFFFF || (g.R >= 0xD800 && g.R <= 0xDFFF) || g.R == 0x7F {
					return out, fmt.Errorf("pdf: page %d: character U+%04X cannot be drawn", pi+1, g.R)
				}
				s[g.R] = struct{}{}
			}
		}
	}
	for role, s := range sets {
		if len(s) == 0 {
			continue
		}
		rs := make([]rune, 0, len(s))
		for r := range s {
			rs = append(rs, r)
		}
		slices.Sort(rs)
		out[role] = rs
	}
	return out, nil
}

// outlineLevels maps heading levels (1-4) to gofpdf outline levels (0-based): an
// entry's depth is the number of open headings above it, so a skipped level (a
// level-3 heading right under a level-1 one) never leaves an entry without a parent
// (gofpdf links an entry to the last entry one level up).
func outlineLevels(bs []typeset.Bookmark) []int {
	out := make([]int, len(bs))
	var open []int // levels of the enclosing headings
	for i, b := range bs {
		for len(open) > 0 && open[len(open)-1] >= b.Level {
			open = open[:len(open)-1]
		}
		out[i] = len(open)
		open = append(open, b.Level)
	}
	return out
}

func selectAnyFont(pdf *gofpdf.Fpdf, used [spec.NumRoles][]rune) error {
	for _, role := range spec.Roles {
		if len(used[role]) > 0 {
			pdf.SetFont(family(role), "", spec.BodySize)
			return pdf.Error()
		}
	}
	return errors.New("pdf: bookmarks in a document without text")
}

func family(role spec.Role) string { return familyPad + role.Name() }

// subsetTag is the six-letter subset tag of a font subset (PDF 32000 9.6.4), derived
// from its content so that the same document gets the same tag.
func subsetTag(role spec.Role, runes []rune) string {
	h := fnv.New64a()
	h.Write([]byte(role.Name()))
	var b []byte
	for _, r := range runes {
		b = utf8.AppendRune(b[:0], r)
		h.Write(b)
	}
	v := h.Sum64()
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = byte('A' + v%26)
		v /= 26
	}
	return string(tag)
}

// tagSubset renames gofpdf's "/utf8zzzNAME" font names to "/TAG+NAME" (the same
// length) in the font's three dictionaries (Type0, CIDFont, FontDescriptor).
func tagSubset(pdf []byte, role spec.Role, tag string) ([]byte, error) {
	old := []byte("/utf8" + family(role) + "\n")
	repl := []byte("/" + tag + "+" + role.Name() + "\n")
	if len(old) != len(repl) {
		return nil, errors.New("pdf: subset tag length mismatch")
	}
	if n := bytes.Count(pdf, old); n != 3 {
		return nil, fmt.Errorf("pdf: %s font named %d times, want 3 (gofpdf output changed?)", role, n)
	}
	return bytes.ReplaceAll(pdf, old, repl), nil
}
