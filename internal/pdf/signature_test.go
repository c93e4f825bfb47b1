package pdf

import (
	"fmt"
	"math"
	"testing"

	"gongwen/internal/spec"
)

// The signature read back from the PDF with the real fonts (standard 7.3.5.2): one
// blank line after the attachment note, the issuer with a two-cell right gap, the
// date starting two cells right of the issuer's first character; a date longer than
// that keeps the two-cell right gap and the issuer moves left.
func TestSignatureReadBack(t *testing.T) {
	cases := []struct {
		issuer   string
		longDate bool
	}{
		{"吴川市科工贸和信息化局", false},
		{"国家发展和改革委员会", false},
		{"某某县司法局", true},
		{"农业局", true},
	}
	for _, c := range cases {
		t.Run(c.issuer, func(t *testing.T) {
			js := fmt.Sprintf(`{"title":"%s2024年法治政府建设年度报告","issuer":"%s","year":2024,"date":"2024-12-31",
				"sections":[{"heading":"工作情况","body":["正文内容。"]}],"attachments":["统计表","名单"]}`, c.issuer, c.issuer)
			res, _ := render(t, docFromJSON(t, []byte(js)))
			lines := linesOf(readStext(t, res.Bytes))
			var body []pdfLine
			for _, l := range lines {
				if l.size == spec.BodySize {
					body = append(body, l)
				}
			}
			if len(body) < 4 {
				t.Fatalf("%d body lines", len(body))
			}
			att, name, date := body[len(body)-3], body[len(body)-2], body[len(body)-1]
			if stripSpace(name.text()) != c.issuer || stripSpace(date.text()) != "2024年12月31日" {
				t.Fatalf("signature lines %q, %q", name.text(), date.text())
			}
			slot := func(l pdfLine) float64 { return (l.y - att.y) / spec.LinePitch }
			if math.Abs(slot(name)-2) > 1e-3 || math.Abs(slot(date)-3) > 1e-3 {
				t.Errorf("name and date %.3f and %.3f lines after the attachment note, want 2 and 3", slot(name), slot(date))
			}
			right := spec.TypeRight - spec.SignatureRightGapCells*spec.Cell
			if math.Abs(date.left()-(name.left()+spec.DateOffsetCells*spec.Cell)) > geomTol {
				t.Errorf("date starts at %.2f, name at %.2f: want two cells apart", date.left(), name.left())
			}
			end := name.right()
			if c.longDate {
				end = date.right()
			}
			if math.Abs(end-right) > geomTol {
				t.Errorf("long date %v: right end %.2f, want %.2f (two-cell gap)", c.longDate, end, right)
			}
			if c.longDate == (date.right() <= name.right()+geomTol) {
				t.Errorf("case misclassified: name ends %.2f, date ends %.2f", name.right(), date.right())
			}
		})
	}
}
