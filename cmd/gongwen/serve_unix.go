//go:build unix

package main

import (
	"os"
	"syscall"
)

// execServer replaces this process by the server, which then owns the terminal's
// signals (SIGINT, SIGTERM: graceful shutdown) and the exit status. It returns only
// on failure.
func execServer(path string, args []string) (int, error) {
	err := syscall.Exec(path, append([]string{path}, args...), os.Environ())
	return exitInvalid, err
}
