package docx

import (
	"bytes"
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestLingeringHelperTakesNextRender: a render that follows another while its font
// helper lingers is handed to that helper (none started), every one the same bytes
// as the first; renders side by side share the lingering helpers and each gets its
// own document; and once the renders stop the helpers end.
func TestLingeringHelperTakesNextRender(t *testing.T) {
	set := withHelpers(t)
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
		var err error
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
	helpersEnd(t, before)
}
