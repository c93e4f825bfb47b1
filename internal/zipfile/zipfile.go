// Package zipfile writes zip archives whose bytes depend only on their entries: every
// entry carries the same given day (never the clock), no extra fields, entries in the
// order added. OFD packages (GB/T 33190 uses zip as the container) and DOCX packages
// (the template's parts copied, the document's parts added) are written with it.
package zipfile

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"time"

	"github.com/klauspost/compress/flate"
)

// Writer builds one archive in memory. The zero value is not usable; call New.
type Writer struct {
	buf        bytes.Buffer
	zw         *zip.Writer
	date, time uint16
	err        error
	scratch    []byte // addStateless's output, copied into buf
}

// New starts an archive whose entries are stamped midnight of y-m-d (1980-01-01 for a
// date a zip header cannot store). sizeHint preallocates the output.
func New(y, m, d, sizeHint int) *Writer {
	w := &Writer{}
	w.buf.Grow(sizeHint)
	w.zw = zip.NewWriter(&w.buf)
	w.zw.RegisterCompressor(zip.Deflate, newFlate)
	if y < 1980 || y > 2107 || m < 1 || m > 12 || d < 1 || d > 31 {
		y, m, d = 1980, 1, 1
	}
	w.date = uint16((y-1980)<<9 | m<<5 | d)
	return w
}

// Add appends an entry. compress chooses deflate (text, fonts) or store (data that is
// compressed already, such as PNG). The first error sticks and Bytes returns it.
func (w *Writer) Add(name string, data []byte, compress bool) error {
	return w.AddContext(context.Background(), name, data, compress)
}

// chunk is how much of an entry is written between two checks of the context (a
// large document.xml takes tens of milliseconds to compress). Writing in chunks does
// not change the compressed bytes.
const chunk = 1 << 20

// AddContext is Add that stops when ctx ends, checked every chunk bytes.
func (w *Writer) AddContext(ctx context.Context, name string, data []byte, compress bool) error {
	if w.err != nil {
		return w.err
	}
	if compress && len(data) <= StatelessMax {
		if err := ctx.Err(); err != nil {
			w.err = fmt.Errorf("zip %s: %w", name, err)
			return w.err
		}
		return w.addStateless(name, data)
	}
	method := zip.Store
	if compress {
		method = zip.Deflate
	}
	fw, err := w.zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, ModifiedDate: w.date, ModifiedTime: w.time})
	for err == nil && len(data) > 0 {
		if err = ctx.Err(); err != nil {
			break
		}
		n := min(len(data), chunk)
		_, err = fw.Write(data[:n])
		data = data[n:]
	}
	if err != nil {
		w.err = fmt.Errorf("zip %s: %w", name, err)
	}
	return w.err
}

// addStateless adds a small entry deflated by the stateless encoder, as Zlib
// compresses a small stream (StatelessMax tells why): an OFD's parts (0.3-12 KB of
// XML each) then need no compressor. Its sizes and CRC-32 go in the local header,
// with no data descriptor after the data.
func (w *Writer) addStateless(name string, data []byte) error {
	out := appender{w.scratch[:0]}
	if err := flate.StatelessDeflate(&out, data, true, nil); err != nil {
		w.err = fmt.Errorf("zip %s: %w", name, err)
		return w.err
	}
	w.scratch = out.b
	return w.AddDeflated(name, out.b, crc32.ChecksumIEEE(data), len(data))
}

// CopyRaw appends an entry of another archive as it is compressed there (its method,
// flags, CRC and sizes), stamped with this archive's day and without its extra
// fields and comment: a template's parts are copied without recompressing them.
func (w *Writer) CopyRaw(f *zip.File) error {
	if w.err != nil {
		return w.err
	}
	p, err := ReadPart(f)
	if err != nil {
		w.err = err
		return err
	}
	return w.CopyPart(p)
}

// Part is an entry of another archive read once as it is compressed there, to be
// copied into many archives (CopyPart) without reading it or compressing it again.
type Part struct {
	Name string
	fh   zip.FileHeader
	raw  []byte
}

// Size is about how many bytes p takes in an archive: its data and both headers.
func (p *Part) Size() int { return len(p.raw) + 2*len(p.Name) + 92 }

// ReadPart reads f's compressed bytes and header.
func ReadPart(f *zip.File) (*Part, error) {
	r, err := f.OpenRaw()
	if err != nil {
		return nil, fmt.Errorf("zip %s: %w", f.Name, err)
	}
	raw := make([]byte, f.CompressedSize64)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, fmt.Errorf("zip %s: %w", f.Name, err)
	}
	fh := f.FileHeader
	fh.Modified, fh.Extra, fh.Comment = time.Time{}, nil, ""
	return &Part{Name: f.Name, fh: fh, raw: raw}, nil
}

// CopyPart appends p as CopyRaw appends the entry it was read from.
func (w *Writer) CopyPart(p *Part) error {
	if w.err != nil {
		return w.err
	}
	fh := p.fh
	fh.ModifiedDate, fh.ModifiedTime = w.date, w.time
	fw, err := w.zw.CreateRaw(&fh)
	if err == nil {
		_, err = fw.Write(p.raw)
	}
	if err != nil {
		w.err = fmt.Errorf("zip %s: %w", p.Name, err)
	}
	return w.err
}

// AddDeflated appends an entry whose data is already deflate-compressed (raw
// RFC 1951 data of size bytes with the given CRC-32), so that data compressed once
// for another file (a PDF's font stream) is not compressed again.
func (w *Writer) AddDeflated(name string, deflated []byte, crc uint32, size int) error {
	if w.err != nil {
		return w.err
	}
	fw, err := w.zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(deflated)), UncompressedSize64: uint64(size),
		ModifiedDate: w.date, ModifiedTime: w.time})
	if err == nil {
		_, err = fw.Write(deflated)
	}
	if err != nil {
		w.err = fmt.Errorf("zip %s: %w", name, err)
	}
	return w.err
}

// AddDeflatedParts is AddDeflated with the compressed data in pieces written one
// after the other, so that a caller need not join them: a DOCX's font part is a
// 37-byte obfuscated first block and the compressed font the PDF shares (130 KB).
func (w *Writer) AddDeflatedParts(name string, crc uint32, size int, deflated ...[]byte) error {
	if w.err != nil {
		return w.err
	}
	n := 0
	for _, d := range deflated {
		n += len(d)
	}
	fw, err := w.zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(n), UncompressedSize64: uint64(size),
		ModifiedDate: w.date, ModifiedTime: w.time})
	for _, d := range deflated {
		if err != nil {
			break
		}
		_, err = fw.Write(d)
	}
	if err != nil {
		w.err = fmt.Errorf("zip %s: %w", name, err)
	}
	return w.err
}

// Bytes closes the archive and returns it.
func (w *Writer) Bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if err := w.zw.Close(); err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	return w.buf.Bytes(), nil
}

// Entries are compressed with the process's shared compressors (GetDeflater).
type pooledFlate struct{ *flate.Writer }

func (p pooledFlate) Close() error {
	err := p.Writer.Close()
	PutDeflater(p.Writer)
	return err
}

func newFlate(w io.Writer) (io.WriteCloser, error) {
	fw, err := GetDeflater(w)
	if err != nil {
		return nil, err
	}
	return pooledFlate{fw}, nil
}
