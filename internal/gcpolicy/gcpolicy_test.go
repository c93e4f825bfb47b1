package gcpolicy

import (
	"math"
	"runtime/debug"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// restore puts the test process's collector back as it was.
func restore(t *testing.T) {
	percent := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
}

func TestCLISetsPercentUnlessGOGCIsSet(t *testing.T) {
	restore(t)
	if s := CLI(env(nil)); s.Percent != 400 || s.MemoryLimit != 0 {
		t.Errorf("CLI = %+v", s)
	}
	if got := debug.SetGCPercent(100); got != 400 {
		t.Errorf("GOGC in effect %d, want 400", got)
	}
	if s := CLI(env(map[string]string{"GOGC": "50"})); s.Percent != 0 {
		t.Errorf("with GOGC set: %+v", s)
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC in effect %d, want the environment's (left at 100)", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("CLI set a memory limit: %d", got)
	}
}

func TestLambdaLimitsMemoryToThreeQuartersOfTheFunction(t *testing.T) {
	restore(t)
	s := Lambda(env(map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024"}))
	if s.Percent != 400 || s.MemoryLimit != 768<<20 {
		t.Errorf("Lambda = %+v, want 400 and 768 MiB", s)
	}
	if got := debug.SetMemoryLimit(-1); got != 768<<20 {
		t.Errorf("memory limit in effect %d", got)
	}
	debug.SetMemoryLimit(math.MaxInt64)
	s = Lambda(env(map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024", "GOMEMLIMIT": "100MiB", "GOGC": "100"}))
	if s != (Settings{}) {
		t.Errorf("with GOGC and GOMEMLIMIT set: %+v", s)
	}
	if s := Lambda(env(map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "x"})); s.MemoryLimit != 0 {
		t.Errorf("unreadable memory size: %+v", s)
	}
}
