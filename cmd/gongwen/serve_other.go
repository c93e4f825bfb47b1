//go:build !unix

package main

import "os"

// execServer runs the server as a child: there is no exec(2) here.
func execServer(path string, args []string) (int, error) {
	return runServer(path, args, os.Stdout, os.Stderr)
}
