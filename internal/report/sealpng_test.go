package report

import (
	"bytes"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestSealPNGDecodes: the seal as Parse writes it (encodeRGBA) is read back by
// image/png as an 8-bit RGBA image with exactly the pixels it was given: the
// specimen, one pixel, odd sizes of random pixels, and a sub-image whose rows do not
// start at its buffer's start.
func TestSealPNGDecodes(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "seal-specimen.png"))
	if err != nil {
		t.Fatal(err)
	}
	dec, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	specimen := image.NewNRGBA(dec.Bounds())
	for y := range dec.Bounds().Dy() {
		for x := range dec.Bounds().Dx() {
			specimen.Set(x, y, dec.At(x, y))
		}
	}
	random := func(w, h int) *image.NRGBA {
		img := image.NewNRGBA(image.Rect(0, 0, w, h))
		r := rand.New(rand.NewPCG(uint64(w), uint64(h)))
		for i := range img.Pix {
			img.Pix[i] = byte(r.Uint32())
		}
		return img
	}
	big := random(40, 30)
	for name, img := range map[string]*image.NRGBA{
		"specimen": specimen, "1x1": random(1, 1), "3x7": random(3, 7), "701x2": random(701, 2),
		"sub-image": big.SubImage(image.Rect(5, 3, 22, 19)).(*image.NRGBA),
	} {
		enc, err := encodeRGBA(img)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := png.Decode(bytes.NewReader(enc))
		if err != nil {
			t.Fatalf("%s: image/png cannot read it: %v", name, err)
		}
		nrgba, ok := got.(*image.NRGBA)
		b := img.Bounds()
		if !ok || nrgba.Bounds() != image.Rect(0, 0, b.Dx(), b.Dy()) {
			t.Fatalf("%s: read back as %T %v, want NRGBA %v", name, got, got.Bounds(), b.Size())
		}
		for y := range b.Dy() {
			row := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):][:4*b.Dx()]
			if !bytes.Equal(nrgba.Pix[y*nrgba.Stride:][:4*b.Dx()], row) {
				t.Fatalf("%s: row %d differs", name, y)
			}
		}
		if name == "specimen" {
			t.Logf("specimen: %d bytes (the file given: %d)", len(enc), len(data))
		}
	}
}
