package pdf

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"slices"
	"strconv"
	"sync"

	"gongwen/internal/spec"
	"gongwen/internal/typeset"
	"gongwen/internal/zipfile"
)

// appendColor sets the text colour (the non-stroking colour) when it changes.
func appendColor(b []byte, c typeset.Color, cur *typeset.Color) []byte {
	if c == *cur {
		return b
	}
	*cur = c
	for _, v := range []uint8{c.R, c.G, c.B} {
		b = appendNum(b, float64(v)/255)
		b = append(b, ' ')
	}
	return append(b, "rg "...)
}

// Why images are not given to gofpdf: it decodes a PNG with alpha, splits it and
// recompresses both halves at zlib's default level on every render, which was 55%
// of a sealed report's render (16 ms of CPU against 3 ms unsealed, measured). Here
// the seal's pixels as the report's parser decoded them (typeset.Image.Pixels; the
// PNG is decoded once per document when they are absent) are split into colour and
// alpha, compressed at the speed level with the pooled writers, and finish adds it
// as an image XObject with its alpha as the soft mask (/SMask), like the fonts.

// rasterImage is one image of the document, embedded once however many pages show it.
type rasterImage struct {
	w, h       int
	rgb, alpha []byte // compressed (FlateDecode) 8-bit samples
}

// images collects a document's images, one per distinct PNG.
type images struct {
	list  []*rasterImage
	index map[string]int
}

// add decodes and compresses an image the first time it is seen; it returns the
// image's index. pixels, when not nil, is pngData decoded (the seal as the report's
// parser decoded it): its samples are split as they are.
func (ims *images) add(pngData []byte, pixels *image.NRGBA) (int, error) {
	if i, ok := ims.index[string(pngData)]; ok {
		return i, nil
	}
	img := pixels
	if img == nil {
		var err error
		if img, err = decodeNRGBA(pngData); err != nil {
			return 0, err
		}
	}
	// The colour and the alpha compress side by side (a render's wall time is
	// what a Lambda bills).
	var zc []byte
	var errC error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		zc, errC = zlibSamples(img, false)
	}()
	za, err := zlibSamples(img, true)
	wg.Wait()
	if err == nil {
		err = errC
	}
	if err != nil {
		return 0, err
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	if ims.index == nil {
		ims.index = map[string]int{}
	}
	ims.list = append(ims.list, &rasterImage{w: w, h: h, rgb: zc, alpha: za})
	ims.index[string(pngData)] = len(ims.list) - 1
	return len(ims.list) - 1, nil
}

// decodeNRGBA decodes any PNG with image/png, as 8-bit RGBA (an image of another
// colour model converted).
func decodeNRGBA(pngData []byte) (*image.NRGBA, error) {
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	n, ok := img.(*image.NRGBA)
	if !ok {
		b := img.Bounds()
		n = image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(n, n.Bounds(), img, b.Min, draw.Src)
	}
	return n, nil
}

// appendSamples appends row y's colour samples (R, G, B) of img, or its alpha ones.
func appendSamples(dst []byte, img *image.NRGBA, y int, alpha bool) []byte {
	b := img.Bounds()
	row := img.Pix[img.PixOffset(b.Min.X, y):][:4*b.Dx()]
	n := len(dst)
	w := len(row) / 4
	if alpha {
		dst = slices.Grow(dst, w)[:n+w]
		out := dst[n:]
		x := 0
		for ; x+4 <= w; x += 4 { // four pixels' alpha bytes to one word
			p := row[4*x : 4*x+16]
			binary.LittleEndian.PutUint32(out[x:], binary.LittleEndian.Uint32(p)>>24|
				binary.LittleEndian.Uint32(p[4:])>>24<<8|binary.LittleEndian.Uint32(p[8:])>>24<<16|
				binary.LittleEndian.Uint32(p[12:])>>24<<24)
		}
		for ; x < w; x++ {
			out[x] = row[4*x+3]
		}
		return dst
	}
	dst = slices.Grow(dst, 3*w)[:n+3*w]
	out := dst[n:]
	// Four pixels (16 bytes) to twelve bytes a step, as three words.
	x := 0
	for ; x+4 <= w; x += 4 {
		p, q := row[4*x:4*x+16], out[3*x:3*x+12]
		a := binary.LittleEndian.Uint32(p) & 0xFFFFFF
		b := binary.LittleEndian.Uint32(p[4:]) & 0xFFFFFF
		c := binary.LittleEndian.Uint32(p[8:]) & 0xFFFFFF
		d := binary.LittleEndian.Uint32(p[12:]) & 0xFFFFFF
		binary.LittleEndian.PutUint32(q, a|b<<24)
		binary.LittleEndian.PutUint32(q[4:], b>>8|c<<16)
		binary.LittleEndian.PutUint32(q[8:], c>>16|d<<8)
	}
	for ; x < w; x++ {
		out[3*x], out[3*x+1], out[3*x+2] = row[4*x], row[4*x+1], row[4*x+2]
	}
	return dst
}

// zlibSamples compresses img's colour or alpha samples as zlibOf would compress them
// all (the same bytes), taking them from the image a row at a time into a buffer of
// one row instead of into a copy of the image's samples (1.4 MB for the 600 px
// specimen seal, which a cold process faulted in page by page).
func zlibSamples(img *image.NRGBA, alpha bool) ([]byte, error) {
	b := img.Bounds()
	per := 3
	if alpha {
		per = 1
	}
	n := per * b.Dx() * b.Dy()
	if n <= zipfile.StatelessMax { // the stateless encoder takes its input whole
		all := make([]byte, 0, n)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			all = appendSamples(all, img, y, alpha)
		}
		return zlibOf(all)
	}
	z, err := zipfile.NewZlibWriter(make([]byte, 0, n*3/4+64))
	if err != nil {
		return nil, fmt.Errorf("pdf: compress: %w", err)
	}
	row := make([]byte, 0, per*b.Dx())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row = appendSamples(row[:0], img, y, alpha)
		if _, err := z.Write(row); err != nil {
			z.Close()
			return nil, fmt.Errorf("pdf: compress: %w", err)
		}
	}
	out, err := z.Close()
	if err != nil {
		return nil, fmt.Errorf("pdf: compress: %w", err)
	}
	return out, nil
}

// imageName and blendName are the resource names of image i and of the Multiply
// graphics state.
func imageName(i int) string { return "GWim" + strconv.Itoa(i) }

const blendName = "GWmultiply"

// appendImage draws image i at im's place: under the Multiply blend mode when
// asked, so that the black name and date under the red seal stay black and legible,
// as ink on ink does.
func appendImage(b []byte, i int, im typeset.Image) []byte {
	b = append(b, "q "...)
	if im.Multiply {
		b = append(b, "/"+blendName+" gs "...)
	}
	b = appendNum(b, im.W)
	b = append(b, " 0 0 "...)
	b = appendNum(b, im.H)
	b = append(b, ' ')
	b = appendNum(b, im.X)
	b = append(b, ' ')
	b = appendNum(b, spec.PageHeight-im.Y-im.H)
	b = append(b, " cm /"...)
	b = append(b, imageName(i)...)
	return append(b, " Do Q\n"...)
}

// numImageObjects is the number of objects appendImages writes.
func numImageObjects(ims []*rasterImage) int {
	if len(ims) == 0 {
		return 0
	}
	return 2*len(ims) + 1
}

// appendImages writes each image (XObject, then its soft mask) and the Multiply
// graphics state, numbered from first; it returns their offsets in out.
func appendImages(out []byte, ims []*rasterImage, first int) ([]byte, []int) {
	var offs []int
	for i, im := range ims {
		n := first + 2*i
		offs = append(offs, len(out))
		out = fmt.Appendf(out, "%d 0 obj\n<</Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /SMask %d 0 R /Filter /FlateDecode /Length %d>>\nstream\n",
			n, im.w, im.h, n+1, len(im.rgb))
		out = append(out, im.rgb...)
		out = append(out, "\nendstream\nendobj\n"...)
		offs = append(offs, len(out))
		out = fmt.Appendf(out, "%d 0 obj\n<</Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d>>\nstream\n",
			n+1, im.w, im.h, len(im.alpha))
		out = append(out, im.alpha...)
		out = append(out, "\nendstream\nendobj\n"...)
	}
	if len(ims) > 0 {
		offs = append(offs, len(out))
		out = fmt.Appendf(out, "%d 0 obj\n<</Type /ExtGState /BM /Multiply>>\nendobj\n", first+2*len(ims))
	}
	return out, offs
}

// resourceImages is what the resource dictionary says about the images: the
// XObject entries and the ExtGState dictionary.
func resourceImages(ims []*rasterImage, first int) (xobjects, extGState []byte) {
	for i := range ims {
		xobjects = fmt.Appendf(xobjects, "/%s %d 0 R\n", imageName(i), first+2*i)
	}
	if len(ims) > 0 {
		extGState = fmt.Appendf(extGState, "/ExtGState <<\n/%s %d 0 R\n>>\n", blendName, first+2*len(ims))
	}
	return xobjects, extGState
}
