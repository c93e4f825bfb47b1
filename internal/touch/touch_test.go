//go:build linux

package touch

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// TestPagesMapsEveryPage: on fresh anonymous memory (mmap, so that no allocator has
// touched it), no page is resident before Pages and every one is after (mincore),
// its bytes all still zero, for elements that start and end inside a page.
func TestPagesMapsEveryPage(t *testing.T) {
	const pages = 9
	mem, err := unix.Mmap(-1, 0, pages*pageSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	defer unix.Munmap(mem)
	resident := func() int {
		vec := make([]byte, pages)
		if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&mem[0])), uintptr(len(mem)),
			uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
			t.Fatalf("mincore: %v", errno)
		}
		n := 0
		for _, v := range vec {
			n += int(v & 1)
		}
		return n
	}
	if n := resident(); n != 0 {
		t.Fatalf("%d pages resident before Pages", n)
	}
	// As uint32s from 100 bytes into the first page to 100 bytes into the last: every
	// page written, the last one by the final store.
	s := unsafe.Slice((*uint32)(unsafe.Pointer(&mem[100])), (pages-1)*pageSize/4)
	Pages(s)
	if n := resident(); n != pages {
		t.Errorf("%d of %d pages resident after Pages", n, pages)
	}
	for i, b := range mem {
		if b != 0 {
			t.Fatalf("byte %d is %#x after Pages", i, b)
		}
	}
	Pages([]uint32(nil)) // nothing to write, no panic
}
