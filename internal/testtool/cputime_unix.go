//go:build unix

package testtool

import (
	"syscall"
	"time"
)

// CPUTime is the process's user plus system CPU time, the garbage collector's work
// included: the machines benchmarks run on are shared, so wall time per op overstates
// a cost. It is 0 where the platform has no such clock (and if getrusage fails).
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
