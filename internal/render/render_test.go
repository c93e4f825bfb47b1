package render

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongwen/internal/report"
)

func readExample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRenderExamples(t *testing.T) {
	for _, name := range []string{"wuchuan-2023.json", "all-fields.json"} {
		t.Run(name, func(t *testing.T) {
			in := readExample(t, name)
			out, err := Render(context.Background(), in, []Format{PDF, DOCX})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(out.PDF, []byte("%PDF-")) || !bytes.Contains(out.PDF[len(out.PDF)-32:], []byte("%%EOF")) {
				t.Errorf("PDF is not a complete PDF file")
			}
			if out.Pages < 1 || bytes.Count(out.PDF, []byte("/Type /Page\n")) != out.Pages {
				t.Errorf("Pages = %d, /Type /Page objects = %d", out.Pages, bytes.Count(out.PDF, []byte("/Type /Page\n")))
			}
			zr, err := zip.NewReader(bytes.NewReader(out.DOCX), int64(len(out.DOCX)))
			if err != nil {
				t.Fatalf("DOCX is not a zip: %v", err)
			}
			found := false
			for _, f := range zr.File {
				found = found || f.Name == "word/document.xml"
			}
			if !found {
				t.Error("DOCX has no word/document.xml")
			}
			// Same input, byte-identical output: nothing may depend on the clock or on
			// map order.
			again, err := Render(context.Background(), in, []Format{PDF, DOCX})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.PDF, again.PDF) || !bytes.Equal(out.DOCX, again.DOCX) {
				t.Error("two renders of the same input differ")
			}
		})
	}
}

func TestRenderOnlyRequestedFormats(t *testing.T) {
	out, err := Render(context.Background(), readExample(t, "wuchuan-2023.json"), []Format{DOCX})
	if err != nil {
		t.Fatal(err)
	}
	if out.PDF != nil || out.DOCX == nil || out.Pages != 0 {
		t.Errorf("asked for DOCX only, got PDF=%d bytes DOCX=%d bytes pages=%d", len(out.PDF), len(out.DOCX), out.Pages)
	}
}

// A character no embedded font has is an input problem naming the character and the
// JSON pointer where it occurs, never a blank box.
func TestRenderMissingCharacter(t *testing.T) {
	in := []byte(`{"title":"测试报告","issuer":"测试局","year":2024,
		"sections":[{"heading":"总体情况","body":["罕见的𪚥字","正常段落"]},
		            {"heading":"其他ක情况"}]}`)
	_, err := Render(context.Background(), in, []Format{PDF})
	var inv *report.InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("err = %v, want *report.InvalidError", err)
	}
	want := map[string]string{
		"/sections/0/body/0":  "U+2A6A5",
		"/sections/1/heading": "U+0D9A",
	}
	if len(inv.Problems) != len(want) {
		t.Fatalf("problems = %+v, want one for each of %v", inv.Problems, want)
	}
	for _, p := range inv.Problems {
		code, ok := want[p.Path]
		if !ok || p.Code != "unsupported_character" || !strings.Contains(p.Message, code) {
			t.Errorf("problem %+v, want code unsupported_character mentioning %s at one of %v", p, code, want)
		}
	}
	// One answer per report: the DOCX refuses what the PDF and Validate refuse.
	_, err = Render(context.Background(), in, []Format{DOCX})
	var dinv *report.InvalidError
	if !errors.As(err, &dinv) || len(dinv.Problems) != len(want) {
		t.Errorf("DOCX render: err = %v, want the same %d problems", err, len(want))
	}
	if _, _, err := Validate(in); !errors.As(err, &dinv) || len(dinv.Problems) != len(want) {
		t.Errorf("Validate: err = %v, want the same %d problems", err, len(want))
	}
}

func TestRenderInvalidInput(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		kind     report.InvalidKind
	}{
		{"malformed", `{"title":`, report.KindMalformed},
		{"invalid", `{"title":"t","issuer":"i","year":1999,"sections":[]}`, report.KindInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Render(context.Background(), []byte(tc.in), []Format{PDF})
			var inv *report.InvalidError
			if !errors.As(err, &inv) || inv.Kind != tc.kind || len(inv.Problems) == 0 {
				t.Fatalf("err = %v, want InvalidError of kind %v with problems", err, tc.kind)
			}
		})
	}
}

func TestRenderCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Render(ctx, readExample(t, "wuchuan-2023.json"), []Format{PDF}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestParseFormats(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"pdf", "pdf", true},
		{"PDF, docx", "pdf,docx", true},
		{"docx,pdf,docx", "docx,pdf", true},
		{"zip", "", false},
		{"", "", false},
	} {
		got, err := ParseFormats(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseFormats(%q) err = %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		var s []string
		for _, f := range got {
			s = append(s, string(f))
		}
		if strings.Join(s, ",") != tc.want {
			t.Errorf("ParseFormats(%q) = %v, want %s", tc.in, s, tc.want)
		}
	}
}

func TestWarm(t *testing.T) {
	if err := Warm(); err != nil {
		t.Fatal(err)
	}
	// Warm is idempotent: the second call reuses what the first loaded.
	if err := Warm(); err != nil {
		t.Fatal(err)
	}
}

// TestFormatsShareOneLayout: asking for PDF and OFD together (one layout, subsets cut
// once) gives the bytes each gives alone, in any order, and the format table answers
// for every format.
func TestFormatsShareOneLayout(t *testing.T) {
	in := readExample(t, "wuchuan-2023.json")
	all, err := Render(context.Background(), in, []Format{OFD, DOCX, PDF})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Formats() {
		alone, err := Render(context.Background(), in, []Format{f})
		if err != nil {
			t.Fatal(err)
		}
		if len(alone.Bytes(f)) == 0 || !bytes.Equal(alone.Bytes(f), all.Bytes(f)) {
			t.Errorf("%s alone differs from %s rendered with the others", f, f)
		}
	}
	if !bytes.HasPrefix(all.OFD, []byte("PK\x03\x04")) {
		t.Error("OFD is not a zip package")
	}
	want := map[Format]string{PDF: "application/pdf", OFD: "application/ofd",
		DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
	if len(Formats()) != len(want) {
		t.Errorf("Formats() = %v", Formats())
	}
	for f, ct := range want {
		if f.ContentType() != ct {
			t.Errorf("%s: content type %q, want %q", f, f.ContentType(), ct)
		}
		if g, ok := FormatOf(ct); !ok || g != f {
			t.Errorf("FormatOf(%q) = %q, %v", ct, g, ok)
		}
	}
	fs, err := ParseFormats(" PDF, ofd ,docx,ofd")
	if err != nil || len(fs) != 3 || fs[0] != PDF || fs[1] != OFD || fs[2] != DOCX {
		t.Errorf("ParseFormats: %v, %v", fs, err)
	}
	if _, err := ParseFormats("pdf,xps"); err == nil || !strings.Contains(err.Error(), "pdf, docx, ofd") {
		t.Errorf("ParseFormats(xps): %v", err)
	}
}

// TestOFDHostileInput: markup characters in a report come out of the OFD as text, and
// control characters the contract rejects stop the render as invalid input, never as
// a broken package.
func TestOFDHostileInput(t *testing.T) {
	mk := func(para string) []byte {
		b, _ := json.Marshal(map[string]any{"title": "测试]]>报告", "issuer": "<测试局> & \"Co\"", "year": 2023,
			"sections": []any{map[string]any{"heading": "工作", "body": []any{para}}}})
		return b
	}
	out, err := Render(context.Background(), mk(`a]]>b<c&d"e'f`), []Format{OFD})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(out.OFD), int64(len(out.OFD)))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".xml") {
			continue
		}
		rc, _ := f.Open()
		d := xml.NewDecoder(rc)
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed: %v", f.Name, err)
			}
			if cd, ok := tok.(xml.CharData); ok && strings.HasSuffix(f.Name, "Content.xml") {
				text.Write(cd)
			}
		}
		rc.Close()
	}
	if !strings.Contains(text.String(), `a]]>b<c&d"e'f`) || !strings.Contains(text.String(), "测试]]>报告") {
		t.Errorf("page text %q lacks the hostile strings", text.String())
	}
	for _, c := range []string{"\u0001", "\u001b", "\u007f", "\u0085"} {
		_, err := Render(context.Background(), mk("正文"+c+"正文"), []Format{OFD})
		var inv *report.InvalidError
		if !errors.As(err, &inv) {
			t.Errorf("U+%04X: %v, want an invalid-input error", []rune(c)[0], err)
		}
	}
}

// Any order and repetition of formats gives the same files.
func TestRenderFormatOrder(t *testing.T) {
	in, err := os.ReadFile("../../examples/wuchuan-2023.json")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := Render(context.Background(), in, []Format{PDF, DOCX})
	if err != nil {
		t.Fatal(err)
	}
	for _, fs := range [][]Format{{DOCX, PDF}, {PDF, PDF, DOCX}, {DOCX, PDF, DOCX}} {
		out, err := Render(context.Background(), in, fs)
		if err != nil {
			t.Fatalf("%v: %v", fs, err)
		}
		if !bytes.Equal(out.PDF, ref.PDF) || !bytes.Equal(out.DOCX, ref.DOCX) {
			t.Errorf("%v: files differ", fs)
		}
	}
}

// TestRenderConcurrent: drawing the formats at the same time gives the bytes of
// drawing them one after the other, for every combination that shares a layout or
// font subsets, and a cancelled context stops it as it stops Render.
func TestRenderConcurrent(t *testing.T) {
	for _, name := range []string{"wuchuan-2023.json", "all-fields.json"} {
		in := readExample(t, name)
		for _, fs := range [][]Format{{PDF, DOCX}, {DOCX, PDF, OFD}, {OFD, DOCX}, {PDF, OFD}} {
			seq, err := Render(context.Background(), in, fs)
			if err != nil {
				t.Fatal(err)
			}
			con, err := RenderWith(context.Background(), in, fs, Options{Concurrent: true})
			if err != nil {
				t.Fatalf("%s %v: %v", name, fs, err)
			}
			for _, f := range fs {
				if len(con.Bytes(f)) == 0 || !bytes.Equal(con.Bytes(f), seq.Bytes(f)) {
					t.Errorf("%s %v: %s drawn concurrently differs (%d bytes, %d one after the other)", name, fs, f, len(con.Bytes(f)), len(seq.Bytes(f)))
				}
			}
			if con.Pages != seq.Pages {
				t.Errorf("%s %v: %d pages, %d one after the other", name, fs, con.Pages, seq.Pages)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if out, err := RenderWith(ctx, readExample(t, "wuchuan-2023.json"), []Format{PDF, DOCX}, Options{Concurrent: true}); !errors.Is(err, context.Canceled) || out != nil {
		t.Errorf("cancelled: %v, %v", out, err)
	}
}
