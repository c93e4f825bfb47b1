package main

import (
	"fmt"
	"io"
)

func runSchema(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "gongwen schema: not implemented yet")
	return exitUsage
}
