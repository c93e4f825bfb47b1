package templates

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite template.docx from the embedded parts")

// TestGeneratedTemplate: the embedded template.docx is exactly what build makes from
// the parts and internal/spec now, so that the cached file can never drift from them.
func TestGeneratedTemplate(t *testing.T) {
	want, err := build(NewValues())
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("template.docx", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(generated, want) {
		t.Fatalf("templates/template.docx (%d bytes) is not what the parts and internal/spec build (%d bytes): run go test ./templates -run TestGeneratedTemplate -update", len(generated), len(want))
	}
	got, err := Docx()
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Docx() differs from the build (error %v)", err)
	}
}
