//go:build linux || darwin

package mapfile

import (
	"io/fs"
	"os"
	"syscall"
	"time"
)

type fileID struct {
	dev, ino uint64
	size     int64
	mtime    time.Time
}

func idOf(st fs.FileInfo) fileID {
	id := fileID{size: st.Size(), mtime: st.ModTime()}
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		id.dev, id.ino = uint64(s.Dev), uint64(s.Ino)
	}
	return id
}

func mapFile(f *os.File, size int64) ([]byte, error) {
	if size == 0 {
		return []byte{}, nil // mmap refuses an empty length; the caller finds it too short
	}
	if size != int64(int(size)) {
		return nil, syscall.EFBIG
	}
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
}
