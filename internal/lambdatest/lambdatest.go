// Package lambdatest runs the real Lambda bootstrap binaries the way AWS (and SAM's
// local containers) do: under the AWS Lambda Runtime Interface Emulator, on loopback.
// Its tests also check template.yaml. The emulator is built from the Go module proxy
// at a pinned version into the user's cache directory on first use.
package lambdatest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"gongwen/internal/testtool"
)

// The emulator SAM runs in its containers, pinned.
const (
	RIEPackage = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"
	RIEVersion = "v0.0.0-20261030222936-bef5c4ba774d"
)

// invokePath is the emulator's Lambda Invoke API path.
const invokePath = "/2015-03-31/functions/function/invocations"

// failOrSkip fails under CI, where everything a test needs must work, and skips on a
// developer machine that cannot build a tool (no network for the module proxy).
func failOrSkip(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

var rieMu sync.Mutex

// RIE returns the path of the emulator binary, building it on first use.
func RIE(t testing.TB) string {
	t.Helper()
	rieMu.Lock()
	defer rieMu.Unlock()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "gongwen-test", "aws-lambda-rie@"+RIEVersion)
	bin := filepath.Join(dir, "aws-lambda-rie")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		failOrSkip(t, "emulator cache: %v", err)
	}
	// Install into a private directory, then rename: test binaries of other packages
	// may be building it at the same time.
	tmp, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		failOrSkip(t, "emulator cache: %v", err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("go", "install", RIEPackage+"@"+RIEVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	cmd.Dir = tmp // outside any module: `go install pkg@version` ignores go.mod anyway
	if out, err := cmd.CombinedOutput(); err != nil {
		failOrSkip(t, "build the Lambda Runtime Interface Emulator (%s@%s): %v\n%s", RIEPackage, RIEVersion, err, out)
	}
	if err := os.Rename(filepath.Join(tmp, "aws-lambda-rie"), bin); err != nil {
		failOrSkip(t, "emulator cache: %v", err)
	}
	return bin
}

// ModuleRoot is the directory of go.mod.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || len(bytes.TrimSpace(out)) == 0 {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(string(bytes.TrimSpace(out)))
}

// BuildBootstrap builds the function package pkg (e.g. "./functions/http") as a Linux
// bootstrap for goarch, the way the deployment does (static, no cgo), into a
// temporary directory, and returns its path.
func BuildBootstrap(t testing.TB, pkg, goarch string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bootstrap")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Dir = ModuleRoot(t)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+goarch, "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s (linux/%s): %v\n%s", pkg, goarch, err, b)
	}
	// The GPL stand-in fonts go beside the executable, as the StandInFonts layer puts
	// them beside it in Lambda (fonts/README.md): a -trimpath build does not find
	// them in the source tree.
	gpl := filepath.Join(filepath.Dir(out), "fonts", "gpl")
	if err := os.MkdirAll(gpl, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"fangsong.ttf", "kai.ttf", "fangsong.codes", "kai.codes"} {
		data, err := os.ReadFile(filepath.Join(ModuleRoot(t), "fonts", "gpl", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(gpl, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// Emulator is a running emulator with one function.
type Emulator struct {
	URL     string // the Invoke endpoint
	Started time.Time
	out     *testtool.Buffer
}

// Output is everything the emulator and the function printed so far.
func (e *Emulator) Output() string { return e.out.String() }

// Start runs bootstrap under the emulator on loopback with env added to the
// environment, until the test ends.
func Start(t testing.TB, bootstrap string, env ...string) *Emulator {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the emulator runs Linux binaries")
	}
	rie := RIE(t)
	apiAddr, runtimeAddr := freeAddr(t), freeAddr(t)
	cmd := exec.Command(rie,
		"--runtime-interface-emulator-address", apiAddr,
		"--runtime-api-address", runtimeAddr,
		"--log-level", "error",
		bootstrap)
	cmd.Dir = filepath.Dir(bootstrap)
	cmd.Env = append(os.Environ(), env...)
	out := &testtool.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	e := &Emulator{URL: "http://" + apiAddr + invokePath, out: out}
	e.Started = time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("emulator output:\n%s", out.String())
		}
	})
	// Ready when the Invoke API accepts connections.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", apiAddr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("emulator did not listen on %s: %s", apiAddr, out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	return e
}

// Invoke sends an event and returns the function's response payload and how long
// the round trip took. A function error is returned as an error.
func (e *Emulator) Invoke(t testing.TB, event []byte) ([]byte, time.Duration, error) {
	t.Helper()
	start := time.Now()
	resp, err := http.Post(e.URL, "application/json", bytes.NewReader(event))
	if err != nil {
		t.Fatalf("invoke: %v", err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	d := time.Since(start)
	if resp.StatusCode != 200 {
		return buf.Bytes(), d, fmt.Errorf("invoke: HTTP %d: %s", resp.StatusCode, buf.String())
	}
	if fe := resp.Header.Get("X-Amz-Function-Error"); fe != "" || bytes.Contains(buf.Bytes(), []byte(`"errorType"`)) {
		return buf.Bytes(), d, fmt.Errorf("function error %s: %s", fe, buf.String())
	}
	return buf.Bytes(), d, nil
}

func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
