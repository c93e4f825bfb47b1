// Package admit bounds how many renders a process runs at once: at most N, a bounded
// queue of waiters behind them, and a refusal (the caller answers 503 with
// Retry-After) for the rest. With report.MaxLayoutBytes keeping one render under
// PerRender, a process then stays under N × PerRender + its base, however many
// requests arrive.
package admit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// PerRender is the peak memory one render may take (measured: the largest documents
// report.MaxLayoutBytes admits peak at 200 MB RSS for PDF and DOCX together, base
// included).
const PerRender = 256 << 20

// Base is the memory of an idle process with fonts and template loaded (about 25 MB
// RSS measured; rounded up).
const Base = 64 << 20

// ErrBusy is returned when every slot is taken and the queue is full, or the wait
// for a slot ran out.
var ErrBusy = errors.New("admit: too many renders in progress")

// Limiter admits at most Slots renders at once. It is safe for concurrent use.
type Limiter struct {
	slots   chan struct{}
	queue   int64 // most waiters
	waiting atomic.Int64
	wait    time.Duration
}

// New returns a limiter of n slots (at least 1), at most queue waiters and a wait of
// at most wait for a slot (0: as long as the context lives).
func New(n, queue int, wait time.Duration) *Limiter {
	n = max(n, 1)
	return &Limiter{slots: make(chan struct{}, n), queue: int64(max(queue, 0)), wait: wait}
}

// Slots is the number of renders admitted at once.
func (l *Limiter) Slots() int { return cap(l.slots) }

// Acquire takes a slot, waiting in the queue if there is room in it. It returns a
// release function, ErrBusy, or ctx's error when the caller went away while waiting.
func (l *Limiter) Acquire(ctx context.Context) (release func(), err error) {
	select {
	case l.slots <- struct{}{}:
		return l.release, nil
	default:
	}
	if l.waiting.Add(1) > l.queue {
		l.waiting.Add(-1)
		return nil, ErrBusy
	}
	defer l.waiting.Add(-1)
	var timeout <-chan time.Time
	if l.wait > 0 {
		t := time.NewTimer(l.wait)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case l.slots <- struct{}{}:
		return l.release, nil
	case <-timeout:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (l *Limiter) release() { <-l.slots }

// Queue is the most callers that may wait for a slot.
func (l *Limiter) Queue() int { return int(l.queue) }

// InUse is the number of slots taken (for tests and logs).
func (l *Limiter) InUse() int { return len(l.slots) }

// Waiting is the number of callers in the queue.
func (l *Limiter) Waiting() int { return int(l.waiting.Load()) }

// DefaultSlots is the number of concurrent renders for a process with procs
// processors and mem bytes of memory: one per processor (a render is CPU-bound on
// one thread) and no more than the memory holds at PerRender each above Base.
func DefaultSlots(procs int, mem int64) int {
	n := max(procs, 1)
	if mem > 0 {
		n = min(n, int((mem-Base)/PerRender))
	}
	return max(n, 1)
}

// Memory is the memory available to the process: GOMEMLIMIT when set, else a Lambda
// function's memory size, else the cgroup's limit, else the machine's; 0 when none
// can be read.
func Memory(getenv func(string) string) int64 {
	if lim := debug.SetMemoryLimit(-1); lim > 0 && lim < 1<<62 {
		return lim
	}
	if v := getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"); v != "" {
		if mb, err := strconv.ParseInt(v, 10, 64); err == nil && mb > 0 {
			return mb << 20
		}
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 {
			return n
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					return kb << 10
				}
			}
		}
	}
	return 0
}

// Config is what an edge reads from its flags and environment.
type Config struct {
	Slots int           // concurrent renders; 0: DefaultSlots
	Queue int           // most waiters; 0: 4 per slot; negative: none
	Wait  time.Duration // longest wait in the queue; 0: DefaultWait
}

// DefaultWait is how long a request waits for a slot before it is refused: about ten
// worst-case renders.
const DefaultWait = 10 * time.Second

// FromEnv reads GONGWEN_MAX_RENDERS, GONGWEN_QUEUE and GONGWEN_QUEUE_WAIT (a Go
// duration).
func FromEnv(getenv func(string) string) (Config, error) {
	var c Config
	var err error
	if v := getenv("GONGWEN_MAX_RENDERS"); v != "" {
		if c.Slots, err = strconv.Atoi(v); err != nil || c.Slots < 1 {
			return c, fmt.Errorf("GONGWEN_MAX_RENDERS=%q: want a whole number of at least 1", v)
		}
	}
	if v := getenv("GONGWEN_QUEUE"); v != "" {
		if c.Queue, err = strconv.Atoi(v); err != nil || c.Queue < 0 {
			return c, fmt.Errorf("GONGWEN_QUEUE=%q: want a whole number of at least 0", v)
		}
		if c.Queue == 0 {
			c.Queue = -1 // explicitly none
		}
	}
	if v := getenv("GONGWEN_QUEUE_WAIT"); v != "" {
		if c.Wait, err = time.ParseDuration(v); err != nil || c.Wait <= 0 {
			return c, fmt.Errorf("GONGWEN_QUEUE_WAIT=%q: want a positive duration such as 10s", v)
		}
	}
	return c, nil
}

// Limiter builds the limiter the configuration describes for this process.
func (c Config) Limiter(getenv func(string) string) *Limiter {
	n := c.Slots
	if n == 0 {
		n = DefaultSlots(runtime.GOMAXPROCS(0), Memory(getenv))
	}
	q := c.Queue
	switch {
	case q < 0:
		q = 0
	case q == 0:
		q = 4 * n
	}
	w := c.Wait
	if w == 0 {
		w = DefaultWait
	}
	return New(n, q, w)
}

// SetMemoryLimit gives the Go runtime a soft memory limit of slots × PerRender + Base
// unless GOMEMLIMIT is set, so that the collector works harder before the heap
// reaches twice what is live (GOGC's default) instead of growing the RSS.
func SetMemoryLimit(slots int, getenv func(string) string) int64 {
	if getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1)
	}
	lim := int64(slots)*PerRender + Base
	debug.SetMemoryLimit(lim)
	return lim
}
