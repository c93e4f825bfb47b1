package render

import (
	"bytes"
	"context"
	"testing"

	"gongwen/internal/docx"
	"gongwen/internal/fonts"
)

// TestDOCXAsStandalone: the DOCX render makes, reusing the PDF's layout (docx.Paging),
// is the one docx.Render makes alone, for a document whose 版记 takes a page of its own
// and for one without a 版记, whatever other formats are asked for.
func TestDOCXAsStandalone(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"all-fields-document.json", "wuchuan-2023.json"} {
		in := readExample(t, name)
		for _, fs := range [][]Format{{DOCX}, {PDF, DOCX}, {DOCX, PDF}, {PDF, OFD, DOCX}} {
			out, err := Render(context.Background(), in, fs)
			if err != nil {
				t.Fatalf("%s %v: %v", name, fs, err)
			}
			want, err := docx.Render(out.Document, set)
			if err != nil {
				t.Fatalf("%s: docx.Render: %v", name, err)
			}
			if !bytes.Equal(out.DOCX, want) {
				t.Errorf("%s %v: the DOCX differs from docx.Render's", name, fs)
			}
		}
	}
}
