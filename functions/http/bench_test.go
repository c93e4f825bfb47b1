package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
)

// BenchmarkInvoke measures the handler on the sample HTTP API event: event decoding,
// the render, base64 and the response JSON, everything but the runtime's transport.
func BenchmarkInvoke(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "events", "http-render.json"))
	if err != nil {
		b.Fatal(err)
	}
	h := newHandler(func(string) string { return "" }, slog.New(slog.DiscardHandler))
	// lambda-go's own handler: the JSON the runtime sends.
	lh := lambda.NewHandler(h.invoke)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := lh.Invoke(context.Background(), raw); err != nil {
			b.Fatal(err)
		}
	}
}
