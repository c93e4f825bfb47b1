package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongwen/internal/admit"

	"gongwen/internal/testtool"
)

// The load test runs gongwen-server as its own process (so that its peak RSS is the
// server's alone, read from /proc) on loopback and sends it the worst-case reports.
// It is small by default (CI: 64 clients for 4 s, 300 sequential requests); with
// GONGWEN_LOAD=large it runs 4, 16 and 64 clients for 30 s each and 5,000 sequential
// requests, then the everyday example alone at 4, 16 and 64 clients for 10 s each,
// and logs requests/s and p50/p99 latencies.

// loadShapes are the worst-case reports: the densest documents the memory budget
// admits, two far over it (refused 422), the largest report of running text, and the
// everyday example.
func loadShapes(t *testing.T) map[string][]byte {
	wuchuan, err := os.ReadFile("../../examples/wuchuan-2023.json")
	if err != nil {
		t.Fatal(err)
	}
	shapes := testtool.WorstCaseReports()
	shapes["wuchuan"] = wuchuan
	return shapes
}

// serveProcess is a running gongwen-server.
type serveProcess struct {
	*testtool.Server
}

func startServeProcess(t *testing.T, args ...string) *serveProcess {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("reads the server's RSS from /proc")
	}
	bin := filepath.Join(t.TempDir(), "gongwen-server")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "GOMEMLIMIT=") // the server sets its own
	p := &serveProcess{testtool.StartServer(t, cmd)}
	t.Cleanup(func() { p.StopBySIGTERM(t) })
	return p
}

// status reads VmRSS and VmHWM (peak) of the server, in bytes.
func (p *serveProcess) status(t *testing.T) (rss, peak int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.Cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && (f[0] == "VmRSS:" || f[0] == "VmHWM:") {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			if f[0] == "VmRSS:" {
				rss = kb << 10
			} else {
				peak = kb << 10
			}
		}
	}
	return rss, peak
}

type loadResult struct {
	n, ok, busy, refused int64
	latencies            []time.Duration
}

// hammer runs clients that post the shapes round-robin until d has passed. Every
// answer must be 200, 503 with Retry-After, or 422 for the shapes over the budget.
func hammer(t *testing.T, p *serveProcess, shapes map[string][]byte, clients int, d time.Duration) *loadResult {
	names := make([]string, 0, len(shapes))
	for n := range shapes {
		names = append(names, n)
	}
	slices.Sort(names)
	res := &loadResult{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var failures atomic.Int64
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; time.Now().Before(deadline); i++ {
				name := names[i%len(names)]
				format := []string{"pdf", "docx", "zip"}[i%3]
				start := time.Now()
				resp, err := client.Post(p.Base+"/render?format="+format, "application/json", bytes.NewReader(shapes[name]))
				if err != nil {
					if failures.Add(1) <= 5 {
						t.Errorf("%s %s: %v", name, format, err)
					}
					continue
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat := time.Since(start)
				atomic.AddInt64(&res.n, 1)
				switch {
				case err != nil:
					t.Errorf("%s %s: reading the answer: %v", name, format, err)
				case resp.StatusCode == 200:
					atomic.AddInt64(&res.ok, 1)
					mu.Lock()
					res.latencies = append(res.latencies, lat)
					mu.Unlock()
				case resp.StatusCode == 503 && resp.Header.Get("Retry-After") != "" &&
					resp.Header.Get("Content-Type") == "application/problem+json":
					atomic.AddInt64(&res.busy, 1)
					// A polite client waits before it retries (not the whole Retry-After:
					// the test wants the queue kept full).
					time.Sleep(100 * time.Millisecond)
				case resp.StatusCode == 422 && strings.HasPrefix(name, "over-"):
					atomic.AddInt64(&res.refused, 1)
				default:
					if failures.Add(1) <= 5 {
						t.Errorf("%s %s: status %d (Retry-After %q)", name, format, resp.StatusCode, resp.Header.Get("Retry-After"))
					}
				}
			}
		}()
	}
	wg.Wait()
	return res
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test: not in -short")
	}
	large := os.Getenv("GONGWEN_LOAD") == "large"
	const slots = 2
	p := startServeProcess(t, "-max-renders", strconv.Itoa(slots), "-queue", "8", "-queue-wait", "2s")
	shapes := loadShapes(t)
	bound := int64(slots)*admit.PerRender + admit.Base

	// Sample the RSS while the clients run: VmHWM is the peak, the samples show it
	// was never above the bound for long either.
	var maxRSS atomic.Int64
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			select {
			case <-stopSampling:
				return
			case <-time.After(20 * time.Millisecond):
				if rss, _ := p.status(t); rss > maxRSS.Load() {
					maxRSS.Store(rss)
				}
			}
		}
	}()
	runs := []struct {
		clients int
		d       time.Duration
	}{{64, 4 * time.Second}}
	if large {
		runs = []struct {
			clients int
			d       time.Duration
		}{{4, 30 * time.Second}, {16, 30 * time.Second}, {64, 30 * time.Second}}
	}
	for _, run := range runs {
		start := time.Now()
		r := hammer(t, p, shapes, run.clients, run.d)
		el := time.Since(start)
		t.Logf("%d clients, %v: %d answers (%.1f/s): %d × 200 (%.1f/s, p50 %v, p99 %v), %d × 503, %d × 422",
			run.clients, run.d, r.n, float64(r.n)/el.Seconds(), r.ok, float64(r.ok)/el.Seconds(),
			percentile(r.latencies, 0.5).Round(time.Millisecond), percentile(r.latencies, 0.99).Round(time.Millisecond), r.busy, r.refused)
		if r.ok == 0 {
			t.Errorf("%d clients: no render succeeded", run.clients)
		}
		if run.clients == 64 && r.busy == 0 {
			t.Errorf("64 clients on %d slots: no 503 (back-pressure never engaged)", slots)
		}
	}
	if large {
		// The everyday example alone: throughput and latency of ordinary requests.
		ex := map[string][]byte{"wuchuan": shapes["wuchuan"]}
		for _, clients := range []int{4, 16, 64} {
			start := time.Now()
			r := hammer(t, p, ex, clients, 10*time.Second)
			el := time.Since(start)
			t.Logf("example only, %d clients, 10s: %d × 200 (%.0f/s, p50 %v, p99 %v), %d × 503",
				clients, r.ok, float64(r.ok)/el.Seconds(), percentile(r.latencies, 0.5).Round(time.Millisecond),
				percentile(r.latencies, 0.99).Round(time.Millisecond), r.busy)
		}
	}
	close(stopSampling)
	<-sampled
	_, peak := p.status(t)
	t.Logf("server peak RSS %d MB (sampled max %d MB), bound %d × %d MB + %d MB = %d MB",
		peak>>20, maxRSS.Load()>>20, slots, admit.PerRender>>20, admit.Base>>20, bound>>20)
	if peak > bound {
		t.Errorf("peak RSS %d MB over the bound of %d MB", peak>>20, bound>>20)
	}

	// Sequential requests: the RSS stays flat (no leak per request).
	n := 300
	if large {
		n = 5000
	}
	client := &http.Client{Timeout: time.Minute}
	var early int64
	start := time.Now()
	for i := range n {
		resp, err := client.Post(p.Base+"/render?format="+[]string{"pdf", "docx", "zip"}[i%3], "application/json", bytes.NewReader(shapes["wuchuan"]))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("request %d: status %d", i, resp.StatusCode)
		}
		if i == n/10 {
			early, _ = p.status(t)
		}
	}
	late, _ := p.status(t)
	t.Logf("%d sequential requests in %v (%.0f/s): RSS %d MB after %d, %d MB at the end",
		n, time.Since(start).Round(time.Millisecond), float64(n)/time.Since(start).Seconds(), early>>20, n/10, late>>20)
	if late > early+early/5+16<<20 {
		t.Errorf("RSS grew from %d MB to %d MB over %d requests", early>>20, late>>20, n)
	}
	logs := p.Logs.String()
	if strings.Contains(logs, `"level":"ERROR"`) {
		i := strings.Index(logs, `"level":"ERROR"`)
		t.Errorf("the server logged an ERROR: %s", logs[max(0, i-200):min(len(logs), i+400)])
	}
}
