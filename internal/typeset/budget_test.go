package typeset

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongwen/internal/compose"
	"gongwen/internal/report"
)

// tableDoc is a report whose body is one cols x rows table of cell.
func tableDoc(cols, rows int, cell string) *compose.Document {
	tb := &report.Table{}
	for range cols {
		tb.Header = append(tb.Header, "列")
	}
	for range rows {
		row := make([]string, cols)
		for j := range row {
			row[j] = cell
		}
		tb.Rows = append(tb.Rows, row)
	}
	return compose.Compose(&report.Report{Title: "表", Issuer: "某局", Year: 2024,
		Sections: []report.Section{{Path: "/sections/0", Level: 1, Number: "一、", Heading: "情况",
			Body: []report.Block{{Path: "/sections/0/body/0", Table: tb}}}}})
}

func TestLimitsPages(t *testing.T) {
	doc := tableDoc(2, 400, "法治")
	lay, err := Typeset(doc, fm)
	if err != nil {
		t.Fatal(err)
	}
	n := len(lay.Pages)
	if n < 10 {
		t.Fatalf("%d pages, want at least 10 for the test to mean anything", n)
	}
	// Exactly enough pages passes; one fewer is refused, naming the table.
	if _, err := TypesetContext(context.Background(), doc, fm, Limits{MaxPages: n}); err != nil {
		t.Fatalf("MaxPages %d for %d pages: %v", n, n, err)
	}
	_, err = TypesetContext(context.Background(), doc, fm, Limits{MaxPages: n - 1})
	var le *LimitError
	if !errors.As(err, &le) {
		t.Fatalf("MaxPages %d for %d pages: err = %v, want *LimitError", n-1, n, err)
	}
	if le.Path != "/sections/0/body/0" || le.Pages != n || !strings.Contains(le.Message(), strconv.Itoa(n-1)+" 页") {
		t.Errorf("LimitError %+v (%s), want the table's path, %d pages and the limit %d", le, le.Message(), n, n-1)
	}
	if !strings.Contains(le.Message(), "上限") || !strings.Contains(le.Message(), "pages") {
		t.Errorf("message %q does not say the limit", le.Message())
	}
}

func TestLimitsBytes(t *testing.T) {
	doc := tableDoc(20, 300, "法")
	_, err := TypesetContext(context.Background(), doc, fm, Limits{MaxBytes: 4 << 20})
	var le *LimitError
	if !errors.As(err, &le) || le.Bytes <= 4<<20 {
		t.Fatalf("err = %v, want a *LimitError over 4 MB", err)
	}
	// The default limits take this table: 300 rows of 20 one-character cells.
	if _, err := TypesetContext(context.Background(), doc, fm, DefaultLimits()); err != nil {
		t.Fatalf("default limits: %v", err)
	}
}

// A table far over the budget is refused before its cells are set: quickly, and
// without allocating what setting them costs.
func TestLimitsTableAhead(t *testing.T) {
	doc := tableDoc(20, report.MaxTableRows, strings.Repeat("a", 46))
	var ms0, ms1 runtimeMem
	ms0.read()
	_, err := TypesetContext(context.Background(), doc, fm, DefaultLimits())
	ms1.read()
	var le *LimitError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want *LimitError", err)
	}
	if d := ms1.alloc - ms0.alloc; d > 32<<20 {
		t.Errorf("refusing the table allocated %d MB, want it refused before its cells are set", d>>20)
	}
}

func TestTypesetCancelled(t *testing.T) {
	doc := tableDoc(20, report.MaxTableRows, "法")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	_, err := TypesetContext(ctx, doc, fm, Limits{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// The table's cells are set before the first check; the rows after are not.
	full := time.Now()
	if _, err := Typeset(doc, fm); err != nil {
		t.Fatal(err)
	}
	if c, f := full.Sub(start), time.Since(full); c > f/2 {
		t.Errorf("cancelled typeset took %v, the full one %v: want the rows skipped", c, f)
	}
}
