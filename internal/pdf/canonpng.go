package pdf

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"

	"github.com/klauspost/compress/zlib"
)

// pngSignature starts every PNG file.
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// splitCanonical splits a PNG as report.Parse writes a seal (8-bit RGBA, not
// interlaced, every row unfiltered: report's encodeRGBA) into its colour and alpha
// samples as it inflates the rows, without image/png decoding it into an image first
// (a 1.4 MB buffer for a 600 px seal, faulted in page by page in a cold process); ok
// is false for any other PNG, which png.Decode then reads. Every chunk's CRC-32 and
// the zlib stream's Adler-32 are checked.
func splitCanonical(data []byte) (w, h int, rgb, alpha []byte, ok bool) {
	if !bytes.HasPrefix(data, pngSignature) {
		return 0, 0, nil, nil, false
	}
	var idat [][]byte
	var ihdr []byte
chunks:
	for p := data[len(pngSignature):]; ; {
		if len(p) < 12 {
			return 0, 0, nil, nil, false
		}
		n := binary.BigEndian.Uint32(p)
		if uint64(n) > uint64(len(p)-12) {
			return 0, 0, nil, nil, false
		}
		typ, body := p[4:8], p[8:8+n]
		if crc32.ChecksumIEEE(p[4:8+n]) != binary.BigEndian.Uint32(p[8+n:]) {
			return 0, 0, nil, nil, false
		}
		p = p[12+n:]
		switch string(typ) {
		case "IHDR":
			ihdr = body
		case "IDAT":
			idat = append(idat, body)
		case "IEND":
			break chunks
		default:
			if typ[0]&0x20 == 0 { // a critical chunk this reader does not know
				return 0, 0, nil, nil, false
			}
		}
	}
	// IHDR: width, height, bit depth 8, colour type 6 (RGBA), compression, filter
	// and interlace methods 0.
	if len(ihdr) != 13 || !bytes.Equal(ihdr[8:], []byte{8, 6, 0, 0, 0}) || len(idat) == 0 {
		return 0, 0, nil, nil, false
	}
	w, h = int(binary.BigEndian.Uint32(ihdr)), int(binary.BigEndian.Uint32(ihdr[4:]))
	if w <= 0 || h <= 0 || w > 1<<14 || h > 1<<14 {
		return 0, 0, nil, nil, false
	}
	var z io.Reader
	if len(idat) == 1 {
		z = bytes.NewReader(idat[0])
	} else {
		z = bytes.NewReader(bytes.Join(idat, nil))
	}
	zr, err := zlib.NewReader(z)
	if err != nil {
		return 0, 0, nil, nil, false
	}
	defer zr.Close()
	row := make([]byte, 1+4*w)
	rgb = make([]byte, 0, 3*w*h)
	alpha = make([]byte, 0, w*h)
	for range h {
		if _, err := io.ReadFull(zr, row); err != nil || row[0] != 0 {
			return 0, 0, nil, nil, false
		}
		for i := 1; i < len(row); i += 4 {
			rgb = append(rgb, row[i], row[i+1], row[i+2])
			alpha = append(alpha, row[i+3])
		}
	}
	// The end of the stream, where its checksum is checked.
	if n, err := zr.Read(row[:1]); n != 0 || err != io.EOF {
		return 0, 0, nil, nil, false
	}
	return w, h, rgb, alpha, true
}
