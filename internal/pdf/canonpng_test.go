package pdf

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"gongwen/internal/report"
)

// TestSplitCanonical: the seal as report.Parse writes it is split without image/png
// into the very samples image/png's decode gives, and so are the pixels Parse keeps
// beside it; the specimen file as given (rows
// filtered), a damaged copy and a truncated one are left to image/png (which refuses
// the damaged ones).
func TestSplitCanonical(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "examples", "all-fields-document.json"))
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := report.Parse(doc)
	if err != nil || r.Seal == nil {
		t.Fatalf("parse: %v, seal %v", err, r != nil && r.Seal != nil)
	}
	seal := r.Seal.PNG
	w, h, rgb, alpha, ok := splitCanonical(seal)
	if !ok {
		t.Fatal("the seal Parse writes is not split as canonical")
	}
	dw, dh, drgb, dalpha, err := splitDecoded(seal)
	if err != nil {
		t.Fatal(err)
	}
	if w != dw || h != dh || !bytes.Equal(rgb, drgb) || !bytes.Equal(alpha, dalpha) {
		t.Errorf("canonical split %d×%d differs from image/png's %d×%d", w, h, dw, dh)
	}
	// The pixels Parse decoded, which the layout hands the writer, split alike.
	if r.Seal.Pixels == nil {
		t.Fatal("Parse gave the seal without its pixels")
	}
	pw, ph, prgb, palpha := splitNRGBA(r.Seal.Pixels)
	if pw != dw || ph != dh || !bytes.Equal(prgb, drgb) || !bytes.Equal(palpha, dalpha) {
		t.Errorf("the seal's pixels split %d×%d differ from its PNG's %d×%d", pw, ph, dw, dh)
	}
	specimen, err := os.ReadFile(filepath.Join("..", "..", "examples", "seal-specimen.png"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, _, ok := splitCanonical(specimen); ok {
		t.Error("the specimen as given (its rows filtered) was split as canonical")
	}
	if _, _, _, _, err := splitDecoded(specimen); err != nil {
		t.Errorf("image/png: %v", err)
	}
	damaged := bytes.Clone(seal)
	damaged[len(damaged)/2] ^= 0x40
	for name, b := range map[string][]byte{"damaged": damaged, "truncated": seal[:len(seal)-20]} {
		if _, _, _, _, ok := splitCanonical(b); ok {
			t.Errorf("%s seal split as canonical", name)
		}
		if _, _, _, _, err := splitDecoded(b); err == nil {
			t.Errorf("%s seal decoded by image/png", name)
		}
	}
}
