package spare

import (
	"sync"
	"testing"
)

// TestPool: Get gives back what Put kept, in any order, none twice; an empty pool
// gives false; a full one drops what is put beyond its size.
func TestPool(t *testing.T) {
	p := New[*int](2)
	if v, ok := p.Get(); ok || v != nil {
		t.Fatalf("empty pool gave %v, %v", v, ok)
	}
	a, b, c := new(int), new(int), new(int)
	p.Put(a)
	p.Put(b)
	p.Put(c) // full: dropped
	got := map[*int]bool{}
	for range 2 {
		v, ok := p.Get()
		if !ok || got[v] {
			t.Fatalf("Get gave %v, %v (had %v)", v, ok, got)
		}
		got[v] = true
	}
	if !got[a] || !got[b] {
		t.Errorf("kept %v, want the first two put", got)
	}
	if _, ok := p.Get(); ok {
		t.Error("a third value from a pool of two")
	}
}

// TestConcurrentUse: values shared by goroutines getting and putting at once are
// never handed to two at a time (run under -race in CI).
func TestConcurrentUse(t *testing.T) {
	p := New[*[64]byte](4)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				v, ok := p.Get()
				if !ok {
					v = new([64]byte)
				}
				for k := range v {
					v[k] = byte(g + i)
				}
				for k := range v {
					if v[k] != byte(g+i) {
						t.Errorf("a value in use by two goroutines")
						return
					}
				}
				p.Put(v)
			}
		}()
	}
	wg.Wait()
}
