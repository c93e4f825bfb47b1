package report

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"strconv"
	"strings"
	"unicode/utf8"

	xdraw "golang.org/x/image/draw"

	"gongwen/internal/lazyre"
	"gongwen/internal/spec"
)

// Document is the 版头 and 版记 of the document form (GB/T 9704 7.2, 7.4). Organ and
// Number are always set; the rest is "" or nil when absent.
type Document struct {
	CopyNumber string   // 份号, six digits
	Secrecy    string   // 密级和保密期限, "秘密★1年"
	Urgency    string   // 紧急程度, "特急" or "加急"
	Organ      string   // 发文机关标志, "示例市司法局文件"
	Number     string   // 发文字号, "示司〔2025〕3号"
	Signers    []string // 签发人; non-empty makes the document an upward report (上行文)
	CC         []string // 抄送机关
	Printer    string   // 印发机关
	PrintDate  *Date    // 印发日期
}

// HasRecord tells whether the 版记 is printed: it needs 抄送 or the 印发 line.
func (d *Document) HasRecord() bool {
	return d != nil && (len(d.CC) > 0 || d.Printer != "" || d.PrintDate != nil)
}

// Seal is the image sealing the signature (GB/T 9704 7.3.5.1).
type Seal struct {
	// PNG is the image as the writers embed it: a non-interlaced 8-bit RGBA PNG of
	// nothing but its image, whatever PNG variant was given (Parse re-encodes any
	// other; canonicalRGBA), so that every writer can take it as it is.
	PNG        []byte
	DiameterMM float64 // 20-60, 42 by default
	// Pixels is PNG's image, as Parse decoded it, for writers that need its samples
	// (the PDF's colour and soft mask) rather than decoding PNG again; nil when the
	// Seal was not made by Parse. Do not modify it.
	Pixels *image.NRGBA
}

// Attachment is an attachment given as an object: printed on pages of its own
// after the signature (GB/T 9704 7.3.7).
type Attachment struct {
	Path   string // JSON pointer, "/attachments/1"
	Number int    // its number in the 附件说明 (1-based)
	Title  string // also its name in the 附件说明
	Body   []Block
}

// attachmentPage builds an attachment given as {"title": …, "body": […]}.
func (b *builder) attachmentPage(m map[string]any, path string, number int) Attachment {
	a := Attachment{Path: path, Number: number}
	if v, ok := m["title"]; ok {
		a.Title = b.attachment(b.text(v, path+"/title", false, CodeEmptyText), path+"/title")
	}
	a.Body = b.blockList(m["body"], path+"/body")
	return a
}

// documentForm reads document, note and seal.
func (b *builder) documentForm(root map[string]any, r *Report) {
	if m, ok := root["document"].(map[string]any); ok {
		r.Document = b.document(m, r)
	}
	if v, ok := root["note"]; ok {
		r.Note = b.note(b.text(v, "/note", false, CodeEmptyText))
	}
	if m, ok := root["seal"].(map[string]any); ok {
		r.Seal = b.seal(m)
		if r.Seal != nil && r.Date == nil {
			if _, given := root["date"]; !given {
				b.fail("/seal", CodeRequired, "加盖印章须有成文日期（date）：印章压在署名和成文日期上。A seal needs the date (date): it is placed over the issuer's name and the date.")
			}
		}
	}
}

func (b *builder) document(m map[string]any, r *Report) *Document {
	d := &Document{}
	const p = "/document"
	if v, ok := m["copyNumber"]; ok {
		d.CopyNumber = b.copyNumber(b.text(v, p+"/copyNumber", false, CodeEmptyText))
	}
	if v, ok := m["secrecy"]; ok {
		d.Secrecy = b.secrecy(b.text(v, p+"/secrecy", false, CodeEmptyText))
	}
	if v, ok := m["urgency"].(string); ok {
		d.Urgency = normText(v) // the schema's enum checks it
	}
	if v, ok := m["organ"]; ok {
		d.Organ = b.text(v, p+"/organ", false, CodeEmptyText)
	}
	if v, ok := m["number"]; ok {
		d.Number = b.docNumber(b.text(v, p+"/number", false, CodeEmptyText), r.Date)
	}
	d.Signers = b.names(m["signers"], p+"/signers")
	d.CC = b.names(m["cc"], p+"/cc")
	if n := ccRunes(d.CC); n > MaxCCRunes {
		b.fail(p+"/cc", CodeTooLong, fmt.Sprintf("抄送机关过多：抄送一栏共 %d 个字，最多 %d 个字（版记须在一页内）。The cc list is too long: %d characters, at most %d (the 版记 must fit on one page).",
			n, MaxCCRunes, n, MaxCCRunes))
	}
	if v, ok := m["printer"]; ok {
		d.Printer = b.text(v, p+"/printer", false, CodeEmptyText)
	}
	if s, ok := m["printDate"].(string); ok {
		d.PrintDate = b.date(s, p+"/printDate")
		if d.PrintDate != nil && r.Date != nil && d.PrintDate.ISO() < r.Date.ISO() {
			b.fail(p+"/printDate", CodeInvalidDate, fmt.Sprintf(
				"印发日期“%s”早于成文日期“%s”：公文须在成文后印发。The print date %s is before the date %s: a document is printed after it is signed.",
				d.PrintDate.ISO(), r.Date.ISO(), d.PrintDate.ISO(), r.Date.ISO()))
		}
	}
	// The schema requires organ and number; say why when signers are given.
	if len(d.Signers) > 0 {
		for _, f := range []string{"organ", "number"} {
			if _, ok := m[f]; !ok {
				zh, _ := describe([]string{f})
				b.fail(p+"/"+f, CodeRequired, fmt.Sprintf("有签发人时须有“%s”（%s）：签发人排在发文字号同一行。Signers need %q: they share the line of the document number under the organ's name.", zh, f, f))
			}
		}
	}
	return d
}

func (b *builder) names(v any, path string) []string {
	list, ok := v.([]any)
	if !ok {
		return nil
	}
	var out []string
	for i, item := range list {
		if s, ok := item.(string); ok {
			out = append(out, b.text(s, path+"/"+strconv.Itoa(i), false, CodeEmptyText))
		}
	}
	return out
}

// ccRunes is the length of the printed 抄送 line: "抄送：", the names separated by
// "，", and "。".
func ccRunes(cc []string) int {
	if len(cc) == 0 {
		return 0
	}
	n := utf8.RuneCountInString(spec.CCLabel+spec.CCEnd) + (len(cc)-1)*utf8.RuneCountInString(spec.CCSeparator)
	for _, c := range cc {
		n += utf8.RuneCountInString(c)
	}
	return n
}

var copyDigits = &lazyre.Regexp{Expr: `^[0-9]{1,6}$`}

// copyNumber checks the 份号: one to six Arabic digits, printed as six (7.2.1).
func (b *builder) copyNumber(s string) string {
	const path = "/document/copyNumber"
	if s == "" {
		return ""
	}
	if !copyDigits.Get().MatchString(s) {
		b.fail(path, CodeInvalidValue, fmt.Sprintf("份号“%s”应为 1 至 6 位阿拉伯数字，如“000001”。The copy number %q must be 1 to 6 Arabic digits, e.g. \"000001\".", s, s))
		return ""
	}
	if len(s) < 6 {
		padded := strings.Repeat("0", 6-len(s)) + s
		b.warns = append(b.warns, Problem{Path: path, Code: CodeCopyNumberPadded, Message: fmt.Sprintf(
			"份号“%s”已补足为 6 位：“%s”。The copy number %q is padded to six digits: %q.", s, padded, s, padded)})
		return padded
	}
	return s
}

var secrecyRE = &lazyre.Regexp{Expr: `^(绝密|机密|秘密)(★([0-9]{1,3}(年|个月)|长期))?$`}

// secrecy checks the 密级和保密期限 (7.2.2): 绝密, 机密 or 秘密, optionally ★ and a
// period ("秘密★1年", "机密★6个月", "绝密★长期").
func (b *builder) secrecy(s string) string {
	if s == "" {
		return ""
	}
	if !secrecyRE.Get().MatchString(s) {
		b.fail("/document/secrecy", CodeInvalidValue, fmt.Sprintf(
			"密级“%s”应为“绝密”“机密”或“秘密”，可加“★”和保密期限，如“秘密★1年”。The secrecy %q must be 绝密, 机密 or 秘密, optionally followed by ★ and a period, e.g. \"秘密★1年\".", s, s))
		return ""
	}
	return s
}

var (
	// A year in any bracket a clerk types: [2025] (2025) （2025） 【2025】 ［2025］ 〔2025〕.
	numberYearRE = &lazyre.Regexp{Expr: `^(.*?)[\[\(（【［〔]\s*([0-9]{4})\s*[\]\)）】］〕]\s*(.*)$`}
	// The serial after the year: 第3号, 03号, 3 号.
	numberSerialRE = &lazyre.Regexp{Expr: `^第?\s*0*([0-9]+)\s*号$`}
	numberNoYearRE = &lazyre.Regexp{Expr: `^(.*?[^0-9第])第?0*([0-9]+)号$`}
)

// docNumber normalises the 发文字号 (7.2.4): the year in six-sided brackets 〔〕,
// no 第, no leading zeros, 号 after the serial.
func (b *builder) docNumber(s string, date *Date) string {
	const path = "/document/number"
	if s == "" {
		return ""
	}
	if !strings.HasSuffix(s, "号") {
		b.fail(path, CodeInvalidValue, fmt.Sprintf("发文字号“%s”应以“号”结尾，如“示司〔2025〕3号”。The document number %q must end in 号, e.g. \"示司〔2025〕3号\".", s, s))
		return s
	}
	out := s
	year := ""
	if m := numberYearRE.Get().FindStringSubmatch(s); m != nil {
		year = m[2]
		serial := m[3]
		if sm := numberSerialRE.Get().FindStringSubmatch(serial); sm != nil {
			serial = sm[1] + "号"
		}
		out = strings.TrimSpace(m[1]) + "〔" + year + "〕" + serial
	} else if sm := numberNoYearRE.Get().FindStringSubmatch(s); sm != nil {
		// No bracketed year: still drop 第 and leading zeros before 号.
		out = sm[1] + sm[2] + "号"
	}
	if out != s {
		b.warns = append(b.warns, Problem{Path: path, Code: CodeNumberNormalised, Message: fmt.Sprintf(
			"发文字号“%s”已规范为“%s”（年份用六角括号〔〕，不加“第”，序号不编虚位）。The document number %q is normalised to %q (the year in 〔〕, no 第, no leading zeros).", s, out, s, out)})
	}
	if year != "" && date != nil && year != strconv.Itoa(date.Year) {
		b.warns = append(b.warns, Problem{Path: path, Code: CodeNumberYear, Message: fmt.Sprintf(
			"发文字号中的年份 %s 与成文日期的年份 %d 不同，请核对。The year %s in the document number is not the year of the date, %d: please check.", year, date.Year, year, date.Year)})
	}
	return out
}

// note keeps the 附注's text; its parentheses are the format's (7.3.6), so a
// clerk's own are removed.
func (b *builder) note(s string) string {
	for _, p := range [][2]string{{"（", "）"}, {"(", ")"}} {
		if strings.HasPrefix(s, p[0]) && strings.HasSuffix(s, p[1]) && len(s) > len(p[0])+len(p[1]) {
			inner := s[len(p[0]) : len(s)-len(p[1])]
			if !strings.ContainsAny(inner, "（）()") {
				b.warns = append(b.warns, Problem{Path: "/note", Code: CodeNoteParentheses, Message: "已去掉附注外层的括号：括号由版式加上。The note's outer parentheses are removed: the format adds them."})
				return inner
			}
		}
	}
	return s
}

// seal checks the seal image and re-encodes it unless it is canonical already
// (canonicalRGBA). No problem quotes the image data.
func (b *builder) seal(m map[string]any) *Seal {
	const path = "/seal"
	s := &Seal{DiameterMM: DefaultSealDiameterMM}
	ok := true
	if n, isNum := m["diameterMM"].(json.Number); isNum {
		f, err := n.Float64()
		if err != nil || f < MinSealDiameterMM || f > MaxSealDiameterMM {
			ok = false
			b.fail(path+"/diameterMM", CodeOutOfRange, fmt.Sprintf("印章直径应在 %g 至 %g 毫米之间，实为 %s。The seal diameter must be %g to %g mm, not %s.",
				MinSealDiameterMM, MaxSealDiameterMM, n, MinSealDiameterMM, MaxSealDiameterMM, n))
		} else {
			s.DiameterMM = f
		}
	}
	raw, isStr := m["png"].(string)
	if !isStr {
		return nil // missing or not text: the schema reports it
	}
	img, data, msg := decodeSeal(raw)
	if msg != "" {
		b.fail(path+"/png", CodeInvalidSeal, msg)
		return nil
	}
	if !ok {
		return nil
	}
	if data == nil {
		var err error
		if data, err = encodeRGBA(img); err != nil {
			b.fail(path+"/png", CodeInvalidSeal, "印章图片无法重新编码。The seal image cannot be re-encoded.")
			return nil
		}
	}
	s.PNG, s.Pixels = data, img
	return s
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// decodeSeal decodes and checks a seal: base64 of a PNG of at most MaxSealBytes and
// MaxSealPixels a side, with transparency. The size is read from the IHDR chunk
// before anything is decompressed, so a small file claiming a huge image (a
// decompression bomb) is refused without allocating it. msg is "" when it is fine;
// canonical is the PNG itself when it is in the form the writers embed
// (decodeCanonical) and img its pixels as given, else nil.
func decodeSeal(raw string) (img *image.NRGBA, canonical []byte, msg string) {
	raw = strings.TrimPrefix(strings.TrimSpace(raw), "data:image/png;base64,")
	if base64.StdEncoding.DecodedLen(len(raw)) > MaxSealBytes+3 {
		return nil, nil, fmt.Sprintf("印章图片过大：最多 %d 字节（1 MB）。The seal image is too large: at most %d bytes (1 MB).", MaxSealBytes, MaxSealBytes)
	}
	data, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return nil, nil, "印章图片应为 Base64 编码的 PNG 文件。The seal image must be a PNG file encoded in Base64."
	}
	if len(data) > MaxSealBytes {
		return nil, nil, fmt.Sprintf("印章图片过大：%d 字节，最多 %d 字节（1 MB）。The seal image is too large: %d bytes, at most %d (1 MB).", len(data), MaxSealBytes, len(data), MaxSealBytes)
	}
	if !bytes.HasPrefix(data, pngSignature) {
		return nil, nil, "印章图片不是 PNG 文件（只接受带透明背景的 PNG）。The seal image is not a PNG file (only a PNG with a transparent background is accepted)."
	}
	// IHDR: length(4) "IHDR"(4) width(4) height(4) depth(1) colour type(1) …
	h := data[len(pngSignature):]
	if len(h) < 8+13 || string(h[4:8]) != "IHDR" {
		return nil, nil, "印章图片的 PNG 文件头已损坏。The seal image's PNG header is damaged."
	}
	w, ht := binary.BigEndian.Uint32(h[8:12]), binary.BigEndian.Uint32(h[12:16])
	if w == 0 || ht == 0 || w > MaxSealPixels || ht > MaxSealPixels {
		return nil, nil, fmt.Sprintf("印章图片为 %d×%d 像素，最多 %d×%d 像素。The seal image is %d × %d pixels, at most %d × %d.",
			w, ht, MaxSealPixels, MaxSealPixels, w, ht, MaxSealPixels, MaxSealPixels)
	}
	colourType := h[17]
	if colourType != 4 && colourType != 6 && !bytes.Contains(data, []byte("tRNS")) {
		return nil, nil, "印章图片没有透明通道：印章须为透明背景的 PNG，才不会遮住署名和日期。The seal image has no transparency: it must be a PNG with a transparent background so that it does not hide the name and date."
	}
	img, exact := decodeCanonical(data, int(w), int(ht))
	if !exact {
		dec, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, nil, "印章图片已损坏，无法解码。The seal image is damaged and cannot be decoded."
		}
		bounds := dec.Bounds()
		if n, ok := dec.(*image.NRGBA); ok && bounds.Min == (image.Point{}) {
			img = n // an 8-bit RGBA PNG decodes as such: no copy (1.4 MB for a 600 px seal)
		} else {
			img = image.NewNRGBA(image.Rect(0, 0, bounds.Dx(), bounds.Dy()))
			draw.Draw(img, img.Bounds(), dec, bounds.Min, draw.Src)
		}
	}
	transparent := false
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] < 0xFF {
			transparent = true
			break
		}
	}
	if !transparent {
		return nil, nil, "印章图片没有透明部分：印章须为透明背景的 PNG，才不会遮住署名和日期。The seal image has no transparent pixels: it must have a transparent background so that it does not hide the name and date."
	}
	if small := downscale(img); small != img {
		return small, nil, ""
	}
	if exact {
		canonical = data
	}
	return img, canonical, ""
}

// downscale resamples a seal larger than MaxSealPrintPixels a side to that size
// (Catmull-Rom): more pixels print no sharper, and every render would pay for them
// (a 2000 px seal is 16 MB of pixels to split into colour and soft mask).
func downscale(img *image.NRGBA) *image.NRGBA {
	b := img.Bounds()
	side := max(b.Dx(), b.Dy())
	if side <= MaxSealPrintPixels {
		return img
	}
	w := max(1, b.Dx()*MaxSealPrintPixels/side)
	h := max(1, b.Dy()*MaxSealPrintPixels/side)
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), img, b, xdraw.Src, nil)
	return dst
}
