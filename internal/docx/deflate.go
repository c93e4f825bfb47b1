package docx

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/klauspost/compress/flate"

	"gongwen/internal/deflate"
	"gongwen/internal/zipfile"
)

// The parts that depend on the document (document.xml; core.xml is mostly stored,
// coreXML, and the font table compressed once per set of fonts but its keys,
// fontTable.deflate) are compressed here with the process's shared compressors (zipfile.GetDeflater:
// klauspost/compress's flate at zipfile.DeflateLevel, which the PDF's streams use
// too). Level 1 rather than 2: 4 % fewer instructions for a whole render without
// font parts (BenchmarkRenderWuchuanNoFonts) for 105 more bytes in Wuchuan's DOCX
// (146,888 -> 146,993), and 160 fewer page faults in a cold pdf,docx process (a
// quarter of level 2's tables); compress/flate's fastest level took 2.3 times the
// instructions of level 2.
//
// A part is deflated in pieces. What never changes (the template's text before and
// after the body) was compressed once per process, each piece ending on a byte
// boundary (a sync flush) or with the final block, and is copied as it is; only the
// document's own text is compressed per render. Deflate data so joined is one valid
// stream: a piece compressed alone refers back only into itself.

// piece is one stretch of a part's text: compressed per render (z nil) or once.
type piece struct {
	text  []byte
	z     []byte // text deflated, ending byte-aligned; nil: compress it per render
	final bool   // z ends with the stream's final block
	// body: a z-less piece is document.xml's text, deflated with bodyCode; other
	// z-less pieces (parts compressed once per process, or rarely) go through
	// zipfile's encoder, whose codes fitted to each part win bytes for nothing.
	body bool
}

// deflated is a part's compressed data: raw deflate, the CRC-32 and size of its text.
type deflated struct {
	z    []byte
	crc  uint32
	size int
}

// sink collects a flate.Writer's output.
type sink struct{ b []byte }

func (s *sink) Write(p []byte) (int, error) {
	s.b = append(s.b, p...)
	return len(p), nil
}

// partWriter is a shared compressor with the sink it writes to; put it back with
// put.
type partWriter struct {
	fw  *flate.Writer
	out sink
}

func getPartWriter() (*partWriter, error) {
	w := &partWriter{}
	fw, err := zipfile.GetDeflater(&w.out)
	if err != nil {
		return nil, err
	}
	w.fw = fw
	return w, nil
}

func (w *partWriter) put() { zipfile.PutDeflater(w.fw) }

// compressPiece deflates text once (the template's fixed text), ending with a sync
// flush, or with the final block when final. The template's texts were compressed
// when the binary was built (precompressed.bin): their compressed form is taken
// from there when the text is the same.
func compressPiece(text []byte, final bool) (piece, error) {
	if z, ok := precompressed(text, final); ok {
		return piece{text: text, z: z, final: final}, nil
	}
	return deflatePiece(text, final)
}

// precompressedBin is deflatePiece's output for the template's fixed texts (the
// document's head and tails, the core properties' head) and the font table's
// relationships (fontRels), so that a process does not compress them at start-up:
// about 300,000 instructions, most of them building Huffman codes for a few hundred
// bytes each, and 60,000 more for the relationships. Records: the text's length (4 bytes,
// little-endian), the text, the final flag (1 byte), the compressed length, the
// compressed bytes. TestPrecompressed checks it is what deflatePiece makes of the
// template now (go test ./internal/docx -run TestPrecompressed -update rewrites it);
// a text it does not hold is compressed as before.
//
//go:embed precompressed.bin
var precompressedBin []byte

// precompressed looks text up in precompressedBin.
func precompressed(text []byte, final bool) ([]byte, bool) {
	for rest := precompressedBin; len(rest) >= 4; {
		n := int(binary.LittleEndian.Uint32(rest))
		if len(rest) < 4+n+5 {
			return nil, false
		}
		t, f := rest[4:4+n], rest[4+n] == 1
		rest = rest[4+n+1:]
		m := int(binary.LittleEndian.Uint32(rest))
		if len(rest) < 4+m {
			return nil, false
		}
		z := rest[4 : 4+m : 4+m]
		rest = rest[4+m:]
		if f == final && bytes.Equal(t, text) {
			return z, true
		}
	}
	return nil, false
}

// deflatePiece compresses text as compressPiece's piece.
func deflatePiece(text []byte, final bool) (piece, error) {
	w, err := getPartWriter()
	if err != nil {
		return piece{}, err
	}
	defer w.put()
	if _, err := w.fw.Write(text); err != nil {
		return piece{}, err
	}
	if final {
		err = w.fw.Close()
	} else {
		err = w.fw.Flush()
	}
	if err != nil {
		return piece{}, err
	}
	return piece{text: text, z: w.out.b, final: final}, nil
}

// storedPiece is text as stored (uncompressed) blocks: for a few bytes that change
// from render to render between pieces compressed once, where a compressor's tables
// would cost more than the bytes it saves. It needs the stream byte-aligned before
// it (every piece ends so) and leaves it so.
func storedPiece(text []byte) piece {
	z := make([]byte, 0, len(text)+5*(len(text)/maxStored+1))
	for rest := text; len(rest) > 0; {
		n := min(len(rest), maxStored)
		z = append(z, 0, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		z = append(z, rest[:n]...)
		rest = rest[n:]
	}
	return piece{text: text, z: z}
}

// maxStored is the most bytes a stored block holds.
const maxStored = 1<<16 - 1

// finalEmptyBlock ends a stream whose last piece ended with a sync flush: a final
// block with fixed Huffman codes holding only the end-of-block code.
var finalEmptyBlock = []byte{0x03, 0x00}

// bodyCode is the code document.xml's text compressed per render (the body) is
// deflated with: bodycode.go's, trained on the examples' bodies
// (bodycode_test.go), where klauspost's stateless encoder spent about half its time
// building a code of its own for each. nil, should the table be damaged, sends them
// through zipfile's encoder.
var bodyCode = deflate.Shipped("DOCX document body", bodyLitLens, bodyDistLens)

// deflateChunk is how much text deflateText compresses between two checks of its
// context (a large document's body takes tens of milliseconds); each chunk is a
// block of its own.
const deflateChunk = 1 << 20

// deflateText appends text to dst as a piece of a stream (final, or ending
// byte-aligned) with bodyCode when body, else (or without it) zipfile's encoder.
func deflateText(ctx context.Context, dst, text []byte, final, body bool) ([]byte, error) {
	c := bodyCode()
	switch {
	case !body:
		return zipfile.DeflateContext(ctx, dst, text, final)
	case c == nil:
		return zipfile.DeflateContext(ctx, dst, text, final)
	case len(text) == 0 && final:
		return append(dst, finalEmptyBlock...), nil
	case len(text) == 0: // an empty stored block, not a code's header for nothing
		return append(dst, 0, 0, 0, 0xFF, 0xFF), nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("deflate: %w", err)
		}
		n := min(len(text), deflateChunk)
		dst = c.DeflatePiece(dst, text[:n], final && n == len(text))
		if text = text[n:]; len(text) == 0 {
			return dst, nil
		}
	}
}

// deflatePieces compresses the pieces that need it (deflateText) and joins them
// all into one stream, appended to dst. It stops when ctx ends.
func deflatePieces(ctx context.Context, dst []byte, ps ...piece) (deflated, error) {
	start := len(dst)
	crc, size, final := uint32(0), 0, false
	for i, p := range ps {
		crc = crc32.Update(crc, crc32.IEEETable, p.text)
		size += len(p.text)
		if final {
			return deflated{}, errors.New("deflate: a piece after the final block")
		}
		if p.z != nil {
			dst = append(dst, p.z...)
			final = p.final
			continue
		}
		final = i == len(ps)-1
		var err error
		if dst, err = deflateText(ctx, dst, p.text, final, p.body); err != nil {
			return deflated{}, err
		}
	}
	if !final {
		dst = append(dst, finalEmptyBlock...)
	}
	return deflated{z: dst[start:], crc: crc, size: size}, nil
}
