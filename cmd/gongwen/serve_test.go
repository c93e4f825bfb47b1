package main

import (
	"gongwen/internal/testtool"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeWithoutServer: no gongwen-server beside the executable (a test binary)
// nor on PATH is a usage error that says what to build.
func TestServeWithoutServer(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	code, stdout, stderr := runCLI("serve", "-addr", "127.0.0.1:0")
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "gongwen-server, not found") ||
		!strings.Contains(stderr, "./cmd/gongwen-server") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	_, help, _ := runCLI("help", "serve")
	for _, w := range []string{"usage: gongwen serve [-addr :8080]", "gongwen-server", `(default -addr ":8080")`} {
		if !strings.Contains(help, w) {
			t.Errorf("help serve lacks %q:\n%s", w, help)
		}
	}
}

// buildBoth builds gongwen and gongwen-server into one directory, as a release has
// them.
func buildBoth(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binaries")
	}
	dir := t.TempDir()
	if out, err := exec.Command("go", "build", "-o", dir, "gongwen/cmd/gongwen", "gongwen/cmd/gongwen-server").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

// TestServeRunsServer: `gongwen serve` finds gongwen-server beside itself and becomes
// it: its flags, its listening socket, SIGTERM a graceful stop with exit 0. With the
// caller's own streams (not the process's) it runs it as a child writing to them.
func TestServeRunsServer(t *testing.T) {
	dir := buildBoth(t)
	out, err := exec.Command(filepath.Join(dir, "gongwen"), "serve", "-h").Output()
	if err != nil || !strings.Contains(string(out), "usage: gongwen-server") || !strings.Contains(string(out), `(default ":8080")`) {
		t.Errorf("gongwen serve -h: %v\n%s", err, out)
	}

	srv := testtool.StartServer(t, exec.Command(filepath.Join(dir, "gongwen"), "serve", "-addr", "127.0.0.1:0"))
	if !strings.Contains(srv.Logs.String(), "gongwen-server: listening on") {
		t.Errorf("not gongwen-server's listening line: %s", srv.Logs.String())
	}
	resp, err := http.Get(srv.Base + "/schema")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /schema: %v %v", resp, err)
	}
	resp.Body.Close()
	srv.StopBySIGTERM(t) // the pid is the server's now

	// On PATH, run with the caller's streams: a child whose output and status come back.
	t.Setenv("PATH", dir)
	code, help, errOut := runCLI("serve", "-h")
	if code != exitOK || !strings.Contains(help, "-queue-wait") || errOut != "" {
		t.Errorf("serve -h as a child: exit %d, stdout %q, stderr %q", code, help, errOut)
	}
	if code, _, errOut := runCLI("serve", "extra"); code != exitUsage || !strings.Contains(errOut, `unexpected argument "extra"`) {
		t.Errorf("serve extra as a child: exit %d, stderr %q", code, errOut)
	}
}
