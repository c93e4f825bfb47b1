package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
)

// serverName is the HTTP server's program, built from cmd/gongwen-server. It is not
// linked into gongwen: net/http, crypto/tls and crypto/x509 cost a one-shot render a
// tenth of its time in package initialisation and page faults (issue 15).
const serverName = "gongwen-server"

// runServe is `gongwen serve ARGS`: it runs gongwen-server ARGS in this process's
// place (same standard streams, environment and signals), found beside this
// executable (a release, or `go build -o DIR ./cmd/...`) or else on PATH.
func runServe(args []string, stdout, stderr io.Writer) int {
	path, err := findServer()
	if err != nil {
		fmt.Fprintf(stderr, "gongwen serve: %v\n", err)
		return exitUsage
	}
	var code int
	if stdout == io.Writer(os.Stdout) && stderr == io.Writer(os.Stderr) {
		code, err = execServer(path, args)
	} else {
		code, err = runServer(path, args, stdout, stderr) // a caller's own streams (tests)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gongwen serve: %v\n", err)
		return exitInvalid
	}
	return code
}

// runServer runs the server as a child process writing to stdout and stderr and
// returns its exit status; an interrupt reaches both processes, and only the child
// acts on it.
func runServer(path string, args []string, stdout, stderr io.Writer) (int, error) {
	cmd := exec.Command(path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	signal.Ignore(os.Interrupt)
	defer signal.Reset(os.Interrupt)
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), nil
	}
	if err != nil {
		return exitInvalid, err
	}
	return exitOK, nil
}

// findServer looks for gongwen-server beside the running executable, then on PATH.
func findServer() (string, error) {
	name := serverName
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	self, err := os.Executable()
	if err == nil {
		if self, err = filepath.EvalSymlinks(self); err == nil {
			p := filepath.Join(filepath.Dir(self), name)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				return p, nil
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("%s: %w", p, err)
			}
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	where := "on PATH"
	if self != "" {
		where = "beside " + self + " or on PATH"
	}
	return "", fmt.Errorf("the HTTP server is the program %s, not found %s: "+
		"build both (go build -o DIR ./cmd/gongwen ./cmd/gongwen-server) or run go run ./cmd/gongwen-server", name, where)
}
