package main

import (
	"fmt"
	"io"

	"gongwen/internal/report"
)

func runSchema(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" {
			printHelp(stdout, "schema")
			return exitOK
		}
		fmt.Fprintln(stderr, "usage: gongwen schema (it takes no arguments)")
		return exitUsage
	}
	if _, err := stdout.Write(report.Schema()); err != nil {
		fmt.Fprintf(stderr, "gongwen schema: %v\n", err)
		return exitInvalid
	}
	return exitOK
}
