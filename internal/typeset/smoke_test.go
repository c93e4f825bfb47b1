package typeset

import "testing"

func TestSmokeGenerated(t *testing.T) {
	doc := genDoc(1, 1)
	lay := mustSet(t, doc)
	checkInvariants(t, doc, lay, true)
	t.Logf("pages %d bookmarks %d", len(lay.Pages), len(lay.Bookmarks))
	for _, l := range lines(lay)[:12] {
		t.Logf("p%d slot %d %q", l.page, slotOf(l.y, l.size), l.text())
	}
}
