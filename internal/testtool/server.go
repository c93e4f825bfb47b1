package testtool

import (
	"bufio"
	"io"
	"os/exec"
	"regexp"
	"syscall"
	"testing"
	"time"
)

// listening is the line gongwen-server prints once it accepts connections.
var listening = regexp.MustCompile(`listening on (http://\S+)`)

// Server is a server process a test started.
type Server struct {
	Cmd  *exec.Cmd
	Base string // http://host:port
	Logs Buffer // its standard error, the listening line and all after it
}

// StartServer starts cmd, which must not have its Stderr set, and waits up to 30 s
// for its listening line; the process is killed when the test ends if still running.
func StartServer(t testing.TB, cmd *exec.Cmd) *Server {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	s := &Server{Cmd: cmd}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			s.Logs.Write([]byte(line + "\n"))
			if m := listening.FindStringSubmatch(line); m != nil {
				ready <- m[1]
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	select {
	case s.Base = <-ready:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not start listening: %s", cmd.Path, s.Logs.String())
	}
	return s
}

// StopBySIGTERM sends SIGTERM and fails t unless the process exits 0 within 15 s.
func (s *Server) StopBySIGTERM(t testing.TB) {
	t.Helper()
	s.Cmd.Process.Signal(syscall.SIGTERM)
	errc := make(chan error, 1)
	go func() { errc <- s.Cmd.Wait() }()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("after SIGTERM: %v (want exit 0)\n%s", err, s.Logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not stop after SIGTERM")
	}
}
