package ofd

import (
	"encoding/json"
	"fmt"

	"image/png"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gongwen/internal/testtool"
)

// The independent reader: ofd.js 0.2.6 (npm, Apache-2.0, pure JavaScript) in headless
// Chromium, installed by scripts/test-tools.sh into test-tools/node_modules. ofd.js
// 1.x hands parsing to parser_helper_x.js, an Emscripten binary whose README asks for
// a licence code (secret/digest): 0.2.6 is the last release that reads OFD itself.

// readerScale is ofd.js's pixels per millimetre (101.6 dpi).
const readerScale = 4

// Pixel tolerances, measured on the examples (see TestReaderRendersLikePDF): ofd.js
// draws each glyph as SVG text with the browser's rasteriser, pdftoppm with poppler's,
// so edges differ by a pixel or so; a glyph out of place by more than half a millimetre
// (2 px), a missing line or a missing rule shows up as unmatched ink. With every
// package font declared under the family ofd.js asks for, the worst page of the three
// documents leaves 0.2 % of its ink unmatched (Chromium 156, poppler 22.02); a line in a
// substitute face leaves 2–3 %.
const (
	inkRadius  = 2     // px: ink in one image matches ink this close in the other
	maxUnmatch = 0.005 // of all ink pixels, the share with no match in the other image
	darkLevel  = 160   // grey level below which a pixel is ink
)

// readerTools finds node, Chromium and the installed ofd.js, or skips (fails under CI).
func readerTools(t *testing.T) (node, script string) {
	t.Helper()
	node = testtool.Require(t, "node")
	chromium := "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		testtool.Require(t, "chromium")
	}
	dir, err := filepath.Abs(filepath.Join("..", "..", "test-tools"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "ofd.js", "lib", "ofd.umd.js")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("ofd.js is required under CI (scripts/test-tools.sh installs it): %v", err)
		}
		t.Skipf("ofd.js not installed (run scripts/test-tools.sh): %v", err)
	}
	return node, filepath.Join(dir, "ofdjs-render.mjs")
}

type readerPage struct {
	PNG    string `json:"png"`
	Text   string `json:"text"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// readWithOFDJS renders every page of the package with ofd.js. The package's own font
// files are declared to the page by family name, each for the characters it draws
// (ofd.js looks fonts up by name and never loads FontFile itself).
func readWithOFDJS(t *testing.T, p *ofdPackage, data []byte) []readerPage {
	t.Helper()
	node, script := readerTools(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "doc.ofd")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	type fontFace struct {
		Family string `json:"family"`
		File   string `json:"file"`
		Chars  string `json:"chars"`
	}
	chars := map[int]map[rune]bool{}
	for _, objs := range p.objects {
		for _, o := range objs {
			if chars[o.Font] == nil {
				chars[o.Font] = map[rune]bool{}
			}
			for _, r := range o.Text {
				chars[o.Font][r] = true
			}
		}
	}
	var fonts []fontFace
	for id := 1; id <= p.doc.MaxUnitID; id++ {
		f, ok := p.fonts[id]
		if !ok {
			continue
		}
		ff := filepath.Join(dir, fmt.Sprintf("font-%d.ttf", id))
		if err := os.WriteFile(ff, p.files[p.fontLoc[id]], 0o644); err != nil {
			t.Fatal(err)
		}
		var cs []rune
		for r := range chars[id] {
			cs = append(cs, r)
		}
		slices.Sort(cs)
		fonts = append(fonts, fontFace{f.FamilyName, ff, string(cs)})
	}
	fj, _ := json.Marshal(fonts)
	fontsFile := filepath.Join(dir, "fonts.json")
	if err := os.WriteFile(fontsFile, fj, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, script, file, dir, strconv.Itoa(readerScale), fontsFile)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ofd.js in Chromium: %v\n%s", err, stderr.String())
	}
	var res struct {
		Pages  []readerPage `json:"pages"`
		Errors []string     `json:"errors"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("reader output: %v\n%.500s", err, out)
	}
	if len(res.Errors) > 0 {
		t.Errorf("ofd.js reported errors: %q", res.Errors)
	}
	return res.Pages
}

// gray is a greyscale raster.
type gray struct {
	w, h int
	px   []uint8
}

func loadPNG(t *testing.T, path string) gray {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b := img.Bounds()
	g := gray{w: b.Dx(), h: b.Dy(), px: make([]uint8, b.Dx()*b.Dy())}
	for y := 0; y < g.h; y++ {
		for x := 0; x < g.w; x++ {
			r, gg, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			g.px[y*g.w+x] = uint8((299*r + 587*gg + 114*bb) / 1000 >> 8)
		}
	}
	return g
}

// pdfRaster rasterises PDF page n (1-based) with pdftoppm at exactly w × h pixels.
func pdfRaster(t *testing.T, pdfFile string, n, w, h int) gray {
	t.Helper()
	tool := testtool.Require(t, "pdftoppm")
	prefix := filepath.Join(t.TempDir(), "p")
	cmd := exec.Command(tool, "-png", "-gray", "-f", strconv.Itoa(n), "-l", strconv.Itoa(n),
		"-scale-to-x", strconv.Itoa(w), "-scale-to-y", strconv.Itoa(h), "-singlefile", pdfFile, prefix)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	return loadPNG(t, prefix+".png")
}

// unmatched is the share of ink pixels (in either image) with no ink within inkRadius
// in the other image, and the ink share of a.
func unmatched(a, b gray) (share, ink float64) {
	dark := func(g gray, x, y int) bool { return g.px[y*g.w+x] < darkLevel }
	near := func(g gray, x, y int) bool {
		for dy := -inkRadius; dy <= inkRadius; dy++ {
			for dx := -inkRadius; dx <= inkRadius; dx++ {
				xx, yy := x+dx, y+dy
				if xx >= 0 && yy >= 0 && xx < g.w && yy < g.h && dark(g, xx, yy) {
					return true
				}
			}
		}
		return false
	}
	var total, miss, inkA int
	for y := 0; y < a.h; y++ {
		for x := 0; x < a.w; x++ {
			if dark(a, x, y) {
				total++
				inkA++
				if !near(b, x, y) {
					miss++
				}
			}
			if dark(b, x, y) {
				total++
				if !near(a, x, y) {
					miss++
				}
			}
		}
	}
	if total == 0 {
		return 0, 0
	}
	return float64(miss) / float64(total), float64(inkA) / float64(a.w*a.h)
}

// TestReaderRendersLikePDF: ofd.js renders every page of the examples and of a
// generated report with long tables; each page matches the PDF's page as pdftoppm
// rasterises it, and the text ofd.js holds is the PDF's text.
func TestReaderRendersLikePDF(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	readerTools(t)
	docs := map[string][]byte{
		"wuchuan":   exampleJSON(t, "wuchuan-2023.json"),
		"allfields": exampleJSON(t, "all-fields.json"),
		"generated": genReportJSON(rand.New(rand.NewSource(42)), 6),
	}
	for _, name := range []string{"wuchuan", "allfields", "generated"} {
		t.Run(name, func(t *testing.T) {
			r := renderBoth(t, docFromJSON(t, docs[name]))
			p := readPackage(t, r.ofd)
			pages := readWithOFDJS(t, p, r.ofd)
			if len(pages) != len(r.lay.Pages) {
				t.Fatalf("ofd.js rendered %d pages, the document has %d", len(pages), len(r.lay.Pages))
			}
			pdfFile := writeTemp(t, "doc.pdf", r.pdf)
			pdfPages := pdfText(t, r.pdf)
			worst := 0.0
			for i, pg := range pages {
				// The page is A4 at readerScale px/mm.
				if pg.Width != 210*readerScale || pg.Height != 297*readerScale {
					t.Errorf("page %d: ofd.js page %d × %d px, want %d × %d", i+1, pg.Width, pg.Height, 210*readerScale, 297*readerScale)
				}
				if got, want := stripSpace(pg.Text), stripSpace(pdfPages[i]); got != want {
					t.Errorf("page %d: text in ofd.js differs from the PDF's:\n ofd.js %q\n pdf    %q", i+1, got, want)
				}
				a := loadPNG(t, pg.PNG)
				b := pdfRaster(t, pdfFile, i+1, a.w, a.h)
				share, ink := unmatched(a, b)
				if d := os.Getenv("OFD_KEEP"); d != "" { // keep ofd.js's pages to look at
					os.WriteFile(filepath.Join(d, fmt.Sprintf("%s-%d-ofd.png", name, i+1)), mustRead(pg.PNG), 0o644)
				}
				_, pdfInk := unmatched(b, a)
				worst = max(worst, share)
				t.Logf("page %d: ink %.4f (PDF %.4f), %.3f%% unmatched", i+1, ink, pdfInk, share*100)
				if ink < pdfInk/2 {
					t.Errorf("page %d: ofd.js inked %.4f of the page, the PDF %.4f", i+1, ink, pdfInk)
				}
				if share > maxUnmatch {
					t.Errorf("page %d: %.2f%% of the ink differs from the PDF's page (tolerance %.0f%%); ofd.js page at %s", i+1, share*100, maxUnmatch*100, pg.PNG)
				}
			}
			t.Logf("%d pages; worst page: %.3f%% of ink unmatched within %d px", len(pages), worst*100, inkRadius)
		})
	}
}

func mustRead(p string) []byte {
	b, _ := os.ReadFile(p)
	return b
}

// TestReaderDrawsDocumentForm: ofd.js draws the document form's colours and images
// where the layout puts them: the red, condensed 发文机关标志, the red rule, the seal
// (beneath the text) and a second image on top. (The PDF writer does not draw these
// yet, so the check is against the layout, in the reader's own pixels.)
func TestReaderDrawsDocumentForm(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	readerTools(t)
	out, err := Write(formLayout(t), testInfo, defaultFonts(t))
	if err != nil {
		t.Fatal(err)
	}
	p := readPackage(t, out)
	pages := readWithOFDJS(t, p, out)
	if len(pages) != 2 {
		t.Fatalf("ofd.js rendered %d pages, want 2", len(pages))
	}
	f, err := os.Open(pages[0].PNG)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// at is the colour at a point given in points from the page's top-left corner.
	at := func(xpt, ypt float64) (r, g, b uint8) {
		x, y := int(xpt*25.4/72*readerScale), int(ypt*25.4/72*readerScale)
		cr, cg, cb, _ := img.At(x, y).RGBA()
		return uint8(cr >> 8), uint8(cg >> 8), uint8(cb >> 8)
	}
	count := func(x0, y0, x1, y1 float64, want func(r, g, b uint8) bool) int {
		n := 0
		for y := y0; y < y1; y += 0.5 {
			for x := x0; x < x1; x += 0.5 {
				if want(at(x, y)) {
					n++
				}
			}
		}
		return n
	}
	red := func(r, g, b uint8) bool { return r > 180 && g < 90 && b < 90 }
	blue := func(r, g, b uint8) bool { return b > 150 && r < 200 && g < 200 && b > r+40 }
	// The 标志: 8 glyphs of 60 pt condensed to 0.72 from x = 80, baseline 150.
	if n := count(80, 100, 80+8*60*0.72, 155, red); n < 500 {
		t.Errorf("标志: %d red samples, want the condensed red title", n)
	}
	if n := count(80+8*60*0.72+20, 100, 560, 155, red); n > 0 {
		t.Errorf("%d red samples right of the condensed 标志: it is not condensed", n)
	}
	if n := count(100, 199, 500, 201.5, red); n < 400 {
		t.Errorf("red rule: %d red samples", n)
	}
	if n := count(420, 270, 500, 350, red); n < 200 {
		t.Errorf("seal: %d red samples", n)
	}
	if n := count(12, 12, 28, 28, blue); n < 20 {
		t.Errorf("top image: %d blue samples", n)
	}
}
