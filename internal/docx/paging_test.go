package docx

import (
	"bytes"
	"context"
	"testing"

	"gongwen/internal/fonts"
	"gongwen/internal/typeset"
)

// TestRenderPagedAsStandalone: given the paging of the layout the PDF draws, the DOCX
// of every document form is the one Render makes typesetting the document itself;
// given another document's paging, it puts the 版记 elsewhere (so the paging is what
// the DOCX follows, and the comparison can fail).
func TestRenderPagedAsStandalone(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Skipf("fonts: %v", err)
	}
	pagings := map[string]Paging{}
	docs := documentForms(t)
	for name, doc := range docs {
		lay, err := typeset.Typeset(doc, set)
		if err != nil {
			t.Fatalf("%s: typeset: %v", name, err)
		}
		pagings[name] = PagingOf(lay)
	}
	own, last := pagings["all-fields-document"], pagings["record-on-last-page"]
	if own == last {
		t.Fatalf("the two examples have the same paging %+v: the test needs one 版记 on a page of its own", own)
	}
	for name, doc := range docs {
		want, err := Render(doc, set)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := RenderPaged(context.Background(), doc, set, pagings[name])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: RenderPaged differs from Render", name)
		}
		other := own
		if pagings[name] == own {
			other = last
		}
		moved, err := RenderPaged(context.Background(), doc, set, other)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if bytes.Equal(moved, want) {
			t.Errorf("%s: another document's paging changed nothing", name)
		}
	}
}
