// Package spare keeps idle values (buffers, compressors, match finders) between
// renders for good. A buffered channel, not a sync.Pool: a pool is emptied by every
// other garbage collection, and a render that finds it empty allocates again what a
// cold process then faults in page by page (a compressor's 700 KB of tables, a
// 150 KB font buffer). A pool holds at most its size; what is put beyond is dropped.
package spare

// Pool holds up to its size of idle values of type T.
type Pool[T any] struct{ c chan T }

// New returns a pool keeping up to n values (as many as renders run at once on a
// machine's cores, with some to spare).
func New[T any](n int) *Pool[T] { return &Pool[T]{c: make(chan T, n)} }

// Get returns an idle value and true, or T's zero value and false when none is.
func (p *Pool[T]) Get() (T, bool) {
	select {
	case v := <-p.c:
		return v, true
	default:
		var zero T
		return zero, false
	}
}

// Put keeps v for a later Get, or drops it when the pool is full. v must no longer
// be used by the caller.
func (p *Pool[T]) Put(v T) {
	select {
	case p.c <- v:
	default:
	}
}
