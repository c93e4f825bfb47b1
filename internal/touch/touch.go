// Package touch writes freshly allocated memory's pages before anything reads them.
//
// A page of the heap the kernel has not mapped yet, read first, is mapped to the
// shared zero page; the write after it faults again and replaces that mapping,
// which flushes the other cores' TLBs (an interprocessor interrupt: on the 2-core
// VM of issue 15 some 7 µs each, 3 % of a cold PDF process for its 60 such faults).
// A hash table allocated zeroed and then probed before it is stored into is read
// first page by page; written first, each page faults once.
package touch

import "unsafe"

// pageSize is the smallest page size of the platforms served (4 KB); writing more
// often than once a page costs a few stores, never a fault.
const pageSize = 4096

// Pages stores a zero byte on every page of s's elements, which must be zero and
// not yet shared with another goroutine (a table just made): nothing of s changes.
func Pages[T any](s []T) {
	if len(s) == 0 {
		return
	}
	n := len(s) * int(unsafe.Sizeof(s[0]))
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), n)
	for i := 0; i < n; i += pageSize {
		b[i] = 0
	}
	b[n-1] = 0 // the last page, when s starts inside one
}
