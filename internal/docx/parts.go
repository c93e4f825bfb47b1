package docx

import (
	"bytes"
	"io"
)

// Parts is a DOCX file in pieces, written one after the other (WriteTo), not joined:
// its headers and the compressed parts it refers to where they were made (the
// template's, shared by every render; the document's own, in buffers the next render
// reuses once Release gives them back). An edge that writes the file out then
// neither copies its 150 KB into one slice nor leaves that slice to the collector.
type Parts struct {
	parts [][]byte
	sc    *scratch   // the document's compressed parts' buffer
	fonts []fontPart // the embedded fonts, some compressed into pooled buffers
}

// Len is the file's length in bytes.
func (p *Parts) Len() int {
	n := 0
	for _, b := range p.parts {
		n += len(b)
	}
	return n
}

// Pieces returns the file's pieces, in order: they are p's until Release, to be read
// only.
func (p *Parts) Pieces() [][]byte { return p.parts }

// Bytes returns the file in a new slice, the caller's (it stays valid after
// Release).
func (p *Parts) Bytes() []byte {
	return bytes.Join(p.parts, nil) // a new slice, not cleared before it is written
}

// WriteTo writes the file to w.
func (p *Parts) WriteTo(w io.Writer) (int64, error) {
	var n int64
	for _, b := range p.parts {
		k, err := w.Write(b)
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Release gives the parts' buffers to later renders, which write over them: call it
// once the file is written, and use p no more (it is then empty: Len is 0). A
// second call does nothing; Parts not released are the collector's, as any memory.
func (p *Parts) Release() {
	p.parts = nil
	if p.sc != nil {
		p.sc.put()
		p.sc = nil
	}
	releaseFontParts(p.fonts)
	p.fonts = nil
}
