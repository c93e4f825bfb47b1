package s3job

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"

	"gongwen/internal/fakes3"
	"gongwen/internal/importer"
	"gongwen/internal/problemdoc"
	"gongwen/internal/render"
)

func putEvent(keys ...string) events.S3Event {
	var ev events.S3Event
	for _, k := range keys {
		var r events.S3EventRecord
		r.EventName = "ObjectCreated:Put"
		r.S3.Bucket.Name = inBucket
		r.S3.Object.Key = strings.ReplaceAll(k, " ", "+")
		ev.Records = append(ev.Records, r)
	}
	return ev
}

// TestImportUploads: a .txt and a .docx under the input prefix are imported and
// rendered; the outputs are those of the imported report's JSON, plus that JSON as
// <name>.report.json. A text the importer cannot use gets the problem document.
func TestImportUploads(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	seed := readFile(t, "internal/report/testdata/wuchuan-2023-seed.txt")
	ours, err := render.Render(context.Background(), readFile(t, "examples/all-fields.json"), []render.Format{render.DOCX})
	if err != nil {
		t.Fatal(err)
	}
	fake.Put(t, inBucket, "incoming/2023/吴川.txt", seed)
	fake.Put(t, inBucket, "incoming/2024/示例.docx", ours.DOCX)
	fake.Put(t, inBucket, "incoming/空白.txt", []byte("\n\n"))
	var logs bytes.Buffer
	job := New(fake.Client, defaultConfig(), slog.New(slog.NewJSONHandler(&logs, nil)))
	if err := job.Handle(context.Background(), putEvent("incoming/2023/吴川.txt", "incoming/2024/示例.docx", "incoming/空白.txt")); err != nil {
		t.Fatal(err)
	}
	keys := fake.Keys(t, inBucket)
	sort.Strings(keys)
	want := []string{"incoming/2023/吴川.txt", "incoming/2024/示例.docx", "incoming/空白.txt",
		"rendered/2023/吴川.docx", "rendered/2023/吴川.pdf", "rendered/2023/吴川.report.json",
		"rendered/2024/示例.docx", "rendered/2024/示例.pdf", "rendered/2024/示例.report.json",
		"rendered/空白.error.json"}
	sort.Strings(want)
	if strings.Join(keys, "\n") != strings.Join(want, "\n") {
		t.Fatalf("keys\n%s\nwant\n%s", strings.Join(keys, "\n"), strings.Join(want, "\n"))
	}
	for name, input := range map[string][]byte{"2023/吴川": seed, "2024/示例": ours.DOCX} {
		imp, err := importer.Import(input, importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		body, obj := fake.Get(t, inBucket, "rendered/"+name+".report.json")
		if !bytes.Equal(body, imp.JSON) || !strings.HasPrefix(aws.ToString(obj.ContentType), "application/json") {
			t.Errorf("%s.report.json differs from the import (%s)", name, aws.ToString(obj.ContentType))
		}
		ref, err := render.Render(context.Background(), imp.JSON, []render.Format{render.PDF, render.DOCX})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []render.Format{render.PDF, render.DOCX} {
			if got, _ := fake.Get(t, inBucket, "rendered/"+name+"."+string(f)); !bytes.Equal(got, ref.Bytes(f)) {
				t.Errorf("%s.%s is not the rendering of the imported report", name, f)
			}
		}
	}
	body, _ := fake.Get(t, inBucket, "rendered/空白.error.json")
	var d problemdoc.Document
	if err := json.Unmarshal(body, &d); err != nil || d.Status != 422 || len(d.Problems) != 1 || d.Problems[0].Code != importer.CodeEmpty {
		t.Errorf("error document: %v %s", err, body)
	}
	if !strings.Contains(logs.String(), `"msg":"imported"`) || !strings.Contains(logs.String(), `"changes":11`) {
		t.Errorf("no import log line with the seed's 11 changes:\n%s", logs.String())
	}
}

func TestOutputKeyOfImports(t *testing.T) {
	c := defaultConfig()
	for key, want := range map[string]string{
		"incoming/a.docx":     "rendered/a.pdf",
		"incoming/x/报告.txt":   "rendered/x/报告.pdf",
		"incoming/a.docx.txt": "rendered/a.docx.pdf",
	} {
		if got := c.OutputKey(key, ".pdf"); got != want {
			t.Errorf("OutputKey(%q) = %q, want %q", key, got, want)
		}
	}
}

// TestLargeDOCXUpload: a Word file over the 2 MB of report JSON (5 MB of stored
// fonts) is imported; a .json of the same size is refused as too large.
func TestLargeDOCXUpload(t *testing.T) {
	fake := fakes3.Start(t, inBucket)
	ours, err := render.Render(context.Background(), readFile(t, "examples/all-fields.json"), []render.Format{render.DOCX})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(ours.DOCX), int64(len(ours.DOCX)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		zw.Copy(f)
	}
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "word/fonts/font9.odttf", Method: zip.Store})
	w.Write(make([]byte, 5<<20))
	zw.Close()
	fake.Put(t, inBucket, "incoming/word.docx", buf.Bytes())
	fake.Put(t, inBucket, "incoming/big.json", append([]byte(`{"title":"`), bytes.Repeat([]byte("a"), 5<<20)...))
	ev := events.S3Event{Records: []events.S3EventRecord{record("incoming/word.docx", int64(buf.Len())), record("incoming/big.json", 5<<20+10)}}
	if err := New(fake.Client, defaultConfig(), discard()).Handle(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	keys := fake.Keys(t, inBucket)
	sort.Strings(keys)
	want := "incoming/big.json\nincoming/word.docx\nrendered/big.error.json\nrendered/word.docx\nrendered/word.pdf\nrendered/word.report.json"
	if strings.Join(keys, "\n") != want {
		t.Fatalf("keys\n%s\nwant\n%s", strings.Join(keys, "\n"), want)
	}
	body, _ := fake.Get(t, inBucket, "rendered/big.error.json")
	var d problemdoc.Document
	if err := json.Unmarshal(body, &d); err != nil || d.Status != 413 || !strings.Contains(d.Problems[0].Message, "at most 2097152 (2 MB)") {
		t.Errorf("big.json: %v %s", err, body)
	}
}
