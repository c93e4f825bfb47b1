package problemdoc

import (
	"encoding/json"
	"fmt"
	"testing"

	"gongwen/internal/report"
)

func TestFromInvalid(t *testing.T) {
	ps := []report.Problem{{Path: "/title", Code: "required", Message: "缺少标题。title is required."},
		{Path: "/year", Code: "out_of_range", Message: "年度超出范围。year out of range."}}
	tests := []struct {
		kind   report.InvalidKind
		status int
		slug   string
	}{
		{report.KindInvalid, 422, InvalidReport},
		{report.KindMalformed, 400, Malformed},
		{report.KindTooLarge, 413, TooLarge},
	}
	for _, tc := range tests {
		inv := &report.InvalidError{Kind: tc.kind, Problems: ps}
		d := FromInvalid(inv)
		if d.Status != tc.status || d.Type != typePrefix+tc.slug || d.Title == "" || len(d.Problems) != 2 {
			t.Errorf("kind %d: %+v", tc.kind, d)
		}
		var back map[string]any
		if err := json.Unmarshal(d.JSON(), &back); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"type", "title", "status", "detail", "problems"} {
			if _, ok := back[k]; !ok {
				t.Errorf("kind %d: JSON lacks %s: %s", tc.kind, k, d.JSON())
			}
		}
	}
	if _, ok := AsInvalid(fmt.Errorf("render pdf: %w", &report.InvalidError{})); !ok {
		t.Error("AsInvalid does not see through wrapping")
	}
	if d := New(404, NotFound, ""); d.Problems == nil || string(mustJSON(d.Problems)) != "[]" {
		t.Error("problems must be [] when there are none")
	}
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }
