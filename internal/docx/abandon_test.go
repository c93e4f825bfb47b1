package docx

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"gongwen/internal/fonts"
)

// TestAbandonedBeforeBody: a render that fails before its body's characters reach
// the font helpers (started before the body is written) answers with its error,
// leaves no goroutine behind, and the renders after it are the same bytes as
// before: cancelled before the first block, and a paragraph with a character XML
// forbids, which writing the body refuses.
func TestAbandonedBeforeBody(t *testing.T) {
	set := withHelpers(t)
	doc := wuchuan(t)
	want, err := Render(doc, set)
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	bad := everything("合法文字\u0001其后")
	for i := range 20 {
		if _, err := RenderContext(cancelled, doc, set); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled render %d: err = %v, want context.Canceled", i, err)
		}
		if _, err := Render(bad, set); err == nil || !strings.Contains(err.Error(), "U+0001") {
			t.Fatalf("render %d with U+0001: err = %v", i, err)
		}
		got, err := Render(doc, set)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("render %d after the failed ones: %d bytes (%v), want the %d of the first", i, len(got), err, len(want))
		}
	}
	// The helpers of the failed renders end once they see the render abandoned.
	helpersEnd(t, before)
}

// withHelpers is the real font set, with which a DOCX's fonts are embedded by
// helpers, on two cores at least for the test (it skips without the fonts).
func withHelpers(t *testing.T) *fonts.Set {
	t.Helper()
	set, err := fonts.Default()
	if err != nil {
		t.Skipf("fonts.Default: %v", err)
	}
	prev := runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0)))
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	return set
}

// helpersEnd waits until no font helper lingers and no more goroutines run than
// before (which may have counted an earlier test's lingering helper).
func helpersEnd(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		l := &lingering
		l.mu.Lock()
		idle, pending := l.idle, len(l.pending)
		l.mu.Unlock()
		if idle == 0 && pending == 0 && runtime.NumGoroutine() <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d helpers idle, %d renders pending, %d goroutines (%d before the renders):\n%s",
				idle, pending, runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
