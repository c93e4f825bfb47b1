package pdf

import (
	"bytes"
	"compress/zlib"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"gongwen/internal/report"
)

// split is the colour and alpha samples of img, pixel by pixel (NRGBAAt): what
// appendSamples must take from it.
func split(img *image.NRGBA) (w, h int, rgb, alpha []byte) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.NRGBAAt(x, y)
			rgb = append(rgb, c.R, c.G, c.B)
			alpha = append(alpha, c.A)
		}
	}
	return b.Dx(), b.Dy(), rgb, alpha
}

// splitDecoded is split of the PNG decoded by decodeNRGBA.
func splitDecoded(pngData []byte) (w, h int, rgb, alpha []byte, err error) {
	img, err := decodeNRGBA(pngData)
	if err != nil {
		return 0, 0, nil, nil, err
	}
	w, h, rgb, alpha = split(img)
	return w, h, rgb, alpha, nil
}

// TestSealPixelsSplit: the pixels report.Parse keeps beside the seal's PNG are split
// into the very samples image/png's decode of that PNG gives (the PDF splits them,
// not the PNG); the specimen as given decodes, a damaged and a truncated copy of the
// PNG are refused.
func TestSealPixelsSplit(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "examples", "all-fields-document.json"))
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := report.Parse(doc)
	if err != nil || r.Seal == nil || r.Seal.Pixels == nil {
		t.Fatalf("parse: %v, seal %v", err, r != nil && r.Seal != nil)
	}
	seal := r.Seal.PNG
	dw, dh, drgb, dalpha, err := splitDecoded(seal)
	if err != nil {
		t.Fatal(err)
	}
	pw, ph, prgb, palpha := split(r.Seal.Pixels)
	if pw != dw || ph != dh || !bytes.Equal(prgb, drgb) || !bytes.Equal(palpha, dalpha) {
		t.Errorf("the seal's pixels split %d×%d differ from its PNG's %d×%d", pw, ph, dw, dh)
	}
	specimen, err := os.ReadFile(filepath.Join("..", "..", "examples", "seal-specimen.png"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, _, err := splitDecoded(specimen); err != nil {
		t.Errorf("image/png: %v", err)
	}
	// A PNG of another colour model (a palette with a transparent entry) is split
	// by its colours as 8-bit RGBA.
	pal := image.NewPaletted(image.Rect(0, 0, 3, 2), color.Palette{color.NRGBA{}, color.NRGBA{R: 0xE0, G: 0x10, B: 0x20, A: 0x80}})
	pal.Pix[4] = 1
	var pb bytes.Buffer
	if err := png.Encode(&pb, pal); err != nil {
		t.Fatal(err)
	}
	w, h, rgb, alpha, err := splitDecoded(pb.Bytes())
	wantRGB := []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xE0, 0x10, 0x20, 0, 0, 0}
	if err != nil || w != 3 || h != 2 || !bytes.Equal(rgb, wantRGB) || !bytes.Equal(alpha, []byte{0, 0, 0, 0, 0x80, 0}) {
		t.Errorf("paletted PNG split %d×%d %x %x (%v)", w, h, rgb, alpha, err)
	}
	damaged := bytes.Clone(seal)
	damaged[len(damaged)/2] ^= 0x40
	for name, b := range map[string][]byte{"damaged": damaged, "truncated": seal[:len(seal)-20]} {
		if _, _, _, _, err := splitDecoded(b); err == nil {
			t.Errorf("%s seal decoded by image/png", name)
		}
	}
}

// TestZlibSamples: an image's colour and alpha samples, taken a row at a time
// (appendSamples, four pixels a step), are its pixels' (NRGBAAt), and compressed so
// they are the very stream zlibOf makes of them all (so the PDF's bytes are as they were),
// below the stateless encoder's limit and above it, and inflate back to the samples.
func TestZlibSamples(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, side := range []int{1, 7, 100, 150, 600} { // 150: above StatelessMax in colour, below in alpha
		img := image.NewNRGBA(image.Rect(0, 0, side, side+3))
		for i := range img.Pix {
			if (i/4)%5 < 2 {
				img.Pix[i] = byte(rng.Uint32())
			}
		}
		_, _, rgb, alpha := split(img)
		var rowsRGB, rowsAlpha []byte
		for y := range img.Bounds().Dy() {
			rowsRGB = appendSamples(rowsRGB, img, y, false)
			rowsAlpha = appendSamples(rowsAlpha, img, y, true)
		}
		if !bytes.Equal(rowsRGB, rgb) || !bytes.Equal(rowsAlpha, alpha) {
			t.Errorf("%d px: appendSamples' samples differ from the pixels'", side)
		}
		for _, c := range []struct {
			alpha   bool
			samples []byte
		}{{false, rgb}, {true, alpha}} {
			got, err := zlibSamples(img, c.alpha)
			if err != nil {
				t.Fatal(err)
			}
			want, err := zlibOf(c.samples)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%d px, alpha %v: %d bytes, zlibOf's %d", side, c.alpha, len(got), len(want))
			}
			zr, err := zlib.NewReader(bytes.NewReader(got))
			if err != nil {
				t.Fatal(err)
			}
			back, err := io.ReadAll(zr)
			if err != nil || !bytes.Equal(back, c.samples) {
				t.Errorf("%d px, alpha %v: inflates to %d bytes (%v), want the %d samples", side, c.alpha, len(back), err, len(c.samples))
			}
		}
	}
}
