// Command gongwen renders official-format reports on one machine: render, validate,
// schema, serve, import and version. It only translates files and flags; the work is
// in internal/.
package main

import (
	"fmt"
	"io"
	"os"

	"gongwen/internal/gcpolicy"
)

// Exit codes.
const (
	exitOK      = 0
	exitInvalid = 1 // an input is invalid or a render failed
	exitUsage   = 2
)

type command struct {
	name, summary string
	run           func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"render", "render FILE.json… [-o DIR] [-f pdf,docx,ofd]: write DIR/<name>.pdf and .docx (and .ofd); DIR defaults to the current directory", runRender},
		{"validate", "validate FILE.json…: print every problem; exit 1 if any file is invalid", runValidate},
		{"schema", "schema: print the JSON Schema of the report contract", runSchema},
		{"serve", "serve [-addr :8080]: serve the HTTP API on this machine (runs gongwen-server)", runServe},
		{"import", "import FILE.docx|FILE.txt|- [-o report.json]: make a report JSON from a Word file or text", runImport},
		{"version", "version: print the module version and VCS revision", runVersion},
		{"help", "help [COMMAND]: print a command's usage and flags with their defaults", runHelp},
	}
}

func main() {
	// A render is a short process: collecting at Go's default GOGC costs 11 % of it
	// (internal/gcpolicy). (serve replaces this process by gongwen-server, a
	// long-running server that keeps the default.)
	gcpolicy.CLI(os.Getenv)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	if args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "gongwen: unknown command %q\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: gongwen COMMAND [ARGS]")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %s\n", c.summary)
	}
}
