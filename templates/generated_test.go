package templates

import (
	"archive/zip"
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite template.docx from the embedded parts")

// TestGeneratedTemplate: the embedded template.docx is exactly what build makes from
// the parts and internal/spec now, so that the cached file can never drift from them.
func TestGeneratedTemplate(t *testing.T) {
	want, err := build(NewValues(), zip.Deflate)
	if err != nil {
		t.Fatal(err)
	}
	wantStored, err := build(NewValues(), zip.Store)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("template.docx", want, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("template-stored.docx", wantStored, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(generatedStored, wantStored) {
		t.Fatalf("templates/template-stored.docx (%d bytes) is not what the parts and internal/spec build (%d bytes): run go test ./templates -run TestGeneratedTemplate -update", len(generatedStored), len(wantStored))
	}
	if got, err := DocxStored(); err != nil || !bytes.Equal(got, wantStored) {
		t.Fatalf("DocxStored() differs from the build (error %v)", err)
	}
	// The two archives hold the same parts, in the same order, the stored one
	// uncompressed (what readers of DocxStored count on).
	za, err := zip.NewReader(bytes.NewReader(want), int64(len(want)))
	if err != nil {
		t.Fatal(err)
	}
	zs, err := zip.NewReader(bytes.NewReader(wantStored), int64(len(wantStored)))
	if err != nil {
		t.Fatal(err)
	}
	if len(za.File) != len(zs.File) {
		t.Fatalf("%d parts, %d stored", len(za.File), len(zs.File))
	}
	for i, f := range za.File {
		g := zs.File[i]
		if g.Name != f.Name || g.Method != zip.Store || g.CRC32 != f.CRC32 || g.UncompressedSize64 != f.UncompressedSize64 {
			t.Fatalf("part %d: %s (method %d, CRC %08x) stored as %s (method %d, CRC %08x)", i, f.Name, f.Method, f.CRC32, g.Name, g.Method, g.CRC32)
		}
	}
	if !bytes.Equal(generated, want) {
		t.Fatalf("templates/template.docx (%d bytes) is not what the parts and internal/spec build (%d bytes): run go test ./templates -run TestGeneratedTemplate -update", len(generated), len(want))
	}
	got, err := Docx()
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Docx() differs from the build (error %v)", err)
	}
}
