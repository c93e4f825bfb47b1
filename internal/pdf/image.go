package pdf

import (
	"bytes"
	"fmt"
	"hash/fnv"

	"github.com/jung-kurt/gofpdf"

	"gongwen/internal/typeset"
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

// drawImages draws a page's images (the seal) after its text. An image marked
// Multiply is drawn with the Multiply blend mode (an ExtGState with /BM /Multiply),
// so the black name and date under the red seal stay black and legible, as ink on
// ink does. gofpdf embeds a PNG's alpha channel as the image's soft mask (/SMask)
// and registers an image once per document, by name: the name is the hash of the
// bytes, so the same seal on several pages is one XObject.
func drawImages(pdf *gofpdf.Fpdf, images []typeset.Image) error {
	for _, im := range images {
		h := fnv.New64a()
		h.Write(im.PNG)
		name := fmt.Sprintf("img%016x", h.Sum64())
		opt := gofpdf.ImageOptions{ImageType: "PNG"}
		if pdf.GetImageInfo(name) == nil {
			pdf.RegisterImageOptionsReader(name, opt, bytes.NewReader(im.PNG))
			if err := pdf.Error(); err != nil {
				return fmt.Errorf("image: %w", err)
			}
		}
		if im.Multiply {
			pdf.SetAlpha(1, "Multiply")
		}
		pdf.ImageOptions(name, im.X, im.Y, im.W, im.H, false, opt, 0, "")
		if im.Multiply {
			pdf.SetAlpha(1, "Normal")
		}
	}
	return pdf.Error()
}
