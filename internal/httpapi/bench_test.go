package httpapi

import (
	"context"
	"testing"
)

// BenchmarkServe measures one request through the API, as the Lambda and gongwen
// serve make it (the target for a warm Lambda is 30 ms including the runtime).
func BenchmarkServe(b *testing.B) {
	in := example(b, "wuchuan-2023.json")
	api := New(Options{Logger: discard(), MaxResponseBytes: LambdaMaxResponseBytes})
	for _, bc := range []struct{ name, path, format string }{
		{"render-pdf", "/render", "pdf"},
		{"render-docx", "/render", "docx"},
		{"render-zip", "/render", "zip"},
		{"validate", "/validate", ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := post(bc.path, "application/json", in)
				if bc.format != "" {
					r.Query["format"] = []string{bc.format}
				}
				if resp := api.Serve(context.Background(), r); resp.Status != 200 {
					b.Fatalf("status %d", resp.Status)
				}
			}
		})
	}
}
