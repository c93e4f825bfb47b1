package mapfile

import (
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Populate maps in the pages of b, part of a file's mapping (Read's, or the
// executable's own data), so that reading them later takes no page fault: the pages
// are put in the process's page tables now, in the caller's goroutine (a cold
// render's first reads of the fonts' tables and glyph code files took some 60 faults,
// 0.4-1 ms of a 10 ms process, on the core that renders). Linux 5.14 or later
// (MADV_POPULATE_READ); an older kernel answers EINVAL and the pages fault in as they
// are read, as without it. Nothing of b changes.
func Populate(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	// madvise takes whole pages: those b lies in.
	page := uintptr(unix.Getpagesize())
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start, end := p&^(page-1), (p+uintptr(len(b))+page-1)&^(page-1)
	// Addresses, not a slice: the page before b's start need not be Go's to point at.
	_, _, errno := unix.Syscall(unix.SYS_MADVISE, start, end-start, unix.MADV_POPULATE_READ)
	runtime.KeepAlive(b)
	if errno != 0 {
		return errno
	}
	return nil
}
