package s3job

import (
	"context"
	"testing"

	"gongwen/internal/fakes3"
)

// BenchmarkRecord measures one upload end to end against S3 on loopback: get, PDF
// and DOCX, two puts and the delete of a stale problem document.
func BenchmarkRecord(b *testing.B) {
	fake := fakes3.Start(b, inBucket)
	fake.Put(b, inBucket, "incoming/a.json", readFile(b, "examples/wuchuan-2023.json"))
	job := New(fake.Client, defaultConfig(), discard())
	rec := record("incoming/a.json", 0)
	b.ReportAllocs()
	for b.Loop() {
		if o, err := job.Record(context.Background(), &rec); err != nil || o != Rendered {
			b.Fatalf("%s %v", o, err)
		}
	}
}
