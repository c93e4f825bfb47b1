//go:build !linux

package mapfile

// Populate does nothing here: the pages of b fault in as they are read.
func Populate(b []byte) error { return nil }
