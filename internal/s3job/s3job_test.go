package s3job

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"gongwen/internal/fakes3"
	"gongwen/internal/problemdoc"
	"gongwen/internal/render"
	"gongwen/internal/report"
)

const inBucket = "gongwen-input-example"

func root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func readFile(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root(), rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func loadEvent(t testing.TB, name string) events.S3Event {
	t.Helper()
	var ev events.S3Event
	if err := json.Unmarshal(readFile(t, filepath.Join("events", name)), &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

// invalidReport is the invalid report of events/http-validate-invalid.json, the one
// events/s3-put-batch.json stands for.
func invalidReport(t testing.TB) []byte {
	var ev struct {
		Body string `json:"body"`
	}
	if err := json.Unmarshal(readFile(t, "events/http-validate-invalid.json"), &ev); err != nil {
		t.Fatal(err)
	}
	return []byte(ev.Body)
}

// spyClient counts calls and fails the ones fail says to.
type spyClient struct {
	Client
	mu   sync.Mutex
	gets int
	puts []string
	fail func(op, key string) error
}

func (c *spyClient) GetObject(ctx context.Context, in *s3.GetObjectInput, o ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	c.mu.Lock()
	c.gets++
	c.mu.Unlock()
	if c.fail != nil {
		if err := c.fail("get", aws.ToString(in.Key)); err != nil {
			return nil, err
		}
	}
	return c.Client.GetObject(ctx, in, o...)
}

func (c *spyClient) PutObject(ctx context.Context, in *s3.PutObjectInput, o ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	c.mu.Lock()
	c.puts = append(c.puts, aws.ToString(in.Key))
	c.mu.Unlock()
	if c.fail != nil {
		if err := c.fail("put", aws.ToString(in.Key)); err != nil {
			return nil, err
		}
	}
	return c.Client.PutObject(ctx, in, o...)
}

func defaultConfig() Config {
	return Config{InputPrefix: DefaultInputPrefix, OutputPrefix: DefaultOutputPrefix}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestRenderUpload runs the sample event against a fake S3 holding the Wuchuan
// example under the event's (decoded) key, and reads the outputs back.
func TestRenderUpload(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	ev := loadEvent(t, "s3-put.json")
	key := "incoming/2023/吴川 法治政府建设年度报告.json"
	in := readFile(t, "examples/wuchuan-2023.json")
	fake.Put(t, inBucket, key, in)
	_, src := fake.Get(t, inBucket, key)

	var logs bytes.Buffer
	job := New(fake.Client, defaultConfig(), slog.New(slog.NewJSONHandler(&logs, nil)))
	if err := job.Handle(context.Background(), ev); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	ref, err := render.Render(context.Background(), in, []render.Format{render.PDF, render.DOCX})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []render.Format{render.PDF, render.DOCX} {
		outKey := "rendered/2023/吴川 法治政府建设年度报告." + string(f)
		body, obj := fake.Get(t, inBucket, outKey)
		if !bytes.Equal(body, ref.Bytes(f)) {
			t.Errorf("%s: %d bytes differ from render.Render's %d", outKey, len(body), len(ref.Bytes(f)))
		}
		if aws.ToString(obj.ContentType) != f.ContentType() {
			t.Errorf("%s: Content-Type %q", outKey, aws.ToString(obj.ContentType))
		}
		wantMeta := map[string]string{
			MetaSourceKey:    "incoming/2023/%E5%90%B4%E5%B7%9D%20%E6%B3%95%E6%B2%BB%E6%94%BF%E5%BA%9C%E5%BB%BA%E8%AE%BE%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.json",
			MetaSourceETag:   strings.Trim(aws.ToString(src.ETag), `"`),
			MetaSourceBucket: inBucket,
		}
		for k, v := range wantMeta {
			if got := obj.Metadata[k]; got != v {
				t.Errorf("%s: metadata %s = %q, want %q", outKey, k, got, v)
			}
		}
	}
	if keys := fake.Keys(t, inBucket); len(keys) != 3 {
		t.Errorf("bucket holds %v, want the input and two outputs", keys)
	}
	var l map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(logs.Bytes()), &l); err != nil {
		t.Fatalf("want one JSON log line: %v\n%s", err, logs.String())
	}
	if l["source"] != "s3" || l["outcome"] != "rendered" || l["key"] != key || l["pages"].(float64) != float64(ref.Pages) ||
		l["bytes"].(float64) != float64(len(ref.PDF)+len(ref.DOCX)) {
		t.Errorf("log line %v", l)
	}
}

// TestBatch handles a valid report, an invalid one, an output that must not trigger
// the job and a non-JSON upload in one event.
func TestBatch(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	fake.Put(t, inBucket, "incoming/2023/吴川 法治政府建设年度报告.json", readFile(t, "examples/wuchuan-2023.json"))
	bad := invalidReport(t)
	fake.Put(t, inBucket, "incoming/错误 示例.json", bad)
	spy := &spyClient{Client: fake.Client}
	job := New(spy, defaultConfig(), discard())
	ev := loadEvent(t, "s3-put-batch.json")
	if err := job.Handle(context.Background(), ev); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	if spy.gets != 2 {
		t.Errorf("%d GetObject calls, want 2 (the guard must not read the others)", spy.gets)
	}
	keys := fake.Keys(t, inBucket)
	sort.Strings(keys)
	want := []string{"incoming/2023/吴川 法治政府建设年度报告.json", "incoming/错误 示例.json",
		"rendered/2023/吴川 法治政府建设年度报告.docx", "rendered/2023/吴川 法治政府建设年度报告.pdf", "rendered/错误 示例.error.json"}
	sort.Strings(want)
	if strings.Join(keys, "\n") != strings.Join(want, "\n") {
		t.Errorf("keys\n%s\nwant\n%s", strings.Join(keys, "\n"), strings.Join(want, "\n"))
	}
	body, obj := fake.Get(t, inBucket, "rendered/错误 示例.error.json")
	var d problemdoc.Document
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatal(err)
	}
	_, _, verr := render.Validate(bad)
	inv, _ := problemdoc.AsInvalid(verr)
	wantProblems, _ := json.Marshal(inv.Problems)
	gotProblems, _ := json.Marshal(d.Problems)
	if d.Status != 422 || !bytes.Equal(wantProblems, gotProblems) || d.Instance != "s3://"+inBucket+"/incoming/%E9%94%99%E8%AF%AF%20%E7%A4%BA%E4%BE%8B.json" {
		t.Errorf("error document %s\nwant problems %s", body, wantProblems)
	}
	if !strings.HasPrefix(aws.ToString(obj.ContentType), problemdoc.ContentType) || obj.Metadata[MetaSourceKey] == "" {
		t.Errorf("error document Content-Type %q metadata %v", aws.ToString(obj.ContentType), obj.Metadata)
	}
}

func TestOutputBucket(t *testing.T) {
	fake := fakes3.Start(t, inBucket, "out")
	fake.Put(t, inBucket, "incoming/2023/吴川 法治政府建设年度报告.json", readFile(t, "examples/wuchuan-2023.json"))
	cfg := Config{InputPrefix: "incoming/", OutputPrefix: "done/", OutputBucket: "out"}
	if err := New(fake.Client, cfg, discard()).Handle(context.Background(), loadEvent(t, "s3-put.json")); err != nil {
		t.Fatal(err)
	}
	keys := fake.Keys(t, "out")
	sort.Strings(keys)
	if strings.Join(keys, ",") != "done/2023/吴川 法治政府建设年度报告.docx,done/2023/吴川 法治政府建设年度报告.pdf" {
		t.Errorf("output bucket holds %v", keys)
	}
}

func record(key string, size int64) events.S3EventRecord {
	var r events.S3EventRecord
	r.EventName = "ObjectCreated:Put"
	r.S3.Bucket.Name = inBucket
	r.S3.Object.Key = key
	r.S3.Object.Size = size
	return r
}

// TestTooLarge: an object over the limit gets the problem document, without being
// read when the event gives its size, and after at most limit+1 bytes otherwise.
func TestTooLarge(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	big := append([]byte(`{"title":"`), bytes.Repeat([]byte("a"), report.MaxInputBytes)...)
	fake.Put(t, inBucket, "incoming/big.json", big)
	for _, size := range []int64{int64(len(big)), 10} { // the event's size, then a lying one
		spy := &spyClient{Client: fake.Client}
		ev := events.S3Event{Records: []events.S3EventRecord{record("incoming/big.json", size)}}
		if err := New(spy, defaultConfig(), discard()).Handle(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
		if wantGets := map[bool]int{true: 0, false: 1}[size > report.MaxInputBytes]; spy.gets != wantGets {
			t.Errorf("size %d: %d GetObject calls, want %d", size, spy.gets, wantGets)
		}
		body, _ := fake.Get(t, inBucket, "rendered/big.error.json")
		var d problemdoc.Document
		if err := json.Unmarshal(body, &d); err != nil || d.Status != 413 || len(d.Problems) != 1 || d.Problems[0].Code != report.CodeTooLarge {
			t.Errorf("size %d: error document %s", size, body)
		}
	}
}

// TestTransientFailure: a failing S3 write makes Handle return an error (so Lambda
// retries) naming the record, while the other records are still done.
func TestTransientFailure(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	fake.Put(t, inBucket, "incoming/a.json", readFile(t, "examples/wuchuan-2023.json"))
	fake.Put(t, inBucket, "incoming/b.json", readFile(t, "examples/all-fields.json"))
	spy := &spyClient{Client: fake.Client, fail: func(op, key string) error {
		if op == "put" && key == "rendered/a.docx" {
			return errors.New("SlowDown: please reduce your request rate")
		}
		return nil
	}}
	ev := events.S3Event{Records: []events.S3EventRecord{record("incoming/a.json", 0), record("incoming/b.json", 0)}}
	err := New(spy, defaultConfig(), discard()).Handle(context.Background(), ev)
	if err == nil || !strings.Contains(err.Error(), "rendered/a.docx") || !strings.Contains(err.Error(), "SlowDown") {
		t.Fatalf("Handle error %v, want the failed put", err)
	}
	fake.Get(t, inBucket, "rendered/b.pdf")
	fake.Get(t, inBucket, "rendered/b.docx")
}

func TestInternalErrorRetried(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	fake.Put(t, inBucket, "incoming/a.json", readFile(t, "examples/wuchuan-2023.json"))
	job := New(fake.Client, defaultConfig(), discard())
	job.render = func(context.Context, []byte, []render.Format) (*render.Output, error) { panic("boom") }
	err := job.Handle(context.Background(), events.S3Event{Records: []events.S3EventRecord{record("incoming/a.json", 0)}})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("a panic must become an error (and a retry), got %v", err)
	}
	if keys := fake.Keys(t, inBucket); len(keys) != 1 {
		t.Errorf("outputs written for a failed render: %v", keys)
	}
}

func TestMissingObjectSkipped(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	ev := events.S3Event{Records: []events.S3EventRecord{record("incoming/gone.json", 100)}}
	if err := New(fake.Client, defaultConfig(), discard()).Handle(context.Background(), ev); err != nil {
		t.Fatalf("a deleted input is not an error: %v", err)
	}
	if keys := fake.Keys(t, inBucket); len(keys) != 0 {
		t.Errorf("outputs for a missing input: %v", keys)
	}
}

// TestReplaceOutcome: a corrected upload removes the stale problem document, and an
// invalid one removes stale documents.
func TestReplaceOutcome(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	job := New(fake.Client, defaultConfig(), discard())
	ev := events.S3Event{Records: []events.S3EventRecord{record("incoming/r.json", 0)}}
	steps := []struct {
		body []byte
		want string
	}{
		{invalidReport(t), "incoming/r.json,rendered/r.error.json"},
		{readFile(t, "examples/wuchuan-2023.json"), "incoming/r.json,rendered/r.docx,rendered/r.pdf"},
		{[]byte("{"), "incoming/r.json,rendered/r.error.json"},
	}
	for i, s := range steps {
		fake.Put(t, inBucket, "incoming/r.json", s.body)
		if err := job.Handle(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
		keys := fake.Keys(t, inBucket)
		sort.Strings(keys)
		if got := strings.Join(keys, ","); got != s.want {
			t.Errorf("step %d: %s, want %s", i, got, s.want)
		}
	}
}

func TestGuard(t *testing.T) {
	job := New(nil, defaultConfig(), discard())
	tests := []struct {
		event, key string
		skip       bool
	}{
		{"ObjectCreated:Put", "incoming/a.json", false},
		{"ObjectCreated:CompleteMultipartUpload", "incoming/sub/dir/a.json", false},
		{"ObjectCreated:Put", "rendered/a.error.json", true},
		{"ObjectCreated:Put", "rendered/a.json", true},
		{"ObjectCreated:Put", "incoming/a.error.json", true},
		{"ObjectCreated:Put", "incoming/a.JSON.txt", true},
		{"ObjectCreated:Put", "other/a.json", true},
		{"ObjectCreated:Put", "incoming/", true},
		{"ObjectRemoved:Delete", "incoming/a.json", true},
	}
	for _, tc := range tests {
		if got := job.skip(tc.event, tc.key) != ""; got != tc.skip {
			t.Errorf("skip(%s, %q) = %v, want %v", tc.event, tc.key, got, tc.skip)
		}
	}
	// With the whole bucket as input, outputs are still never inputs.
	all := New(nil, Config{InputPrefix: "", OutputPrefix: "rendered/", OutputBucket: "other"}, discard())
	if all.skip("ObjectCreated:Put", "rendered/x.error.json") == "" || all.skip("ObjectCreated:Put", "x.json") != "" {
		t.Error("guard with an empty input prefix")
	}
}

func TestDecodeKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"incoming/a+b.json", "incoming/a b.json"},
		{"incoming/%E5%90%B4%E5%B7%9D.json", "incoming/吴川.json"},
		{"incoming/a%2Bb.json", "incoming/a+b.json"},
		{"incoming/100%25.json", "incoming/100%.json"},
	}
	for _, tc := range tests {
		if got, err := DecodeKey(tc.in); err != nil || got != tc.want {
			t.Errorf("DecodeKey(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := DecodeKey("incoming/%zz.json"); err == nil {
		t.Error("DecodeKey accepted a broken escape")
	}
}

func TestOutputKey(t *testing.T) {
	c := defaultConfig()
	tests := []struct{ key, ext, want string }{
		{"incoming/a.json", ".pdf", "rendered/a.pdf"},
		{"incoming/2023/q1/报告 一.json", ".docx", "rendered/2023/q1/报告 一.docx"},
		{"incoming/a.b.json", ".error.json", "rendered/a.b.error.json"},
	}
	for _, tc := range tests {
		if got := c.OutputKey(tc.key, tc.ext); got != tc.want {
			t.Errorf("OutputKey(%q, %q) = %q, want %q", tc.key, tc.ext, got, tc.want)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		env     map[string]string
		want    Config
		wantErr bool
	}{
		{map[string]string{}, Config{"incoming/", "rendered/", ""}, false},
		{map[string]string{"INPUT_PREFIX": "in/", "OUTPUT_PREFIX": "out/", "OUTPUT_BUCKET": "b"}, Config{"in/", "out/", "b"}, false},
		{map[string]string{"OUTPUT_PREFIX": "incoming/rendered/"}, Config{}, true},
		{map[string]string{"INPUT_PREFIX": "", "OUTPUT_PREFIX": "out/"}, Config{"incoming/", "out/", ""}, false},
		{map[string]string{"OUTPUT_PREFIX": "incoming/x/", "OUTPUT_BUCKET": "other"}, Config{"incoming/", "incoming/x/", "other"}, false},
		{map[string]string{"INPUT_PREFIX": "reports/in/", "OUTPUT_PREFIX": "reports/", "OUTPUT_BUCKET": "other"}, Config{}, true},
		{map[string]string{"INPUT_PREFIX": "rendered/", "OUTPUT_BUCKET": "other"}, Config{}, true},
	}
	for _, tc := range tests {
		got, err := ConfigFromEnv(func(k string) string { return tc.env[k] })
		if (err != nil) != tc.wantErr || (!tc.wantErr && got != tc.want) {
			t.Errorf("env %v: %+v, %v", tc.env, got, err)
		}
	}
	if err := (Config{InputPrefix: "", OutputPrefix: "rendered/"}).Check(); err == nil {
		t.Error("a whole-bucket input with outputs in the same bucket must be refused")
	}
}

// TestFormats: OUTPUT_FORMATS chooses the outputs; the OFD is render's, byte for byte;
// an invalid upload afterwards removes the .ofd too.
func TestFormats(t *testing.T) {
	fs, err := FormatsFromEnv(func(k string) string { return map[string]string{"OUTPUT_FORMATS": "pdf,docx,ofd"}[k] })
	if err != nil || len(fs) != 3 {
		t.Fatalf("FormatsFromEnv: %v, %v", fs, err)
	}
	if fs, err := FormatsFromEnv(func(string) string { return "" }); err != nil || len(fs) != 2 || fs[0] != render.PDF || fs[1] != render.DOCX {
		t.Errorf("unset OUTPUT_FORMATS: %v, %v (want pdf,docx)", fs, err)
	}
	if _, err := FormatsFromEnv(func(string) string { return "pdf,xps" }); err == nil || !strings.Contains(err.Error(), "OUTPUT_FORMATS") {
		t.Errorf("OUTPUT_FORMATS=pdf,xps: %v", err)
	}
	fake := fakes3.Start(t, inBucket)
	job := New(fake.Client, defaultConfig(), discard()).WithFormats(fs)
	ev := events.S3Event{Records: []events.S3EventRecord{record("incoming/r.json", 0)}}
	in := readFile(t, "examples/wuchuan-2023.json")
	fake.Put(t, inBucket, "incoming/r.json", in)
	if err := job.Handle(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	keys := fake.Keys(t, inBucket)
	sort.Strings(keys)
	if got := strings.Join(keys, ","); got != "incoming/r.json,rendered/r.docx,rendered/r.ofd,rendered/r.pdf" {
		t.Errorf("keys %s", got)
	}
	ref, err := render.Render(context.Background(), in, []render.Format{render.OFD})
	if err != nil {
		t.Fatal(err)
	}
	body, obj := fake.Get(t, inBucket, "rendered/r.ofd")
	if !bytes.Equal(body, ref.OFD) || aws.ToString(obj.ContentType) != "application/ofd" {
		t.Errorf("r.ofd: %d bytes, Content-Type %q; want render's %d bytes, application/ofd", len(body), aws.ToString(obj.ContentType), len(ref.OFD))
	}
	fake.Put(t, inBucket, "incoming/r.json", invalidReport(t))
	if err := New(fake.Client, defaultConfig(), discard()).Handle(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	keys = fake.Keys(t, inBucket)
	sort.Strings(keys)
	if got := strings.Join(keys, ","); got != "incoming/r.json,rendered/r.error.json" {
		t.Errorf("after an invalid upload (default formats): %s", got)
	}
}
