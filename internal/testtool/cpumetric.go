package testtool

import (
	"testing"
	"time"
)

// ReportCPUPerOp reports the process CPU time since start (a CPUTime reading taken
// before the benchmark's loop) per op as "cpu-ms/op"; nothing where there is no
// CPU clock.
func ReportCPUPerOp(b *testing.B, start time.Duration) {
	if c := CPUTime() - start; c > 0 && b.N > 0 {
		b.ReportMetric(float64(c.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}
