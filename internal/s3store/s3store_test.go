package s3store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"gongwen/internal/fakes3"
	"gongwen/internal/httpapi"
	"gongwen/internal/problemdoc"
	"gongwen/internal/render"
)

func wuchuan(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "wuchuan-2023.json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func post(body []byte) *httpapi.Request {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	return &httpapi.Request{Method: "POST", Path: "/render", Header: h, Body: body, RequestID: "req-1", Query: map[string][]string{}}
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestLargeOutput: with the response limit below the Wuchuan PDF, the API stores it in
// a (fake) S3 bucket and answers 303 to a presigned URL that serves the same bytes.
func TestLargeOutput(t *testing.T) {
	in := wuchuan(t)
	ref, err := render.Render(context.Background(), in, []render.Format{render.PDF})
	if err != nil {
		t.Fatal(err)
	}
	fake := fakes3.Start(t, "out")
	store := &Store{Bucket: "out", Prefix: "http-large/", Expiry: time.Minute,
		Client: func(context.Context) (*s3.Client, error) { return fake.Client, nil }}
	api := httpapi.New(httpapi.Options{Logger: discard(), MaxResponseBytes: len(ref.PDF), Store: store})
	resp := api.Serve(context.Background(), post(in))
	if resp.Status != http.StatusSeeOther {
		t.Fatalf("status %d %s", resp.Status, resp.Body)
	}
	var body struct {
		URL       string    `json:"url"`
		ExpiresAt time.Time `json:"expiresAt"`
		Bytes     int       `json:"bytes"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		t.Fatal(err)
	}
	loc := resp.Header.Get("Location")
	if loc == "" || loc != body.URL || !strings.Contains(loc, "X-Amz-Signature=") || !strings.Contains(loc, "X-Amz-Expires=60") {
		t.Fatalf("Location %q, body %+v", loc, body)
	}
	if body.Bytes != len(ref.PDF) || time.Until(body.ExpiresAt) > time.Minute {
		t.Errorf("body %+v", body)
	}
	got, err := http.Get(loc)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Body.Close()
	b, _ := io.ReadAll(got.Body)
	if got.StatusCode != 200 || !bytes.Equal(b, ref.PDF) {
		t.Fatalf("presigned GET: status %d, %d bytes (want %d)", got.StatusCode, len(b), len(ref.PDF))
	}
	if got.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("stored Content-Type %q", got.Header.Get("Content-Type"))
	}
	if keys := fake.Keys(t, "out"); len(keys) != 1 || !strings.HasPrefix(keys[0], "http-large/req-1/") {
		t.Errorf("stored keys %v", keys)
	}
}

// TestLargeOutputStoreFails: when the bucket cannot take an oversized output (no such
// bucket, no client), the answer is a 503 problem the client may retry and nothing is
// stored.
func TestLargeOutputStoreFails(t *testing.T) {
	in := wuchuan(t)
	fake := fakes3.Start(t, "out")
	for name, store := range map[string]*Store{
		"no such bucket": {Bucket: "missing", Prefix: "http-large/",
			Client: func(context.Context) (*s3.Client, error) { return fake.Client, nil }},
		"no client": {Bucket: "out", Prefix: "http-large/",
			Client: func(context.Context) (*s3.Client, error) { return nil, errors.New("no credentials") }},
	} {
		t.Run(name, func(t *testing.T) {
			api := httpapi.New(httpapi.Options{Logger: discard(), MaxResponseBytes: 64 << 10, Store: store})
			resp := api.Serve(context.Background(), post(in))
			if resp.Status != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || resp.Header.Get("Location") != "" {
				t.Fatalf("status %d, headers %v: %s", resp.Status, resp.Header, resp.Body)
			}
			var d problemdoc.Document
			if err := json.Unmarshal(resp.Body, &d); err != nil || d.Type != "urn:gongwen:problem:"+problemdoc.StorageFailed {
				t.Errorf("problem %+v (%v)", d, err)
			}
		})
	}
	if keys := fake.Keys(t, "out"); len(keys) != 0 {
		t.Errorf("stored %v", keys)
	}
}
