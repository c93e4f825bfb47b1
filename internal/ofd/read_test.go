package ofd

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strconv"
	"strings"
	"testing"
)

// This file is the tests' own OFD reader, written from GB/T 33190 rather than from the
// writer: it opens the package by following references from OFD.xml, as a reader
// does, and fails on anything that does not resolve.

type pkgFile struct {
	name string
	data []byte
}

// ofdPackage is a package read back.
type ofdPackage struct {
	files   map[string][]byte
	order   []string
	root    xOFD
	docPath string // Doc_0/Document.xml
	doc     xDocument
	fonts   map[int]xFont       // by ID
	fontLoc map[int]string      // package path of each font file
	media   map[int]string      // package path of each image
	pages   []xPage             // in document order
	pageIDs []int               // Document.xml's page IDs
	ids     map[int]string      // every ID, with what carries it
	parts   map[string]xmlKind  // every XML part and its schema
	objects [][]xTextObjectFlat // text objects per page, in content order
}

type xmlKind string

type xOFD struct {
	XMLName xml.Name `xml:"OFD"`
	Version string   `xml:"Version,attr"`
	DocType string   `xml:"DocType,attr"`
	Bodies  []struct {
		Info struct {
			DocID        string `xml:"DocID"`
			Title        string `xml:"Title"`
			Author       string `xml:"Author"`
			Subject      string `xml:"Subject"`
			CreationDate string `xml:"CreationDate"`
			ModDate      string `xml:"ModDate"`
			Creator      string `xml:"Creator"`
		} `xml:"DocInfo"`
		DocRoot string `xml:"DocRoot"`
	} `xml:"DocBody"`
}

type xOutline struct {
	Title string `xml:"Title,attr"`
	Dest  struct {
		PageID int     `xml:"PageID,attr"`
		Top    float64 `xml:"Top,attr"`
	} `xml:"Actions>Action>Goto>Dest"`
	Children []xOutline `xml:"OutlineElem"`
}

type xDocument struct {
	MaxUnitID   int      `xml:"CommonData>MaxUnitID"`
	PhysicalBox string   `xml:"CommonData>PageArea>PhysicalBox"`
	PublicRes   []string `xml:"CommonData>PublicRes"`
	DocumentRes []string `xml:"CommonData>DocumentRes"`
	Pages       []struct {
		ID      int    `xml:"ID,attr"`
		BaseLoc string `xml:"BaseLoc,attr"`
	} `xml:"Pages>Page"`
	Outlines []xOutline `xml:"Outlines>OutlineElem"`
}

type xFont struct {
	ID         int    `xml:"ID,attr"`
	FontName   string `xml:"FontName,attr"`
	FamilyName string `xml:"FamilyName,attr"`
	FontFile   string `xml:"FontFile"`
}

type xRes struct {
	BaseLoc string  `xml:"BaseLoc,attr"`
	Fonts   []xFont `xml:"Fonts>Font"`
	Media   []struct {
		ID        int    `xml:"ID,attr"`
		Type      string `xml:"Type,attr"`
		Format    string `xml:"Format,attr"`
		MediaFile string `xml:"MediaFile"`
	} `xml:"MultiMedias>MultiMedia"`
}

type xColor struct {
	Value string `xml:"Value,attr"`
}

type xTextCode struct {
	X      float64 `xml:"X,attr"`
	Y      float64 `xml:"Y,attr"`
	DeltaX string  `xml:"DeltaX,attr"`
	Text   string  `xml:",chardata"`
}

// xObject is any page object; which one is in XMLName.
type xObject struct {
	XMLName    xml.Name
	ID         int         `xml:"ID,attr"`
	Boundary   string      `xml:"Boundary,attr"`
	Font       int         `xml:"Font,attr"`
	Size       float64     `xml:"Size,attr"`
	HScale     string      `xml:"HScale,attr"`
	LineWidth  string      `xml:"LineWidth,attr"`
	CTM        string      `xml:"CTM,attr"`
	ResourceID int         `xml:"ResourceID,attr"`
	Fill       *xColor     `xml:"FillColor"`
	Stroke     *xColor     `xml:"StrokeColor"`
	Codes      []xTextCode `xml:"TextCode"`
	Data       string      `xml:"AbbreviatedData"`
}

type xPage struct {
	Layers []struct {
		ID      int       `xml:"ID,attr"`
		Objects []xObject `xml:",any"`
	} `xml:"Content>Layer"`
}

// xTextObjectFlat is one TextCode with its object's font and size, glyph positions
// expanded (millimetres from the page's top-left corner).
type xTextObjectFlat struct {
	Font  int
	Size  float64
	Color string
	Text  string
	X, Y  []float64
}

// readPackage opens data as an OFD package, failing the test on any reference that
// does not resolve.
func readPackage(t testing.TB, data []byte) *ofdPackage {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	p := &ofdPackage{files: map[string][]byte{}, fonts: map[int]xFont{}, fontLoc: map[int]string{},
		media: map[int]string{}, ids: map[int]string{}, parts: map[string]xmlKind{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if _, dup := p.files[f.Name]; dup {
			t.Fatalf("entry %s twice", f.Name)
		}
		p.files[f.Name] = b
		p.order = append(p.order, f.Name)
	}
	get := func(name, from string) []byte {
		t.Helper()
		if strings.Contains(name, "://") || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
			t.Fatalf("%s refers to %q, not a location inside the package", from, name)
		}
		b, ok := p.files[name]
		if !ok {
			t.Fatalf("%s refers to %s, which the package lacks", from, name)
		}
		return b
	}
	parse := func(name, from string, kind xmlKind, v any) {
		t.Helper()
		p.parts[name] = kind
		if err := xml.Unmarshal(get(name, from), v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	addID := func(id int, what string) {
		t.Helper()
		if id <= 0 {
			t.Fatalf("%s has ID %d", what, id)
		}
		if prev, ok := p.ids[id]; ok {
			t.Fatalf("ID %d used by %s and %s", id, prev, what)
		}
		p.ids[id] = what
	}
	parse("OFD.xml", "the package", "OFD.xsd", &p.root)
	if len(p.root.Bodies) != 1 {
		t.Fatalf("OFD.xml has %d DocBody", len(p.root.Bodies))
	}
	p.docPath = p.root.Bodies[0].DocRoot
	parse(p.docPath, "OFD.xml", "Document.xsd", &p.doc)
	dir := path.Dir(p.docPath)
	for _, loc := range append(append([]string(nil), p.doc.PublicRes...), p.doc.DocumentRes...) {
		resPath := path.Join(dir, loc)
		var res xRes
		parse(resPath, p.docPath, "Res.xsd", &res)
		base := path.Join(path.Dir(resPath), res.BaseLoc)
		for _, f := range res.Fonts {
			addID(f.ID, "font "+f.FontName)
			p.fonts[f.ID] = f
			p.fontLoc[f.ID] = path.Join(base, f.FontFile)
			get(p.fontLoc[f.ID], resPath)
		}
		for _, m := range res.Media {
			addID(m.ID, "image "+m.MediaFile)
			p.media[m.ID] = path.Join(base, m.MediaFile)
			get(p.media[m.ID], resPath)
		}
	}
	for _, pg := range p.doc.Pages {
		addID(pg.ID, "page "+pg.BaseLoc)
		p.pageIDs = append(p.pageIDs, pg.ID)
		var page xPage
		loc := path.Join(dir, pg.BaseLoc)
		parse(loc, p.docPath, "Page.xsd", &page)
		p.pages = append(p.pages, page)
		var texts []xTextObjectFlat
		for _, l := range page.Layers {
			addID(l.ID, "layer of "+loc)
			for _, o := range l.Objects {
				addID(o.ID, o.XMLName.Local+" in "+loc)
				switch o.XMLName.Local {
				case "TextObject":
					if _, ok := p.fonts[o.Font]; !ok {
						t.Fatalf("%s: text object %d uses font %d, which no resource declares", loc, o.ID, o.Font)
					}
					bx := box(t, o.Boundary)
					for _, c := range o.Codes {
						rs := []rune(c.Text)
						ds := expandDeltas(t, c.DeltaX)
						if len(rs) > 0 && len(ds) != len(rs)-1 {
							t.Fatalf("%s: text object %d: %d characters %q but %d DeltaX values %q", loc, o.ID, len(rs), c.Text, len(ds), c.DeltaX)
						}
						fl := xTextObjectFlat{Font: o.Font, Size: o.Size, Text: c.Text}
						if o.Fill != nil {
							fl.Color = o.Fill.Value
						}
						x := bx[0] + c.X
						for i := range rs {
							if i > 0 {
								x += ds[i-1]
							}
							// A reader clips an object to its boundary (GB/T 33190, CT_GraphicUnit Boundary).
							if x < bx[0] || x > bx[0]+bx[2] || bx[1]+c.Y < bx[1] || c.Y > bx[3] {
								t.Fatalf("%s: text object %d: glyph %d at (%g, %g) outside its boundary %q", loc, o.ID, i, x, bx[1]+c.Y, o.Boundary)
							}
							fl.X = append(fl.X, x)
							fl.Y = append(fl.Y, bx[1]+c.Y)
						}
						texts = append(texts, fl)
					}
				case "ImageObject":
					if _, ok := p.media[o.ResourceID]; !ok {
						t.Fatalf("%s: image object %d shows resource %d, which no resource declares", loc, o.ID, o.ResourceID)
					}
				case "PathObject":
				default:
					t.Fatalf("%s: unexpected object %s", loc, o.XMLName.Local)
				}
			}
		}
		p.objects = append(p.objects, texts)
	}
	var walk func([]xOutline)
	walk = func(es []xOutline) {
		for _, e := range es {
			found := false
			for _, id := range p.pageIDs {
				found = found || id == e.Dest.PageID
			}
			if !found {
				t.Fatalf("outline entry %q goes to page ID %d, which is no page", e.Title, e.Dest.PageID)
			}
			walk(e.Children)
		}
	}
	walk(p.doc.Outlines)
	maxID := 0
	for id := range p.ids {
		maxID = max(maxID, id)
	}
	if p.doc.MaxUnitID != maxID {
		t.Errorf("MaxUnitID %d, largest ID %d", p.doc.MaxUnitID, maxID)
	}
	// Everything in the package is reachable from OFD.xml.
	reached := map[string]bool{}
	for name := range p.parts {
		reached[name] = true
	}
	for _, loc := range p.fontLoc {
		reached[loc] = true
	}
	for _, loc := range p.media {
		reached[loc] = true
	}
	for _, name := range p.order {
		if !reached[name] {
			t.Errorf("package entry %s is referred to by nothing", name)
		}
	}
	return p
}

// expandDeltas reads an ST_Array of DeltaX values, expanding "g n d" (n copies of d).
func expandDeltas(t testing.TB, s string) []float64 {
	t.Helper()
	f := strings.Fields(s)
	var out []float64
	for i := 0; i < len(f); i++ {
		if f[i] == "g" {
			if i+2 >= len(f) {
				t.Fatalf("DeltaX %q: g without count and value", s)
			}
			n, err := strconv.Atoi(f[i+1])
			v, err2 := strconv.ParseFloat(f[i+2], 64)
			if err != nil || err2 != nil || n < 1 {
				t.Fatalf("DeltaX %q: bad g group", s)
			}
			for k := 0; k < n; k++ {
				out = append(out, v)
			}
			i += 2
			continue
		}
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			t.Fatalf("DeltaX %q: %v", s, err)
		}
		out = append(out, v)
	}
	return out
}

func box(t testing.TB, s string) [4]float64 {
	t.Helper()
	f := strings.Fields(s)
	if len(f) != 4 {
		t.Fatalf("box %q", s)
	}
	var b [4]float64
	for i, v := range f {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("box %q: %v", s, err)
		}
		b[i] = x
	}
	return b
}

// pageText is the text of a page's TextCodes in content order.
func (p *ofdPackage) pageText(i int) string {
	var b strings.Builder
	for _, o := range p.objects[i] {
		b.WriteString(o.Text)
	}
	return b.String()
}
