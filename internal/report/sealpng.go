package report

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"io"

	"github.com/klauspost/compress/flate"

	"gongwen/internal/adler"
	"gongwen/internal/zipfile"
)

// encodeRGBA writes img as a non-interlaced 8-bit RGBA PNG, every row with filter
// type 0 (none), the rows deflated by zipfile.Zlib (klauspost/compress at level 1).
// image/png's encoder, which tries all five filters on every row and deflates at
// level 6, took 44 ms for the 600 px specimen seal, half of a cold render of the
// document-form example; this takes 3.5 ms, and the file is smaller (46,694 bytes
// against 48,158): a seal's transparent runs compress as well unfiltered.
func encodeRGBA(img *image.NRGBA) ([]byte, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 || w > 1<<24 || h > 1<<24 {
		return nil, errors.New("report: seal image size out of range")
	}
	// The rows, each after its filter byte, as the parts of one zlib stream.
	none := []byte{0}
	parts := make([][]byte, 0, 2*h)
	for y := range h {
		i := img.PixOffset(b.Min.X, b.Min.Y+y)
		parts = append(parts, none, img.Pix[i:i+4*w])
	}
	idat, err := zipfile.Zlib(nil, parts...)
	if err != nil {
		return nil, err
	}
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 6 // bit depth 8, colour type 6 (RGBA); compression, filter, interlace 0
	out := make([]byte, 0, len(pngSignature)+3*12+len(ihdr)+len(idat))
	out = append(out, pngSignature...)
	out = appendChunk(out, "IHDR", ihdr[:])
	out = appendChunk(out, "IDAT", idat)
	return appendChunk(out, "IEND", nil), nil
}

// canonicalRGBA tells whether data is a PNG in the form encodeRGBA writes, the form
// every writer embeds: 8-bit RGBA, not interlaced, nothing but IHDR, its IDAT chunks
// and an empty IEND, and nothing after it, every chunk's CRC-32 right. It returns
// the IDAT chunks' data, joined. Such a seal, once decodeCanonical has found its image
// data exact, is embedded as given instead of re-encoded (1.6 ms for the 600 px
// specimen, a tenth of a cold render of the document-form example): it holds exactly
// the pixels the PDF draws, and no chunk that would make a reader draw them otherwise
// (a gamma, a colour profile) or carry what the user did not mean to publish (text).
func canonicalRGBA(data []byte) (idat []byte, ok bool) {
	if !bytes.HasPrefix(data, pngSignature) {
		return nil, false
	}
	p := data[len(pngSignature):]
	for first := true; len(p) >= 12; first = false {
		n := binary.BigEndian.Uint32(p)
		if uint64(n) > uint64(len(p)-12) {
			return nil, false
		}
		typ, body := string(p[4:8]), p[8:8+n]
		if crc32.ChecksumIEEE(p[4:8+n]) != binary.BigEndian.Uint32(p[8+n:]) {
			return nil, false
		}
		switch {
		case first:
			// Depth 8, colour type 6; compression, filter and interlace 0.
			if typ != "IHDR" || n != 13 || body[8] != 8 || body[9] != 6 || body[10] != 0 || body[11] != 0 || body[12] != 0 {
				return nil, false
			}
		case typ == "IDAT":
			idat = append(idat, body...)
		case typ == "IEND":
			return idat, idat != nil && n == 0 && len(p) == 12
		default:
			return nil, false
		}
		p = p[12+n:]
	}
	return nil, false
}

// decodeCanonical decodes a seal in the canonical form (canonicalRGBA) of w × h
// pixels: its image data inflated (klauspost's inflate, a sixth faster than
// image/png's; the Adler-32 by internal/adler) straight into the image's rows, which
// are unfiltered here. ok is false for any other PNG, and for one whose image data is
// not exactly one zlib stream of its rows with its checksum, which image/png then
// decodes (accepting, for one, a few KB after the stream) and Parse re-encodes.
func decodeCanonical(data []byte, w, h int) (img *image.NRGBA, ok bool) {
	idat, ok := canonicalRGBA(data)
	if !ok {
		return nil, false
	}
	// The zlib header (RFC 1950): deflate with at most a 32 KB window, no preset
	// dictionary, its check bits right.
	if len(idat) < 2+4 || idat[0]&0x0F != 8 || idat[0]>>4 > 7 || idat[1]&0x20 != 0 ||
		(uint(idat[0])<<8|uint(idat[1]))%31 != 0 {
		return nil, false
	}
	src := bytes.NewReader(idat[2:]) // a ByteReader: the inflater reads no byte past its stream
	zr := flate.NewReader(src)
	img = image.NewNRGBA(image.Rect(0, 0, w, h))
	stride := 4 * w
	var filter [1]byte
	var prev []byte // the row above, unfiltered; nil for the first
	sum := uint32(1)
	for y := range h {
		row := img.Pix[y*stride : (y+1)*stride]
		if _, err := io.ReadFull(zr, filter[:]); err != nil {
			return nil, false
		}
		if _, err := io.ReadFull(zr, row); err != nil {
			return nil, false
		}
		sum = adler.Update(adler.Update(sum, filter[:]), row) // of the data as stored
		if !unfilter(filter[0], row, prev) {
			return nil, false
		}
		prev = row
	}
	// The stream ends here, its Adler-32 right after it, and the image data with it.
	if n, err := zr.Read(filter[:]); n != 0 || err != io.EOF {
		return nil, false
	}
	var check [4]byte
	if _, err := io.ReadFull(src, check[:]); err != nil || binary.BigEndian.Uint32(check[:]) != sum || src.Len() != 0 {
		return nil, false
	}
	return img, true
}

// unfilter undoes a row's PNG filter (ISO/IEC 15948 9.2) for 4 bytes a pixel, prev
// being the row above (nil for the first, whose row above is zeros). False for a
// filter type PNG does not define.
func unfilter(f byte, row, prev []byte) bool {
	const bpp = 4
	switch f {
	case 0:
	case 1: // Sub: a pixel's four bytes at once (most rows of a seal are Sub or Up)
		var left uint32
		for i := 0; i+bpp <= len(row); i += bpp {
			left = addBytes32(binary.LittleEndian.Uint32(row[i:]), left)
			binary.LittleEndian.PutUint32(row[i:], left)
		}
	case 2: // Up: eight bytes at once
		if prev == nil {
			break
		}
		i := 0
		for ; i+8 <= len(row); i += 8 {
			binary.LittleEndian.PutUint64(row[i:], addBytes64(binary.LittleEndian.Uint64(row[i:]), binary.LittleEndian.Uint64(prev[i:])))
		}
		for ; i < len(row); i++ {
			row[i] += prev[i]
		}
	case 3: // Average
		if prev == nil { // the row above is zeros
			for i := bpp; i < len(row); i++ {
				row[i] += row[i-bpp] / 2
			}
			break
		}
		for i := 0; i < bpp && i < len(row); i++ {
			row[i] += prev[i] / 2
		}
		for i := bpp; i < len(row); i++ {
			row[i] += byte((int(row[i-bpp]) + int(prev[i])) / 2)
		}
	case 4: // Paeth
		if prev == nil { // the row above is zeros: the left byte is the prediction
			return unfilter(1, row, nil)
		}
		for i := 0; i < bpp && i < len(row); i++ {
			row[i] += prev[i] // a and c are 0: the prediction is b
		}
		prev := prev[:len(row)]
		for i := bpp; i < len(row); i++ {
			a, b, c := int(row[i-bpp]), int(prev[i]), int(prev[i-bpp])
			pa, pb, pc := abs(b-c), abs(a-c), abs(a+b-2*c)
			switch {
			case pa <= pb && pa <= pc:
				row[i] += byte(a)
			case pb <= pc:
				row[i] += byte(b)
			default:
				row[i] += byte(c)
			}
		}
	default:
		return false
	}
	return true
}

// addBytes32 and addBytes64 add x and y byte by byte, modulo 256 each (no carry from
// one byte into the next).
func addBytes32(x, y uint32) uint32 {
	const high = 0x80808080
	return ((x &^ high) + (y &^ high)) ^ ((x ^ y) & high)
}

func addBytes64(x, y uint64) uint64 {
	const high = 0x8080808080808080
	return ((x &^ high) + (y &^ high)) ^ ((x ^ y) & high)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// appendChunk appends a PNG chunk: length, type, data and the CRC-32 of type and data.
func appendChunk(b []byte, typ string, data []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	crc := crc32.Update(crc32.ChecksumIEEE([]byte(typ)), crc32.IEEETable, data)
	return binary.BigEndian.AppendUint32(b, crc)
}
