//go:build unix

package docx

import (
	"syscall"
	"time"
)

// cpuTime is the process's user plus system CPU time: the machine the benchmarks
// run on is shared, so wall time per op overstates the cost.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
