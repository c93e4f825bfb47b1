//go:build !(linux || darwin)

package mapfile

import (
	"io"
	"io/fs"
	"os"
	"time"
)

type fileID struct {
	size  int64
	mtime time.Time
}

func idOf(st fs.FileInfo) fileID { return fileID{st.Size(), st.ModTime()} }

// mapFile reads the whole file: no mapping here.
func mapFile(f *os.File, size int64) ([]byte, error) {
	b := make([]byte, 0, size)
	for {
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}
