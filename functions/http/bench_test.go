package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkInvoke measures the handler on the sample HTTP API event: event decoding,
// the render, base64 and the response JSON, everything but the runtime's transport.
func BenchmarkInvoke(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "events", "http-render.json"))
	if err != nil {
		b.Fatal(err)
	}
	h := newHandler(func(string) string { return "" }, slog.New(slog.DiscardHandler))
	b.ReportAllocs()
	for b.Loop() {
		out, err := h.invoke(context.Background(), raw)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(out); err != nil {
			b.Fatal(err)
		}
	}
}
