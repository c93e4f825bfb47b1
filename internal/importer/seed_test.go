package importer

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"gongwen/internal/report"
)

func readFile(t testing.TB, parts ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(parts...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSeedImportsToTheExample: the Wuchuan seed, as extracted from its PDF, imports
// to examples/wuchuan-2023.json exactly.
func TestSeedImportsToTheExample(t *testing.T) {
	res, err := Text(readFile(t, "..", "report", "testdata", "wuchuan-2023-seed.txt"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := report.Parse(readFile(t, "..", "..", "examples", "wuchuan-2023.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Log(w)
	}
	if !reflect.DeepEqual(res.Report, want) {
		got, _ := report.Marshal(res.Report)
		os.WriteFile("/tmp/seed-got.json", got, 0o644)
		t.Fatalf("seed import differs from the example (written to /tmp/seed-got.json)")
	}
}
