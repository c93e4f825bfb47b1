package mapfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.ttf")
	want := bytes.Repeat([]byte("gongwen\x00"), 100000)
	if err := os.WriteFile(p, want, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Read(p)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Read = %d bytes, %v; want the file's %d", len(got), err, len(want))
	}
	again, err := Read(p)
	if err != nil || len(again) != len(got) || &again[0] != &got[0] {
		t.Errorf("reading the unchanged file again did not give the same bytes (%v)", err)
	}

	// A file replaced by a rename is another file: the old bytes stay valid.
	q := filepath.Join(dir, "b.tmp")
	short := []byte("changed")
	if err := os.WriteFile(q, short, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(q, p); err != nil {
		t.Fatal(err)
	}
	now, err := Read(p)
	if err != nil || !bytes.Equal(now, short) {
		t.Errorf("after a rename: %q, %v; want %q", now, err, short)
	}
	if !bytes.Equal(got, want) {
		t.Error("the bytes of the replaced file changed")
	}

	// Rewritten in place with another size and time: read afresh.
	if err := os.WriteFile(p, []byte("rewritten!"), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	if b, err := Read(p); err != nil || string(b) != "rewritten!" {
		t.Errorf("after rewriting: %q, %v", b, err)
	}
}

func TestReadEdges(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.ttf")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := Read(empty); err != nil || len(b) != 0 {
		t.Errorf("empty file: %d bytes, %v", len(b), err)
	}
	if _, err := Read(filepath.Join(dir, "missing.ttf")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v, want fs.ErrNotExist", err)
	}
	sub := filepath.Join(dir, "dir.ttf")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	_, want := os.ReadFile(sub)
	if _, err := Read(sub); err == nil || want == nil || err.Error() != want.Error() {
		t.Errorf("directory: err = %v, want os.ReadFile's %v", err, want)
	}
}
