package typeset

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/report"
)

// randomReport builds a valid report of random text: punctuation runs, Latin,
// digits, URLs, forced breaks, tables of 1-20 columns, attachments.
func randomReport(seed uint64) *report.Report {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b9))
	issuers := []string{"吴川市科工贸和信息化局", "某局", "国家发展和改革委员会办公厅", strings.Repeat("很长的机关名称", 5)}
	r := &report.Report{
		Issuer: issuers[rng.IntN(len(issuers))],
		Year:   2023,
	}
	switch rng.IntN(4) {
	case 0:
		r.Title = r.Issuer + randomText(rng, 10+rng.IntN(30))
	case 1:
		r.Title = randomText(rng, 5) + "\n" + randomText(rng, 10)
	default:
		r.Title = randomText(rng, 1+rng.IntN(60))
	}
	if rng.IntN(2) == 0 {
		r.Date = &report.Date{Year: 2024, Month: 1 + rng.IntN(12), Day: 1 + rng.IntN(28)}
	}
	if rng.IntN(2) == 0 {
		r.Addressee = randomText(rng, 5+rng.IntN(40))
	}
	blocks := func(path string, n int) []report.Block {
		var out []report.Block
		for i := range n {
			p := fmt.Sprintf("%s/body/%d", path, i)
			if rng.IntN(6) == 0 {
				cols := 1 + rng.IntN(20)
				if rng.IntN(2) == 0 {
					cols = 1 + rng.IntN(5)
				}
				tb := &report.Table{}
				if rng.IntN(2) == 0 {
					tb.Caption = randomText(rng, 3+rng.IntN(50))
				}
				cell := func() string {
					if rng.IntN(5) == 0 {
						return ""
					}
					return randomText(rng, 1+rng.IntN(30))
				}
				for range cols {
					tb.Header = append(tb.Header, cell())
				}
				for range 1 + rng.IntN(30) {
					row := make([]string, cols)
					for j := range row {
						row[j] = cell()
					}
					tb.Rows = append(tb.Rows, row)
				}
				out = append(out, report.Block{Path: p, Table: tb})
				continue
			}
			out = append(out, report.Block{Path: p, Paragraph: randomText(rng, 1+rng.IntN(400))})
		}
		return out
	}
	r.Preamble = blocks("/preamble", rng.IntN(3))
	var sections func(path string, level, n int) []report.Section
	sections = func(path string, level, n int) []report.Section {
		var out []report.Section
		for i := range n {
			p := fmt.Sprintf("%s/%d", path, i)
			s := report.Section{Path: p, Level: level, Number: fmt.Sprintf("%d.", i+1), Heading: randomText(rng, 2+rng.IntN(60))}
			s.Body = blocks(p, rng.IntN(4))
			if level > 1 && rng.IntN(2) == 0 && len(s.Body) > 0 && s.Body[0].Table == nil {
				s.RunIn = true
				s.Heading += "。"
			}
			if level < 4 && rng.IntN(3) == 0 {
				s.Sections = sections(p+"/sections", level+1, 1+rng.IntN(3))
			}
			out = append(out, s)
		}
		return out
	}
	r.Sections = sections("/sections", 1, 1+rng.IntN(4))
	for range rng.IntN(4) {
		r.Attachments = append(r.Attachments, randomText(rng, 2+rng.IntN(50)))
	}
	randomDocumentForm(rng, r, blocks)
	return r
}

// randomDocumentForm adds the document form's fields to some reports (drawn after
// the rest, so that earlier seeds keep their text).
func randomDocumentForm(rng *rand.Rand, r *report.Report, blocks func(string, int) []report.Block) {
	if rng.IntN(3) == 0 {
		d := &report.Document{Organ: randomText(rng, 2+rng.IntN(40)), Number: "示司〔2025〕" + fmt.Sprint(rng.IntN(1000)) + "号"}
		if rng.IntN(2) == 0 {
			d.CopyNumber, d.Secrecy, d.Urgency = "000001", "秘密★1年", "特急"
		}
		for range rng.IntN(6) {
			d.Signers = append(d.Signers, randomText(rng, 2+rng.IntN(4)))
		}
		for range rng.IntN(8) {
			d.CC = append(d.CC, randomText(rng, 2+rng.IntN(20)))
		}
		if rng.IntN(2) == 0 {
			d.Printer, d.PrintDate = randomText(rng, 2+rng.IntN(20)), &report.Date{Year: 2025, Month: 1, Day: 16}
		}
		r.Document = d
	}
	if rng.IntN(3) == 0 {
		r.Note = randomText(rng, 2+rng.IntN(40))
	}
	if r.Date != nil && rng.IntN(3) == 0 {
		r.Seal = &report.Seal{PNG: []byte("png"), DiameterMM: 20 + 40*rng.Float64()}
	}
	for range rng.IntN(3) {
		n := len(r.Attachments) + 1
		p := fmt.Sprintf("/attachments/%d", n-1)
		a := report.Attachment{Path: p, Number: n, Title: randomText(rng, 2+rng.IntN(40)), Body: blocks(p, rng.IntN(5))}
		r.Attachments = append(r.Attachments, a.Title)
		r.AttachmentPages = append(r.AttachmentPages, a)
	}
}

func checkRandom(t *testing.T, seed uint64) {
	t.Helper()
	doc := compose.Compose(randomReport(seed))
	lay, err := Typeset(doc, fm)
	if err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	checkInvariants(t, doc, lay, false)
	if t.Failed() {
		t.Fatalf("seed %d failed", seed)
	}
}

func TestRandomReports(t *testing.T) {
	n := uint64(150)
	if testing.Short() {
		n = 20
	}
	for seed := range n {
		checkRandom(t, seed)
	}
}

func FuzzTypeset(f *testing.F) {
	// 1<<40 + 279: a row taller than a page whose empty line (a "\n\n" in a cell)
	// ends the first part: its break must reach the next part.
	for _, s := range []uint64{0, 1, 2, 42, 1 << 40, 1<<40 + 279} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) { checkRandom(t, seed) })
}

// FuzzLineBreaking feeds arbitrary text to one paragraph.
func FuzzLineBreaking(f *testing.F) {
	for _, s := range []string{wuchuanParas[0], wuchuanParas[5], "。。。。", "——……——", "a\n\nb", "《《《《（（（（", strings.Repeat("x", 600)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = strings.ToValidUTF8(strings.Map(func(r rune) rune {
			if r < 0x20 && r != '\n' || r == 0x7f || r >= 0xd800 && r < 0xe000 || r > 0x10ffff {
				return -1
			}
			return r
		}, s), "")
		s = strings.TrimSpace(s) // report.Parse trims every text
		if s == "" {
			return
		}
		doc := bodyDoc(s)
		lay, err := Typeset(doc, fm)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, doc, lay, false)
	})
}
