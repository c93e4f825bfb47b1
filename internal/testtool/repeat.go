package testtool

import (
	"encoding/json"
	"testing"
)

// RepeatSections is report JSON data with its sections repeated n times: a long
// report of real text (the Wuchuan example ten times is 69 pages), for the linearity
// benchmarks and the long-document tests.
func RepeatSections(tb testing.TB, data []byte, n int) []byte {
	tb.Helper()
	var r map[string]any
	if err := json.Unmarshal(data, &r); err != nil {
		tb.Fatal(err)
	}
	secs, ok := r["sections"].([]any)
	if !ok {
		tb.Fatal("RepeatSections: the report has no sections")
	}
	var long []any
	for range n {
		long = append(long, secs...)
	}
	r["sections"] = long
	out, err := json.Marshal(r)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
