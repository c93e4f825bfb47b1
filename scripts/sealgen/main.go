// Command sealgen draws the specimen seal the examples use: a red ring, a five-pointed
// star, the FICTIONAL organ's name along the upper arc and "样章" (specimen) below the
// star, on a transparent background. The project draws its own specimen so that no
// real organ's seal is ever drawn or shipped.
//
//	go run ./scripts/sealgen -font fonts/hei.ttf -o examples/seal-specimen.png \
//	    -json examples/all-fields-document.json
//
// With -json it also writes the PNG, in Base64, as the "png" value of the seal in
// that example (the rest of the file is left as it is).
package main

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"math"
	"os"
	"regexp"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// The specimen's geometry, in pixels of a Size × Size image (600 px for 42 mm is
// about 360 dpi, sharp enough in print and small in the file).
const (
	Size       = 600
	ringOuter  = 292.0
	ringWidth  = 20.0
	starRadius = 92.0
	nameRadius = 205.0 // the name's glyph centres
	nameEm     = 118.0
	nameArc    = 230.0 // degrees the name spans, centred on the top
	labelEm    = 78.0
	labelY     = 452.0 // the baseline of 样章
	Organ      = "示例市司法局"
	Label      = "样章"
)

// Red is the seal's ink; slightly translucent, like ink on paper.
var Red = color.NRGBA{R: 0xD7, G: 0x1A, B: 0x21, A: 0xF0}

func main() {
	fontPath := flag.String("font", "fonts/hei.ttf", "TrueType font for the name and 样章")
	out := flag.String("o", "examples/seal-specimen.png", "PNG to write")
	example := flag.String("json", "", "example JSON whose seal png to replace (optional)")
	flag.Parse()
	if err := run(*fontPath, *out, *example); err != nil {
		slog.Error("sealgen", "err", err)
		os.Exit(1)
	}
}

func run(fontPath, out, example string) error {
	data, err := os.ReadFile(fontPath)
	if err != nil {
		return err
	}
	f, err := sfnt.Parse(data)
	if err != nil {
		return fmt.Errorf("%s: %w", fontPath, err)
	}
	img, err := Draw(f)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	if example == "" {
		return nil
	}
	js, err := os.ReadFile(example)
	if err != nil {
		return err
	}
	re := regexp.MustCompile(`("png"\s*:\s*")[^"]*(")`)
	if !re.Match(js) {
		return fmt.Errorf("%s has no \"png\" value to replace", example)
	}
	enc := base64.StdEncoding.EncodeToString(buf.Bytes())
	js = re.ReplaceAll(js, []byte("${1}"+enc+"${2}"))
	return os.WriteFile(example, js, 0o644)
}

// Draw draws the specimen with the given font.
func Draw(f *sfnt.Font) (*image.NRGBA, error) {
	r := vector.NewRasterizer(Size, Size)
	c := Size / 2.0
	// The ring: outer circle, inner circle the other way round (non-zero winding).
	circle(r, c, c, ringOuter, false)
	circle(r, c, c, ringOuter-ringWidth, true)
	star(r, c, c, starRadius)
	runes := []rune(Organ)
	step := nameArc / float64(len(runes)-1)
	for i, ch := range runes {
		// From the left end of the arc to the right, each glyph upright towards
		// the centre.
		deg := -nameArc/2 + float64(i)*step
		th := deg * math.Pi / 180
		x, y := c+nameRadius*math.Sin(th), c-nameRadius*math.Cos(th)
		if err := glyph(r, f, ch, nameEm, x, y, th, true); err != nil {
			return nil, err
		}
	}
	lr := []rune(Label)
	for i, ch := range lr {
		x := c + (float64(i)-float64(len(lr)-1)/2)*labelEm*1.05
		if err := glyph(r, f, ch, labelEm, x, labelY-labelEm*0.38, 0, false); err != nil {
			return nil, err
		}
	}
	mask := image.NewAlpha(image.Rect(0, 0, Size, Size))
	r.Draw(mask, mask.Bounds(), image.Opaque, image.Point{})
	img := image.NewNRGBA(mask.Bounds())
	for i, a := range mask.Pix {
		if a == 0 {
			continue
		}
		img.Pix[4*i] = Red.R
		img.Pix[4*i+1] = Red.G
		img.Pix[4*i+2] = Red.B
		img.Pix[4*i+3] = uint8(uint16(a) * uint16(Red.A) / 0xFF)
	}
	return img, nil
}

func circle(r *vector.Rasterizer, cx, cy, rad float64, reverse bool) {
	const n = 180
	for i := 0; i <= n; i++ {
		t := 2 * math.Pi * float64(i) / n
		if reverse {
			t = -t
		}
		x, y := float32(cx+rad*math.Cos(t)), float32(cy+rad*math.Sin(t))
		if i == 0 {
			r.MoveTo(x, y)
		} else {
			r.LineTo(x, y)
		}
	}
	r.ClosePath()
}

func star(r *vector.Rasterizer, cx, cy, rad float64) {
	inner := rad * 0.382 // a regular star's inner radius
	for i := 0; i < 10; i++ {
		rr := rad
		if i%2 == 1 {
			rr = inner
		}
		t := -math.Pi/2 + float64(i)*math.Pi/5
		x, y := float32(cx+rr*math.Cos(t)), float32(cy+rr*math.Sin(t))
		if i == 0 {
			r.MoveTo(x, y)
		} else {
			r.LineTo(x, y)
		}
	}
	r.ClosePath()
}

// glyph draws ch with its em box centred on (x, y), rotated by th (radians,
// clockwise). compress narrows the glyph a little, as seal lettering along the arc is.
func glyph(r *vector.Rasterizer, f *sfnt.Font, ch rune, em, x, y, th float64, compress bool) error {
	var b sfnt.Buffer
	gi, err := f.GlyphIndex(&b, ch)
	if err != nil || gi == 0 {
		return fmt.Errorf("the font has no %q", ch)
	}
	ppem := fixed.Int26_6(em * 64)
	segs, err := f.LoadGlyph(&b, gi, ppem, nil)
	if err != nil {
		return err
	}
	sx := 1.0
	if compress {
		sx = 0.8
	}
	// Em box: x 0..em, y -0.88em..0.12em around the baseline (y down in sfnt's
	// segments); its centre is (em/2, -0.38em).
	sin, cos := math.Sin(th), math.Cos(th)
	pt := func(p fixed.Point26_6) (float32, float32) {
		gx := (float64(p.X)/64 - em/2) * sx
		gy := float64(p.Y)/64 + 0.38*em
		return float32(x + gx*cos - gy*sin), float32(y + gx*sin + gy*cos)
	}
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			r.MoveTo(pt(s.Args[0]))
		case sfnt.SegmentOpLineTo:
			r.LineTo(pt(s.Args[0]))
		case sfnt.SegmentOpQuadTo:
			x1, y1 := pt(s.Args[0])
			x2, y2 := pt(s.Args[1])
			r.QuadTo(x1, y1, x2, y2)
		case sfnt.SegmentOpCubeTo:
			x1, y1 := pt(s.Args[0])
			x2, y2 := pt(s.Args[1])
			x3, y3 := pt(s.Args[2])
			r.CubeTo(x1, y1, x2, y2, x3, y3)
		}
	}
	r.ClosePath()
	return nil
}
