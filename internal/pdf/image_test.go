package pdf

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"gongwen/internal/report"
)

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
	pw, ph, prgb, palpha := splitNRGBA(r.Seal.Pixels)
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
