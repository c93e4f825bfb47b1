// Package mapfile reads font files by mapping them read-only into memory instead of
// copying them: a font's 3–4 MB are mostly glyph outlines of which a document uses a
// few hundred, and reading them whole was a fifth of a `gongwen render` process (the
// read system call's copy and the page faults of a 7 MB heap). A mapping faults in
// only the pages that are touched, straight from the page cache.
//
// The risk of a mapping: the bytes are the file's, so a file truncated in place while
// the process runs would make a later access past its new end a SIGBUS, a crash rather
// than an error. The files mapped are release files and the Lambda layer (read-only by
// construction) or an operator's font directory; replacing a file by renaming a new one
// over it is safe (the old file stays mapped), truncating or rewriting it in place is
// not. Callers check every table against the size the file had when it was mapped, so
// a file that was short or damaged when it was read is an error, as with a plain read.
package mapfile

import (
	"fmt"
	"os"
	"sync"
)

// key identifies one version of one file: a file changed since it was mapped (another
// size or modification time, or another inode) is mapped afresh.
type key struct {
	path string
	id   fileID
}

var (
	mu    sync.Mutex
	cache = map[key][]byte{}
)

// Read returns the contents of the file at path, mapped read-only where the platform
// allows (Linux, Darwin) and read into memory elsewhere. The bytes must not be
// modified (a write to them is a crash) and stay valid for the life of the process:
// the same unchanged file read twice gives the same mapping, so reloading fonts does
// not map them again. Errors are those of os.Open and os.ReadFile, wrapped with
// context where the mapping itself failed.
func Read(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		// A directory, a pipe or a device: read (and fail) as os.ReadFile does.
		return os.ReadFile(path)
	}
	k := key{path, idOf(st)}
	mu.Lock()
	defer mu.Unlock()
	if b, ok := cache[k]; ok {
		return b, nil
	}
	b, err := mapFile(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("map %s: %w", path, err)
	}
	if b != nil {
		cache[k] = b
	}
	return b, nil
}
