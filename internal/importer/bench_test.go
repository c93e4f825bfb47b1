package importer

import "testing"

func BenchmarkImportSeedText(b *testing.B) {
	seed := readFile(b, "..", "report", "testdata", "wuchuan-2023-seed.txt")
	b.SetBytes(int64(len(seed)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Text(seed, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkImportWuchuanDOCX(b *testing.B) {
	_, docx := renderDOCX(b, readFile(b, "..", "..", "examples", "wuchuan-2023.json"))
	b.SetBytes(int64(len(docx)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DOCX(docx, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
