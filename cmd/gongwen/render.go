package main

import (
	"fmt"
	"io"
)

func runRender(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "gongwen render: not implemented yet")
	return exitUsage
}
