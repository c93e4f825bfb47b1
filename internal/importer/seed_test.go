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

// TestSharedSeed imports the original seed (../shared/seeds, beside the repository on
// the project's machines) and checks that the copy in testdata is that file.
func TestSharedSeed(t *testing.T) {
	p := filepath.Join("..", "..", "..", "shared", "seeds", "000_d3790874d79e19cd.txt")
	orig, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("under CI the seeds must be beside the repository: %v", err)
		}
		t.Skipf("no ../shared beside the repository: %v", err)
	}
	if string(orig) != string(readFile(t, "..", "report", "testdata", "wuchuan-2023-seed.txt")) {
		t.Fatal("internal/report/testdata/wuchuan-2023-seed.txt is not a copy of the shared seed")
	}
	res, err := Text(orig, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, _, _ := report.Parse(readFile(t, "..", "..", "examples", "wuchuan-2023.json"))
	if !reflect.DeepEqual(res.Report, want) {
		t.Fatal("the shared seed does not import to examples/wuchuan-2023.json")
	}
}
