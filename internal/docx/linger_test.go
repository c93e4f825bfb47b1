package docx

import (
	"bytes"
	"runtime"
	"sync"
	"testing"
	"time"

	"gongwen/internal/fonts"
)

// TestLingeringHelperTakesNextRender: a render that follows another while its font
// helper lingers is handed to that helper (none started), every one the same bytes
// as the first; renders side by side share the lingering helpers and each gets its
// own document; and once the renders stop the helpers end.
func TestLingeringHelperTakesNextRender(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Skipf("fonts.Default: %v", err) // the helpers run only for a real font set
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0))))
	before := runtime.NumGoroutine()
	// Long enough to outlast a render's end and the next one's start under -race.
	saved := lingerNanos.Load()
	lingerNanos.Store(int64(2 * time.Second))
	type rendered struct {
		name string
		want []byte
	}
	docs := []*rendered{{name: "wuchuan-2023.json"}, {name: "all-fields-document.json"}}
	for _, d := range docs {
		if d.want, err = Render(example(t, d.name), set); err != nil {
			t.Fatal(err)
		}
	}
	doc := example(t, docs[0].name)
	h := handedOff.Load()
	const n = 10
	for i := range n {
		got, err := Render(doc, set)
		if err != nil || !bytes.Equal(got, docs[0].want) {
			t.Fatalf("render %d: %d bytes (%v), want the %d of the first", i, len(got), err, len(docs[0].want))
		}
	}
	if k := handedOff.Load() - h; k < n {
		t.Errorf("%d of %d renders handed to the lingering helper, want all", k, n)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := docs[g%2]
			doc := example(t, d.name)
			for i := range 5 {
				if got, err := Render(doc, set); err != nil || !bytes.Equal(got, d.want) {
					t.Errorf("%s, goroutine %d, render %d: %d bytes (%v), want %d", d.name, g, i, len(got), err, len(d.want))
					return
				}
			}
		}()
	}
	wg.Wait()
	lingerNanos.Store(saved) // the lingering helpers end within 2 s
	// None lingers once the renders stop (before may have counted one of an earlier
	// test's helpers: the goroutines are counted too).
	lingeringNow := func() (idle, pending int) {
		l := &lingering
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.idle, len(l.pending)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		idle, pending := lingeringNow()
		if idle == 0 && pending == 0 && runtime.NumGoroutine() <= before {
			break
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d helpers idle, %d renders pending, %d goroutines (%d before the renders):\n%s",
				idle, pending, runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
