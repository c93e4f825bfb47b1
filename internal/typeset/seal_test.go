package typeset

import (
	"fmt"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/spec"
)

// The sealed signature for every diameter the contract allows and wherever the
// page puts it: the seal inside the type area, its top within one line below the
// last body line, the name and date below its centre and the seal not below the
// date's line (GB/T 9704 7.3.5.1).
func TestSealPlacement(t *testing.T) {
	const pitch = 28.95 // the grid's line pitch, literal
	for _, d := range []float64{20, 30, 42, 50, 60} {
		for n := 10; n <= 24; n++ {
			t.Run(fmt.Sprintf("%gmm/%d", d, n), func(t *testing.T) {
				var paras []string
				for range n {
					paras = append(paras, "一行")
				}
				doc := bodyDoc(paras...)
				doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindSignature, Path: "/date",
					Issuer: "示例市司法局", Date: "2025年1月15日", Seal: &compose.Seal{PNG: []byte("png"), DiameterMM: d}})
				lay := mustSet(t, doc)
				checkInvariants(t, doc, lay, false)
				var found bool
				for _, p := range lay.Pages {
					if len(p.Images) == 0 {
						continue
					}
					found = true
					im := p.Images[0]
					if diff := im.W - d*72/25.4; diff > 0.001 || diff < -0.001 {
						t.Errorf("seal %.2f pt wide, want %g mm", im.W, d)
					}
					var nameY, dateY, lastBody float64
					for _, r := range p.Runs {
						switch s := runText(r); {
						case s == "示例市司法局":
							nameY = r.Y
						case s == "2025年1月15日":
							dateY = r.Y
						case s == "一行":
							lastBody = max(lastBody, r.Y)
						}
					}
					centre, bottom := im.Y+im.H/2, im.Y+im.H
					// The seal covers the date; from 30 mm up, name and date both sit
					// below its centre (a smaller seal cannot span two lines so).
					if dateY >= bottom || centre >= dateY || (d >= 30 && centre >= nameY-spec.BodySize/2) {
						t.Errorf("centre %.2f, bottom %.2f, name %.2f, date %.2f: name and date must sit below the centre, on the seal", centre, bottom, nameY, dateY)
					}
					// Not below the date's line: its slot ends pitch-20.56 below the baseline.
					if bottom > dateY+pitch-20.56+0.01 {
						t.Errorf("seal bottom %.2f below the date's line (%.2f)", bottom, dateY+pitch-20.56)
					}
					if lastBody > 0 {
						// The body line's slot ends pitch-20.56 pt below its baseline.
						gap := im.Y - (lastBody + pitch - 20.56)
						if gap < -0.01 || gap > pitch {
							t.Errorf("seal top %.2f pt below the last body line, want 0 to one line", gap)
						}
					}
				}
				if !found {
					t.Fatal("no seal placed")
				}
			})
		}
	}
}
