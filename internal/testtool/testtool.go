// Package testtool lets tests use the external programs that check our output
// (pdftotext, mutool, qpdf, soffice…). On a developer machine a missing program skips
// the test; under CI (CI=true), where .ci/run installs them, it fails the test, so a
// green CI always means the checks ran.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Require returns the path of the named program, or skips (locally) or fails (CI).
func Require(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is required under CI (install it in .ci/run): %v", name, err)
	}
	t.Skipf("%s not installed: %v", name, err)
	return ""
}
