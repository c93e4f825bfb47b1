// Package lazyre holds regular expressions compiled on first use. Every gongwen
// process links the report and importer packages, and compiling their expressions at
// init cost each render 2.7 M (report) and 4 M (importer) instructions, although a
// render uses few of them and never imports.
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is an expression compiled on first use. A variable of it is data the linker
// initialises (a sync.OnceValue per expression took three allocations at init in
// every process).
type Regexp struct {
	Expr string
	once sync.Once
	re   *regexp.Regexp
}

// Get returns the compiled expression. The expressions are the program's own and
// their packages' tests compile every one, so a bad one is a programming error and
// panics as regexp.MustCompile does.
func (l *Regexp) Get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.Expr) })
	return l.re
}
