package fonts

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"gongwen/internal/spec"
)

// residentKB is the resident kilobytes of the process's mappings of path
// (/proc/self/smaps), and whether it has one.
func residentKB(t *testing.T, path string) (int, bool) {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	kb, in, found := 0, false, false
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && !strings.HasSuffix(f[0], ":") { // a mapping's first line
			in = len(f) >= 6 && f[5] == path
			found = found || in
			continue
		}
		if in && len(f) >= 2 && f[0] == "Rss:" {
			n, _ := strconv.Atoi(f[1])
			kb += n
		}
	}
	return kb, found
}

// TestPrefaultMapsCodeFiles: in a fresh process, the body face's glyph code file is
// mapped but hardly resident after Load, and all of it is after Prefault; so are
// the face's cmap, loca and hmtx; no output changes (the writers' tests render with
// and without it, warm and cold). Linux with MADV_POPULATE_READ only.
func TestPrefaultMapsCodeFiles(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Populate maps ahead on Linux only")
	}
	if os.Getenv("GONGWEN_PREFAULT_CHILD") == "" {
		// A process of its own: this one's other tests have read the files already.
		cmd := exec.Command(os.Args[0], "-test.run", "^TestPrefaultMapsCodeFiles$", "-test.v")
		cmd.Env = append(os.Environ(), "GONGWEN_PREFAULT_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS") {
			t.Fatalf("child: %v\n%s", err, out)
		}
		t.Logf("%s", out)
		return
	}
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	body := spec.RoleFace(spec.RoleFangsong)
	_, src, err := gplFile(body.Name())
	if err != nil {
		t.Skipf("no GPL body face: %v", err)
	}
	path := codeFilePath(src)
	st, err := os.Stat(path)
	if err != nil {
		t.Skipf("no code file beside %s: %v", src, err)
	}
	size := int(st.Size() / 1024)
	f := s.face(body)
	cf := f.pre.get(f) // mapped, not read
	if cf == nil {
		t.Fatalf("%s not opened", path)
	}
	before, ok := residentKB(t, path)
	if !ok {
		t.Fatalf("%s is not mapped", path)
	}
	s.Prefault()
	after, _ := residentKB(t, path)
	t.Logf("%s: %d KB resident before Prefault, %d after, of %d", path, before, after, size)
	if before > size/2 {
		t.Fatalf("%d of %d KB resident before Prefault: the check cannot tell", before, size)
	}
	if after < size*95/100 {
		if populateUnsupported() {
			t.Skip("kernel without MADV_POPULATE_READ (Linux 5.14)")
		}
		t.Errorf("%d of %d KB resident after Prefault", after, size)
	}
	fontKB, _ := residentKB(t, src)
	tables := 0
	for _, tag := range []string{"cmap", "loca", "hmtx"} {
		tables += len(f.tables[tag]) / 1024
	}
	if fontKB < tables {
		t.Errorf("%s: %d KB resident, its cmap, loca and hmtx are %d KB", src, fontKB, tables)
	}
}

// populateUnsupported tells whether the kernel refuses MADV_POPULATE_READ.
func populateUnsupported() bool {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return true
	}
	var major, minor int
	parts := strings.SplitN(strings.TrimSpace(string(b)), ".", 3)
	if len(parts) < 2 {
		return true
	}
	major, _ = strconv.Atoi(parts[0])
	minor, _ = strconv.Atoi(parts[1])
	return major < 5 || major == 5 && minor < 14
}
