package docx

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"flag"
	"io"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite precompressed.bin from the template")

// TestPrecompressed: precompressed.bin holds exactly what deflatePiece makes now of
// every fixed text of the template compressPiece is given (and of the font table's
// relationships to 1 to 5 fonts), and what deflateStretch makes of the stretches of
// the font table that embeds every font, so a render copies the
// bytes it would have compressed (and the cached file can never drift from the
// template or the compressor).
func TestPrecompressed(t *testing.T) {
	tm, err := readTemplate()
	if err != nil {
		t.Fatal(err)
	}
	unnumbered, err := tm.tailUnnumbered()
	if err != nil {
		t.Fatal(err)
	}
	pieces := []piece{tm.head, tm.tail, unnumbered, tm.core.head}
	for n := 1; n < len(fontRelsOf); n++ {
		text := fontRelsText(n)
		p, err := compressPiece(text, true)
		if err != nil {
			t.Fatal(err)
		}
		pieces = append(pieces, p)
	}
	var want []byte
	record := func(text []byte, final bool, z []byte) {
		want = binary.LittleEndian.AppendUint32(want, uint32(len(text)))
		want = append(want, text...)
		flag := byte(0)
		if final {
			flag = 1
		}
		want = append(want, flag)
		want = binary.LittleEndian.AppendUint32(want, uint32(len(z)))
		want = append(want, z...)
	}
	for _, p := range pieces {
		fresh, err := deflatePiece(p.text, p.final)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fresh.z, p.z) {
			t.Errorf("piece of %d bytes (final %v): compressPiece gave %d bytes, deflatePiece %d", len(p.text), p.final, len(p.z), len(fresh.z))
		}
		record(p.text, p.final, fresh.z)
	}
	// The stretches of the font table that embeds every font, under their keys.
	dict, cuts, err := stretches(allFontsTable(tm.fontTable))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cuts {
		final := i == len(cuts)-1
		fresh, err := deflateStretch(dict, c[0], c[1]-c[0], final)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := compressStretch(dict, c[0], c[1]-c[0], final); err != nil || !bytes.Equal(got, fresh) {
			t.Errorf("font table stretch %d: compressStretch gave %d bytes (%v), deflateStretch %d", i, len(got), err, len(fresh))
		}
		record(stretchKey(dict, c[0], c[1]-c[0]), final, fresh)
	}
	if *update {
		if err := os.WriteFile("precompressed.bin", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(precompressedBin, want) {
		t.Fatalf("precompressed.bin (%d bytes) is not what the template and the compressor make now (%d bytes): run go test ./internal/docx -run TestPrecompressed -update", len(precompressedBin), len(want))
	}
}

// TestPrecompressedMiss: a text precompressed.bin does not hold, or holds with the
// other final flag, is compressed, and the stream inflates back to it.
func TestPrecompressedMiss(t *testing.T) {
	tm, err := readTemplate()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text  []byte
		final bool
	}{
		{[]byte("<w:p>not in the template</w:p>"), true},
		{tm.head.text, true}, // held with final false
	} {
		if _, ok := precompressed(c.text, c.final); ok {
			t.Fatalf("precompressed holds %q (final %v)", c.text, c.final)
		}
		p, err := compressPiece(c.text, c.final)
		if err != nil {
			t.Fatal(err)
		}
		z := p.z
		if !c.final {
			z = append(z, finalEmptyBlock...)
		}
		if got := inflate(t, z); !bytes.Equal(got, c.text) {
			t.Errorf("inflated %q, want %q", got, c.text)
		}
	}
}

// inflate reads a raw deflate stream back with compress/flate.
func inflate(t *testing.T, z []byte) []byte {
	t.Helper()
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(z)))
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	return got
}
