//go:build !unix

package testtool

import "time"

// CPUTime is 0: no process CPU clock here (see cputime_unix.go).
func CPUTime() time.Duration { return 0 }
