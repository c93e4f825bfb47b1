package main

import (
	"fmt"
	"io"
)

func runValidate(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "gongwen validate: not implemented yet")
	return exitUsage
}
