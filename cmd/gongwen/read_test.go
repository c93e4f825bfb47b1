package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// TestReadAll: readAll gives the input's bytes whatever size it was told (the size
// a file had when it was opened, one it outgrew or never reached), through a reader
// that returns one byte a read and through one that returns data with io.EOF.
func TestReadAll(t *testing.T) {
	text := strings.Repeat("正文 text ", 700)
	for _, size := range []int{0, 1, len(text) - 1, len(text), len(text) + 1, 3 * len(text)} {
		for name, r := range map[string]io.Reader{
			"plain":        strings.NewReader(text),
			"one byte":     iotest.OneByteReader(strings.NewReader(text)),
			"data and EOF": iotest.DataErrReader(strings.NewReader(text)),
		} {
			got, err := readAll(r, size)
			if err != nil || string(got) != text {
				t.Errorf("%s, size %d: %d bytes, %v; want %d bytes", name, size, len(got), err, len(text))
			}
		}
	}
	if _, err := readAll(iotest.ErrReader(os.ErrClosed), 10); err != os.ErrClosed {
		t.Errorf("error reader: %v, want %v", err, os.ErrClosed)
	}
}

// TestReadInputFile: readInput reads a file whole, into a buffer of the file's size.
func TestReadInputFile(t *testing.T) {
	want := bytes.Repeat([]byte(`{"title":"标题"}`), 1000)
	path := filepath.Join(t.TempDir(), "r.json")
	if err := os.WriteFile(path, want, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readInput(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("readInput: %d bytes, %v; want %d bytes", len(got), err, len(want))
	}
	if cap(got) != len(want)+1 {
		t.Errorf("buffer of %d bytes for a file of %d: want %d", cap(got), len(want), len(want)+1)
	}
}
