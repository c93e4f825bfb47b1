// Package gcpolicy sets the garbage collector for gongwen's processes, which are short
// (a CLI render) or hold a small live heap between requests (a Lambda function), so
// that Go's default GOGC=100 collects two or three times in a 20 ms render for no
// memory worth saving. The GOGC and GOMEMLIMIT environment variables, when set, win.
package gcpolicy

import (
	"runtime/debug"
	"strconv"
)

// Percent is the GOGC the edges use: the heap may grow to five times what is live
// before a collection. Measured on the Wuchuan example (callgrind, whole process
// render -f pdf,docx): GOGC=100 65.8 M instructions, 3 collections, 28.0 MB maximum
// RSS; 400: 58.2 M, no collection, 26.4 MB. Over 200 files in one process: user CPU
// 1.19 -> 0.98 s, maximum RSS 47 -> 81 MB.
//
// Turning the collector off for the CLI (GOGC=off with a memory limit) gains nothing:
// at 400 a one-shot render already never collects (callgrind 69.5 M vs 69.4 M
// instructions, page faults alike), and over 200 files the heap then grows to the
// limit, each new page a fault (GOMEMLIMIT=256MiB: 64,000 minor faults against
// 17,500, 266 MB RSS against 75 MB, no less CPU).
const Percent = 400

// LambdaMemoryShare is the share of the function's memory given to the Go heap as a
// soft limit (GOMEMLIMIT): the rest is the binary with its embedded fonts, which the
// kernel pages in, and the runtime's own overhead. Near the limit the collector runs
// as often as it must, so a large report cannot run the function out of memory
// because of Percent.
const LambdaMemoryShare = 0.75

// Settings is what Apply set; zero fields were left as they were.
type Settings struct {
	Percent     int   // GOGC set, 0 when GOGC was in the environment
	MemoryLimit int64 // bytes; 0 when not set
}

// CLI applies Percent unless GOGC is set.
func CLI(getenv func(string) string) Settings {
	return apply(getenv, 0)
}

// Lambda applies Percent unless GOGC is set and, unless GOMEMLIMIT is set, a soft
// memory limit of LambdaMemoryShare of AWS_LAMBDA_FUNCTION_MEMORY_SIZE (megabytes).
func Lambda(getenv func(string) string) Settings {
	mb, err := strconv.Atoi(getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"))
	if err != nil || mb <= 0 {
		mb = 0
	}
	return apply(getenv, mb)
}

func apply(getenv func(string) string, memoryMB int) Settings {
	var s Settings
	if getenv("GOGC") == "" {
		debug.SetGCPercent(Percent)
		s.Percent = Percent
	}
	if memoryMB > 0 && getenv("GOMEMLIMIT") == "" {
		s.MemoryLimit = int64(float64(memoryMB<<20) * LambdaMemoryShare)
		debug.SetMemoryLimit(s.MemoryLimit)
	}
	return s
}
