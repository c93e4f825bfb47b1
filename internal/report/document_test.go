package report

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// pngOf encodes an image as Base64 PNG.
func pngOf(t testing.TB, img image.Image) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

// sealPNG is a small red disc on a transparent background.
func sealPNG(t testing.TB) string {
	img := image.NewNRGBA(image.Rect(0, 0, 40, 40))
	for y := range 40 {
		for x := range 40 {
			if (x-20)*(x-20)+(y-20)*(y-20) < 18*18 {
				img.Set(x, y, color.NRGBA{R: 0xE0, A: 0xFF})
			}
		}
	}
	return pngOf(t, img)
}

// withDims rewrites a PNG's IHDR to claim w × h pixels (CRC fixed up), as a
// decompression bomb does: a few bytes that promise a huge image.
func withDims(t testing.TB, b64 string, w, h uint32) string {
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	binary.BigEndian.PutUint32(data[16:], w)
	binary.BigEndian.PutUint32(data[20:], h)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return base64.StdEncoding.EncodeToString(data)
}

func docForm(extra string) string {
	return `{"title":"标题","issuer":"示例市司法局","year":2024,"date":"2025-01-15",` + extra + `,"sections":[{"heading":"a"}]}`
}

func TestDocumentFormRejects(t *testing.T) {
	seal := sealPNG(t)
	opaque := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range opaque.Pix {
		opaque.Pix[i] = 0xFF
	}
	noise := image.NewNRGBA(image.Rect(0, 0, 560, 560))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noise.Pix {
		noise.Pix[i] = byte(rng.Uint32())
	}
	big := pngOf(t, noise)
	tests := []struct {
		name, input string
		want        []string
	}{
		{"number without 号", docForm(`"document":{"organ":"示例市司法局文件","number":"示司〔2025〕3"}`), []string{"/document/number invalid_value"}},
		{"copy number not digits", docForm(`"document":{"organ":"o","number":"示司〔2025〕3号","copyNumber":"12a"}`), []string{"/document/copyNumber invalid_value"}},
		{"copy number seven digits", docForm(`"document":{"organ":"o","number":"示司〔2025〕3号","copyNumber":"0000001"}`), []string{"/document/copyNumber invalid_value"}},
		{"secrecy unknown", docForm(`"document":{"organ":"o","number":"示司〔2025〕3号","secrecy":"内部"}`), []string{"/document/secrecy invalid_value"}},
		{"secrecy star without period", docForm(`"document":{"organ":"o","number":"示司〔2025〕3号","secrecy":"秘密★"}`), []string{"/document/secrecy invalid_value"}},
		{"urgency unknown", docForm(`"document":{"organ":"o","number":"示司〔2025〕3号","urgency":"急"}`), []string{"/document/urgency invalid_value"}},
		{"signers without organ and number", docForm(`"document":{"signers":["张三"]}`), []string{"/document/organ required", "/document/number required"}},
		{"print date before the date", docForm(`"document":{"organ":"o","number":"示司〔2025〕3号","printDate":"2025-01-14"}`), []string{"/document/printDate invalid_date"}},
		{"print date not a date", docForm(`"document":{"organ":"o","number":"示司〔2025〕3号","printDate":"2025-02-30"}`), []string{"/document/printDate invalid_date"}},
		{"print date malformed", docForm(`"document":{"organ":"o","number":"示司〔2025〕3号","printDate":"2025/1/16"}`), []string{"/document/printDate invalid_date"}},
		{"unknown document field", docForm(`"document":{"organ":"o","number":"示司〔2025〕3号","signer":"张三"}`), []string{"/document/signer unknown_field"}},
		{"cc list longer than a page", docForm(`"document":{"organ":"o","number":"示司〔2025〕3号","cc":[` + strings.Repeat(`"市人民代表大会常务委员会办公室",`, 40) + `"市委"]}`), []string{"/document/cc too_long"}},
		{"empty cc name", docForm(`"document":{"organ":"o","number":"示司〔2025〕3号","cc":[" "]}`), []string{"/document/cc/0 empty_text"}},
		{"seal not base64", docForm(`"seal":{"png":"这不是图片"}`), []string{"/seal/png invalid_seal"}},
		{"seal not a PNG", docForm(`"seal":{"png":"` + base64.StdEncoding.EncodeToString([]byte("GIF89a not a png at all, really")) + `"}`), []string{"/seal/png invalid_seal"}},
		{"seal without transparency", docForm(`"seal":{"png":"` + pngOf(t, image.NewGray(image.Rect(0, 0, 8, 8))) + `"}`), []string{"/seal/png invalid_seal"}},
		{"seal alpha but all opaque", docForm(`"seal":{"png":"` + pngOf(t, opaque) + `"}`), []string{"/seal/png invalid_seal"}},
		{"seal over 1 MB", docForm(`"seal":{"png":"` + big + `"}`), []string{"/seal/png too_long", "/seal/png invalid_seal"}},
		{"seal over 2000 px", docForm(`"seal":{"png":"` + withDims(t, seal, 2001, 40) + `"}`), []string{"/seal/png invalid_seal"}},
		{"seal decompression bomb", docForm(`"seal":{"png":"` + withDims(t, seal, 1<<30, 1<<30) + `"}`), []string{"/seal/png invalid_seal"}},
		{"seal truncated", docForm(`"seal":{"png":"` + seal[:len(seal)/2] + `"}`), []string{"/seal/png invalid_seal"}},
		{"seal diameter too small", docForm(`"seal":{"png":"` + seal + `","diameterMM":19.5}`), []string{"/seal/diameterMM out_of_range"}},
		{"seal diameter too large", docForm(`"seal":{"png":"` + seal + `","diameterMM":61}`), []string{"/seal/diameterMM out_of_range"}},
		{"seal without png", docForm(`"seal":{"diameterMM":42}`), []string{"/seal/png required"}},
		{"seal without date", `{"title":"t","issuer":"i","year":2024,"seal":{"png":"` + seal + `"},"sections":[{"heading":"a"}]}`, []string{"/seal required"}},
		{"note empty", docForm(`"note":"  "`), []string{"/note empty_text"}},
		{"attachment object without title", docForm(`"attachments":[{"body":["x"]}]`), []string{"/attachments/0/title required"}},
		{"attachment object unknown field", docForm(`"attachments":[{"title":"t","rows":[]}]`), []string{"/attachments/0/rows unknown_field"}},
		{"attachment body empty paragraph", docForm(`"attachments":[{"title":"t","body":[""]}]`), []string{"/attachments/0/body/0 empty_paragraph"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, inv := problems(t, tc.input)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("problems %v lack %q", got, w)
				}
			}
			if inv == nil {
				return
			}
			for _, p := range inv.Problems {
				// Chinese first, then English.
				if i := strings.IndexFunc(p.Message, func(r rune) bool { return r >= 'A' && r <= 'Z' }); i <= 0 || !strings.ContainsFunc(p.Message[:i], func(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF }) {
					t.Errorf("%s: message is not Chinese then English: %s", p.Path, p.Message)
				}
				// A problem never quotes the image.
				if strings.HasPrefix(p.Path, "/seal") && len(p.Message) > 0 && len(seal) > 40 && strings.Contains(p.Message, seal[20:40]) {
					t.Errorf("%s quotes the seal image", p.Path)
				}
				if len(p.Message) > 1000 {
					t.Errorf("%s: message of %d bytes", p.Path, len(p.Message))
				}
			}
		})
	}
}

func TestDocumentFormNormalises(t *testing.T) {
	tests := []struct {
		number, want string
		warn         []string
	}{
		{"示司〔2025〕3号", "示司〔2025〕3号", nil},
		{"示司[2025]3号", "示司〔2025〕3号", []string{CodeNumberNormalised}},
		{"示司(2025)3号", "示司〔2025〕3号", []string{CodeNumberNormalised}},
		{"示司（2025）3号", "示司〔2025〕3号", []string{CodeNumberNormalised}},
		{"示司【2025】3号", "示司〔2025〕3号", []string{CodeNumberNormalised}},
		{"示司〔2025〕第3号", "示司〔2025〕3号", []string{CodeNumberNormalised}},
		{"示司〔2025〕03号", "示司〔2025〕3号", []string{CodeNumberNormalised}},
		{"示司[2025]第003号", "示司〔2025〕3号", []string{CodeNumberNormalised}},
		{"示司〔2024〕3号", "示司〔2024〕3号", []string{CodeNumberYear}},
		{"示司(2024)03号", "示司〔2024〕3号", []string{CodeNumberNormalised, CodeNumberYear}},
	}
	for _, tc := range tests {
		r, warns := mustParse(t, docForm(`"document":{"organ":"o","number":"`+tc.number+`"}`))
		if r.Document.Number != tc.want {
			t.Errorf("%s → %s, want %s", tc.number, r.Document.Number, tc.want)
		}
		var codes []string
		for _, w := range warns {
			if w.Path != "/document/number" {
				t.Errorf("%s: warning at %s", tc.number, w.Path)
			}
			codes = append(codes, w.Code)
		}
		if !slices.Equal(codes, tc.warn) {
			t.Errorf("%s: warnings %v, want %v", tc.number, codes, tc.warn)
		}
	}
	r, warns := mustParse(t, docForm(`"document":{"organ":"o","number":"示司〔2025〕3号","copyNumber":"12"},"note":"（此件公开发布）"`))
	if r.Document.CopyNumber != "000012" || r.Note != "此件公开发布" || len(warns) != 2 ||
		warns[0].Code != CodeCopyNumberPadded || warns[1].Code != CodeNoteParentheses {
		t.Errorf("copy number %q, note %q, warnings %v", r.Document.CopyNumber, r.Note, warns)
	}
	for _, s := range []string{"绝密", "机密★6个月", "秘密★1年", "绝密★长期"} {
		r, _ := mustParse(t, docForm(`"document":{"organ":"o","number":"示司〔2025〕3号","secrecy":"`+s+`"}`))
		if r.Document.Secrecy != s {
			t.Errorf("secrecy %s → %q", s, r.Document.Secrecy)
		}
	}
}

func TestSealIsReencoded(t *testing.T) {
	// An interlaced or paletted PNG is accepted and re-encoded as 8-bit RGBA, so
	// every writer can embed it; the diameter defaults to 42 mm.
	pal := image.NewPaletted(image.Rect(0, 0, 16, 16), color.Palette{color.NRGBA{}, color.NRGBA{R: 0xFF, A: 0xFF}})
	pal.Pix[17] = 1
	r, _ := mustParse(t, docForm(`"seal":{"png":"`+pngOf(t, pal)+`"}`))
	if r.Seal == nil || r.Seal.DiameterMM != 42 {
		t.Fatalf("seal %+v", r.Seal)
	}
	img, err := png.Decode(bytes.NewReader(r.Seal.PNG))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := img.(*image.NRGBA); !ok || img.Bounds().Dx() != 16 {
		t.Errorf("re-encoded seal is %T %v", img, img.Bounds())
	}
	if cfg, _ := png.DecodeConfig(bytes.NewReader(r.Seal.PNG)); cfg.ColorModel != color.NRGBAModel {
		t.Errorf("colour model %v", cfg.ColorModel)
	}
}

// TestSealCanonicalKept: an 8-bit RGBA PNG of nothing but IHDR, IDAT and IEND is
// embedded as given (no re-encoding), with the pixels it decodes to; one with any
// other chunk (a gamma, a text), bytes after IEND or after its image data's stream
// (image/png accepts a few KB there), 16 bits a sample or a resampled size is
// re-encoded, and what it becomes has no chunk but those three.
func TestSealCanonicalKept(t *testing.T) {
	plain, err := base64.StdEncoding.DecodeString(sealPNG(t))
	if err != nil {
		t.Fatal(err)
	}
	afterIHDR := func(extra []byte) []byte { // signature 8, IHDR 25 bytes
		return append(append(append([]byte(nil), plain[:33]...), extra...), plain[33:]...)
	}
	deep := image.NewNRGBA64(image.Rect(0, 0, 8, 8))
	deep.Pix[7], deep.Pix[6] = 0xFF, 0xFF // one opaque pixel among transparent ones
	var deepPNG bytes.Buffer
	if err := png.Encode(&deepPNG, deep); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		png  []byte
		kept bool
	}{
		{"IHDR, IDAT, IEND", plain, true},
		{"a gamma chunk", afterIHDR(pngChunk(nil, "gAMA", []byte{0, 0, 0xB1, 0x8F})), false},
		{"a text chunk", afterIHDR(pngChunk(nil, "tEXt", []byte("Author\x00示例"))), false},
		{"bytes after IEND", append(append([]byte(nil), plain...), "trailing"...), false},
		{"bytes after the image data's stream", junkInIDAT(t, plain, 100), false},
		{"16-bit RGBA", deepPNG.Bytes(), false},
	} {
		r, _ := mustParse(t, docForm(`"seal":{"png":"`+base64.StdEncoding.EncodeToString(c.png)+`"}`))
		if r.Seal == nil {
			t.Fatalf("%s: refused", c.name)
		}
		if kept := bytes.Equal(r.Seal.PNG, c.png); kept != c.kept {
			t.Errorf("%s: embedded as given %v, want %v", c.name, kept, c.kept)
		}
		if _, ok := canonicalRGBA(r.Seal.PNG); !ok {
			t.Errorf("%s: the embedded PNG is not in the canonical form", c.name)
		}
		dec, err := png.Decode(bytes.NewReader(r.Seal.PNG))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if n, ok := dec.(*image.NRGBA); !ok || !bytes.Equal(n.Pix, r.Seal.Pixels.Pix) {
			t.Errorf("%s: the embedded PNG does not decode to the seal's pixels", c.name)
		}
	}
}

// pngChunk appends a PNG chunk (length, type, data, CRC-32 of type and data), written
// here rather than by the package's appendChunk, which the tests check.
func pngChunk(out []byte, typ string, body []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	c = append(append(c, typ...), body...)
	return append(out, binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))...)
}

// junkInIDAT appends n zero bytes to the first IDAT chunk's data (its CRC fixed up):
// bytes after the zlib stream that image/png's decoder does not read.
func junkInIDAT(t testing.TB, data []byte, n int) []byte {
	for p := 8; p+12 <= len(data); {
		l := int(binary.BigEndian.Uint32(data[p:]))
		if string(data[p+4:p+8]) == "IDAT" {
			c := binary.BigEndian.AppendUint32(nil, uint32(l+n))
			c = append(append(append(c, "IDAT"...), data[p+8:p+8+l]...), make([]byte, n)...)
			c = binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
			return append(append(append([]byte(nil), data[:p]...), c...), data[p+12+l:]...)
		}
		p += 12 + l
	}
	t.Fatal("no IDAT")
	return nil
}

// filteredPNG encodes img as an 8-bit RGBA PNG whose row y has filter type
// filters[y % len(filters)] (ISO/IEC 15948 9.2), written here, not by image/png (whose
// encoder picks its own), so that every filter type is decoded.
func filteredPNG(t testing.TB, img *image.NRGBA, filters []byte) []byte {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	stride := 4 * w
	var raw []byte
	prev := make([]byte, stride)
	for y := range h {
		cur := img.Pix[y*img.Stride : y*img.Stride+stride]
		f := filters[y%len(filters)]
		raw = append(raw, f)
		for i := range cur {
			var a, b, c int
			if i >= 4 {
				a, c = int(cur[i-4]), int(prev[i-4])
			}
			b = int(prev[i])
			var pred int
			switch f {
			case 1:
				pred = a
			case 2:
				pred = b
			case 3:
				pred = (a + b) / 2
			case 4:
				p := a + b - c
				pa, pb, pc := p-a, p-b, p-c
				pa, pb, pc = max(pa, -pa), max(pb, -pb), max(pc, -pc)
				switch {
				case pa <= pb && pa <= pc:
					pred = a
				case pb <= pc:
					pred = b
				default:
					pred = c
				}
			}
			raw = append(raw, cur[i]-byte(pred))
		}
		copy(prev, cur)
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw)
	zw.Close()
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, uint32(w)), uint32(h))
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	out := pngChunk(append([]byte(nil), pngSignature...), "IHDR", ihdr)
	zb := z.Bytes()
	for len(zb) > 1000 { // several IDAT chunks, as encoders write them
		out = pngChunk(out, "IDAT", zb[:1000])
		zb = zb[1000:]
	}
	out = pngChunk(out, "IDAT", zb)
	return pngChunk(out, "IEND", nil)
}

// TestDecodeCanonical: the canonical decoder gives image/png's pixels for every
// filter type, each row's alone and mixed, over images of 1 × 1 to 97 × 61 random
// and seal-like pixels, and for PNGs image/png wrote; it declines (ok false, so that
// image/png decodes and reports) a damaged CRC, a truncated or corrupted stream, an
// unknown filter type, bytes after the stream, other colour types and chunks.
func TestDecodeCanonical(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	sizes := [][2]int{{1, 1}, {1, 9}, {9, 1}, {2, 2}, {17, 5}, {97, 61}}
	for _, sz := range sizes {
		w, h := sz[0], sz[1]
		for _, kind := range []string{"random", "seal-like"} {
			img := image.NewNRGBA(image.Rect(0, 0, w, h))
			for i := range img.Pix {
				if kind == "random" {
					img.Pix[i] = byte(rng.Uint32())
				} else if (i/4)%7 < 3 {
					img.Pix[i] = []byte{0xE0, 0x10, 0x10, 0xFF}[i%4]
				}
			}
			var std bytes.Buffer
			if err := png.Encode(&std, img); err != nil {
				t.Fatal(err)
			}
			files := map[string][]byte{"image/png's": std.Bytes()}
			for f := range byte(5) {
				files[fmt.Sprintf("filter %d", f)] = filteredPNG(t, img, []byte{f})
			}
			files["filters mixed"] = filteredPNG(t, img, []byte{4, 0, 3, 1, 2, 4, 4})
			for name, data := range files {
				want, err := png.Decode(bytes.NewReader(data))
				if err != nil {
					t.Fatalf("%d×%d %s %s: image/png: %v", w, h, kind, name, err)
				}
				got, ok := decodeCanonical(data, w, h)
				if data[25] != 6 { // image/png writes an opaque image as RGB
					if ok {
						t.Errorf("%d×%d %s %s: colour type %d decoded", w, h, kind, name, data[25])
					}
					continue
				}
				if !ok {
					t.Errorf("%d×%d %s %s: declined", w, h, kind, name)
					continue
				}
				if !bytes.Equal(got.Pix, want.(*image.NRGBA).Pix) {
					t.Errorf("%d×%d %s %s: pixels differ from image/png's", w, h, kind, name)
				}
			}
		}
	}

	img := image.NewNRGBA(image.Rect(0, 0, 20, 20))
	for i := range img.Pix {
		img.Pix[i] = byte(rng.Uint32())
	}
	good := filteredPNG(t, img, []byte{0, 1, 2, 3, 4})
	if _, ok := decodeCanonical(good, 20, 20); !ok {
		t.Fatal("the good file is declined")
	}
	idatAt := bytes.Index(good, []byte("IDAT")) + 4
	bad := map[string][]byte{
		"a damaged CRC":            append(append([]byte(nil), good[:len(good)-1]...), good[len(good)-1]^1),
		"a flipped image data bit": flip(good, idatAt+40),
		"a truncated stream":       filteredPNGTruncated(t, good),
		"an unknown filter type":   filteredPNG(t, img, []byte{5}),
		"bytes after the stream":   junkInIDAT(t, good, 3),
		"a wrong Adler-32":         flip(good, len(good)-12-4-1), // the last IDAT's last byte
		"a palette":                []byte(nil),
	}
	pal := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.NRGBA{}, color.NRGBA{R: 0xFF, A: 0xFF}})
	var pb bytes.Buffer
	if err := png.Encode(&pb, pal); err != nil {
		t.Fatal(err)
	}
	bad["a palette"] = pb.Bytes()
	for name, data := range bad {
		if _, ok := decodeCanonical(data, 20, 20); ok {
			t.Errorf("%s: decoded", name)
		}
	}
}

// flip returns data with one bit of byte i flipped and the chunk CRCs left as they
// were (so canonicalRGBA refuses it), and with them fixed (so the stream does).
func flip(data []byte, i int) []byte {
	out := append([]byte(nil), data...)
	out[i] ^= 0x10
	for p := 8; p+12 <= len(out); {
		l := int(binary.BigEndian.Uint32(out[p:]))
		binary.BigEndian.PutUint32(out[p+8+l:], crc32.ChecksumIEEE(out[p+4:p+8+l]))
		p += 12 + l
	}
	return out
}

// filteredPNGTruncated cuts the last IDAT chunk's data in half (CRC fixed up).
func filteredPNGTruncated(t testing.TB, data []byte) []byte {
	last := bytes.LastIndex(data, []byte("IDAT")) - 4
	l := int(binary.BigEndian.Uint32(data[last:]))
	c := binary.BigEndian.AppendUint32(nil, uint32(l/2))
	c = append(append(c, "IDAT"...), data[last+8:last+8+l/2]...)
	c = binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
	return append(append(append([]byte(nil), data[:last]...), c...), data[last+12+l:]...)
}

func TestDocumentExample(t *testing.T) {
	r, warns, err := Parse(readExample(t, "all-fields-document.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 0 {
		t.Errorf("the example warns: %v", warns)
	}
	d := r.Document
	if d == nil || d.CopyNumber == "" || d.Secrecy == "" || d.Urgency == "" || d.Organ == "" || d.Number == "" ||
		len(d.Signers) == 0 || len(d.CC) == 0 || d.Printer == "" || d.PrintDate == nil || r.Note == "" || r.Seal == nil ||
		len(r.AttachmentPages) == 0 || len(r.AttachmentPages[0].Body) == 0 {
		t.Errorf("the example lacks a document-form field: %+v note %q seal %v attachment pages %d", d, r.Note, r.Seal != nil, len(r.AttachmentPages))
	}
	tables := 0
	for _, a := range r.AttachmentPages {
		for _, b := range a.Body {
			if b.Table != nil {
				tables++
			}
		}
	}
	if tables == 0 {
		t.Error("the example's attachment page has no table")
	}
}

// A seal larger than print needs is resampled once, at parsing, so renders do not
// pay for its pixels; its aspect ratio is kept.
func TestSealDownscaled(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 1800, 1200))
	for i := 3; i < len(img.Pix); i += 4 {
		if i%8 == 3 {
			img.Pix[i-3], img.Pix[i] = 0xE0, 0xFF
		}
	}
	r, _ := mustParse(t, docForm(`"seal":{"png":"`+pngOf(t, img)+`"}`))
	cfg, err := png.DecodeConfig(bytes.NewReader(r.Seal.PNG))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 709 || cfg.Height != 472 {
		t.Errorf("seal resampled to %d × %d, want 709 × 472 (300 dpi at 60 mm)", cfg.Width, cfg.Height)
	}
}

// FuzzDecodeCanonical: whatever the canonical decoder takes, image/png decodes to
// the same pixels (the decoder never accepts what the standard's reader would not,
// nor reads it otherwise). The fuzzed bytes are the image data (a zlib stream, raw
// or compressed by the test) of a w × h PNG whose chunks the test writes, CRCs and
// all, so that mutations reach the inflater and the filters.
func FuzzDecodeCanonical(f *testing.F) {
	img := image.NewNRGBA(image.Rect(0, 0, 6, 5))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 37)
	}
	seed := filteredPNG(f, img, []byte{0, 1, 2, 3, 4})
	idat, ok := canonicalRGBA(seed)
	if !ok {
		f.Fatal("the seed is not canonical")
	}
	f.Add(uint8(6), uint8(5), idat, false)
	var raw []byte // rows of filter bytes and samples, compressed by the test
	for y := range 3 {
		raw = append(raw, byte(y%5))
		for x := range 4 * 4 {
			raw = append(raw, byte(x*y+7))
		}
	}
	f.Add(uint8(4), uint8(3), raw, true)
	f.Fuzz(func(t *testing.T, w, h uint8, body []byte, compress bool) {
		if w == 0 || h == 0 || w > 32 || h > 32 {
			return
		}
		if compress {
			var z bytes.Buffer
			zw := zlib.NewWriter(&z)
			zw.Write(body)
			zw.Close()
			body = z.Bytes()
		}
		ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, uint32(w)), uint32(h))
		data := pngChunk(append([]byte(nil), pngSignature...), "IHDR", append(ihdr, 8, 6, 0, 0, 0))
		data = pngChunk(pngChunk(data, "IDAT", body), "IEND", nil)
		got, ok := decodeCanonical(data, int(w), int(h))
		if !ok {
			return
		}
		want, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("decoded here, refused by image/png: %v", err)
		}
		n, isNRGBA := want.(*image.NRGBA)
		if !isNRGBA || !bytes.Equal(n.Pix, got.Pix) {
			t.Fatalf("pixels differ from image/png's (%T)", want)
		}
	})
}
