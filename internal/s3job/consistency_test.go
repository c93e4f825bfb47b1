package s3job

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"gongwen/internal/fakes3"
	"gongwen/internal/problemdoc"
	"gongwen/internal/render"
	"gongwen/internal/testtool"
)

func (c *spyClient) DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, o ...func(*s3.Options)) (*s3.DeleteObjectOutput, error) {
	if c.fail != nil {
		if err := c.fail("delete", aws.ToString(in.Key)); err != nil {
			return nil, err
		}
	}
	return c.Client.DeleteObject(ctx, in, o...)
}

func (c *spyClient) HeadObject(ctx context.Context, in *s3.HeadObjectInput, o ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	if c.fail != nil {
		if err := c.fail("head", aws.ToString(in.Key)); err != nil {
			return nil, err
		}
	}
	return c.Client.HeadObject(ctx, in, o...)
}

// versioned is an event record naming one version of key.
func versioned(key, versionID, etag, seq string) events.S3EventRecord {
	r := record(key, 0)
	r.S3.Object.VersionID, r.S3.Object.ETag, r.S3.Object.Sequencer = versionID, etag, seq
	return r
}

func keys(t *testing.T, fake *fakes3.Server) string {
	t.Helper()
	ks := fake.Keys(t, inBucket)
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

// Two uploads of one key, their events handled in the wrong order (the older last):
// the outputs stay the newer version's, and the older event renders the version it
// names, not the newer one.
func TestOlderEventNeverOverwrites(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	fake.EnableVersioning(t, inBucket)
	v1, e1 := fake.PutVersion(t, inBucket, "incoming/r.json", readFile(t, "examples/all-fields.json"))
	v2, e2 := fake.PutVersion(t, inBucket, "incoming/r.json", readFile(t, "examples/wuchuan-2023.json"))
	if v1 == "" || v1 == v2 {
		t.Fatalf("versions %q %q: the fake does not version", v1, v2)
	}
	var rendered [][]byte
	job := New(fake.Client, defaultConfig(), discard())
	job.render = func(ctx context.Context, in []byte, f []render.Format) (*render.Output, error) {
		rendered = append(rendered, in)
		return render.Render(ctx, in, f)
	}
	if o, err := job.Record(context.Background(), ptr(versioned("incoming/r.json", v2, e2, "0065A5B3C2D1E0F9B0"))); o != Rendered || err != nil {
		t.Fatalf("newer event: %s, %v", o, err)
	}
	if o, err := job.Record(context.Background(), ptr(versioned("incoming/r.json", v1, e1, "0065A5B3C2D1E0F9A8"))); o != Skipped || err != nil {
		t.Fatalf("older event: %s, %v; want skipped", o, err)
	}
	if !bytes.Equal(rendered[1], readFile(t, "examples/all-fields.json")) {
		t.Error("the older event rendered another version than the one it names")
	}
	for _, ext := range []string{".pdf", ".docx"} {
		_, obj := fake.Get(t, inBucket, "rendered/r"+ext)
		if obj.Metadata[MetaSourceVersion] != v2 || obj.Metadata[MetaSequencer] != "0065A5B3C2D1E0F9B0" {
			t.Errorf("%s: metadata %v, want version %s", ext, obj.Metadata, v2)
		}
	}
}

// Unversioned: the event's ETag must still match; an input overwritten before it is
// read fails the record (the newer upload's event renders it).
func TestETagNoLongerMatches(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	_, e1 := fake.PutVersion(t, inBucket, "incoming/r.json", readFile(t, "examples/all-fields.json"))
	fake.Put(t, inBucket, "incoming/r.json", readFile(t, "examples/wuchuan-2023.json"))
	o, err := New(fake.Client, defaultConfig(), discard()).Record(context.Background(), ptr(versioned("incoming/r.json", "", e1, "01")))
	if o != Failed || err == nil || !isPreconditionFailed(err) {
		t.Fatalf("outcome %s, %v; want failed with 412", o, err)
	}
	if got := keys(t, fake); got != "incoming/r.json" {
		t.Errorf("outputs written from a stale event: %s", got)
	}
}

// The input changes while it renders: the newer version's event completes first, and
// the older render then writes nothing.
func TestVersionChangesMidRender(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	fake.EnableVersioning(t, inBucket)
	v1, e1 := fake.PutVersion(t, inBucket, "incoming/r.json", readFile(t, "examples/all-fields.json"))
	job := New(fake.Client, defaultConfig(), discard())
	var inner error
	job.render = func(ctx context.Context, in []byte, f []render.Format) (*render.Output, error) {
		out, err := render.Render(ctx, in, f)
		if inner == nil && bytes.Equal(in, readFile(t, "examples/all-fields.json")) {
			v2, e2 := fake.PutVersion(t, inBucket, "incoming/r.json", readFile(t, "examples/wuchuan-2023.json"))
			var o Outcome
			o, inner = job.Record(ctx, ptr(versioned("incoming/r.json", v2, e2, "0B")))
			if o != Rendered {
				t.Errorf("the newer event: %s", o)
			}
			if inner == nil {
				inner = errors.New("done")
			}
		}
		return out, err
	}
	if o, err := job.Record(context.Background(), ptr(versioned("incoming/r.json", v1, e1, "0A"))); o != Skipped || err != nil {
		t.Fatalf("older event: %s, %v; want skipped", o, err)
	}
	body, _ := fake.Get(t, inBucket, "rendered/r.pdf")
	ref, _ := render.Render(context.Background(), readFile(t, "examples/wuchuan-2023.json"), []render.Format{render.PDF})
	if !bytes.Equal(body, ref.PDF) {
		t.Error("the PDF is not the newer version's")
	}
}

// A success removes a stale error document; an error document removes stale PDF and
// DOCX (in both orders, with sequencers increasing).
func TestStaleOutputsRemoved(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	job := New(fake.Client, defaultConfig(), discard())
	for i, step := range []struct {
		body []byte
		want string
	}{
		{invalidReport(t), "incoming/r.json,rendered/r.error.json"},
		{readFile(t, "examples/wuchuan-2023.json"), "incoming/r.json,rendered/r.docx,rendered/r.pdf"},
		{[]byte(`{"title":"标题","issuer":"某局","year":2024,"sections":[{"heading":"情况","body":["正文` + "\u200b" + `。"]}]}`), "incoming/r.json,rendered/r.error.json"},
	} {
		_, etag := fake.PutVersion(t, inBucket, "incoming/r.json", step.body)
		if _, err := job.Record(context.Background(), ptr(versioned("incoming/r.json", "", etag, "0"+string(rune('1'+i))))); err != nil {
			t.Fatal(err)
		}
		if got := keys(t, fake); got != step.want {
			t.Errorf("step %d: %s, want %s", i, got, step.want)
		}
	}
}

// A key of 200 Chinese characters renders: its metadata fits S3's 2 KB (the key is
// cut, its hash kept), and the full key is in the log.
func TestLongKeyMetadataFits(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	key := "incoming/" + strings.Repeat("法治政府建设年度报告", 20) + ".json"
	_, etag := fake.PutVersion(t, inBucket, key, readFile(t, "examples/wuchuan-2023.json"))
	var logs testtool.Buffer
	job := New(fake.Client, defaultConfig(), slog.New(slog.NewJSONHandler(&logs, nil)))
	if o, err := job.Record(context.Background(), ptr(versioned(key, "", etag, "1"))); o != Rendered || err != nil {
		t.Fatalf("%s, %v", o, err)
	}
	_, obj := fake.Get(t, inBucket, "rendered/"+strings.Repeat("法治政府建设年度报告", 20)+".pdf")
	n := 0
	for k, v := range obj.Metadata {
		n += len(k) + len(v)
	}
	if n > 2048 || obj.Metadata[MetaSourceKeyHash] != keyHash(key) || !strings.HasSuffix(obj.Metadata[MetaSourceKey], "...") {
		t.Errorf("metadata of %d bytes: %v", n, obj.Metadata)
	}
	if !strings.Contains(logs.String(), key) {
		t.Error("the log line lacks the full key")
	}
}

// Keys that cannot give output keys get an error document under a short hashed
// name that holds the full key.
func TestUnusableKeys(t *testing.T) {
	for _, tc := range []struct{ name, key, code string }{
		{"dot-dot", "incoming/../rendered/x.json", "unsafe_key"},
		{"empty segment", "incoming/a//x.json", "unsafe_key"},
		{"dot", "incoming/./x.json", "unsafe_key"},
		{"too long", "incoming/" + strings.Repeat("长", 336) + ".json", "key_too_long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := fakes3.Start(t, inBucket)
			o, err := New(fake.Client, defaultConfig(), discard()).Record(context.Background(), ptr(record(tc.key, 100)))
			if o != Invalid || err != nil {
				t.Fatalf("%s, %v; want invalid", o, err)
			}
			ek := defaultConfig().hashedErrorKey(tc.key)
			if got := keys(t, fake); got != ek || len(ek) > 100 {
				t.Fatalf("keys %s, want only %s", got, ek)
			}
			body, _ := fake.Get(t, inBucket, ek)
			var d problemdoc.Document
			if err := json.Unmarshal(body, &d); err != nil || d.Status != 422 || len(d.Problems) != 1 || d.Problems[0].Code != tc.code ||
				!strings.Contains(d.Instance, escapeKey(tc.key)) {
				t.Errorf("error document %s", body)
			}
		})
	}
}

func TestUploadedErrorDocumentSkippedWithReason(t *testing.T) {
	var logs testtool.Buffer
	job := New(nil, defaultConfig(), slog.New(slog.NewJSONHandler(&logs, nil)))
	if o, err := job.Record(context.Background(), ptr(record("incoming/x.error.json", 10))); o != Skipped || err != nil {
		t.Fatalf("%s, %v", o, err)
	}
	if !strings.Contains(logs.String(), `"reason":"named like an error document`) {
		t.Errorf("log %s lacks the reason", logs.String())
	}
}

// Injected faults: each fails the record (to be retried) and leaves no mixed outputs
// behind that a retry would not replace.
func TestInjectedFaults(t *testing.T) {
	for _, op := range []string{"get", "head", "put", "delete"} {
		t.Run(op, func(t *testing.T) {
			fake := fakes3.Start(t, inBucket)
			_, etag := fake.PutVersion(t, inBucket, "incoming/r.json", readFile(t, "examples/wuchuan-2023.json"))
			fake.Put(t, inBucket, "rendered/r.error.json", []byte("{}")) // stale, to delete
			spy := &spyClient{Client: fake.Client, fail: func(o, key string) error {
				if o == op {
					return errors.New("InternalError: injected " + op + " failure")
				}
				return nil
			}}
			o, err := New(spy, defaultConfig(), discard()).Record(context.Background(), ptr(versioned("incoming/r.json", "", etag, "1")))
			if o != Failed || err == nil || !strings.Contains(err.Error(), "injected") {
				t.Fatalf("%s, %v; want failed", o, err)
			}
			// The retry succeeds and leaves exactly the outputs.
			if o, err := New(fake.Client, defaultConfig(), discard()).Record(context.Background(), ptr(versioned("incoming/r.json", "", etag, "1"))); o != Rendered || err != nil {
				t.Fatalf("retry: %s, %v", o, err)
			}
			if got := keys(t, fake); got != "incoming/r.json,rendered/r.docx,rendered/r.pdf" {
				t.Errorf("after the retry: %s", got)
			}
		})
	}
}

// slowClient's bodies trickle.
type slowClient struct{ Client }

type slowBody struct{ r io.Reader }

func (b slowBody) Read(p []byte) (int, error) {
	time.Sleep(20 * time.Millisecond)
	if len(p) > 64 {
		p = p[:64]
	}
	return b.r.Read(p)
}
func (slowBody) Close() error { return nil }

func (c slowClient) GetObject(ctx context.Context, in *s3.GetObjectInput, o ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	out, err := c.Client.GetObject(ctx, in, o...)
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(out.Body)
	out.Body = slowBody{bytes.NewReader(b)}
	return out, nil
}

// A slow body and a deadline: the record fails before it writes anything, rather
// than being cut off between two writes.
func TestSlowBodyAndDeadline(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	_, etag := fake.PutVersion(t, inBucket, "incoming/r.json", readFile(t, "examples/wuchuan-2023.json"))
	ctx, cancel := context.WithTimeout(context.Background(), MinWriteTime+time.Second)
	defer cancel()
	start := time.Now()
	o, err := New(slowClient{fake.Client}, defaultConfig(), discard()).Record(ctx, ptr(versioned("incoming/r.json", "", etag, "1")))
	if o != Failed || err == nil {
		t.Fatalf("%s, %v; want failed", o, err)
	}
	// Reading the whole slow body would take about 8 s (400 reads of 20 ms); the
	// margin past the 4 s deadline allows for a loaded machine.
	if d := time.Since(start); d > MinWriteTime+3500*time.Millisecond {
		t.Errorf("took %v", d)
	}
	if got := keys(t, fake); got != "incoming/r.json" {
		t.Errorf("partial outputs: %s", got)
	}
}

func TestSeqNewer(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"0065A5B3C2D1E0F9B0", "0065A5B3C2D1E0F9A8", true},
		{"65A5B3C2D1E0F9A8", "0065A5B3C2D1E0F9A8", false}, // equal once padded
		{"0B", "A", true},
		{"a1", "A0", true},
		{"", "01", false},
		{"01", "", true},
	} {
		if got := seqNewer(tc.a, tc.b); got != tc.want {
			t.Errorf("seqNewer(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// An invocation out of time fails (to be retried) and logs at INFO as cancelled.
func TestDeadlineLoggedAsCancelled(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	_, etag := fake.PutVersion(t, inBucket, "incoming/r.json", readFile(t, "examples/wuchuan-2023.json"))
	var logs testtool.Buffer
	job := New(fake.Client, defaultConfig(), slog.New(slog.NewJSONHandler(&logs, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	job.render = func(_ context.Context, in []byte, f []render.Format) (*render.Output, error) {
		cancel()
		return render.Render(ctx, in, f)
	}
	if o, err := job.Record(ctx, ptr(versioned("incoming/r.json", "", etag, "1"))); o != Failed || !errors.Is(err, context.Canceled) {
		t.Fatalf("%s, %v", o, err)
	}
	if l := logs.String(); !strings.Contains(l, `"level":"INFO"`) || !strings.Contains(l, `"cancelled":true`) {
		t.Errorf("log %s", l)
	}
	if got := keys(t, fake); got != "incoming/r.json" {
		t.Errorf("outputs of a cancelled render: %s", got)
	}
}

// A newer render writes an output between this render's read of it and its delete:
// the delete is conditional on what was read, fails, and the newer output stays.
func TestDeleteRaceKeepsNewer(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	_, etag := fake.PutVersion(t, inBucket, "incoming/r.json", readFile(t, "examples/wuchuan-2023.json"))
	if o, err := New(fake.Client, defaultConfig(), discard()).Record(context.Background(), ptr(versioned("incoming/r.json", "", etag, "01"))); o != Rendered || err != nil {
		t.Fatalf("first render: %s, %v", o, err)
	}
	_, etag = fake.PutVersion(t, inBucket, "incoming/r.json", invalidReport(t))
	newer := []byte("%PDF- the newer render's")
	raced := false
	spy := &spyClient{Client: fake.Client, fail: func(op, key string) error {
		if op == "delete" && key == "rendered/r.pdf" && !raced {
			raced = true
			if _, err := fake.Client.PutObject(context.Background(), &s3.PutObjectInput{
				Bucket: aws.String(inBucket), Key: aws.String(key), Body: bytes.NewReader(newer),
				Metadata: map[string]string{MetaSequencer: "05"},
			}); err != nil {
				t.Errorf("newer put: %v", err)
			}
		}
		return nil
	}}
	o, err := New(spy, defaultConfig(), discard()).Record(context.Background(), ptr(versioned("incoming/r.json", "", etag, "03")))
	if !raced {
		t.Fatalf("the error document's render deleted no PDF (%s, %v)", o, err)
	}
	if o != Skipped || err != nil {
		t.Errorf("%s, %v; want skipped (superseded)", o, err)
	}
	got, err := fake.Client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(inBucket), Key: aws.String("rendered/r.pdf")})
	if err != nil {
		t.Fatalf("the newer PDF was deleted: %v", err)
	}
	b, _ := io.ReadAll(got.Body)
	if !bytes.Equal(b, newer) {
		t.Errorf("rendered/r.pdf = %.40q, want the newer render's", b)
	}
}
