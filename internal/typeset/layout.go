package typeset

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"gongwen/internal/compose"
	"gongwen/internal/spec"
)

// Typeset sets a composed document on the official format's pages and returns every
// glyph at its final position. Positions are in points from the page's top-left
// corner; all geometry comes from internal/spec.
//
// Vertical placement: the page has spec.GridLines slots of spec.LinePitch from
// spec.TypeTop; slot i's text has its em box centred in the slot, so its baseline is
// TypeTop + i*LinePitch + spec.BaselineOffset(size) (20.56 pt below the slot top for
// 16 pt body text, 22.84 pt for the 22 pt title). Title lines, blank lines, body
// lines and table-cell lines each take whole slots.
//
// When some character has no glyph in any font, Typeset still sets the whole document
// and then returns a *MissingGlyphsError listing every (character, input path) pair.
func Typeset(doc *compose.Document, m Metrics) (*Layout, error) {
	return TypesetContext(context.Background(), doc, m, Limits{})
}

// TypesetContext is Typeset within limits (see Limits; the zero value is none) that
// stops when ctx ends: it checks both about once a page, and returns the context's
// error (wrapped) or a *LimitError.
func TypesetContext(ctx context.Context, doc *compose.Document, m Metrics, lim Limits) (*Layout, error) {
	if doc == nil {
		return nil, fmt.Errorf("typeset: no document")
	}
	b := &builder{s: newSetter(m), doc: doc}
	b.budget = budget{ctx: ctx, lim: lim}
	sc := scratchPool.Get().(*scratch)
	b.atoms, b.units, b.spans, b.s.memo = sc.atoms[:0], sc.units[:0], sc.spans[:0], sc.memo
	defer func() {
		// Nothing typeset refers to these once the layout is made (lines copy
		// their glyphs into the arena): the next document may have them.
		sc.atoms, sc.units, sc.spans = b.atoms[:0], b.units[:0], b.spans[:0]
		if sc.memo = b.s.memo; sc.memo != nil {
			*sc.memo = glyphMemo{} // another document may ask other fonts
		}
		scratchPool.Put(sc)
	}()
	for i := range doc.Blocks {
		if b.err != nil {
			break
		}
		b.path = doc.Blocks[i].Path
		b.block(&doc.Blocks[i])
	}
	if b.err != nil {
		return nil, b.err
	}
	lay := b.paginate()
	if b.err != nil {
		return nil, b.err
	}
	if len(b.s.missing) > 0 {
		return nil, &MissingGlyphsError{Missing: b.s.missing}
	}
	lay.arena = &b.arena
	return lay, nil
}

// scratch is a builder's working memory, reused from one document to the next.
type scratch struct {
	atoms []atom
	units []unit
	spans []lineSpan
	memo  *glyphMemo
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// item is what pagination moves: one or more whole grid lines (a text line, a blank
// line, a table row) with its runs and rules relative to the item's top.
type item struct {
	h       int  // grid lines
	keep    bool // no page break after this item
	discard bool // a blank line dropped at the top of a page
	runs    []Run
	rules   []Rule
	mark    *Bookmark
	tbl     *tableState // table rows and header
	header  bool        // the table's header row
	images  []Image     // the seal, relative to the item's top
	// newPage starts a page (an attachment's first line); the page and those after
	// it are of kind.
	newPage bool
	kind    PageKind
}

type builder struct {
	s     *setter
	doc   *compose.Document
	items []*item
	para  int // next Document.Text() index
	atoms []atom
	units []unit
	spans []lineSpan
	arena arena
	slab  []item
	rec   *record // the 版记, placed at the bottom of the last page by paginate
	budget
}

func (b *builder) add(it *item) {
	b.items = append(b.items, it)
	b.account(it)
}

// newItem hands out items from a slab (one allocation per 256 lines).
func (b *builder) newItem() *item {
	if len(b.slab) == 0 {
		b.slab = make([]item, 256)
	}
	it := &b.slab[0]
	b.slab = b.slab[1:]
	return it
}

func (b *builder) blank(keep, discard bool) {
	it := b.newItem()
	*it = item{h: 1, keep: keep, discard: discard}
	b.add(it)
}

func (b *builder) block(bl *compose.Block) {
	switch bl.Kind {
	case compose.KindTitle:
		b.title(bl)
	case compose.KindAddressee:
		b.text(bl.Runs, 0, 0, true) // flush left: no indent
	case compose.KindHeading:
		its := b.text(bl.Runs, indent(), 0, true)
		b.bookmark(bl, its)
		for _, it := range its {
			it.keep = true
		}
	case compose.KindParagraph:
		its := b.text(bl.Runs, indent(), 0, true)
		if bl.Level > 0 {
			b.bookmark(bl, its)
		}
		// Widow and orphan control: the first two and the last two lines of a
		// paragraph stay together.
		if n := len(its); n >= 2 {
			its[0].keep = true
			its[n-2].keep = true
		}
	case compose.KindTable:
		b.table(bl)
	case compose.KindAttachments:
		b.attachments(bl)
	case compose.KindSignature:
		if bl.Seal != nil {
			b.sealedSignature(bl)
		} else {
			b.signature(bl)
		}
	case compose.KindHeader:
		b.header(bl)
	case compose.KindNote:
		b.note(bl)
	case compose.KindAttachmentPage:
		b.attachmentPage(bl)
	case compose.KindRecord:
		b.record(bl)
	}
}

func indent() float64 { return spec.IndentCells * spec.Cell }

func (b *builder) bookmark(bl *compose.Block, its []*item) {
	if len(its) > 0 && bl.Bookmark != "" {
		its[0].mark = &Bookmark{Level: bl.Level, Title: bl.Bookmark}
	}
}

// text sets one paragraph of runs (one Document.Text() entry) in the type area's
// width: first line indented by first, the others by rest; one item per line.
func (b *builder) text(runs []compose.Run, first, rest float64, justify bool) []*item {
	para := b.para
	b.para++
	b.atoms = b.atoms[:0]
	for _, r := range runs {
		b.atoms = b.s.atoms(b.atoms, r.Text, r.Role, r.Path, para, bodyStyle)
	}
	al := alignJustify
	if !justify {
		al = alignLeft
	}
	return b.lines(spec.TypeLeft, spec.TypeWidth, first, rest, al, spec.BodySize)
}

// lines breaks b.atoms into lines of width w from x (first line indented by first,
// the others by rest) and adds one item per line.
func (b *builder) lines(x, w, first, rest float64, al alignment, size float64) []*item {
	p := paragraph{atoms: b.atoms, units: segment(b.units[:0], b.atoms), firstW: w - first, restW: w - rest,
		squeeze: spec.SqueezeMaxCells * spec.Cell, al: al, size: size}
	b.spans = p.breakLines(b.spans)
	b.units = p.units
	lines := b.spans
	startItem := len(b.items)
	pending := 0
	yRel := spec.BaselineOffset(size)
	for i, ls := range lines {
		ind := rest
		if i == 0 {
			ind = first
		}
		ls.breaks += pending
		it := b.newItem()
		*it = item{h: 1}
		it.runs = placeLine(b.arena.takeRuns(2), &b.arena, &p, ls, x+ind, w-ind, yRel)
		if len(it.runs) == 0 {
			pending = ls.breaks
		} else {
			pending = 0
		}
		b.add(it)
	}
	return b.items[startItem:len(b.items):len(b.items)]
}

func (b *builder) title(bl *compose.Block) {
	para := b.para
	b.para++
	if len(bl.Runs) == 0 {
		return
	}
	// One run in practice; should there be more, they are set as one text.
	text := bl.Runs[0].Text
	for _, r := range bl.Runs[1:] {
		text += r.Text
	}
	b.titleLines(b.s.title(text, b.doc.Author, bl.Runs[0].Role, bl.Runs[0].Path, para))
	for range spec.TitleBlankLines {
		b.blank(true, false)
	}
}

// titleLines adds a title's lines, centred in the title size, each kept with the
// next; a line that draws nothing passes its line breaks on to the next one.
func (b *builder) titleLines(atoms []atom, units []unit, lines []lineSpan) {
	p := paragraph{atoms: atoms, units: units, al: alignCentre, size: spec.TitleSize}
	yRel := spec.BaselineOffset(spec.TitleSize)
	pending := 0
	for _, ls := range lines {
		ls.breaks += pending
		it := &item{h: 1, keep: true}
		it.runs = placeLine(nil, &b.arena, &p, ls, spec.TypeLeft, spec.TypeWidth, yRel)
		if len(it.runs) == 0 {
			pending = ls.breaks
		} else {
			pending = 0
		}
		b.add(it)
	}
}

// attachments sets the attachment note: "附件：" at the paragraph indent, later
// names (and wrapped lines) aligned under the first name's first character.
func (b *builder) attachments(bl *compose.Block) {
	if len(bl.Items) == 0 {
		return
	}
	// Like the signature that follows it, the note never starts a page: it takes the
	// last body lines with it.
	if n := len(b.items); n > 0 {
		b.items[n-1].keep = true
	}
	for range spec.AttachmentBlankLines {
		b.blank(true, true)
	}
	label := b.s.atoms(nil, spec.AttachmentLabel, spec.RoleFangsong, bl.Path, 0, bodyStyle)
	labelW := 0.0
	for _, a := range label {
		labelW += a.w
	}
	hang := indent() + labelW
	var last []*item
	for i, name := range bl.Items {
		runs := []compose.Run{{Text: name, Role: spec.RoleFangsong, Path: bl.Path + "/" + strconv.Itoa(i)}}
		first := hang
		if i == 0 {
			runs = append([]compose.Run{{Text: spec.AttachmentLabel, Role: spec.RoleFangsong, Path: bl.Path}}, runs...)
			first = indent()
		}
		its := b.text(runs, first, hang, true)
		for _, it := range its {
			it.keep = true
		}
		last = its
	}
	last[len(last)-1].keep = false
}

// signature places the issuer and the date (standard 7.3.5.2): one blank line, the
// issuer with a two-cell right gap, the date's first character two cells right of the
// issuer's first character; a date longer than that keeps the two-cell right gap and
// the issuer moves left.
func (b *builder) signature(bl *compose.Block) {
	if n := len(b.items); n > 0 {
		b.items[n-1].keep = true // keep with the last body lines
	}
	for range spec.SignatureBlankLines {
		b.blank(true, false)
	}
	gap := spec.SignatureRightGapCells * spec.Cell
	right := spec.TypeRight - gap
	nameAtoms := b.s.atoms(nil, bl.Issuer, spec.RoleFangsong, "/issuer", b.para, bodyStyle)
	dateAtoms := b.s.atoms(nil, bl.Date, spec.RoleFangsong, bl.Path, b.para+1, bodyStyle)
	nameW, dateW := atomsWidth(nameAtoms), atomsWidth(dateAtoms)
	nameX := right - nameW
	dateX := nameX + spec.DateOffsetCells*spec.Cell
	if dateX+dateW > right+eps {
		dateX = right - dateW
		nameX = dateX - spec.DateOffsetCells*spec.Cell
	}
	if nameX < spec.TypeLeft-eps || dateX < spec.TypeLeft-eps {
		// A name (or date) too long for the rule: right-aligned with the gap, wrapped.
		b.atoms = nameAtoms
		b.para++
		for _, it := range b.lines(spec.TypeLeft, spec.TypeWidth-gap, 0, 0, alignRight, spec.BodySize) {
			it.keep = true
		}
		b.atoms = dateAtoms
		b.para++
		b.lines(spec.TypeLeft, spec.TypeWidth-gap, 0, 0, alignRight, spec.BodySize)
		return
	}
	b.atoms = nameAtoms
	b.para++
	for _, it := range b.lines(nameX, spec.TypeRight-nameX, 0, 0, alignLeft, spec.BodySize) {
		it.keep = true
	}
	b.atoms = dateAtoms
	b.para++
	b.lines(dateX, spec.TypeRight-dateX, 0, 0, alignLeft, spec.BodySize)
}

func atomsWidth(as []atom) float64 {
	w := 0.0
	for _, a := range as {
		w += a.w
	}
	return w
}

// paginate cuts the items into pages of spec.GridLines slots: it never breaks after
// an item marked keep (headings, title, first and next-to-last paragraph lines, table
// caption and header, the lines before the signature) unless a whole page is one
// keep chain; blank lines at a page's top are dropped; a table's header row is
// repeated at the top of every page the table continues on.
func (b *builder) paginate() *Layout {
	items := b.items
	n := len(items)
	lay := &Layout{}
	kind, used := BodyPage, 0
	for pos := 0; pos < n || len(lay.Pages) == 0; {
		for pos < n && items[pos].discard {
			pos++
		}
		if pos >= n && len(lay.Pages) > 0 {
			break
		}
		start := pos
		used = 0
		if hd := repeatHeader(items, start); hd != nil {
			used = hd.h
		}
		if start < n && items[start].newPage {
			kind = items[start].kind
		}
		k := start
		forced := false
		for k < n && used+items[k].h <= spec.GridLines {
			if k > start && items[k].newPage {
				forced = true
				break
			}
			used += items[k].h
			k++
		}
		end := k
		if k < n && !forced {
			if k == start {
				end = start + 1 // taller than a page (cannot happen: rows are cut to fit)
			} else {
				j := k
				for j > start && items[j-1].keep {
					j--
				}
				if j > start {
					end = j
				}
			}
		}
		hd := repeatHeader(items, start)
		if hd != nil {
			// A repeated header is placed again: count it like new content.
			b.account(&item{runs: hd.runs, rules: hd.rules})
		}
		if b.check(len(lay.Pages) + 1); b.err != nil {
			return nil
		}
		lay.Pages = append(lay.Pages, b.emit(len(lay.Pages), items[start:end], hd))
		lay.Pages[len(lay.Pages)-1].Kind = kind
		used = 0 // the slots this page fills, for the 版记 on the last one
		if hd != nil {
			used = hd.h
		}
		for _, it := range items[start:end] {
			used += it.h
		}
		pos = end
	}
	unnumbered := b.placeRecord(lay, used)
	for i := range lay.Pages[:len(lay.Pages)-unnumbered] {
		b.pageNumber(&lay.Pages[i])
	}
	for _, it := range items {
		if it.mark != nil {
			lay.Bookmarks = append(lay.Bookmarks, *it.mark)
		}
	}
	return lay
}

// repeatHeader is the header to repeat when a page starts at items[start].
func repeatHeader(items []*item, start int) *item {
	if start >= len(items) {
		return nil
	}
	it := items[start]
	if it.tbl == nil || it.header || it.tbl.header == nil {
		return nil
	}
	return it.tbl.header
}

// emit places items on page index pi.
func (b *builder) emit(pi int, items []*item, header *item) Page {
	p := Page{Number: pi + 1}
	nr, nl := 2, 1
	for _, it := range items {
		nr += len(it.runs)
		nl += len(it.rules) + 1
	}
	if header != nil {
		nr += len(header.runs)
		nl += len(header.rules) + 1
	}
	p.Runs = b.arena.takeRuns(nr) // from the arena: released with the layout
	if nl > 1 {
		p.Rules = make([]Rule, 0, nl)
	}
	slot := 0
	place := func(it *item, topRule bool) {
		top := spec.TypeTop + float64(slot)*spec.LinePitch
		for _, r := range it.runs {
			r.Y += top
			if header == it { // a repeated header: its own glyph slices
				r.Glyphs = append([]Glyph(nil), r.Glyphs...)
				r.Repeat = true
			}
			p.Runs = append(p.Runs, r)
		}
		for _, rl := range it.rules {
			rl.Y1 += top
			rl.Y2 += top
			p.Rules = append(p.Rules, rl)
		}
		for _, im := range it.images {
			im.Y += top
			p.Images = append(p.Images, im)
		}
		if topRule && it.tbl != nil {
			p.Rules = append(p.Rules, it.tbl.hrule(top))
		}
		if it.mark != nil && header != it {
			it.mark.Page = pi
			it.mark.Y = top
		}
		slot += it.h
	}
	if header != nil {
		place(header, true)
	}
	for i, it := range items {
		place(it, it.tbl != nil && (it.header || (i == 0 && header == nil)))
	}
	return p
}

// pageNumber adds "— N —": 14 pt song, odd pages right-aligned one cell in from the
// right edge, even pages left-aligned one cell in from the left edge, the dashes' top
// spec.PageNumberGap below the type area.
func (b *builder) pageNumber(p *Page) {
	st := style{size: spec.PageNumberSize, cell: spec.PageNumberSize}
	atoms := b.s.atoms(nil, spec.PageNumberText(p.Number), spec.RoleSong, "page number", -1, st)
	w := atomsWidth(atoms)
	x := spec.TypeLeft + spec.PageNumberInsetCells*spec.Cell
	if p.Number%2 == 1 {
		x = spec.TypeRight - spec.PageNumberInsetCells*spec.Cell - w
	}
	r := Run{Font: spec.RoleFace(spec.RoleSong), Size: spec.PageNumberSize, Y: spec.PageNumberBaseline(), Para: -1}
	for _, a := range atoms {
		if r.Glyphs != nil && a.font != r.Font {
			p.Runs = append(p.Runs, r)
			r = Run{Font: a.font, Size: spec.PageNumberSize, Y: spec.PageNumberBaseline(), Para: -1}
		}
		if r.Glyphs == nil {
			r.Font = a.font
		}
		r.Glyphs = append(r.Glyphs, Glyph{R: a.r, X: x, W: float32(a.w)})
		x += a.w
	}
	p.Runs = append(p.Runs, r)
}
