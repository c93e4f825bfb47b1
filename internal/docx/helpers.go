package docx

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// The goroutines that embed a DOCX's fonts on the spare cores (fontJobs) stay a
// moment once their render's part is done (lingerFor), yielding to any other
// goroutine, in case another render's fonts follow at once: a render handed to a
// lingering helper finds it running, where a new goroutine waits for an idle core
// to wake, which on this project's 2-core VM took longer than the body (50 µs) in a
// fifth of back-to-back renders, and those renders took twice as long (their fonts
// done mostly by their own goroutine). Measured (BenchmarkRenderWuchuan, paired
// rounds against helpers that end with their render): 0.90-0.95 of the time.
var lingering struct {
	mu      sync.Mutex
	idle    int          // helpers lingering; never fewer than len(pending)
	pending []*fontJobs  // handed to the lingering helpers, not yet taken
	queued  atomic.Int32 // len(pending), polled by the lingering helpers without mu
}

// lingerNanos is how long a helper lingers (tests lengthen it). 200 µs outlasts
// the end of a render (its archive, 50 µs) and the start of the next; 500 µs, which
// also outlasted most garbage collections, measured slower: helpers lingering
// through a collection's mark phase delayed the renders they took.
var lingerNanos atomic.Int64

func init() { lingerNanos.Store(int64(200 * time.Microsecond)) }

// handedOff counts the helpers that were lingering ones (for the tests).
var handedOff atomic.Int64

// startHelper has one more goroutine help with fj: a lingering helper when one is
// idle (true), else a new one.
func startHelper(fj *fontJobs) bool {
	fj.wg.Add(1)
	fj.helping.Add(1)
	l := &lingering
	l.mu.Lock()
	if l.idle > len(l.pending) {
		l.pending = append(l.pending, fj)
		l.queued.Add(1)
		l.mu.Unlock()
		handedOff.Add(1)
		return true
	}
	l.mu.Unlock()
	go helper(fj)
	return false
}

// helper helps with fj, then with every render handed to it while it lingers.
func helper(fj *fontJobs) {
	l := &lingering
	for fj != nil {
		fj.help()
		// Lingering before done: a render that finish returns from leaves its
		// helper idle for the next.
		l.mu.Lock()
		l.idle++
		l.mu.Unlock()
		fj.helping.Add(-1)
		fj.wg.Done()
		fj = linger()
	}
}

// linger waits for a render handed over (startHelper), yielding between looks, for
// lingerNanos at most; nil when none came.
func linger() *fontJobs {
	l := &lingering
	deadline := time.Now().Add(time.Duration(lingerNanos.Load()))
	for {
		last := !yieldUntil(deadline, func() bool { return l.queued.Load() > 0 })
		l.mu.Lock()
		if len(l.pending) > 0 { // another lingering helper may have taken it first
			fj := l.pending[0]
			l.pending = append(l.pending[:0], l.pending[1:]...)
			l.queued.Add(-1)
			l.idle--
			l.mu.Unlock()
			return fj
		}
		if last {
			l.idle--
			l.mu.Unlock()
			return nil
		}
		l.mu.Unlock()
	}
}

// yieldUntil polls done, yielding to any other goroutine between looks, until it is
// true (true) or deadline passes (false). The font helpers and the render wait so for
// each other rather than sleeping: a goroutine woken from another's processor is that
// processor's next one, which an idle core takes only after the scheduler's back-off
// (startFonts).
func yieldUntil(deadline time.Time, done func() bool) bool {
	for !done() {
		if time.Now().After(deadline) {
			return false
		}
		runtime.Gosched()
	}
	return true
}
