package report

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestPassesStopInside: each of the decoding, schema and building passes ends with
// ctx's error once ctx has ended, inside the pass (not only between passes: each
// takes tens of milliseconds on the largest input), and ParseContext returns it.
func TestPassesStopInside(t *testing.T) {
	row := `["` + strings.Repeat(`法",  "`, 19) + `法"]`
	in := []byte(`{"title":"t","issuer":"某局","year":2024,"preamble":[{"table":{"header":[` +
		strings.TrimSuffix(strings.Repeat(`"列",`, 20), ",") + `],"rows":[` +
		strings.TrimSuffix(strings.Repeat(row+",", 2000), ",") + `]}}],"sections":[{"heading":"情况","body":["正文。"]}]}`)
	if _, _, err := Parse(in); err != nil {
		t.Fatalf("uncancelled: %v", err)
	}
	tree, _, err := decodeTree(in)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stop := func() *stopper { return &stopper{ctx: ctx} }
	if _, _, err := decodeTreeStop(in, stop()); !errors.Is(err, context.Canceled) {
		t.Errorf("decode: err = %v, want context.Canceled", err)
	}
	if _, err := validateSchema(tree, stop()); !errors.Is(err, context.Canceled) {
		t.Errorf("schema: err = %v, want context.Canceled", err)
	}
	if err := stoppable(func() { build(tree, stop()) }); !errors.Is(err, context.Canceled) {
		t.Errorf("build: err = %v, want context.Canceled", err)
	}
	if _, _, err := ParseContext(ctx, in); !errors.Is(err, context.Canceled) {
		t.Errorf("ParseContext: err = %v, want context.Canceled", err)
	}
	// A panic that is not a stop goes on.
	defer func() {
		if p := recover(); p != "boom" {
			t.Errorf("recovered %v, want the panic passed on", p)
		}
	}()
	stoppable(func() { panic("boom") })
}
