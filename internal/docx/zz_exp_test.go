package docx

import (
	"context"
	"os"
	"testing"
)

func expFile(b *testing.B, f string) []byte {
	d, err := os.ReadFile(f)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

func BenchmarkExpBody(b *testing.B) {
	d := expFile(b, "/tmp/docxw-doc.xml")
	d = d[443 : len(d)-764]
	var z deflated
	for i := 0; i < b.N; i++ {
		z, _ = deflatePieces(context.Background(), nil, piece{text: d}, piece{text: []byte("</w:body></w:document>"), z: []byte{3, 0}, final: true})
	}
	b.ReportMetric(float64(len(z.z)), "bytes")
}

func BenchmarkExpCore(b *testing.B) {
	d := expFile(b, "/tmp/docxw-core.xml")
	var z deflated
	for i := 0; i < b.N; i++ {
		z, _ = deflatePieces(context.Background(), nil, piece{text: d})
	}
	b.ReportMetric(float64(len(z.z)), "bytes")
}
