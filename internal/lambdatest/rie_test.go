package lambdatest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"gongwen/internal/fakes3"
	"gongwen/internal/problemdoc"
	"gongwen/internal/render"
	"gongwen/internal/s3job"
	"gongwen/internal/testtool"
)

func readEvent(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ModuleRoot(t), "events", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type httpReply struct {
	StatusCode      int               `json:"statusCode"`
	Headers         map[string]string `json:"headers"`
	Body            string            `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
}

func (r httpReply) bytes(t *testing.T) []byte {
	t.Helper()
	if !r.IsBase64Encoded {
		return []byte(r.Body)
	}
	b, err := base64.StdEncoding.DecodeString(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestHTTPFunctionUnderRIE runs the real HTTP bootstrap under the emulator with the
// sample events: the PDF it returns passes qpdf --check and its text reads back;
// validation and the other payload shapes answer as the handler tests say. It logs
// the cold and warm timings (targets: first invocation ≤ 300 ms, warm ≤ 30 ms).
func TestHTTPFunctionUnderRIE(t *testing.T) {
	qpdf := testtool.Require(t, "qpdf")
	pdftotext := testtool.Require(t, "pdftotext")
	bootstrap := BuildBootstrap(t, "./functions/http", runtime.GOARCH)
	emu := Start(t, bootstrap)

	// The first invocation starts the runtime: process start, init, render.
	payload, cold, err := emu.Invoke(t, readEvent(t, "http-render.json"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("HTTP cold: first invocation (init + Wuchuan PDF render) %.1f ms round trip; emulator started %.1f ms before",
		ms(cold), ms(time.Since(emu.Started)-cold))
	var r httpReply
	if err := json.Unmarshal(payload, &r); err != nil {
		t.Fatalf("response %s: %v", payload, err)
	}
	if r.StatusCode != 200 || r.Headers["Content-Type"] != "application/pdf" || !r.IsBase64Encoded {
		t.Fatalf("render: %d %v base64=%v", r.StatusCode, r.Headers, r.IsBase64Encoded)
	}
	pdf := r.bytes(t)
	path := filepath.Join(t.TempDir(), "out.pdf")
	os.WriteFile(path, pdf, 0o644)
	if out, err := exec.Command(qpdf, "--check", path).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	text, err := exec.Command(pdftotext, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(strings.Fields(string(text)), ""), "法治政府建设") {
		t.Errorf("the PDF's text lacks the title words: %.300s", text)
	}
	// Byte-identical with an in-process render of the same input.
	var ev struct{ Body string }
	json.Unmarshal(readEvent(t, "http-render.json"), &ev)
	ref, err := render.Render(context.Background(), []byte(ev.Body), []render.Format{render.PDF})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pdf, ref.PDF) {
		t.Error("the PDF from the Lambda differs from render.Render's")
	}

	// Warm invocations of the same render.
	var warm []time.Duration
	for range 15 {
		_, d, err := emu.Invoke(t, readEvent(t, "http-render.json"))
		if err != nil {
			t.Fatal(err)
		}
		warm = append(warm, d)
	}
	t.Logf("HTTP warm render (Wuchuan PDF, %d bytes): %s", len(pdf), summary(warm))

	for _, tc := range []struct {
		event  string
		status int
		ctype  string
	}{
		{"http-validate.json", 200, "application/json"},
		{"http-validate-invalid.json", 422, problemdoc.ContentType},
		{"http-schema.json", 200, "application/schema+json"},
		{"http-not-json.json", 415, problemdoc.ContentType},
		{"http-render-docx-stage.json", 200, render.DOCX.ContentType()},
		{"function-url-render.json", 200, "application/zip"},
		{"rest-render.json", 200, "application/pdf"},
	} {
		payload, d, err := emu.Invoke(t, readEvent(t, tc.event))
		if err != nil {
			t.Fatalf("%s: %v", tc.event, err)
		}
		var r httpReply
		json.Unmarshal(payload, &r)
		if r.StatusCode != tc.status || r.Headers["Content-Type"] != tc.ctype {
			t.Errorf("%s: %d %s, want %d %s: %.300s", tc.event, r.StatusCode, r.Headers["Content-Type"], tc.status, tc.ctype, r.Body)
		}
		t.Logf("%s: %d in %.1f ms", tc.event, r.StatusCode, ms(d))
	}

	// One structured log line per request, from the function's stdout.
	lines := logLines(emu.Output(), "request")
	if want := 1 + 15 + 7; len(lines) != want {
		t.Errorf("%d request log lines, want %d", len(lines), want)
	}
	for _, l := range lines {
		for _, k := range []string{"request_id", "source", "route", "status", "pages", "bytes", "ms"} {
			if _, ok := l[k]; !ok {
				t.Errorf("log line lacks %s: %v", k, l)
			}
		}
	}
	reportLines(t, emu.Output())
}

// TestS3FunctionUnderRIE runs the real S3 bootstrap under the emulator, pointed at a
// fake S3 on loopback, with the sample events; the AWS SDK reads the outputs back.
func TestS3FunctionUnderRIE(t *testing.T) {
	const bucket = "gongwen-input-example"
	fake := fakes3.Start(t, bucket, "gongwen-output-example")
	root := ModuleRoot(t)
	wuchuan, _ := os.ReadFile(filepath.Join(root, "examples", "wuchuan-2023.json"))
	var inv struct{ Body string }
	json.Unmarshal(readEvent(t, "http-validate-invalid.json"), &inv)
	fake.Put(t, bucket, "incoming/2023/吴川 法治政府建设年度报告.json", wuchuan)
	fake.Put(t, bucket, "incoming/错误 示例.json", []byte(inv.Body))
	_, src := fake.Get(t, bucket, "incoming/2023/吴川 法治政府建设年度报告.json")

	bootstrap := BuildBootstrap(t, "./functions/s3", runtime.GOARCH)
	emu := Start(t, bootstrap,
		"S3_ENDPOINT_URL="+fake.URL,
		"AWS_ACCESS_KEY_ID="+fakes3.AccessKey, "AWS_SECRET_ACCESS_KEY="+fakes3.SecretKey,
		"AWS_SESSION_TOKEN=", "AWS_REGION="+fakes3.Region, "AWS_PROFILE=", "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"OUTPUT_BUCKET=gongwen-output-example", "INPUT_PREFIX=incoming/", "OUTPUT_PREFIX=rendered/")

	_, cold, err := emu.Invoke(t, readEvent(t, "s3-put.json"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("S3 cold: first invocation (init + get + Wuchuan PDF and DOCX + 2 puts + delete) %.1f ms", ms(cold))
	ref, err := render.Render(context.Background(), wuchuan, []render.Format{render.PDF, render.DOCX})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []render.Format{render.PDF, render.DOCX} {
		key := "rendered/2023/吴川 法治政府建设年度报告." + string(f)
		body, obj := fake.Get(t, "gongwen-output-example", key)
		if !bytes.Equal(body, ref.Bytes(f)) {
			t.Errorf("%s differs from render.Render's", key)
		}
		if aws.ToString(obj.ContentType) != f.ContentType() ||
			obj.Metadata[s3job.MetaSourceETag] != strings.Trim(aws.ToString(src.ETag), `"`) ||
			obj.Metadata[s3job.MetaSourceKey] != "incoming/2023/%E5%90%B4%E5%B7%9D%20%E6%B3%95%E6%B2%BB%E6%94%BF%E5%BA%9C%E5%BB%BA%E8%AE%BE%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.json" {
			t.Errorf("%s: Content-Type %q metadata %v", key, aws.ToString(obj.ContentType), obj.Metadata)
		}
	}

	var warm []time.Duration
	for range 10 {
		_, d, err := emu.Invoke(t, readEvent(t, "s3-put.json"))
		if err != nil {
			t.Fatal(err)
		}
		warm = append(warm, d)
	}
	t.Logf("S3 warm record (Wuchuan, PDF + DOCX, S3 on loopback): %s", summary(warm))

	// The batch: a valid report, an invalid one, an output and a non-JSON key.
	if _, _, err := emu.Invoke(t, readEvent(t, "s3-put-batch.json")); err != nil {
		t.Fatal(err)
	}
	body, _ := fake.Get(t, "gongwen-output-example", "rendered/错误 示例.error.json")
	var d problemdoc.Document
	if err := json.Unmarshal(body, &d); err != nil || d.Status != 422 || len(d.Problems) == 0 {
		t.Errorf("error document: %s", body)
	}
	keys := fake.Keys(t, "gongwen-output-example")
	sort.Strings(keys)
	want := []string{"rendered/2023/吴川 法治政府建设年度报告.docx", "rendered/2023/吴川 法治政府建设年度报告.pdf", "rendered/错误 示例.error.json"}
	if !slices.Equal(keys, want) {
		t.Errorf("output bucket %v, want %v", keys, want)
	}

	// A transient failure (the object's bucket is gone) fails the invocation, so
	// Lambda retries it.
	ev := bytes.ReplaceAll(readEvent(t, "s3-put.json"), []byte(`"name": "gongwen-input-example"`), []byte(`"name": "no-such-bucket"`))
	if _, _, err := emu.Invoke(t, ev); err == nil {
		t.Error("an S3 failure did not fail the invocation")
	}

	lines := logLines(emu.Output(), "record")
	if len(lines) < 1+10+4 {
		t.Errorf("%d record log lines, want one per record", len(lines))
	}
	for _, l := range lines {
		if l["source"] != "s3" || l["request_id"] == "" {
			t.Errorf("log line %v", l)
		}
	}
	reportLines(t, emu.Output())
}

// logLines are the function's JSON log lines with the message msg.
func logLines(out, msg string) []map[string]any {
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l map[string]any
		if json.Unmarshal(sc.Bytes(), &l) == nil && l["msg"] == msg {
			lines = append(lines, l)
		}
	}
	return lines
}

// reportLines logs the emulator's REPORT lines (Init Duration, Duration, Max Memory).
func reportLines(t *testing.T, out string) {
	n := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "REPORT RequestId") && (n < 3 || strings.Contains(l, "Init Duration")) {
			t.Log(strings.TrimSpace(l))
			n++
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func summary(ds []time.Duration) string {
	s := slices.Clone(ds)
	slices.Sort(s)
	return "median " + fmtMS(s[len(s)/2]) + ", min " + fmtMS(s[0]) + ", max " + fmtMS(s[len(s)-1]) + fmt.Sprintf(" over %d", len(s))
}

func fmtMS(d time.Duration) string { return fmt.Sprintf("%.1f ms", ms(d)) }
