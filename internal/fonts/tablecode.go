package fonts

import (
	"encoding/binary"

	"gongwen/internal/deflate"
)

// The tables a subset builds (cmap, hmtx, loca) are most of the bytes around glyf,
// and LZ77 over them was a fifth of a warm DOCX: a hash probe for every byte, for
// a match every few bytes in hmtx and almost none in loca. Their layout says where
// the repeats are, so they are coded by it instead: cmap's start codes as copies of
// its end codes and its zero idRangeOffsets as one run, hmtx (cut to its short form)
// and loca as literals. The other tables (the directory, OS/2, name, the hinting
// programs) go through lz.fast as before. Matches never reach outside a span.

// tableCode is how a span of a subset's file is compressed.
type tableCode uint8

const (
	codeLZ       tableCode = iota // lz.fast
	codeLiterals                  // literals only: nothing repeats much
	codeCmap                      // our own cmap table (cmapTable)
)

// codeSpan is the bytes of pre or post up to end (from the previous span's end)
// and how they are compressed.
type codeSpan struct {
	end  int
	code tableCode
}

// addSpan appends data[start:end] coded so to spans: the bytes since the last span
// (the directory, glyf's padding) with lz.fast, neighbours of one code merged.
func addSpan(spans []codeSpan, start, end int, code tableCode) []codeSpan {
	last := 0
	if k := len(spans); k > 0 {
		last = spans[k-1].end
	}
	if start > last {
		spans = addSpan(spans, last, start, codeLZ)
	}
	if k := len(spans); k > 0 && spans[k-1].code == code && code != codeCmap {
		spans[k-1].end = end
		return spans
	}
	return append(spans, codeSpan{end, code})
}

// encodeSpans writes data[from:] (pre or post of the file) as spans say; bytes past
// the last span, or all of them without spans (a caller's own file), with lz.fast.
func encodeSpans(w *bitWriter, t *codeTable, data []byte, from int, spans []codeSpan) {
	at, start := from, 0
	for _, s := range spans {
		if s.end > at {
			b := data[at:s.end]
			switch {
			case s.code == codeLiterals:
				w.reserve(2*len(b) + 16)
				w.literals(t, b)
			case s.code == codeCmap && at == start && encodeCmap(w, t, b):
			default:
				fastLZ(w, t, b)
			}
			at = s.end
		}
		start = s.end
	}
	if at < len(data) {
		fastLZ(w, t, data[at:])
	}
}

// encodeCmap writes a cmap table of cmapTable's making (and its padding): the
// header and the format 4 subtable's end codes as literals; its start codes, where
// a segment is one character (start = end, the usual case: a report's characters
// seldom run in code order), as copies of the end codes 2·segCount+2 bytes back;
// the deltas as literals; the idRangeOffsets, all zero, as a zero and a run of
// copies one byte back; a format 12 subtable after it with lz.fast. It reports
// false, having written nothing, for a table of another shape.
func encodeCmap(w *bitWriter, t *codeTable, b []byte) bool {
	be := binary.BigEndian
	if len(b) < 12 || be.Uint16(b) != 0 {
		return false
	}
	sub := 0 // the format 4 subtable's offset: the Windows BMP record's
	for i, n := 0, int(be.Uint16(b[2:])); i < n && 12+8*i <= len(b); i++ {
		r := b[4+8*i:]
		if be.Uint16(r) == 3 && be.Uint16(r[2:]) == 1 {
			sub = int(be.Uint32(r[4:]))
		}
	}
	if sub == 0 || sub+16 > len(b) || be.Uint16(b[sub:]) != 4 {
		return false
	}
	ns := int(be.Uint16(b[sub+6:])) / 2
	ends, starts, deltas, ranges := sub+14, sub+16+2*ns, sub+16+4*ns, sub+16+6*ns
	end := sub + 16 + 8*ns
	if ns == 0 || end > len(b) || int(be.Uint16(b[sub+2:])) != 16+8*ns || starts-ends > window {
		return false
	}
	for _, z := range b[ranges:end] {
		if z != 0 {
			return false
		}
	}
	w.reserve(2*len(b) + 16)
	w.literals(t, b[:starts])
	d := starts - ends
	run := 0 // start codes equal to their end codes, not written yet
	for k := range ns {
		if be.Uint16(b[starts+2*k:]) == be.Uint16(b[ends+2*k:]) {
			run++
			continue
		}
		copyRun(w, t, b[starts+2*(k-run):starts+2*k], d)
		run = 0
		w.literals(t, b[starts+2*k:starts+2*k+2])
	}
	copyRun(w, t, b[starts+2*(ns-run):deltas], d)
	w.literals(t, b[deltas:ranges+1])
	copyRun(w, t, b[ranges+1:end], 1)
	if end < len(b) {
		fastLZ(w, t, b[end:])
	}
	return true
}

// copyRun writes b, which repeats the bytes d before it, as matches of at most
// maxMatch bytes (none shorter than minMatch), or as literals when shorter than
// minMatch or when literals take fewer bits. The caller has reserved room.
func copyRun(w *bitWriter, t *codeTable, b []byte, d int) {
	ds := deflate.DistSym(d)
	dc := t.dist[ds]
	dbits, dn := uint64(dc.bits)|uint64(d-deflate.DistBase(ds))<<dc.n, uint(dc.n)+uint(deflate.DistExtra(ds))
	for len(b) >= minMatch {
		l := min(len(b), maxMatch)
		if r := len(b) - l; r > 0 && r < minMatch {
			l -= minMatch // leave a match's worth for the next one
		}
		lc := t.length[l-3]
		lits := 0
		for _, c := range b[:l] {
			lits += int(t.lit[c].n)
		}
		if lits <= int(lc.n)+int(dn) {
			w.literals(t, b[:l])
		} else {
			w.bits(uint64(lc.bits), uint(lc.n))
			w.bits(dbits, dn)
		}
		b = b[l:]
	}
	w.literals(t, b)
}
