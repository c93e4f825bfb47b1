package fonts

import (
	"errors"
	"path/filepath"
	"testing"
)

// The GPL faces are found as files (in a clone: this package's gpl/ directory), never
// in the executable; the OFL faces are embedded.
func TestFiles(t *testing.T) {
	for _, f := range GPLFaces {
		if File(f) != nil {
			t.Errorf("%s is embedded in the executable", f)
		}
		data, path, err := GPL(f)
		if err != nil || len(data) < 1<<20 || filepath.Base(path) != f+".ttf" || filepath.Base(filepath.Dir(path)) != "gpl" {
			t.Errorf("GPL(%q) = %d bytes from %q, %v", f, len(data), path, err)
		}
	}
	for _, f := range []string{"title", "hei", "song", "fallback"} {
		if len(File(f)) < 1<<20 {
			t.Errorf("%s: embedded file of %d bytes", f, len(File(f)))
		}
	}
	if _, _, err := GPL("nonexistent"); !errors.Is(err, ErrNoGPLFile) {
		t.Errorf("missing face: err = %v, want ErrNoGPLFile", err)
	}
}
