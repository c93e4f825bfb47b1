// Package templates holds the official-format Word template as readable OOXML source
// (official/, one XML file per part) and turns it into a .docx once per process.
//
// The parts are text/template files whose every format number is filled in from
// internal/spec, so the DOCX and the PDF share one source of truth; the files are
// well-formed XML as they stand (placeholders sit in attribute values), so they can be
// reviewed and diffed like any XML. internal/docx puts a report's body in at the
// BodyMarker comment and its core properties at the Core* markers.
package templates

import (
	"archive/zip"
	"bytes"
	"context"
	"embed"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
	"text/template"

	"gongwen/internal/spec"
)

// all: keeps the _rels directories, which go:embed would otherwise skip.
//
//go:embed all:official
var files embed.FS

// Markers in the parts, replaced per document by internal/docx. They are XML comments
// so that the template parts stay well-formed and open as they are.
const (
	BodyMarker        = "<!--gongwen:body-->"    // word/document.xml, inside w:body
	CoreTitleMarker   = "<!--gongwen:title-->"   // docProps/core.xml, dc:title
	CoreSubjectMarker = "<!--gongwen:subject-->" // docProps/core.xml, dc:subject
	CoreCreatorMarker = "<!--gongwen:creator-->" // docProps/core.xml, dc:creator and lastModifiedBy
	CoreDatesMarker   = "<!--gongwen:dates-->"   // docProps/core.xml, where created/modified go
)

// FontEmbedMarker marks, in word/fontTable.xml, where an official font's entry takes
// the w:embedRegular element of the stand-in subset embedded per document.
func FontEmbedMarker(name string) string { return "<!--gongwen:embed:" + name + "-->" }

// Part names the renderer touches.
const (
	DocumentPart  = "word/document.xml"
	CorePart      = "docProps/core.xml"
	FontTablePart = "word/fontTable.xml"
	// FontTableRels is the font table's relationships to the embedded fonts, a part
	// of every document that embeds fonts (not of the template).
	FontTableRels = "word/_rels/fontTable.xml.rels"
)

// Parts lists every part in the order it is zipped: [Content_Types].xml first, as
// some readers expect, then a fixed order so the bytes never depend on a map or a
// directory listing. A test checks it against the embedded files.
var Parts = []string{
	"[Content_Types].xml",
	"_rels/.rels",
	"docProps/core.xml",
	"docProps/app.xml",
	"word/document.xml",
	"word/_rels/document.xml.rels",
	"word/styles.xml",
	"word/settings.xml",
	"word/fontTable.xml",
	"word/footer1.xml",
	"word/footer2.xml",
	"word/footer3.xml",
}

// StandIn is the family name of the open-licensed face the PDF embeds for each role
// (fonts/README.md), named in the DOCX font table as a last alternate. The title's
// stand-in is the Bold of "Noto Serif CJK SC", whose family name is the song's;
// FandolFang's family name is "FandolFang R", as its name table has it.
var StandIn = map[spec.Role]string{
	spec.RoleFangsong: "FandolFang R",
	spec.RoleTitle:    "Noto Serif CJK SC",
	spec.RoleHei:      "Noto Sans CJK SC Medium",
	spec.RoleKai:      "FandolKai",
	spec.RoleSong:     "Noto Serif CJK SC",
}

// Font is one entry of word/fontTable.xml.
type Font struct {
	Name, AltName, Panose, Family, Pitch string
	// EmbedMarker is FontEmbedMarker(Name) for the official fonts the styles name,
	// which carry the embedded stand-ins; "" for the others.
	EmbedMarker string
}

// Heading is one heading level's style.
type Heading struct {
	Level, OutlineLevel int
	Font                string
}

// EmbedFonts lists the fonts whose font table entries carry an embed marker
// (FontEmbedMarker), in the table's order.
func EmbedFonts() []string {
	var out []string
	for _, f := range fontTable() {
		if f.EmbedMarker != "" {
			out = append(out, f.Name)
		}
	}
	return out
}

// Values are the numbers and names filled into the parts, all derived from spec.
type Values struct {
	PageWidth, PageHeight                            int
	MarginTop, MarginRight, MarginBottom, MarginLeft int
	HeaderDistance, FooterDistance                   int
	LinePitch                                        int
	BodySize, TitleSize, PageNumberSize              int // half-points
	CharSpacing                                      int // twentieths of a point
	IndentChars, IndentTwips                         int
	AttachLeftChars, AttachLeftTwips                 int
	AttachLabelChars, AttachLabelTwips               int
	SignatureGapChars, SignatureGapTwips             int
	SignatureTab                                     int // right tab stop: the type area's width less the gap
	PageNumberInset, PageNumberLine                  int
	CellPadding                                      int // twips
	RuleEighths                                      int // table rules, eighths of a point
	PageDash                                         string
	NoLineStart, NoLineEnd                           string // attribute-escaped
	Font                                             struct{ Fangsong, Title, Hei, Kai, Song string }
	Headings                                         []Heading
	Fonts                                            []Font
	Form                                             FormValues
}

// FormValues are the numbers of the document form's styles (版头, 附注, 版记).
type FormValues struct {
	OrganSize, RecordSize int    // half-points
	RecordGap, RecordTab  int    // twips: the 版记's one-character gaps; the print date's right tab
	Red                   string // the 标志's colour, RRGGBB
}

// chars converts a count of body characters into the hundredths of a character that
// the …Chars attributes take.
func chars(cells float64) int { return int(cells*100 + 0.5) }

// eighths converts points to the eighths of a point that border widths take.
func eighths(pt float64) int { return int(pt*8 + 0.5) }

// bodyTwips is the width of n body characters in twips as Word measures character
// indents: n times the body type size.
func bodyTwips(cells float64) int { return spec.Twips(cells * spec.BodySize) }

// NewValues derives every value of the template from spec.
func NewValues() Values {
	labelCells := float64(len([]rune(spec.AttachmentLabel)))
	v := Values{
		PageWidth:    spec.DocxPageWidth,
		PageHeight:   spec.DocxPageHeight,
		MarginTop:    spec.DocxMarginTop,
		MarginRight:  spec.DocxMarginRight,
		MarginBottom: spec.DocxMarginBottom,
		MarginLeft:   spec.DocxMarginLeft,
		// w:footer is measured from the page's bottom edge to the bottom of the
		// footer's line (one em high, exact): put that line's baseline where the PDF
		// puts the page number's, so the dashes' top is spec.PageNumberGap below the
		// type area.
		FooterDistance:    spec.Twips(spec.PageHeight - spec.PageNumberBaseline() - spec.DocxFooterDescentEm*spec.PageNumberSize),
		LinePitch:         spec.LinePitchTwips,
		BodySize:          spec.HalfPoints(spec.BodySize),
		TitleSize:         spec.HalfPoints(spec.TitleSize),
		PageNumberSize:    spec.HalfPoints(spec.PageNumberSize),
		CharSpacing:       spec.DocxCharSpacing,
		IndentChars:       chars(spec.IndentCells),
		IndentTwips:       bodyTwips(spec.IndentCells),
		AttachLeftChars:   chars(spec.IndentCells + labelCells),
		AttachLeftTwips:   bodyTwips(spec.IndentCells + labelCells),
		AttachLabelChars:  chars(labelCells),
		AttachLabelTwips:  bodyTwips(labelCells),
		SignatureGapChars: chars(spec.SignatureRightGapCells),
		SignatureGapTwips: bodyTwips(spec.SignatureRightGapCells),
		SignatureTab:      spec.DocxPageWidth - spec.DocxMarginLeft - spec.DocxMarginRight - bodyTwips(spec.SignatureRightGapCells),
		PageNumberInset:   spec.Twips(spec.PageNumberInsetCells * spec.Cell),
		PageNumberLine:    spec.Twips(spec.PageNumberSize),
		CellPadding:       spec.Twips(spec.TableCellPadding),
		RuleEighths:       eighths(spec.TableRuleWidth),
		PageDash:          spec.PageNumberDash,
		NoLineStart:       escapeAttr(spec.NoLineStart),
		NoLineEnd:         escapeAttr(spec.NoLineEnd),
	}
	// There is no header; its distance only has to be valid, so it mirrors the footer's.
	v.HeaderDistance = v.FooterDistance
	v.Font.Fangsong = spec.RoleFangsong.OfficialFont()
	v.Font.Title = spec.RoleTitle.OfficialFont()
	v.Font.Hei = spec.RoleHei.OfficialFont()
	v.Font.Kai = spec.RoleKai.OfficialFont()
	v.Font.Song = spec.RoleSong.OfficialFont()
	for level := 1; level <= spec.MaxHeadingLevel; level++ {
		v.Headings = append(v.Headings, Heading{Level: level, OutlineLevel: level - 1,
			Font: spec.HeadingRole(level).OfficialFont()})
	}
	v.Fonts = fontTable()
	v.Form = FormValues{
		OrganSize:  spec.HalfPoints(spec.OrganSize),
		RecordSize: spec.HalfPoints(spec.RecordSize),
		RecordGap:  spec.Twips(spec.RecordGapCells * spec.RecordSize),
		RecordTab:  spec.DocxPageWidth - spec.DocxMarginLeft - spec.DocxMarginRight - spec.Twips(spec.RecordGapCells*spec.RecordSize),
		Red:        spec.RedHex,
	}
	return v
}

// fontTable lists the official fonts (alternate: the Windows name), then every
// Windows name and stand-in not yet listed. PANOSE and pitch are those Windows
// reports for the faces; they only steer a reader's substitution.
func fontTable() []Font {
	panose := map[string]string{
		"仿宋_GB2312": "02010609030101010101", "仿宋": "02010609060101010101",
		"楷体_GB2312": "02010609030101010101", "楷体": "02010609060101010101",
		"黑体": "02010609060101010101", "宋体": "02010600030101010101",
	}
	var out []Font
	seen := map[string]bool{}
	add := func(name, alt string) {
		if seen[name] {
			return
		}
		seen[name] = true
		p, ok := panose[name]
		f := Font{Name: name, AltName: alt, Panose: p, Family: "modern", Pitch: "fixed"}
		if !ok {
			f.Panose, f.Family, f.Pitch = "02000000000000000000", "auto", "variable"
		}
		out = append(out, f)
	}
	for _, r := range spec.Roles {
		alt := r.AltFont()
		if alt == r.OfficialFont() {
			alt = StandIn[r]
		}
		add(r.OfficialFont(), alt)
		out[len(out)-1].EmbedMarker = FontEmbedMarker(r.OfficialFont())
	}
	for _, r := range spec.Roles {
		add(r.AltFont(), StandIn[r])
	}
	for _, r := range spec.Roles {
		add(StandIn[r], "")
	}
	return out
}

func escapeAttr(s string) string {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		panic(err) // writes to a strings.Builder cannot fail
	}
	return b.String()
}

var (
	once    sync.Once
	docx    []byte
	docxErr error
)

// generated is build(NewValues(), zip.Deflate) as of the last regeneration, so that a process does
// not deflate the template at start-up (7.7 M instructions, 9 % of a whole
// pdf,docx render). TestGeneratedTemplate fails when it differs from what build makes
// now (a changed part or format number) and names the command that regenerates it:
//
//	go test ./templates -run TestGeneratedTemplate -update
//
//go:embed template.docx
var generated []byte

// generatedStored is the same archive with every part stored (build with
// zip.Store), regenerated with it: what is read as text at start-up (by
// nguyenthenguyen/docx, and the parts the DOCX writer fills) is read from it, not
// inflated from template.docx (about 500,000 instructions, 2 % of a one-document
// process). template.docx stays what is copied, compressed, into every DOCX.
//
//go:embed template-stored.docx
var generatedStored []byte

var (
	storedOnce sync.Once
	stored     []byte
	storedErr  error
)

// Docx returns the template as a .docx file, shared: callers must not modify the
// slice. It is the generated file; an empty one (to regenerate from scratch) makes
// it build the template on first use.
func Docx() ([]byte, error) {
	once.Do(func() {
		if len(generated) > 0 {
			docx = generated
			return
		}
		docx, docxErr = build(NewValues(), zip.Deflate)
	})
	return docx, docxErr
}

// DocxStored is Docx with every part stored uncompressed: the same parts, in the
// same order, for reading their text without inflating it. Shared, as Docx's.
func DocxStored() ([]byte, error) {
	storedOnce.Do(func() {
		if len(generatedStored) > 0 {
			stored = generatedStored
			return
		}
		stored, storedErr = build(NewValues(), zip.Store)
	})
	return stored, storedErr
}

// build fills in every part and zips the parts in Parts order with method. It does
// not check the parts are well-formed, as Part does: they depend only on the
// embedded files and internal/spec, so TestDocxBuiltOnceAndWellFormed checks exactly
// what a process would, and the check was a quarter of the build's 11.6 M
// instructions.
func build(v Values, method uint16) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range Parts {
		part, err := fill(name, v)
		if err != nil {
			return nil, err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			return nil, fmt.Errorf("templates: zip %s: %w", name, err)
		}
		if _, err := w.Write(part); err != nil {
			return nil, fmt.Errorf("templates: zip %s: %w", name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("templates: zip: %w", err)
	}
	return buf.Bytes(), nil
}

// Part returns one part with v filled in, checked to be well-formed XML.
func Part(name string, v Values) ([]byte, error) {
	out, err := fill(name, v)
	if err != nil {
		return nil, err
	}
	if err := WellFormed(out); err != nil {
		return nil, fmt.Errorf("templates: %s: %w", name, err)
	}
	return out, nil
}

// fill returns one part with v filled in.
func fill(name string, v Values) ([]byte, error) {
	src, err := fs.ReadFile(files, "official/"+name)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	t, err := template.New(name).Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("templates: parse %s: %w", name, err)
	}
	var out bytes.Buffer
	if err := t.Execute(&out, v); err != nil {
		return nil, fmt.Errorf("templates: fill %s: %w", name, err)
	}
	return out.Bytes(), nil
}

// WellFormed reports whether data is one well-formed XML document. Documents in the
// plain form we write are checked by a byte scanner (wellformed.go) in a tenth of the
// time; anything else, and every error, goes to wellFormedXML.
func WellFormed(data []byte) error {
	return WellFormedContext(context.Background(), data)
}

// WellFormedContext is WellFormed that stops when ctx ends (checked every 4,096
// tokens: a large document.xml takes a good part of a DOCX render to check).
func WellFormedContext(ctx context.Context, data []byte) error {
	if simpleWellFormed(ctx, data) {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return wellFormedXML(ctx, data)
}

// wellFormedXML reads raw tokens with encoding/xml (no namespace translation, which
// costs more than the rest) and matches start and end tags itself.
func wellFormedXML(ctx context.Context, data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []xml.Name
	roots := 0
	for n := 0; ; n++ {
		if n%4096 == 4095 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				roots++
			}
			stack = append(stack, e.Name)
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1] != e.Name {
				line, col := d.InputPos()
				return fmt.Errorf("line %d column %d: unexpected end element </%s>", line, col, qname(e.Name))
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 && len(bytes.TrimSpace(e)) > 0 {
				return fmt.Errorf("text outside the root element")
			}
		}
	}
	if roots != 1 || len(stack) != 0 {
		return fmt.Errorf("want one complete root element, got %d (%d left open)", roots, len(stack))
	}
	return nil
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}
