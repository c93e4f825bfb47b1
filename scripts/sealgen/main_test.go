package main

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/font/sfnt"

	"gongwen/internal/report"
)

// The specimen is a seal the validator accepts: transparent around the ring, red
// and opaque on the star at its centre, the size the examples state.
func TestSpecimen(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "fonts", "hei.ttf"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := sfnt.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	img, err := Draw(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != Size || b.Dy() != Size {
		t.Fatalf("size %v", b)
	}
	for _, p := range [][2]int{{0, 0}, {Size - 1, 0}, {0, Size - 1}, {Size - 1, Size - 1}} {
		if a := img.NRGBAAt(p[0], p[1]).A; a != 0 {
			t.Errorf("corner %v alpha %d, want transparent", p, a)
		}
	}
	if c := img.NRGBAAt(Size/2, Size/2); c != Red {
		t.Errorf("centre %v, want the seal's red %v", c, Red)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	in := `{"title":"t","issuer":"示例市司法局","year":2024,"date":"2025-01-15","seal":{"png":"` +
		base64.StdEncoding.EncodeToString(buf.Bytes()) + `"},"sections":[{"heading":"a"}]}`
	r, _, err := report.Parse([]byte(in))
	if err != nil {
		t.Fatalf("the validator refuses the specimen: %v", err)
	}
	if r.Seal == nil {
		t.Fatal("no seal")
	}
}
