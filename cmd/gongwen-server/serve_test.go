package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongwen/internal/problemdoc"
	"gongwen/internal/render"
	"gongwen/internal/report"
	"gongwen/internal/testtool"
)

// startServe runs serve on a loopback port until the test ends.
func startServe(t *testing.T) (base string, stop func() int, logs *testtool.Buffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	logs = &testtool.Buffer{}
	code := make(chan int, 1)
	go func() { code <- serve(ctx, []string{"-addr", "127.0.0.1:0"}, io.Discard, logs, ready) }()
	select {
	case addr := <-ready:
		base = "http://" + addr
	case c := <-code:
		t.Fatalf("serve exited %d: %s", c, logs.String())
	}
	stopped := false
	stop = func() int {
		stopped = true
		cancel()
		return <-code
	}
	t.Cleanup(func() {
		if !stopped {
			stop()
		}
	})
	return base, stop, logs
}

func TestServeRoutes(t *testing.T) {
	base, _, logs := startServe(t)
	wuchuan, err := os.ReadFile("../../examples/wuchuan-2023.json")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := render.Render(context.Background(), wuchuan, []render.Format{render.PDF, render.DOCX})
	if err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte(" "), report.MaxInputBytes+10)
	tests := []struct {
		method, path, ctype string
		body                []byte
		status              int
		wantType            string
		want                []byte
	}{
		{"POST", "/render", "application/json", wuchuan, 200, "application/pdf", ref.PDF},
		{"POST", "/render?format=docx", "application/json", wuchuan, 200, render.DOCX.ContentType(), ref.DOCX},
		{"POST", "/validate", "application/json", wuchuan, 200, "application/json", nil},
		{"POST", "/validate", "application/json", []byte(`{"title":""}`), 422, problemdoc.ContentType, nil},
		{"POST", "/render", "application/json", []byte(`{`), 400, problemdoc.ContentType, nil},
		{"POST", "/render", "application/json", big, 413, problemdoc.ContentType, nil},
		{"POST", "/render", "text/plain", wuchuan, 415, problemdoc.ContentType, nil},
		{"GET", "/schema", "", nil, 200, "application/schema+json", report.Schema()},
		{"HEAD", "/schema", "", nil, 200, "application/schema+json", []byte{}},
		{"GET", "/render", "", nil, 405, problemdoc.ContentType, nil},
		{"GET", "/nope", "", nil, 404, problemdoc.ContentType, nil},
	}
	for _, tc := range tests {
		req, _ := http.NewRequest(tc.method, base+tc.path, bytes.NewReader(tc.body))
		if tc.ctype != "" {
			req.Header.Set("Content-Type", tc.ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.method, tc.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.wantType {
			t.Errorf("%s %s: %d %s, want %d %s: %.200s", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), tc.status, tc.wantType, body)
			continue
		}
		if tc.want != nil && !bytes.Equal(body, tc.want) {
			t.Errorf("%s %s: body differs (%d bytes, want %d)", tc.method, tc.path, len(body), len(tc.want))
		}
		if tc.status == 405 && resp.Header.Get("Allow") != "POST" {
			t.Errorf("%s %s: Allow %q", tc.method, tc.path, resp.Header.Get("Allow"))
		}
		if tc.status == 200 && strings.HasPrefix(tc.path, "/render") {
			_, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
			if !strings.HasPrefix(params["filename"], "吴川") {
				t.Errorf("file name %q", params["filename"])
			}
		}
		if resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("%s %s: no X-Request-Id", tc.method, tc.path)
		}
	}
	// One JSON log line per request.
	n := 0
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	for sc.Scan() {
		var l map[string]any
		if json.Unmarshal(sc.Bytes(), &l) == nil && l["msg"] == "request" && l["via"] == "serve" {
			n++
		}
	}
	if n != len(tests) {
		t.Errorf("%d request log lines for %d requests:\n%s", n, len(tests), logs.String())
	}
}

// TestServeGracefulShutdown: a request still uploading when shutdown starts is
// answered, then serve returns 0.
func TestServeGracefulShutdown(t *testing.T) {
	base, stop, logs := startServe(t)
	wuchuan, _ := os.ReadFile("../../examples/wuchuan-2023.json")
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", base+"/validate", pr)
	req.Header.Set("Content-Type", "application/json")
	got := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- -1
			return
		}
		resp.Body.Close()
		got <- resp.StatusCode
	}()
	pw.Write(wuchuan[:100])
	time.Sleep(50 * time.Millisecond) // the request is in flight
	code := make(chan int, 1)
	go func() { code <- stop() }()
	time.Sleep(50 * time.Millisecond) // shutdown has begun and waits for it
	pw.Write(wuchuan[100:])
	pw.Close()
	if s := <-got; s != 200 {
		t.Errorf("in-flight request: status %d", s)
	}
	if c := <-code; c != exitOK {
		t.Errorf("serve exited %d: %s", c, logs.String())
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("no shutdown message: %s", logs.String())
	}
}

func TestServeUsage(t *testing.T) {
	var stderr bytes.Buffer
	if c := serve(context.Background(), []string{"-bogus"}, io.Discard, &stderr, nil); c != exitUsage {
		t.Errorf("bad flag: exit %d", c)
	}
	if c := serve(context.Background(), []string{"extra"}, io.Discard, &stderr, nil); c != exitUsage {
		t.Errorf("extra argument: exit %d", c)
	}
	if c := serve(context.Background(), []string{"-addr", "256.0.0.1:99999"}, io.Discard, &stderr, nil); c != exitUsage {
		t.Errorf("bad address: exit %d", c)
	}
	// -h: the flags with their defaults on stdout, exit 0, nothing on stderr.
	var out, errOut bytes.Buffer
	if c := serve(context.Background(), []string{"-h"}, &out, &errOut, nil); c != exitOK || errOut.Len() != 0 {
		t.Errorf("-h: exit %d, stderr %q", c, errOut.String())
	}
	for _, w := range []string{"usage: gongwen-server [-addr :8080]", "-addr string", `(default ":8080")`, "-max-renders", "-queue-wait"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("-h lacks %q:\n%s", w, out.String())
		}
	}
}

// TestServeSignal runs the real binary and stops it with SIGTERM.
func TestServeSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "gongwen-server")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	srv := testtool.StartServer(t, exec.Command(bin, "-addr", "127.0.0.1:0"))
	resp, err := http.Get(srv.Base + "/schema")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /schema: %v %v", resp, err)
	}
	resp.Body.Close()
	srv.StopBySIGTERM(t)
}

func TestServeAdmissionFlags(t *testing.T) {
	for _, tc := range []struct {
		env  string
		args []string
	}{
		{"", []string{"-max-renders", "-1"}},
		{"", []string{"-queue-wait", "-1s"}},
		{"abc", nil},
	} {
		t.Setenv("GONGWEN_MAX_RENDERS", tc.env)
		var stderr bytes.Buffer
		if code := serve(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, tc.args...), io.Discard, &stderr, nil); code != exitUsage {
			t.Errorf("env %q args %v: exit %d, want %d (%s)", tc.env, tc.args, code, exitUsage, stderr.String())
		}
	}
}
