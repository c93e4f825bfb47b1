package pdf

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gongwen/internal/fonts"
	"gongwen/internal/spec"
	"gongwen/internal/testtool"
)

// testSource is the project's font set as a fontSource, for layouts made by hand.
var testSource fontSource = defaultSource{}

type defaultSource struct{}

func (defaultSource) Cut(role spec.Face, runes []rune) (*fonts.Subset, error) {
	set, err := fonts.Default()
	if err != nil {
		return nil, err
	}
	return set.Cut(role, runes)
}

// requireFonts fails the test when the embedded fonts do not load.
func requireFonts(t testing.TB) {
	t.Helper()
	defaultFonts(t)
}

// advanceOf is a font's advance of r in em (for hand-made layouts).
func advanceOf(t testing.TB, role spec.Role, r rune) float64 {
	t.Helper()
	font, adv, ok := defaultFonts(t).Glyph(role, r)
	if !ok || font != spec.RoleFace(role) {
		t.Fatalf("the %s font has no %q", role, r)
	}
	return adv
}

// psName is each stand-in face's own PostScript name, as mutool and pdffonts read it
// from the PDF (literal, not from the font files: a wrong name must fail).
var psName = map[spec.Face]string{
	spec.RoleFace(spec.RoleFangsong): "FandolFang-Regular",
	spec.RoleFace(spec.RoleKai):      "FandolKai-Regular",
	spec.RoleFace(spec.RoleTitle):    "NotoSerifCJKsc-Bold",
	spec.RoleFace(spec.RoleHei):      "NotoSansCJKsc-Medium",
	spec.RoleFace(spec.RoleSong):     "NotoSerifCJKsc-Regular",
	spec.FaceFallback:                "NotoSerifCJKsc-Light",
}

// stextChar is one character as mutool reads it back.
type stextChar struct {
	C    rune
	X, Y float64 // origin: left end of the baseline
	W    float64 // advance (width of the glyph's box)
	Font string
	Size float64
}

// readStext runs `mutool draw -F stext` and returns the characters of every page.
func readStext(t testing.TB, pdf []byte) [][]stextChar {
	t.Helper()
	mutool := testtool.Require(t, "mutool")
	path := writeTemp(t, pdf)
	out, err := exec.Command(mutool, "draw", "-q", "-F", "stext", "-o", "-", path).Output()
	if err != nil {
		t.Fatalf("mutool draw: %v", err)
	}
	type xchar struct {
		C    string `xml:"c,attr"`
		Quad string `xml:"quad,attr"`
		X    string `xml:"x,attr"`
		Y    string `xml:"y,attr"`
	}
	type xfont struct {
		Name  string  `xml:"name,attr"`
		Size  string  `xml:"size,attr"`
		Chars []xchar `xml:"char"`
	}
	type xline struct {
		Fonts []xfont `xml:"font"`
	}
	type xblock struct {
		Lines []xline `xml:"line"`
	}
	type xpage struct {
		Blocks []xblock `xml:"block"`
	}
	type xdoc struct {
		Pages []xpage `xml:"page"`
	}
	var d xdoc
	if err := xml.Unmarshal(out, &d); err != nil {
		t.Fatalf("parse stext: %v", err)
	}
	var pages [][]stextChar
	for _, p := range d.Pages {
		var cs []stextChar
		for _, b := range p.Blocks {
			for _, l := range b.Lines {
				for _, f := range l.Fonts {
					size, _ := strconv.ParseFloat(f.Size, 64)
					for _, c := range f.Chars {
						x, _ := strconv.ParseFloat(c.X, 64)
						y, _ := strconv.ParseFloat(c.Y, 64)
						r := []rune(c.C)
						if len(r) != 1 {
							t.Fatalf("stext char %q is not one character", c.C)
						}
						var q [8]float64
						for i, v := range strings.Fields(c.Quad) {
							if i < 8 {
								q[i], _ = strconv.ParseFloat(v, 64)
							}
						}
						cs = append(cs, stextChar{C: r[0], X: x, Y: y, W: q[2] - q[0], Font: f.Name, Size: size})
					}
				}
			}
		}
		pages = append(pages, cs)
	}
	return pages
}

// pdfText runs pdftotext in content-stream order (-raw) and returns each page's text.
func pdfText(t testing.TB, pdf []byte) []string {
	t.Helper()
	tool := testtool.Require(t, "pdftotext")
	path := writeTemp(t, pdf)
	out, err := exec.Command(tool, "-raw", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

func qpdfCheck(t testing.TB, pdf []byte) {
	t.Helper()
	tool := testtool.Require(t, "qpdf")
	path := writeTemp(t, pdf)
	out, err := exec.Command(tool, "--check", path).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("No syntax or stream encoding errors")) {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	if bytes.Contains(out, []byte("WARNING")) {
		t.Fatalf("qpdf --check warns:\n%s", out)
	}
}

// pdfFonts runs pdffonts and returns its table rows (after the two header lines).
func pdfFonts(t testing.TB, pdf []byte) [][]string {
	t.Helper()
	tool := testtool.Require(t, "pdffonts")
	out, err := exec.Command(tool, writeTemp(t, pdf)).Output()
	if err != nil {
		t.Fatalf("pdffonts: %v", err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("pdffonts printed no table:\n%s", out)
	}
	var rows [][]string
	for _, l := range lines[2:] {
		rows = append(rows, strings.Fields(l))
	}
	return rows
}

// pdfInfo runs pdfinfo and returns its key/value pairs.
func pdfInfo(t testing.TB, pdf []byte) map[string]string {
	t.Helper()
	tool := testtool.Require(t, "pdfinfo")
	out, err := exec.Command(tool, "-enc", "UTF-8", writeTemp(t, pdf)).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := map[string]string{}
	for _, l := range strings.Split(string(out), "\n") {
		k, v, ok := strings.Cut(l, ":")
		if ok {
			m[k] = strings.TrimSpace(v)
		}
	}
	return m
}

// outline reads the bookmarks back with `mutool show FILE outline`: one line per
// entry, indented by level.
func outline(t testing.TB, pdf []byte) []string {
	t.Helper()
	mutool := testtool.Require(t, "mutool")
	out, err := exec.Command(mutool, "show", writeTemp(t, pdf), "outline").Output()
	if err != nil {
		t.Fatalf("mutool show outline: %v", err)
	}
	return strings.Split(strings.TrimRight(string(out), "\n"), "\n")
}

func writeTemp(t testing.TB, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
