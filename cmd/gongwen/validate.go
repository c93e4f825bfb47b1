package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"gongwen/internal/render"
	"gongwen/internal/report"
)

func runValidate(args []string, stdout, stderr io.Writer) int {
	var files []string
	onlyFiles := false
	for _, a := range args {
		switch {
		case onlyFiles || a == "-" || !strings.HasPrefix(a, "-"):
			files = append(files, a)
		case a == "--":
			onlyFiles = true
		case a == "-h" || a == "--help":
			printHelp(stdout, "validate")
			return exitOK
		default:
			fmt.Fprintf(stderr, "gongwen validate: unknown flag %s\nusage: gongwen validate FILE.json…\n", a)
			return exitUsage
		}
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "usage: gongwen validate FILE.json…")
		return exitUsage
	}
	code := exitOK
	for _, f := range files {
		data, err := readInput(f)
		if err == nil {
			var warnings []report.Problem
			_, warnings, err = render.Validate(data)
			printWarnings(stderr, f, warnings)
		}
		if err != nil {
			printError(stdout, stderr, "validate", f, err)
			code = exitInvalid
		}
	}
	return code
}

// stdin is what the file name "-" reads; tests replace it.
var stdin io.Reader = os.Stdin

// readInput reads one input file, or standard input for "-". A file over the size
// limit is refused from its size, without reading it.
func readInput(name string) ([]byte, error) {
	if name == "-" {
		return readLimited(stdin, 0)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := 0
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		if st.Size() > report.MaxInputBytes {
			return nil, report.TooLarge(st.Size())
		}
		size = int(st.Size())
	}
	return readLimited(f, size)
}

// readLimited reads at most one byte more than allowed (a pipe has no size to check
// first), so that an oversized input is reported as too large, not cut short. size
// is what the input is expected to hold (a regular file's size; 0 when unknown): the
// whole file is read into one buffer of that size, not into one grown from 512
// bytes (twice the file's bytes allocated, and as many reads as growths).
func readLimited(r io.Reader, size int) ([]byte, error) {
	data, err := readAll(io.LimitReader(r, report.MaxInputBytes+1), size)
	if err != nil {
		return nil, err
	}
	if len(data) > report.MaxInputBytes {
		return nil, report.TooLargeUnknown() // reading stopped: the real size is not known
	}
	return data, nil
}

// readAll is io.ReadAll starting with room for size bytes and the end of the input.
func readAll(r io.Reader, size int) ([]byte, error) {
	if size <= 0 {
		return io.ReadAll(r)
	}
	b := make([]byte, 0, size+1) // +1: the read that finds the end needs room
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
		if len(b) == cap(b) { // the file grew since its size was read
			b = append(b, 0)[:len(b)]
		}
	}
}

// location is the PATH part of a problem line: the JSON pointer, or where in the
// file malformed input is, or "(document)" for the input as a whole.
func location(p report.Problem) string {
	switch {
	case p.Path != "":
		return p.Path
	case p.Line > 0:
		return fmt.Sprintf("line %d, column %d", p.Line, p.Column)
	case p.Code == report.CodeInvalidUTF8:
		return fmt.Sprintf("byte %d", p.Offset)
	}
	return "(document)"
}

// printProblems writes one "FILE: PATH: message" line per problem.
func printProblems(w io.Writer, file string, ps []report.Problem) {
	for _, p := range ps {
		fmt.Fprintf(w, "%s: %s: %s\n", file, location(p), p.Message)
	}
}

func printWarnings(w io.Writer, file string, ps []report.Problem) {
	for _, p := range ps {
		fmt.Fprintf(w, "%s: %s: warning: %s\n", file, location(p), p.Message)
	}
}

// printError prints an invalid input's problems on stdout, and any other failure
// (an unreadable file, a render that failed) on stderr.
func printError(stdout, stderr io.Writer, cmd, file string, err error) {
	var inv *report.InvalidError
	if errors.As(err, &inv) {
		printProblems(stdout, file, inv.Problems)
		return
	}
	fmt.Fprintf(stderr, "gongwen %s: %s: %v\n", cmd, file, err)
}
