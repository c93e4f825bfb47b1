package render

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"encoding/hex"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongwen/internal/docx"
	"gongwen/internal/fonts"
)

// TestDOCXSharesPDFSubsets: a PDF+DOCX render embeds in the DOCX, for the faces whose
// characters agree (Wuchuan: all but the 宋体 footer's, whose DOCX has every digit),
// the very font files of the PDF, and the DOCX is the same file docx.Render makes
// on its own. The fonts are read back with the standard library's zip (CRC-32
// checked) and zlib (Adler-32 checked) readers, the obfuscation undone here.
func TestDOCXSharesPDFSubsets(t *testing.T) {
	out, err := Render(context.Background(), readExample(t, "wuchuan-2023.json"), []Format{PDF, DOCX})
	if err != nil {
		t.Fatal(err)
	}
	// The PDF's font files.
	pdfFonts := map[string]bool{}
	re := regexp.MustCompile(`<</Length (\d+) /Length1 (\d+) /Filter /FlateDecode>>\nstream\n`)
	for _, m := range re.FindAllSubmatchIndex(out.PDF, -1) {
		n, _ := strconv.Atoi(string(out.PDF[m[2]:m[3]]))
		r, err := zlib.NewReader(bytes.NewReader(out.PDF[m[1] : m[1]+n]))
		if err != nil {
			t.Fatal(err)
		}
		ttf, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("PDF font stream: %v", err)
		}
		pdfFonts[string(ttf)] = true
	}
	zr, err := zip.NewReader(bytes.NewReader(out.DOCX), int64(len(out.DOCX)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r) // checks the CRC-32
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		parts[f.Name] = b
	}
	keys := regexp.MustCompile(`<w:embedRegular r:id="(rId\d+)" w:fontKey="\{([0-9A-F-]+)\}"`).FindAllStringSubmatch(string(parts["word/fontTable.xml"]), -1)
	shared := 0
	for _, k := range keys {
		target := regexp.MustCompile(`Id="` + k[1] + `" [^>]*Target="([^"]+)"`).FindStringSubmatch(string(parts["word/_rels/fontTable.xml.rels"]))
		if target == nil {
			t.Fatalf("no relationship %s", k[1])
		}
		font := bytes.Clone(parts["word/"+target[1]])
		guid, _ := hex.DecodeString(strings.ReplaceAll(k[2], "-", ""))
		for i := 0; i < 32 && i < len(font); i++ {
			font[i] ^= guid[15-i%16]
		}
		if pdfFonts[string(font)] {
			shared++
		}
	}
	if len(keys) != 5 || shared != 4 {
		t.Errorf("%d embedded fonts, %d of them the PDF's font files; want 5 and 4", len(keys), shared)
	}
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	alone, err := docx.Render(out.Document, set)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(alone, out.DOCX) {
		t.Errorf("docx.Render makes %d bytes, the render %d", len(alone), len(out.DOCX))
	}
}
