package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"gongwen/internal/spec"
	"gongwen/internal/testtool"
)

// inkDPI is the resolution the pages are rasterised at: 4 pixels a point.
const inkDPI = 288

// grayPage is one rasterised page: dark[y*w+x] when the pixel is inked.
type grayPage struct {
	w, h int
	dark []bool
}

// rasterise renders pages first..last of pdf to grayscale with pdftoppm.
func rasterise(t *testing.T, pdf []byte, first, last int) []grayPage {
	t.Helper()
	tool := testtool.Require(t, "pdftoppm")
	in := writeTemp(t, pdf)
	prefix := filepath.Join(t.TempDir(), "p")
	cmd := exec.Command(tool, "-r", strconv.Itoa(inkDPI), "-gray", "-f", strconv.Itoa(first), "-l", strconv.Itoa(last), in, prefix)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(prefix + "-*.pgm")
	if len(files) != last-first+1 {
		t.Fatalf("pdftoppm wrote %d pages, want %d", len(files), last-first+1)
	}
	var pages []grayPage
	for _, f := range files { // Glob sorts; page numbers are zero-padded alike
		pages = append(pages, readPGM(t, f))
	}
	return pages
}

func readPGM(t *testing.T, path string) grayPage {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var w, h, maxv int
	r := bytes.NewReader(data)
	var magic string
	if _, err := fmt.Fscan(r, &magic, &w, &h, &maxv); err != nil || magic != "P5" || maxv != 255 {
		t.Fatalf("%s: not an 8-bit PGM (%v)", path, err)
	}
	px := data[len(data)-w*h:]
	g := grayPage{w: w, h: h, dark: make([]bool, w*h)}
	for i, v := range px {
		g.dark[i] = v < 128
	}
	return g
}

// The pixels, not the boxes: every inked pixel of a page lies inside the type area
// (anti-aliasing aside), except the page number, whose dashes' top is 7 mm below it.
func TestInkInsideTypeArea(t *testing.T) {
	doc := exampleDoc(t, "all-fields.json")
	res, lay := render(t, doc)
	pages := rasterise(t, res.Bytes, 1, min(2, res.Pages))
	const s = inkDPI / 72.0 // pixels a point
	const slack = 0.5       // pt: two pixels of anti-aliasing
	for pi, g := range pages {
		// The page number's first glyph (a dash) from the layout.
		var dashX0, dashX1 float64
		for _, r := range lay.Pages[pi].Runs {
			if r.Para == -1 && len(r.Glyphs) > 0 && dashX1 == 0 {
				dashX0, dashX1 = r.Glyphs[0].X, r.Glyphs[0].X+float64(r.Glyphs[0].W)
			}
		}
		if dashX1 == 0 {
			t.Fatalf("page %d: no page number in the layout", pi+1)
		}
		minX, maxX, minY, maxY := 1e9, -1e9, 1e9, -1e9
		dashTop := 1e9
		inked := 0
		for y := 0; y < g.h; y++ {
			for x := 0; x < g.w; x++ {
				if !g.dark[y*g.w+x] {
					continue
				}
				px, py := float64(x)/s, float64(y)/s
				if py > spec.TypeBottom+slack {
					// Below the type area only the page number may be drawn.
					if py > spec.TypeBottom+spec.PageNumberGap+spec.PageNumberSize {
						t.Errorf("page %d: ink at (%.1f, %.1f) below the page number", pi+1, px, py)
						return
					}
					if px >= dashX0+1 && px+1/s <= dashX1-1 {
						dashTop = min(dashTop, py)
					}
					continue
				}
				inked++
				minX, maxX = min(minX, px), max(maxX, px+1/s)
				minY, maxY = min(minY, py), max(maxY, py+1/s)
			}
		}
		if inked == 0 {
			t.Fatalf("page %d: no ink", pi+1)
		}
		t.Logf("page %d: ink %.2f..%.2f x %.2f..%.2f; dash top %.2f", pi+1, minX, maxX, minY, maxY, dashTop)
		if minX < spec.TypeLeft-slack || maxX > spec.TypeRight+slack || minY < spec.TypeTop-slack {
			t.Errorf("page %d: ink spans x %.2f..%.2f, y from %.2f: outside the type area %.2f..%.2f, y from %.2f",
				pi+1, minX, maxX, minY, spec.TypeLeft, spec.TypeRight, spec.TypeTop)
		}
		want := spec.TypeBottom + spec.PageNumberGap
		if d := dashTop - want; d < -slack || d > slack {
			t.Errorf("page %d: the page number's dash top is at %.2f, want %.2f (7 mm below the type area)", pi+1, dashTop, want)
		}
	}
}
