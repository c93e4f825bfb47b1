package zipfile

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/klauspost/compress/flate"

	"gongwen/internal/adler"
	"gongwen/internal/spare"
)

// DeflateLevel is the level of every deflate compressor of the process: the PDF's
// streams but the fonts (zlib), the DOCX's parts and zip entries. klauspost/compress
// level 1 takes about 4 % fewer instructions than level 2 on a report's
// document.xml for 1-2 % more bytes, and its hash table is 128 KB, not level 2's
// 512 KB, which a cold process faults in page by page.
const DeflateLevel = 1

// deflaters holds the compressors not in use, shared by every package that
// compresses: a compressor holds about 700 KB of tables, which a cold process
// faults in as it first touches them, so one set serves the PDF and then the DOCX
// of a render instead of one each (internal/spare says why not a sync.Pool).
var deflaters = spare.New[*flate.Writer](4)

// GetDeflater returns a compressor at DeflateLevel writing raw deflate data to dst.
// Give it back with PutDeflater when done.
func GetDeflater(dst io.Writer) (*flate.Writer, error) {
	if w, ok := deflaters.Get(); ok {
		w.Reset(dst)
		return w, nil
	}
	return flate.NewWriter(dst, DeflateLevel)
}

// PutDeflater gives w back for another GetDeflater. w must not be used after.
func PutDeflater(w *flate.Writer) {
	// Drop the reference to the caller's output, and any dictionary a ResetDict
	// gave it: Reset would put that dictionary back into the next user's window,
	// whose stream would then refer to bytes it does not hold.
	w.ResetDict(nil, nil)
	deflaters.Put(w)
}

// Zlib compresses the concatenation of parts as one zlib stream (RFC 1950, as PDF's
// FlateDecode reads it), appended to dst. Up to StatelessMax bytes go through
// klauspost/compress's stateless encoder (StatelessDeflate), more through a shared
// compressor at DeflateLevel (the bytes klauspost/compress/zlib writes at that level).
func Zlib(dst []byte, parts ...[]byte) ([]byte, error) {
	n := 0
	for _, b := range parts {
		n += len(b)
	}
	if n <= StatelessMax {
		out := appender{append(dst, zlibHeader...)}
		in, j := concat(parts, n)
		err := flate.StatelessDeflate(&out, in, true, nil)
		sum := adler.Update(1, in)
		putJoined(j)
		if err != nil {
			return nil, fmt.Errorf("zlib: %w", err)
		}
		return binary.BigEndian.AppendUint32(out.b, sum), nil
	}
	z, err := NewZlibWriter(dst)
	if err != nil {
		return nil, err
	}
	for _, b := range parts {
		if _, err := z.Write(b); err != nil {
			z.Close()
			return nil, err
		}
	}
	return z.Close()
}

// zlibHeader: deflate with a 32 KB window (0x78), level 0-1 ("fastest"), no
// dictionary, and the check bits that make it a multiple of 31.
var zlibHeader = []byte{0x78, 0x01}

// ZlibWriter is Zlib for data given in pieces as it is made (Write), so that a
// caller need not hold all of it: a PDF's image samples, taken from the image a row
// at a time. For more than StatelessMax bytes in all it writes Zlib's bytes for their
// concatenation (the shared compressor's output does not depend on how its input is
// cut into writes); for fewer, not the stateless encoder's Zlib would use.
type ZlibWriter struct {
	out appender
	w   *flate.Writer
	sum uint32
}

// NewZlibWriter starts a zlib stream appended to dst.
func NewZlibWriter(dst []byte) (*ZlibWriter, error) {
	z := &ZlibWriter{out: appender{append(dst, zlibHeader...)}, sum: 1}
	w, err := GetDeflater(&z.out)
	if err != nil {
		return nil, fmt.Errorf("zlib: %w", err)
	}
	z.w = w
	return z, nil
}

// Write compresses p.
func (z *ZlibWriter) Write(p []byte) (int, error) {
	n, err := z.w.Write(p)
	z.sum = adler.Update(z.sum, p[:n])
	if err != nil {
		return n, fmt.Errorf("zlib: %w", err)
	}
	return n, nil
}

// Close ends the stream and returns dst with it appended; the writer is not to be
// used after.
func (z *ZlibWriter) Close() ([]byte, error) {
	err := z.w.Close()
	PutDeflater(z.w)
	if err != nil {
		return nil, fmt.Errorf("zlib: %w", err)
	}
	return binary.BigEndian.AppendUint32(z.out.b, z.sum), nil
}

// Deflate appends text to dst as raw deflate data (RFC 1951), as a piece of a
// stream: ending with the final block when final, else byte-aligned by an empty
// stored block (what a compressor's Flush writes), so that pieces compressed apart
// join into one stream. Up to StatelessMax bytes go through the stateless encoder
// (see Zlib), more through a shared compressor, which never refers back into an
// earlier piece either.
func Deflate(dst, text []byte, final bool) ([]byte, error) {
	return DeflateContext(context.Background(), dst, text, final)
}

// deflateChunk is how much text DeflateContext compresses between two checks of its
// context (a large DOCX's document.xml takes tens of milliseconds). How the text is
// cut into writes does not change the compressed bytes.
const deflateChunk = 1 << 20

// DeflateContext is Deflate that stops when ctx ends, checked every deflateChunk
// bytes.
func DeflateContext(ctx context.Context, dst, text []byte, final bool) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("deflate: %w", err)
	}
	out := appender{dst}
	if len(text) <= StatelessMax {
		if err := flate.StatelessDeflate(&out, text, final, nil); err != nil {
			return nil, fmt.Errorf("deflate: %w", err)
		}
		return out.b, nil
	}
	w, err := GetDeflater(&out)
	if err != nil {
		return nil, fmt.Errorf("deflate: %w", err)
	}
	defer PutDeflater(w)
	for len(text) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("deflate: %w", err)
		}
		n := min(len(text), deflateChunk)
		if _, err := w.Write(text[:n]); err != nil {
			return nil, fmt.Errorf("deflate: %w", err)
		}
		text = text[n:]
	}
	if final {
		err = w.Close()
	} else {
		err = w.Flush()
	}
	if err != nil {
		return nil, fmt.Errorf("deflate: %w", err)
	}
	return out.b, nil
}

// StatelessMax is the largest input Zlib compresses with the stateless encoder:
// the most it puts in one block. That encoder keeps no state between calls: its
// 16 KB hash table is on the stack and its buffers are touched only as far as the
// input goes, where a compressor is some 700 KB of tables whose pages a cold
// process faults in (about 60 faults for its first stream; a PDF-only render had
// 1,420 faults with two compressors, 1,315 with none). Its table is a quarter of
// level 1's: on small PDF streams (0.4-4 KB, measured on the pages and CMaps, which
// now go through internal/deflate's trained codes instead) it writes 1.5 % more bytes
// for about the same instructions, and on small XML parts 0.3 % fewer. Beyond one
// block it splits the input and compresses worse (3-7 % more than level 1 at 32-48 KB
// of PDF streams).
const StatelessMax = 1<<15 - 1

// joined is a reused buffer holding the parts of one stream put together: the
// stateless encoder takes its input in one piece (a stream split in two calls
// would not refer across them).
type joined struct{ b []byte }

var spareJoined = spare.New[*joined](4)

// concat returns the parts as one slice: the only part itself (j nil), or a spare
// buffer holding them all, to be given back with putJoined.
func concat(parts [][]byte, n int) (in []byte, j *joined) {
	if len(parts) == 1 {
		return parts[0], nil
	}
	j, ok := spareJoined.Get()
	if !ok {
		j = &joined{make([]byte, 0, n)}
	}
	j.b = j.b[:0]
	for _, b := range parts {
		j.b = append(j.b, b...)
	}
	return j.b, j
}

func putJoined(j *joined) {
	if j != nil {
		spareJoined.Put(j)
	}
}

// appender collects a compressor's output.
type appender struct{ b []byte }

func (a *appender) Write(p []byte) (int, error) {
	a.b = append(a.b, p...)
	return len(p), nil
}
