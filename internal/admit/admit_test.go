package admit

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDefaultSlots(t *testing.T) {
	for _, tc := range []struct {
		procs int
		mem   int64
		want  int
	}{
		{2, 24 << 30, 2},  // CPU-bound
		{16, 1 << 30, 3},  // (1024 - 64) / 256 MB
		{4, 128 << 20, 1}, // never 0
		{0, 0, 1},         // nothing known
		{8, 0, 8},         // memory unknown
	} {
		if got := DefaultSlots(tc.procs, tc.mem); got != tc.want {
			t.Errorf("DefaultSlots(%d, %d MB) = %d, want %d", tc.procs, tc.mem>>20, got, tc.want)
		}
	}
}

func TestFromEnv(t *testing.T) {
	env := map[string]string{"GONGWEN_MAX_RENDERS": "3", "GONGWEN_QUEUE": "0", "GONGWEN_QUEUE_WAIT": "2s"}
	c, err := FromEnv(func(k string) string { return env[k] })
	if err != nil || c.Slots != 3 || c.Queue != -1 || c.Wait != 2*time.Second {
		t.Fatalf("FromEnv = %+v, %v", c, err)
	}
	l := c.Limiter(func(string) string { return "" })
	if l.Slots() != 3 || l.queue != 0 {
		t.Errorf("limiter: %d slots, queue %d", l.Slots(), l.queue)
	}
	for _, bad := range []map[string]string{{"GONGWEN_MAX_RENDERS": "0"}, {"GONGWEN_QUEUE": "-2"}, {"GONGWEN_QUEUE_WAIT": "soon"}} {
		if _, err := FromEnv(func(k string) string { return bad[k] }); err == nil {
			t.Errorf("FromEnv(%v) accepted", bad)
		}
	}
}

func TestAcquire(t *testing.T) {
	l := New(2, 1, 30*time.Millisecond)
	r1, _ := l.Acquire(context.Background())
	r2, _ := l.Acquire(context.Background())
	// Full: one waiter times out; with it waiting, the next is refused at once.
	errc := make(chan error)
	go func() { _, err := l.Acquire(context.Background()); errc <- err }()
	for l.Waiting() != 1 {
		time.Sleep(time.Millisecond)
	}
	if _, err := l.Acquire(context.Background()); !errors.Is(err, ErrBusy) {
		t.Errorf("queue full: err = %v, want ErrBusy", err)
	}
	if err := <-errc; !errors.Is(err, ErrBusy) {
		t.Errorf("wait ran out: err = %v, want ErrBusy", err)
	}
	// A waiter gets the slot released.
	go func() {
		rel, err := l.Acquire(context.Background())
		if err == nil {
			rel()
		}
		errc <- err
	}()
	for l.Waiting() != 1 {
		time.Sleep(time.Millisecond)
	}
	r1()
	if err := <-errc; err != nil {
		t.Errorf("waiter: %v", err)
	}
	// A waiter whose caller leaves gets its context's error.
	r3, _ := l.Acquire(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Acquire(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled waiter: err = %v", err)
	}
	r2()
	r3()
	if l.InUse() != 0 || l.Waiting() != 0 {
		t.Errorf("in use %d, waiting %d", l.InUse(), l.Waiting())
	}
}
