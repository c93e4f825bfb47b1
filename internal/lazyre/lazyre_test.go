package lazyre

import (
	"sync"
	"testing"
)

// Get compiles once, whichever goroutine asks first, and every caller gets the same
// compiled expression.
func TestGetCompilesOnce(t *testing.T) {
	r := &Regexp{Expr: `^[0-9]{4}年$`}
	var wg sync.WaitGroup
	got := make([]any, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = r.Get()
		}()
	}
	wg.Wait()
	for i := range got {
		if got[i] != got[0] {
			t.Fatalf("goroutine %d got another compiled expression", i)
		}
	}
	if !r.Get().MatchString("2023年") || r.Get().MatchString("203年") {
		t.Fatal("the expression does not match as written")
	}
}
