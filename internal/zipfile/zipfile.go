// Package zipfile writes zip archives whose bytes depend only on their entries: every
// entry carries the same given day (never the clock), no extra fields, entries in the
// order added. OFD packages (GB/T 33190 uses zip as the container) and DOCX packages
// (the template's parts copied, the document's parts added) are written with it.
//
// The archive is written straight into one slice, in the bytes archive/zip's Writer
// writes for the same calls (its CreateRaw for the entries compressed already, its
// CreateHeader for the others; a test compares the two): going through archive/zip
// took some 150 allocations a DOCX (a header, a writer and their counters per entry,
// a name copied to write it, a bufio buffer) and copied every entry through its
// writers.
package zipfile

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
)

// Writer builds one archive in memory. The zero value is not usable; call New.
type Writer struct {
	buf []byte
	// A joined writer (NewJoined) refers to its entries' data instead of copying it
	// into buf: pieces are buf's segments and the data between them, in order, up to
	// buf[cut:]; ext counts the data's bytes. Bytes joins them.
	joined     bool
	pieces     [][]byte
	cut, ext   int
	dir        []entry
	date, time uint16
	err        error
	closed     bool
}

// entry is what the central directory repeats of a local header, and where it is.
type entry struct {
	name            string
	creator, reader uint16 // versions made by and needed
	flags, method   uint16
	crc             uint32
	csize, usize    uint32
	external        uint32 // external attributes
	offset          uint32 // of the local header
}

// The records' signatures and fixed lengths (APPNOTE.TXT 4.3).
const (
	localSig      = 0x04034b50
	centralSig    = 0x02014b50
	descriptorSig = 0x08074b50
	endSig        = 0x06054b50
	localLen      = 30
	centralLen    = 46
	descriptorLen = 16
	endLen        = 22
	// A data descriptor follows the data (flag bit 3): its CRC-32 and sizes were not
	// known when the local header was written.
	flagDescriptor = 0x8
	flagUTF8       = 0x800
	version20      = 20 // version needed: deflate
)

// New starts an archive whose entries are stamped midnight of y-m-d (1980-01-01 for a
// date a zip header cannot store). sizeHint preallocates the output: given the
// archive's exact size (Size of each entry and EndSize), it is allocated once.
func New(y, m, d, sizeHint int) *Writer {
	w := &Writer{buf: make([]byte, 0, max(sizeHint, 0))}
	if y < 1980 || y > 2107 || m < 1 || m > 12 || d < 1 || d > 31 {
		y, m, d = 1980, 1, 1
	}
	w.date = uint16((y-1980)<<9 | m<<5 | d)
	return w
}

// NewJoined is New for an archive whose entries' data (given to Add unless it is
// compressed, AddDeflated, AddDeflatedParts, CopyPart) the caller keeps unchanged
// until Bytes returns: the data is not copied in as entries are added but once, by
// Bytes, into an archive allocated at its exact size and not cleared first (a
// DOCX's 150 KB were cleared, then overwritten). headerHint preallocates the rest:
// the headers, descriptors and directory (EntrySize of each entry and EndSize).
func NewJoined(y, m, d, headerHint int) *Writer {
	w := New(y, m, d, headerHint)
	w.joined = true
	return w
}

// pos is how many bytes of the archive are written.
func (w *Writer) pos() int { return len(w.buf) + w.ext }

// appendData appends an entry's data: into buf, or referred to by a joined writer.
func (w *Writer) appendData(d []byte) {
	if !w.joined || len(d) == 0 {
		w.buf = append(w.buf, d...)
		return
	}
	w.pieces = append(w.pieces, w.buf[w.cut:len(w.buf):len(w.buf)], d)
	w.cut = len(w.buf)
	w.ext += len(d)
}

// EntrySize is how many bytes an entry of that name and data length takes in an
// archive besides its data: its local header and its central directory record, and a
// data descriptor when it has one (Add's stored entries and those too large for the
// stateless encoder).
func EntrySize(name string, descriptor bool) int {
	n := localLen + centralLen + 2*len(name)
	if descriptor {
		n += descriptorLen
	}
	return n
}

// EndSize is the end of the central directory's size.
const EndSize = endLen

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
	if err := ctx.Err(); err != nil {
		return w.fail(name, err)
	}
	if compress && len(data) <= StatelessMax {
		return w.addStateless(name, data)
	}
	// As archive/zip's CreateHeader writes it: versions 2.0, the UTF-8 flag for a
	// name that needs it, the CRC-32 and sizes in a data descriptor after the data.
	e := entry{name: name, creator: version20, reader: version20, flags: flagDescriptor}
	if valid, require := detectUTF8(name); valid && require {
		e.flags |= flagUTF8
	}
	if compress {
		e.method = zip.Deflate
	}
	if strings.HasSuffix(name, "/") { // a directory: no data, no descriptor
		if len(data) > 0 {
			return w.fail(name, errors.New("data for a directory"))
		}
		e.method, e.flags = zip.Store, e.flags&^flagDescriptor
		return w.local(e, nil)
	}
	if err := w.local(e, nil); err != nil {
		return err
	}
	start := w.pos()
	if !compress {
		w.appendData(data)
	} else if err := w.deflate(ctx, data); err != nil {
		return w.fail(name, err)
	}
	csize, usize := uint64(w.pos()-start), uint64(len(data))
	if csize >= 1<<32-1 || usize >= 1<<32-1 {
		return w.fail(name, errTooLarge)
	}
	d := &w.dir[len(w.dir)-1]
	d.crc, d.csize, d.usize = crc32.ChecksumIEEE(data), uint32(csize), uint32(usize)
	w.descriptor(d)
	return nil
}

// deflate appends data compressed by a shared compressor, as archive/zip's
// registered compressor wrote it, checking ctx every chunk bytes.
func (w *Writer) deflate(ctx context.Context, data []byte) error {
	out := appender{w.buf}
	fw, err := GetDeflater(&out)
	if err != nil {
		return err
	}
	defer PutDeflater(fw)
	for len(data) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(len(data), chunk)
		if _, err := fw.Write(data[:n]); err != nil {
			return err
		}
		data = data[n:]
	}
	err = fw.Close()
	w.buf = out.b
	return err
}

// addStateless adds a small entry deflated by the stateless encoder, as Zlib
// compresses a small stream (StatelessMax tells why): an OFD's parts (0.3-12 KB of
// XML each) then need no compressor. Its sizes and CRC-32 go in the local header,
// with no data descriptor after the data, as AddDeflated writes them: the data is
// compressed in place after the header, which is then filled in.
func (w *Writer) addStateless(name string, data []byte) error {
	e := entry{name: name, method: zip.Deflate}
	if err := w.local(e, nil); err != nil {
		return err
	}
	at := len(w.buf) - len(name) - localLen
	out := appender{w.buf}
	if err := flate.StatelessDeflate(&out, data, true, nil); err != nil {
		w.buf = w.buf[:at]
		w.dir = w.dir[:len(w.dir)-1]
		return w.fail(name, err)
	}
	w.buf = out.b
	d := &w.dir[len(w.dir)-1]
	d.crc, d.csize, d.usize = crc32.ChecksumIEEE(data), uint32(len(w.buf)-at-localLen-len(name)), uint32(len(data))
	binary.LittleEndian.PutUint32(w.buf[at+14:], d.crc)
	binary.LittleEndian.PutUint32(w.buf[at+18:], d.csize)
	binary.LittleEndian.PutUint32(w.buf[at+22:], d.usize)
	return nil
}

var errTooLarge = errors.New("4 GiB or more: zip64 is not written")

// fail makes err, about the entry name, the archive's error.
func (w *Writer) fail(name string, err error) error {
	w.err = fmt.Errorf("zip %s: %w", name, err)
	return w.err
}

// local starts entry e: its directory record, its local header (with e's CRC-32 and
// sizes, zeros when a data descriptor follows) and data's pieces after it.
func (w *Writer) local(e entry, data [][]byte) error {
	if len(e.name) > 1<<16-1 {
		return w.fail(e.name, errors.New("name too long"))
	}
	if w.pos() >= 1<<32-1 || len(w.dir) >= 1<<16-1 {
		return w.fail(e.name, errTooLarge)
	}
	e.offset = uint32(w.pos())
	w.dir = append(w.dir, e)
	if e.flags&flagDescriptor != 0 {
		e.crc, e.csize, e.usize = 0, 0, 0
	}
	b := binary.LittleEndian.AppendUint32(w.buf, localSig)
	b = w.appendCommon(b, &e)
	b = binary.LittleEndian.AppendUint16(b, 0) // no extra field
	w.buf = append(b, e.name...)
	for _, d := range data {
		w.appendData(d)
	}
	return nil
}

// raw appends an entry compressed already, as archive/zip's CreateRaw writes it: the
// header's fields as given, a data descriptor after the data when its flags say so.
func (w *Writer) raw(e entry, size uint64, data ...[]byte) error {
	if w.err != nil {
		return w.err
	}
	n := uint64(0)
	for _, d := range data {
		n += uint64(len(d))
	}
	if n >= 1<<32-1 || size >= 1<<32-1 {
		return w.fail(e.name, errTooLarge)
	}
	if strings.HasSuffix(e.name, "/") && n > 0 {
		return w.fail(e.name, errors.New("data for a directory"))
	}
	e.csize, e.usize = uint32(n), uint32(size)
	if err := w.local(e, data); err != nil {
		return err
	}
	if e.flags&flagDescriptor != 0 && !strings.HasSuffix(e.name, "/") {
		w.descriptor(&e)
	}
	return nil
}

// descriptor appends e's data descriptor.
func (w *Writer) descriptor(e *entry) {
	b := binary.LittleEndian.AppendUint32(w.buf, descriptorSig)
	b = binary.LittleEndian.AppendUint32(b, e.crc)
	b = binary.LittleEndian.AppendUint32(b, e.csize)
	w.buf = binary.LittleEndian.AppendUint32(b, e.usize)
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
	Name  string
	e     entry
	usize uint64
	raw   []byte
}

// Size is how many bytes p takes in an archive: its data, both headers and its data
// descriptor if it has one.
func (p *Part) Size() int { return len(p.raw) + p.HeaderSize() }

// HeaderSize is Size less the data: what p takes in a joined archive's headers.
func (p *Part) HeaderSize() int {
	return EntrySize(p.Name, p.e.flags&flagDescriptor != 0 && !strings.HasSuffix(p.Name, "/"))
}

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
	e := entry{name: f.Name, creator: f.CreatorVersion, reader: f.ReaderVersion, flags: f.Flags,
		method: f.Method, crc: f.CRC32, external: f.ExternalAttrs}
	return &Part{Name: f.Name, e: e, usize: f.UncompressedSize64, raw: raw}, nil
}

// CopyPart appends p as CopyRaw appends the entry it was read from.
func (w *Writer) CopyPart(p *Part) error {
	return w.raw(p.e, p.usize, p.raw)
}

// AddDeflated appends an entry whose data is already deflate-compressed (raw
// RFC 1951 data of size bytes with the given CRC-32), so that data compressed once
// for another file (a PDF's font stream) is not compressed again.
func (w *Writer) AddDeflated(name string, deflated []byte, crc uint32, size int) error {
	return w.raw(entry{name: name, method: zip.Deflate, crc: crc}, uint64(size), deflated)
}

// AddDeflatedParts is AddDeflated with the compressed data in pieces written one
// after the other, so that a caller need not join them: a DOCX's font part is a
// 37-byte obfuscated first block and the compressed font the PDF shares (130 KB).
func (w *Writer) AddDeflatedParts(name string, crc uint32, size int, deflated ...[]byte) error {
	return w.raw(entry{name: name, method: zip.Deflate, crc: crc}, uint64(size), deflated...)
}

// Bytes closes the archive and returns it.
func (w *Writer) Bytes() ([]byte, error) {
	if err := w.close(); err != nil {
		return nil, err
	}
	if len(w.pieces) == 0 {
		return w.buf, nil
	}
	return bytes.Join(append(w.pieces, w.buf[w.cut:]), nil), nil
}

// Parts closes the archive and returns it in pieces to be written one after the
// other, not joined into a new slice: a joined writer's (NewJoined) pieces are its
// headers and the entries' data it refers to, which the caller keeps unchanged until
// it has written them. A writer not joined returns one piece.
func (w *Writer) Parts() ([][]byte, error) {
	if err := w.close(); err != nil {
		return nil, err
	}
	if len(w.pieces) == 0 {
		return [][]byte{w.buf}, nil
	}
	return append(w.pieces, w.buf[w.cut:]), nil
}

// close appends the central directory and its end to buf.
func (w *Writer) close() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("zip: writer closed twice")
	}
	w.closed = true
	at, start := len(w.buf), w.pos() // the directory's place in buf, in the archive
	b := w.buf
	for _, e := range w.dir {
		b = binary.LittleEndian.AppendUint32(b, centralSig)
		b = binary.LittleEndian.AppendUint16(b, e.creator)
		b = w.appendCommon(b, &e)
		b = append(b, 0, 0, 0, 0, 0, 0, 0, 0) // extra and comment lengths, disk, internal attributes
		b = binary.LittleEndian.AppendUint32(b, e.external)
		b = binary.LittleEndian.AppendUint32(b, e.offset)
		b = append(b, e.name...)
	}
	size := len(b) - at
	if start >= 1<<32-1 || size >= 1<<32-1 {
		return fmt.Errorf("zip: %w", errTooLarge)
	}
	b = binary.LittleEndian.AppendUint32(b, endSig)
	b = append(b, 0, 0, 0, 0) // this disk, the directory's disk
	b = binary.LittleEndian.AppendUint16(b, uint16(len(w.dir)))
	b = binary.LittleEndian.AppendUint16(b, uint16(len(w.dir)))
	b = binary.LittleEndian.AppendUint32(b, uint32(size))
	b = binary.LittleEndian.AppendUint32(b, uint32(start))
	w.buf = append(b, 0, 0) // no comment
	return nil
}

// detectUTF8 is archive/zip's: whether s is valid UTF-8, and whether it needs the
// UTF-8 flag (a character outside the printable ASCII CP-437 shares, 0x7e and 0x5c
// excluded).
func detectUTF8(s string) (valid, require bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r < 0x20 || r > 0x7d || r == 0x5c {
			if !utf8.ValidRune(r) || (r == utf8.RuneError && size == 1) {
				return false, false
			}
			require = true
		}
	}
	return true, require
}

// appendCommon appends the fields a local header and a central directory header share
// (APPNOTE 4.3.7 and 4.3.12, from "version needed to extract" to the name's length).
func (w *Writer) appendCommon(b []byte, e *entry) []byte {
	b = binary.LittleEndian.AppendUint16(b, e.reader)
	b = binary.LittleEndian.AppendUint16(b, e.flags)
	b = binary.LittleEndian.AppendUint16(b, e.method)
	b = binary.LittleEndian.AppendUint16(b, w.time)
	b = binary.LittleEndian.AppendUint16(b, w.date)
	b = binary.LittleEndian.AppendUint32(b, e.crc)
	b = binary.LittleEndian.AppendUint32(b, e.csize)
	b = binary.LittleEndian.AppendUint32(b, e.usize)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(e.name)))
	return b
}
