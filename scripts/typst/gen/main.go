// Command gen turns a report JSON into a Typst document that prints the same text in
// the same faces on the same page geometry as `gongwen render`, so that Typst and
// gongwen can be timed on the same amount of work (issue 15; scripts/typst/bench.sh).
// It is a benchmark tool, not a second renderer: the layout follows internal/spec
// (A4, 版心 156×225 mm, 28 characters × 22 lines, 3号 body, 2号 title, "— N —" page
// numbers alternating sides) closely enough that the page count matches, not to the
// point.
//
//	go run ./scripts/typst/gen [-typst 0.10|0.14] [-o out.typ] report.json
//	go run ./scripts/typst/gen -variants 200 -dir DIR [-typst 0.14] report.json
//
// The second form writes DIR/rNNN.json and DIR/rNNN.typ for N = 0..199: variant k
// rotates every paragraph's text by k characters (variant 0 is the report itself), so
// each document has the same characters, fonts and length but different lines, and a
// compiler cannot reuse one document's paragraph layouts for the next.
//
// Two Typst versions are in use (the npm CLI is 0.10, the typst.ts compiler that
// stays warm in Node is 0.14): -typst picks the dialect of the few lines that differ
// (paragraph spacing, CJK-Latin spacing); everything else is the same markup.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gongwen/internal/compose"
	"gongwen/internal/fonts"
	"gongwen/internal/report"
	"gongwen/internal/spec"
	"gongwen/internal/typeset"
)

func main() {
	out := flag.String("o", "", "write the Typst document to FILE (default: standard output)")
	dialect := flag.String("typst", "0.10", "Typst version to write for: 0.10 (the CLI) or 0.14 (typst.ts 0.7)")
	variants := flag.Int("variants", 0, "write this many variants (rNNN.json and rNNN.typ) into -dir")
	dir := flag.String("dir", "", "directory of the variants")
	flag.Parse()
	if flag.NArg() != 1 || (*dialect != "0.10" && *dialect != "0.14") || (*variants > 0 && *dir == "") {
		fmt.Fprintln(os.Stderr, "usage: gen [-typst 0.10|0.14] [-o out.typ] report.json\n       gen -variants N -dir DIR [-typst 0.10|0.14] report.json")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *out, *dialect, *variants, *dir); err != nil {
		slog.Error("gen failed", "err", err)
		os.Exit(1)
	}
}

func run(in, out, dialect string, variants int, dir string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	if variants == 0 {
		src, err := typstOf(data, dialect)
		if err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		if out == "" {
			_, err = os.Stdout.WriteString(src)
			return err
		}
		return os.WriteFile(out, []byte(src), 0o644)
	}
	var tree any
	if err := json.Unmarshal(data, &tree); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for k := range variants {
		v, err := json.MarshalIndent(rotate(tree, k, ""), "", "  ")
		if err != nil {
			return err
		}
		src, err := typstOf(v, dialect)
		if err != nil {
			return fmt.Errorf("variant %d: %w", k, err)
		}
		base := filepath.Join(dir, fmt.Sprintf("r%03d", k))
		if err := os.WriteFile(base+".json", v, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(base+".typ", []byte(src), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// rotate copies the JSON tree with the paragraphs (strings of "preamble" and "body"
// arrays, and "paragraph" values) rotated left by k characters.
func rotate(v any, k int, key string) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for name, x := range t {
			if s, ok := x.(string); ok && name == "paragraph" {
				m[name] = rotateText(s, k)
				continue
			}
			m[name] = rotate(x, k, name)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			if s, ok := x.(string); ok && (key == "preamble" || key == "body") {
				l[i] = rotateText(s, k)
				continue
			}
			l[i] = rotate(x, k, key)
		}
		return l
	}
	return v
}

// rotateText rotates s by k runes, keeping forced line breaks off both ends (the
// contract trims a paragraph's edges).
func rotateText(s string, k int) string {
	r := []rune(s)
	if len(r) < 2 || k == 0 {
		return s
	}
	k %= len(r)
	out := string(append(append([]rune{}, r[k:]...), r[:k]...))
	return strings.Trim(out, " \n\t\u3000")
}

// Face families as Typst names them in fonts/ (typst fonts --font-path fonts
// --variants): Typst selects a face by family and weight. Each role lists the Noto
// Serif family second, as gongwen draws what a role's face lacks in Noto Serif CJK
// SC; Typst keeps the role's weight for it, so that fallback is Regular (Light in
// gongwen). The Wuchuan example needs no fallback glyph (its PDF embeds five faces).
var roleFont = map[spec.Role]string{
	spec.RoleFangsong: `(font: ("FandolFang R", "Noto Serif CJK SC"), weight: 400)`,
	spec.RoleKai:      `(font: ("FandolKai", "Noto Serif CJK SC"), weight: 400)`,
	spec.RoleTitle:    `(font: "Noto Serif CJK SC", weight: 700)`,
	spec.RoleHei:      `(font: ("Noto Sans CJK SC", "Noto Serif CJK SC"), weight: 500)`,
	spec.RoleSong:     `(font: "Noto Serif CJK SC", weight: 400)`,
}

func typstOf(data []byte, dialect string) (string, error) {
	r, _, err := report.Parse(data)
	if err != nil {
		return "", err
	}
	d := compose.Compose(r)
	set, err := fonts.Default()
	if err != nil {
		return "", err
	}
	w := writer{issuer: d.Author, metrics: set}
	w.preamble(d, dialect)
	for i := range d.Blocks {
		w.block(&d.Blocks[i])
	}
	return w.String(), nil
}

type writer struct {
	strings.Builder
	issuer  string
	metrics typeset.Metrics
}

func (w *writer) f(format string, args ...any) { fmt.Fprintf(w, format, args...) }

// pt formats a length in points.
func pt(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) + "pt" }

// Grid: every line box is one grid slot (LinePitch) tall, its em box centred in it
// as the typesetter centres it (0.88 em above the baseline, spec.EmAscent), so
// lines, paragraphs and headings need no leading or spacing to stay on the 22-line
// grid; tracking makes 28 characters fill the 156 mm line (15.79 pt a cell).
var tracking = -(spec.BodySize - spec.Cell) - 0.01

// edges is the top-edge and bottom-edge of a line box of type size size.
func edges(size float64) string {
	pad := (spec.LinePitch - size) / 2
	return fmt.Sprintf("top-edge: %gem + %s, bottom-edge: %gem - %s", spec.EmAscent, pt(pad), spec.EmAscent-1, pt(pad))
}

func (w *writer) preamble(d *compose.Document, dialect string) {
	w.f("// Generated by scripts/typst/gen from a gongwen report (Typst %s); see scripts/typst/bench.sh.\n", dialect)
	for _, role := range spec.Roles {
		w.f("#let %s = %s\n", role.Name(), roleFont[role])
	}
	w.f("#set document(title: %s, author: %s)\n", str(d.Title), str(d.Author))
	// Page numbers: 4号 song, "— N —"; odd pages right-aligned one cell in from the
	// right edge, even pages left-aligned one cell in. The footer's box starts at the
	// type area's bottom edge (footer-descent 0): its top edge puts the baseline on
	// spec.PageNumberBaseline. The numbering function is the one way both 0.10 and
	// 0.14 hand the footer the page number without locate/context.
	inset := pt(spec.Cell * spec.PageNumberInsetCells)
	w.f(`#let pagenum(n) = {
  let t = text(size: %s, ..song, top-edge: %s, bottom-edge: -0.12em, tracking: 0pt, "— " + str(n) + " —")
  if calc.odd(n) { align(right, t + h(%s)) } else { align(left, h(%s) + t) }
}
#set page(paper: "a4", margin: (top: %gmm, bottom: %gmm, left: %gmm, right: %gmm),
  numbering: (..n) => pagenum(n.pos().first()), number-align: center + bottom, footer-descent: 0pt)
`, pt(spec.PageNumberSize), pt(spec.PageNumberBaseline()-spec.TypeBottom), inset, inset,
		spec.MarginTopMM, spec.MarginBottomMM, spec.MarginLeftMM, spec.MarginRightMM)
	w.f("#set text(size: %s, lang: \"zh\", region: \"cn\", %s, tracking: %s, ..fangsong)\n",
		pt(spec.BodySize), edges(spec.BodySize), pt(tracking))
	w.f("#set par(justify: true, leading: 0pt)\n")
	if dialect == "0.10" {
		w.f("#show par: set block(spacing: 0pt)\n")
	} else {
		w.f("#set par(spacing: 0pt)\n#set text(cjk-latin-spacing: none)\n")
	}
	w.f("#set block(spacing: 0pt)\n")
	// Headings are paragraphs of the format (indented two cells, numbered in their
	// text) that also make the PDF outline, as gongwen's bookmarks.
	w.f("#show heading: it => block(width: 100%%, par(justify: true, h(%s) + it.body))\n", pt(spec.IndentCells*spec.Cell))
	w.f("#let indent = h(%s)\n", pt(spec.IndentCells*spec.Cell))
	w.f("#let blank(n) = v(n * %s)\n", pt(spec.LinePitch))
}

// str is s as a Typst string literal: the text is inserted as text, never parsed as
// markup.
func str(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// runs is text in a role as Typst code, forced line breaks as linebreak().
func runs(s string, role spec.Role) string {
	parts := strings.Split(s, "\n")
	for i, p := range parts {
		parts[i] = fmt.Sprintf("text(..%s, %s)", role.Name(), str(p))
	}
	return strings.Join(parts, " + linebreak() + ")
}

func (w *writer) para(code string) { w.f("#(indent + %s)\n\n", code) }

func (w *writer) block(b *compose.Block) {
	switch b.Kind {
	case compose.KindTitle:
		// 2号, centred, broken where gongwen breaks it; each line one grid slot, one
		// blank slot below.
		lines := typeset.TitleLines(b.Runs[0].Text, w.issuer, w.metrics)
		w.f("#align(center, text(size: %s, tracking: 0pt, %s, %s))\n#blank(%d)\n\n",
			pt(spec.TitleSize), edges(spec.TitleSize), runs(strings.Join(lines, "\n"), b.Runs[0].Role), spec.TitleBlankLines)
	case compose.KindAddressee:
		w.f("#(%s)\n\n", runs(b.Runs[0].Text, b.Runs[0].Role))
	case compose.KindHeading:
		// The size is set inside: Typst's heading styles (1.4 em …) outrank a show-set rule.
		w.f("#heading(level: %d, numbering: none, text(size: %s, %s))\n\n", b.Level, pt(spec.BodySize), runs(b.Runs[0].Text, b.Runs[0].Role))
	case compose.KindParagraph, compose.KindNote:
		var code []string
		for _, r := range b.Runs {
			code = append(code, runs(r.Text, r.Role))
		}
		if b.Level > 0 {
			// A run-in heading is a bookmark too: a hidden heading that takes no space.
			w.f("#place(hide(heading(level: %d, numbering: none, text(size: %s, %s))))\n", b.Level, pt(spec.BodySize), str(b.Bookmark))
		}
		w.para(strings.Join(code, " + "))
	case compose.KindTable:
		w.table(b.Table)
	case compose.KindAttachments:
		var code []string
		for i, it := range b.Items {
			if i == 0 {
				it = spec.AttachmentLabel + it
			} else {
				code = append(code, "linebreak()", fmt.Sprintf("h(%s)", pt((spec.IndentCells+3)*spec.Cell)))
			}
			code = append(code, runs(it, spec.RoleFangsong))
		}
		w.f("#blank(%d)\n", spec.AttachmentBlankLines)
		w.para(strings.Join(code, " + "))
	case compose.KindSignature:
		gap := pt(spec.SignatureRightGapCells * spec.Cell)
		w.f("#blank(%d)\n", spec.SignatureBlankLines)
		w.f("#align(right, %s + h(%s) + linebreak() + %s + h(%s))\n\n", runs(b.Issuer, spec.RoleFangsong), gap, runs(b.Date, spec.RoleFangsong), gap)
	case compose.KindHeader:
		h := b.Header
		for _, s := range []string{h.CopyNumber, h.Secrecy, h.Urgency} {
			if s != "" {
				w.f("#(%s)\n\n", runs(s, spec.RoleHei))
			}
		}
		w.f("#align(center, text(size: %s, fill: rgb(%d, %d, %d), tracking: 0pt, %s))\n\n",
			pt(spec.OrganSize), spec.Red.R, spec.Red.G, spec.Red.B, runs(h.Organ, spec.RoleTitle))
		if len(h.Signers) > 0 {
			w.f("#(%s + h(1fr) + %s)\n\n", runs(h.Number, spec.RoleFangsong), runs(h.SignerText(), spec.RoleFangsong))
		} else {
			w.f("#align(center, %s)\n\n", runs(h.Number, spec.RoleFangsong))
		}
		w.f("#line(length: 100%%, stroke: %s + rgb(%d, %d, %d))\n\n", pt(spec.SeparatorWidth), spec.Red.R, spec.Red.G, spec.Red.B)
	case compose.KindAttachmentPage:
		w.f("#pagebreak()\n#(%s)\n\n", runs(b.Label, spec.RoleHei))
		w.f("#align(center, text(size: %s, tracking: 0pt, %s))\n\n", pt(spec.TitleSize), runs(b.Runs[0].Text, b.Runs[0].Role))
	case compose.KindRecord:
		rec := b.Record
		w.f("#v(1fr)\n#line(length: 100%%, stroke: %s)\n", pt(spec.RecordThick))
		if rec.CC != "" {
			w.f("#(h(1em) + text(size: %s, %s))\n#line(length: 100%%, stroke: %s)\n", pt(spec.RecordSize), runs(rec.CC, spec.RoleFangsong), pt(spec.RecordThin))
		}
		if rec.Printer != "" || rec.PrintDate != "" {
			w.f("#(h(1em) + text(size: %s, %s) + h(1fr) + text(size: %s, %s) + h(1em))\n", pt(spec.RecordSize), runs(rec.Printer, spec.RoleFangsong), pt(spec.RecordSize), runs(rec.PrintDate, spec.RoleFangsong))
		}
		w.f("#line(length: 100%%, stroke: %s)\n\n", pt(spec.RecordThick))
	}
}

// table: ruled, the type area's width, 16 pt cells on whole grid lines, the caption
// centred above (as the typesetter's tables).
func (w *writer) table(t *report.Table) {
	if t.Caption != "" {
		w.f("#align(center, %s)\n\n", runs(t.Caption, spec.RoleHei))
	}
	w.f("#table(columns: %d, stroke: %s, inset: (x: %s, y: %s), align: center + horizon,\n", len(t.Header), pt(spec.TableRuleWidth), pt(spec.TableCellPadding), "0pt")
	for _, c := range t.Header {
		w.f("  %s,\n", runs(c, spec.RoleHei))
	}
	for _, row := range t.Rows {
		for _, c := range row {
			w.f("  %s,\n", runs(c, spec.RoleFangsong))
		}
	}
	w.f(")\n\n")
}
