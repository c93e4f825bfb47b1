package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gongwen/internal/admit"
	"gongwen/internal/problemdoc"
	"gongwen/internal/render"
	"gongwen/internal/testtool"
)

// bigTable is a valid report whose render takes long enough to cancel (a 20 x 1,000
// table of one-character cells, within the memory budget).
func bigTable() []byte {
	var b strings.Builder
	b.WriteString(`{"title":"表","issuer":"某局","year":2024,"sections":[{"heading":"情况","body":[{"table":{"header":[`)
	for j := range 20 {
		if j > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"列%d"`, j)
	}
	b.WriteString(`],"rows":[`)
	for i := range 1000 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`[` + strings.Repeat(`"法",`, 19) + `"法"]`)
	}
	b.WriteString(`]}}]}]}`)
	return []byte(b.String())
}

func TestBusyIs503WithRetryAfter(t *testing.T) {
	lim := admit.New(1, 1, 50*time.Millisecond)
	api := New(Options{Logger: discard(), Limiter: lim})
	started, unblock := make(chan struct{}), make(chan struct{})
	api.render = func(ctx context.Context, in []byte, f []render.Format) (*render.Output, error) {
		close(started)
		<-unblock
		return render.Render(ctx, in, f)
	}
	done := make(chan *Response)
	go func() {
		done <- api.Serve(context.Background(), post("/render", "application/json", example(t, "wuchuan-2023.json")))
	}()
	<-started
	// The slot is taken: one request may wait (and gives up after 50 ms), the next is
	// refused at once.
	waited := make(chan *Response)
	go func() {
		waited <- api.Serve(context.Background(), post("/validate", "application/json", example(t, "wuchuan-2023.json")))
	}()
	for lim.Waiting() != 1 {
		time.Sleep(time.Millisecond)
	}
	for _, resp := range []*Response{api.Serve(context.Background(), post("/render", "application/json", example(t, "wuchuan-2023.json"))), <-waited} {
		if resp.Status != 503 || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("status %d, Retry-After %q, want 503 with Retry-After", resp.Status, resp.Header.Get("Retry-After"))
		}
		if d := problemOf(t, resp); d.Type != "urn:gongwen:problem:"+problemdoc.Busy {
			t.Errorf("problem type %s", d.Type)
		}
	}
	close(unblock)
	if resp := <-done; resp.Status != 200 {
		t.Fatalf("the admitted render: status %d", resp.Status)
	}
	if lim.InUse() != 0 {
		t.Errorf("%d slots still taken after every request ended", lim.InUse())
	}
}

// A request whose client went away stops rendering and is logged at INFO as
// cancelled with status 499, not as a 500 ERROR.
func TestCancelledIs499AtInfo(t *testing.T) {
	var logs testtool.Buffer
	api := New(Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	in := bigTable()
	for _, format := range []string{"pdf", "docx", "zip"} {
		ctx, cancel := context.WithCancel(context.Background())
		r := post("/render", "application/json", in)
		r.Query = map[string][]string{"format": {format}}
		time.AfterFunc(20*time.Millisecond, cancel)
		start := time.Now()
		resp := api.Serve(ctx, r)
		if resp.Status != StatusClientClosedRequest {
			t.Fatalf("%s: status %d, want 499", format, resp.Status)
		}
		t.Logf("%s: answered %v after the start (cancelled at 20 ms)", format, time.Since(start))
	}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var l map[string]any
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		if l["level"] != "INFO" || l["status"] != 499.0 || l["cancelled"] != true {
			t.Errorf("log line %s, want INFO, status 499, cancelled", line)
		}
	}
}

// A render over the deadline (Lambda's) is cancelled the same way.
func TestDeadlineIs499(t *testing.T) {
	api := New(Options{Logger: discard()})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if resp := api.Serve(ctx, post("/render", "application/json", bigTable())); resp.Status != StatusClientClosedRequest {
		t.Fatalf("status %d, want 499", resp.Status)
	}
}

// A declared Content-Length over the limit is refused at once, with a problem
// document, before any of the body is sent.
func TestDeclaredTooLargeIsImmediate413(t *testing.T) {
	srv := httptest.NewServer(New(Options{Logger: discard()}).Handler())
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /render HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n{")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if d := time.Since(start); resp.StatusCode != 413 || d > 2*time.Second {
		t.Fatalf("status %d after %v, want 413 at once", resp.StatusCode, d)
	}
	if ct := resp.Header.Get("Content-Type"); ct != problemdoc.ContentType {
		t.Errorf("Content-Type %q, want a problem document", ct)
	}
	var d problemdoc.Document
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil || d.Status != 413 || !strings.Contains(d.Detail, "10737418240") {
		t.Errorf("problem %+v (%v)", d, err)
	}
}

// A body cut short is a 400 problem document.
func TestBrokenBodyIs400Problem(t *testing.T) {
	srv := httptest.NewServer(New(Options{Logger: discard()}).Handler())
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Chunked with a malformed chunk size.
	fmt.Fprintf(conn, "POST /render HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 400 || resp.Header.Get("Content-Type") != problemdoc.ContentType {
		t.Fatalf("status %d, Content-Type %q, want a 400 problem document", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// Every format refuses the characters /validate refuses.
func TestOneAnswerPerReport(t *testing.T) {
	api := New(Options{Logger: discard()})
	for _, bad := range []string{"\u200b", "\ufeff", "😀"} {
		in := []byte(`{"title":"标题","issuer":"某局","year":2024,"sections":[{"heading":"情况","body":["正文` + bad + `。"]}]}`)
		v := api.Serve(context.Background(), post("/validate", "application/json", in))
		for _, format := range []string{"pdf", "docx", "zip"} {
			r := post("/render", "application/json", in)
			r.Query = map[string][]string{"format": {format}}
			resp := api.Serve(context.Background(), r)
			if resp.Status != v.Status || v.Status != 422 {
				t.Errorf("%U: /render?format=%s answers %d, /validate %d; want both 422", []rune(bad)[0], format, resp.Status, v.Status)
			}
		}
	}
}

// A client that half-closes its connection after sending the request gets an answer
// (200, or 499 when the server saw the close as the client leaving), never a 500,
// and nothing is logged as an ERROR.
func TestHalfClosedClientNo500(t *testing.T) {
	var logs testtool.Buffer
	srv := httptest.NewServer(New(Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))}).Handler())
	defer srv.Close()
	in := example(t, "wuchuan-2023.json")
	for i, format := range []string{"pdf", "zip", "docx", "zip", "pdf", "zip"} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST /render?format=%s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", format, len(in), in)
		conn.(*net.TCPConn).CloseWrite()
		conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err == nil {
			if resp.StatusCode != 200 && resp.StatusCode != StatusClientClosedRequest {
				t.Errorf("request %d (%s): status %d", i, format, resp.StatusCode)
			}
			resp.Body.Close()
		}
		conn.Close()
	}
	time.Sleep(50 * time.Millisecond) // the last log line
	if strings.Contains(logs.String(), `"level":"ERROR"`) || strings.Contains(logs.String(), `"status":500`) {
		t.Errorf("half-closed clients logged as faults:\n%s", logs.String())
	}
}

// A report whose document would pass the memory budget (a 20 x 2,000 table of
// 46-letter cells: 6,001 pages) is refused the same way by every route and format,
// with the limit in the message.
func TestDocumentTooLarge(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"title":"表","issuer":"某局","year":2024,"sections":[{"heading":"情况","body":[{"table":{"header":[`)
	b.WriteString(strings.TrimSuffix(strings.Repeat(`"列",`, 20), ","))
	b.WriteString(`],"rows":[`)
	row := `[` + strings.TrimSuffix(strings.Repeat(`"`+strings.Repeat("a", 46)+`",`, 20), ",") + `]`
	b.WriteString(strings.TrimSuffix(strings.Repeat(row+",", 2000), ","))
	b.WriteString(`]}}]}]}`)
	in := []byte(b.String())
	api := New(Options{Logger: discard()})
	for _, target := range []string{"/validate", "/render?format=pdf", "/render?format=docx", "/render?format=zip"} {
		path, q, _ := strings.Cut(target, "?")
		r := post(path, "application/json", in)
		if q != "" {
			r.Query = map[string][]string{"format": {strings.TrimPrefix(q, "format=")}}
		}
		resp := api.Serve(context.Background(), r)
		if resp.Status != 422 {
			t.Fatalf("%s: status %d, want 422", target, resp.Status)
		}
		d := problemOf(t, resp)
		if len(d.Problems) != 1 || d.Problems[0].Code != render.CodeDocumentTooLarge || d.Problems[0].Path != "/sections/0/body/0" ||
			!strings.Contains(d.Problems[0].Message, "192 MB") {
			t.Errorf("%s: problems %+v", target, d.Problems)
		}
	}
}
