package main

import (
	"fmt"
	"io"
)

// helps is each command's usage with its flags and their defaults, printed by
// `gongwen help CMD` and `gongwen CMD -h`.
var helps = map[string]string{
	"render": `usage: gongwen render FILE.json… [-o DIR] [-f pdf,docx]
Renders each report and writes DIR/<name>.pdf and DIR/<name>.docx, named after the
input file; by default into the current directory.
  -o DIR    output directory, created when missing (default ".", the current directory)
  -f LIST   formats to write, comma-separated: pdf, docx (default "pdf,docx")`,
	"validate": `usage: gongwen validate FILE.json…
Prints every problem of each report ("-" reads standard input); exit status 1 if any
is invalid. No flags.`,
	"schema": `usage: gongwen schema
Prints the JSON Schema of the report contract. No flags.`,
	"serve": `usage: gongwen serve [-addr :8080] [-max-renders N] [-queue N] [-queue-wait 10s]
Runs gongwen-server with these flags: the HTTP API (POST /render, /validate, /import;
GET /schema) on this machine. It is a program of its own, found beside gongwen or on
PATH; gongwen serve -h prints its flags and their defaults (default -addr ":8080").`,
	"import": `usage: gongwen import FILE.docx|FILE.txt|- [-o report.json] [-keep-numbers] [-merged-cells split|error]
Makes a report JSON from a Word file or from text copied from a web page or a PDF
("-" reads standard input; a DOCX is recognised by its content). Prints what it
inferred and every change it made, with the line (text) or paragraph (DOCX) it came
from, on stderr. Check the JSON, then: gongwen render report.json
  -o FILE            write the report JSON to FILE (default: standard output)
  -keep-numbers      keep the input's heading numbers (numbering "none") when automatic
                     numbering cannot reproduce them (default false: renumber, with a warning)
  -merged-cells M    a table with merged cells: "split" keeps the text in the first cell,
                     with a warning; "error" refuses the table (default "split")`,
	"version": `usage: gongwen version
Prints the module version and the VCS revision it was built from. No flags.`,
	"help": `usage: gongwen help [COMMAND]
Prints the commands, or one command's usage and flags with their defaults.`,
}

// printHelp prints a command's help; false when there is no such command.
func printHelp(w io.Writer, name string) bool {
	h, ok := helps[name]
	if ok {
		fmt.Fprintln(w, h)
	}
	return ok
}

// runHelp is `gongwen help [COMMAND]`.
func runHelp(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stdout)
		return exitOK
	}
	if !printHelp(stdout, args[0]) {
		fmt.Fprintf(stderr, "gongwen help: unknown command %q\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return exitOK
}
