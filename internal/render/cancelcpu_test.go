package render

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"gongwen/internal/testtool"
)

// cancelShapes are the densest documents the memory budget admits (as in
// cmd/gongwen's load test) and the largest report of running text.
func cancelShapes() map[string][]byte {
	all := testtool.WorstCaseReports()
	out := map[string][]byte{}
	for _, k := range []string{"dense-cjk1", "dense-a46", "sections2000"} {
		out[k] = all[k]
	}
	return out
}

// processCPU is the CPU time (user and system) the whole process has used: it counts
// the garbage collector's work too, which a goroutine's own clock would miss.
func processCPU() time.Duration {
	c := testtool.CPUTime()
	if c == 0 {
		panic("render: no process CPU clock on this platform")
	}
	return c
}

// cancelCost renders input, cancels once the process has spent at CPU since the
// start, and returns the CPU spent from the cancel until Render returned (0 if it
// finished before the cancel).
func cancelCost(t testing.TB, input []byte, formats []Format, at time.Duration) (time.Duration, bool) {
	runtime.GC()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := processCPU()
	done := make(chan error, 1)
	go func() {
		_, err := Render(ctx, input, formats)
		done <- err
	}()
	tick := time.NewTicker(200 * time.Microsecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("finished before the cancel with %v", err)
			}
			return 0, false
		case <-tick.C:
		}
		if processCPU()-start >= at {
			break
		}
	}
	cancel()
	from := processCPU()
	err := <-done
	spent := processCPU() - from
	if err == nil {
		return spent, false // it had finished when the cancel came
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	return spent, true
}

// TestCancelCPU: a render cancelled at any point of the worst-case documents stops
// within 50 ms of CPU (the bound). It cancels at 20 points spread over the
// whole uncancelled render and asserts on the worst (a point over the bound is
// measured three times, its least cost kept). CPU is the process's, so what
// the garbage collector finishes after the cancel counts; the bound is asserted
// with a 1.6× margin for a loaded 2-core machine (cache misses, GC assists
// stretched by other processes) and the figures are logged.
func TestCancelCPU(t *testing.T) {
	if testing.Short() {
		t.Skip("renders the worst-case documents some 60 times")
	}
	if raceEnabled {
		t.Skip("the race detector multiplies CPU costs")
	}
	if err := Warm(); err != nil {
		t.Fatal(err)
	}
	const bound = 50 * time.Millisecond
	const margin = 1.6
	shapes := cancelShapes()
	for _, tc := range []struct {
		shape   string
		formats []Format
	}{
		{"dense-cjk1", []Format{PDF}},
		{"dense-cjk1", []Format{DOCX}},
		{"dense-cjk1", []Format{PDF, DOCX}},
		{"dense-cjk1", []Format{OFD}},
		{"dense-a46", []Format{PDF, DOCX}},
		{"sections2000", []Format{PDF, DOCX}},
	} {
		t.Run(fmt.Sprintf("%s/%v", tc.shape, tc.formats), func(t *testing.T) {
			in := shapes[tc.shape]
			// The second of two uncancelled renders: the first also does the
			// one-time work of the document's glyphs, which overstated the span the
			// points spread over (the last ones then fell after the renders' end).
			var total time.Duration
			for range 2 {
				runtime.GC()
				start := processCPU()
				if _, err := Render(context.Background(), in, tc.formats); err != nil {
					t.Fatal(err)
				}
				total = processCPU() - start
			}
			const points = 20
			var worst, worstAt time.Duration
			var costs []string
			for i := range points {
				at := total * time.Duration(i) / points
				spent, cancelled := cancelCost(t, in, tc.formats, at)
				if !cancelled {
					continue
				}
				// A step that cannot be interrupted costs the same every time it is
				// hit; a garbage-collection cycle or a preemption that happened to
				// fall after the cancel does not repeat: a point over the bound is
				// measured twice more, a hundredth of the render before and after it
				// (a render allocates alike each time, so a collection that starts
				// at the very point does repeat there; a step of the bound's length
				// or more spans both), and its least cost kept.
				for try := 0; try < 2 && spent > bound; try++ {
					near := at - total/100 + time.Duration(try)*total/50
					if again, ok := cancelCost(t, in, tc.formats, near); ok {
						spent = min(spent, again)
					}
				}
				costs = append(costs, fmt.Sprintf("%d", spent.Milliseconds()))
				if spent > worst {
					worst, worstAt = spent, at
				}
			}
			t.Logf("uncancelled %v CPU; after cancel (ms, at 0..95%%): %s; worst %v at %v",
				total.Round(time.Millisecond), strings.Join(costs, " "), worst.Round(time.Millisecond), worstAt.Round(time.Millisecond))
			if worst > time.Duration(float64(bound)*margin) {
				t.Errorf("a cancel at %v of CPU cost %v more CPU, want at most %v (%v with margin)",
					worstAt, worst, bound, time.Duration(float64(bound)*margin))
			}
		})
	}
}
