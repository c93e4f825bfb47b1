package pdf

import (
	"context"
	"errors"
	"testing"

	"gongwen/internal/fonts"
	"gongwen/internal/typeset"
)

// The writer stops at the next page once its context ends.
func TestWriteLayoutCancelled(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	doc := exampleDoc(t, "wuchuan-2023.json")
	lay, err := typeset.Typeset(doc, set)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := WriteLayout(ctx, lay, doc, set); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	res, err := WriteLayout(context.Background(), lay, doc, set)
	if err != nil || res.Pages != len(lay.Pages) {
		t.Fatalf("uncancelled: %v", err)
	}
	ref, err := Render(doc, set)
	if err != nil || string(ref.Bytes) != string(res.Bytes) {
		t.Errorf("WriteLayout's file differs from Render's (%v)", err)
	}
}
