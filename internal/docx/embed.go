package docx

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"log/slog"
	"math/bits"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"

	"gongwen/internal/fonts"
	"gongwen/internal/spare"
	"gongwen/internal/spec"
	"gongwen/internal/touch"
	"gongwen/templates"
)

// Font embedding. A reader's machine rarely has the official fonts; without them
// LibreOffice sets every role in its default CJK face (Noto Sans CJK JP on Debian),
// and altName, which names the stand-ins in the font table, is ignored by it. So the
// DOCX carries, for every official font it uses, the subset of the stand-in face the
// PDF embeds (only the document's characters), as an obfuscated font part
// (ECMA-376 Part 1 §17.8.1) referenced from that font's w:font entry by
// w:embedRegular. LibreOffice registers an embedded font under the font table's name,
// so text asking for 仿宋_GB2312 gets the stand-in; Word loads embedded fonts only when
// the machine lacks a font of that name, so one with the official fonts uses them.

// cutter is what embedding needs of the font set (fonts.Set): subsets of the faces
// that Glyph says draw each character. Metrics without it (test fakes) embed nothing.
type cutter interface {
	Cut(face spec.Face, runes []rune) (*fonts.Subset, error)
}

// ownsSubsets says whether the subsets m cuts are the DOCX's alone, so that their
// compressed form need not be made to be shared (fonts.Subset.AppendDeflate): a font
// set's own Cut makes a fresh subset each call, which no other writer holds. A
// cutter that may hand one subset to several writers (internal/render's, to the PDF
// and OFD of the same render) shares them, unless it says with ExclusiveSubsets
// that the DOCX is their only user. Were a shared subset taken for the DOCX's
// alone, a PDF asking for it later would compress it a second time (measured: in
// four of five cases, the DOCX reaching its fonts before the PDF).
func ownsSubsets(m any) bool {
	if e, ok := m.(interface{ ExclusiveSubsets() bool }); ok {
		return e.ExclusiveSubsets()
	}
	_, ok := m.(*fonts.Set)
	return ok
}

// used records the characters each role's text uses: a bit set over the BMP, and
// the characters beyond it (CJK Extensions B-F: 196 of 通用规范汉字表) in a list.
// Glyph then says which face draws each.
type used struct {
	bmp  [spec.NumRoles]*charSet
	rare [spec.NumRoles][]rune
}

// A used holds 8 KB a role it records: they are reused (newUsed, release) rather
// than allocated, 40 KB a render, a fifth of what a render allocates besides its
// output and its fonts.
var usedPool = sync.Pool{New: func() any { return new(used) }}

// newUsed returns an empty used; release gives it back when read.
func newUsed() *used { return usedPool.Get().(*used) }

// release empties u and keeps it for another render; u must not be used after.
func (u *used) release() {
	for _, set := range u.bmp {
		if set != nil {
			clear(set[:])
		}
	}
	for i := range u.rare {
		u.rare[i] = u.rare[i][:0]
	}
	usedPool.Put(u)
}

// charSet is a set of BMP characters, a bit each.
type charSet [1 << 16 / 64]uint64

// of returns role's set and list, for writeTextRecording to fill; a role out of
// range gets ones of its own that nothing reads (add ignores such a role too).
func (u *used) of(role spec.Role) (*charSet, *[]rune) {
	if role < 0 || role >= spec.NumRoles {
		return new(charSet), new([]rune)
	}
	if u.bmp[role] == nil {
		u.bmp[role] = newCharSet()
	}
	return u.bmp[role], &u.rare[role]
}

// newCharSet returns an empty set whose memory pages have each been written: in a
// cold process they are fresh, and a fresh page first read (add's and escapeText's
// set[k] |= bit) faults twice, the second time flushing the other core's TLB
// (touch).
func newCharSet() *charSet {
	set := new(charSet)
	touch.Pages(set[:])
	return set
}

func (u *used) add(role spec.Role, s string) {
	if role < 0 || role >= spec.NumRoles {
		return
	}
	set, rare := u.of(role)
	for i := 0; i < len(s); {
		// Runs of CJK characters, the commonest text, in a loop of their own: the three
		// bytes of a character led by E1-EF but ED (no overlong form, no surrogate) put
		// together without the decoder's call.
		for i+2 < len(s) && cjkLead[s[i]] && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			r := uint(s[i]&0x0F)<<12 | uint(s[i+1]&0x3F)<<6 | uint(s[i+2]&0x3F)
			set[r>>6&(1<<10-1)] |= 1 << (r & 63)
			i += 3
		}
		if i >= len(s) {
			break
		}
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		i += n
		if r < 1<<16 {
			set[r>>6] |= 1 << (r & 63)
		} else {
			*rare = append(*rare, r)
		}
	}
}

// cjkLead marks the bytes that lead a three-byte sequence any two continuation bytes
// complete to a character: E1-EF but ED (E0 needs A0 on, ED stops before the
// surrogates at A0).
var cjkLead = func() (t [256]bool) {
	for c := 0xE1; c <= 0xEF; c++ {
		t[c] = c != 0xED
	}
	return t
}()

// pageNumberChars are the characters of every page number the footers can print.
const pageNumberChars = spec.PageNumberDash + " 0123456789"

// fontPart is a part the document adds to the template's: an obfuscated font, the
// font table's relationships, media.
type fontPart struct {
	name string // part name: word/fonts/fontN.odttf
	data []byte
	// font, when set, is the part: font's file obfuscated with key, compressed
	// (compress) into head and z.z, which are written one after the other.
	font *fonts.Subset
	key  [16]byte
	head []byte
	// pooled: z.z is a buffer of spareFontBufs', given back once the archive holds it.
	pooled bool
	stored bool // store uncompressed (media: a PNG is compressed already)
	// z, when it holds data, is the part compressed already (the font table's
	// relationships, fontRels; a font, with head before it).
	z deflated
}

// compress makes p's compressed data and size from p.font obfuscated with p.key
// (its CRC-32 is fontJob.crc's). A subset of this render's alone (ownsSubsets) is
// compressed into a buffer kept for later renders (no stream of the subset's own
// made and kept: 157 KB for Wuchuan's five); a shared one's is its obfuscated first
// block and the rest of the stream the PDF and OFD of the same render write
// (fonts.Subset.DeflateParts), not copied to change 32 bytes of it.
func (p *fontPart) compress(alone bool) {
	f := p.font
	p.z.size = f.Size()
	if alone {
		buf, _ := spareFontBufs.Get()
		p.z.z, p.pooled = f.AppendDeflate(buf[:0], &p.key), true
		return
	}
	p.head, p.z.z = f.DeflateParts(&p.key)
}

// spareFontBufs holds idle buffers of compressed fonts, up to maxScratch bytes each.
var spareFontBufs = spare.New[[]byte](8)

// releaseFontParts gives back the pooled buffers of parts, which must not be used
// after, and the subsets they were compressed from when those were the render's
// alone (pooled ones: the compressed font is all the archive reads of them).
func releaseFontParts(parts []fontPart) {
	for _, p := range parts {
		if !p.pooled {
			continue
		}
		if cap(p.z.z) <= maxScratch {
			spareFontBufs.Put(p.z.z[:0])
		}
		p.font.Release()
	}
}

// fontTable is the template's word/fontTable.xml cut at its embed markers, once per
// process: segs[i] precedes the place of names[i]'s w:embedRegular, the last segment
// ends the part.
type fontTable struct {
	segs  []string
	names []string
	// byMask holds, per set of names embedded (bit k: names[k]), the table's text
	// around the fonts' keys compressed (fixedPieces), made on first use.
	byMask []maskPieces
}

func splitFontTable(part string, names []string) (fontTable, error) {
	if len(names) > 8 {
		return fontTable{}, fmt.Errorf("font table names %d fonts to embed, more than 8", len(names))
	}
	ft := fontTable{names: names, byMask: make([]maskPieces, 1<<len(names))}
	rest := part
	for _, name := range names {
		mk := templates.FontEmbedMarker(name)
		before, after, ok := strings.Cut(rest, mk)
		if !ok || strings.Contains(after, mk) {
			return ft, fmt.Errorf("font table has not one marker %s", mk)
		}
		ft.segs = append(ft.segs, before)
		rest = after
	}
	ft.segs = append(ft.segs, rest)
	return ft, nil
}

// filledTable is a font table with its fonts' elements (fontJobs.finish): its text,
// the names embedded (bit k: names[k]) and where each font key's GUID starts in text.
type filledTable struct {
	text  []byte
	mask  int
	guids []int
}

// guidLen is a font key's length: a GUID in braces.
const guidLen = 38

// maskPieces is a filled table's text around its GUIDs, each stretch deflated once:
// a font table took 147,000 instructions a render to compress (3.4 KB, most of it
// the template's text), where only the keys change from document to document. A
// stretch is compressed with all the text before it as its dictionary, the GUIDs
// there as NUL bytes: XML text holds no NUL, so no match can reach into a GUID,
// which differs in every document, and a stretch refers back only to text that is
// the same in every table of that mask (and so compresses about as well as the
// whole table: 1,075 bytes with the GUIDs stored, against 995 for Wuchuan's).
type maskPieces struct {
	once  sync.Once
	texts [][]byte // the stretches, from the first table of the mask
	z     [][]byte // each compressed, byte-aligned or (the last) final
	err   error
}

// maxDict is the most of the text before it a stretch is given as its dictionary
// (klauspost/compress's stateless encoder reads at most 8 KB of one).
const maxDict = 8 << 10

// deflate compresses a filled table into dst: the stretches around its GUIDs from
// the mask's pieces (made from this table on the mask's first use), the GUIDs stored.
// A table whose stretches are not the mask's first table's (never seen: the mask
// fixes the elements and their numbers) is compressed whole.
func (ft fontTable) deflate(ctx context.Context, dst []byte, t filledTable) (deflated, error) {
	whole := func() (deflated, error) { return deflatePieces(ctx, dst, piece{text: t.text}) }
	if t.mask <= 0 || t.mask >= len(ft.byMask) || len(t.guids) == 0 || bytes.IndexByte(t.text, 0) >= 0 {
		return whole()
	}
	mp := &ft.byMask[t.mask]
	mp.once.Do(func() { mp.texts, mp.z, mp.err = fixedPieces(t) })
	if mp.err != nil {
		return deflated{}, mp.err
	}
	if len(mp.texts) != len(t.guids)+1 {
		return whole()
	}
	// Every GUID's stored block, in one buffer: header, LEN, NLEN, the 38 bytes.
	stored := make([]byte, 0, len(t.guids)*(5+guidLen))
	ps := make([]piece, 0, 2*len(t.guids)+1)
	at := 0
	for i, g := range t.guids {
		if g < at || g+guidLen > len(t.text) || !bytes.Equal(t.text[at:g], mp.texts[i]) {
			return whole()
		}
		ps = append(ps, piece{text: t.text[at:g], z: mp.z[i]})
		k := len(stored)
		stored = append(stored, 0, guidLen, 0, ^byte(guidLen), 0xFF)
		stored = append(stored, t.text[g:g+guidLen]...)
		ps = append(ps, piece{text: t.text[g : g+guidLen], z: stored[k:len(stored):len(stored)]})
		at = g + guidLen
	}
	last := len(mp.texts) - 1
	if !bytes.Equal(t.text[at:], mp.texts[last]) {
		return whole()
	}
	ps = append(ps, piece{text: t.text[at:], z: mp.z[last], final: true})
	return deflatePieces(ctx, dst, ps...)
}

// fixedPieces cuts t's text at its GUIDs and compresses each stretch (maskPieces).
func fixedPieces(t filledTable) (texts, z [][]byte, err error) {
	dict, cuts, err := stretches(t)
	if err != nil {
		return nil, nil, err
	}
	for i, c := range cuts {
		b, err := compressStretch(dict, c[0], c[1]-c[0], i == len(cuts)-1)
		if err != nil {
			return nil, nil, err
		}
		texts, z = append(texts, bytes.Clone(t.text[c[0]:c[1]])), append(z, b)
	}
	return texts, z, nil
}

// stretches returns t's text as the dictionaries see it, every GUID NUL bytes, and
// where the stretches around the GUIDs start and end.
func stretches(t filledTable) (dict []byte, cuts [][2]int, err error) {
	dict = bytes.Clone(t.text)
	at := 0
	for _, g := range t.guids {
		if g < at || g+guidLen > len(dict) {
			return nil, nil, fmt.Errorf("docx: font table's keys out of order")
		}
		clear(dict[g : g+guidLen])
		cuts = append(cuts, [2]int{at, g})
		at = g + guidLen
	}
	return dict, append(cuts, [2]int{at, len(dict)}), nil
}

// compressStretch deflates dict[start:start+n] (a stretch of a font table, the GUIDs
// NUL in dict) with the text before it as its dictionary, ending byte-aligned or
// final: from precompressed.bin when it holds it (stretchKey), as it holds the
// stretches of a table embedding every font (allFontsTable), which a cold process
// would otherwise compress on its first render (about 480,000 instructions, six
// compressions with their Huffman tables, against 147,000 for the whole table).
func compressStretch(dict []byte, start, n int, final bool) ([]byte, error) {
	if z, ok := precompressed(stretchKey(dict, start, n), final); ok {
		return z, nil
	}
	return deflateStretch(dict, start, n, final)
}

// deflateStretch is compressStretch's compression.
func deflateStretch(dict []byte, start, n int, final bool) ([]byte, error) {
	out := sink{}
	if err := flate.StatelessDeflate(&out, dict[start:start+n], final, dict[max(0, start-maxDict):start]); err != nil {
		return nil, fmt.Errorf("docx: font table: %w", err)
	}
	return out.b, nil
}

// stretchKey is what precompressed.bin holds a stretch under: a tag starting with a
// NUL byte (no template text holds one, so no other piece has the key), where the
// stretch starts, and the text up to its end, which with the start determines the
// stretch and its dictionary.
func stretchKey(dict []byte, start, n int) []byte {
	key := append([]byte("\x00fontTable stretch\x00"), byte(start), byte(start>>8), byte(start>>16), byte(start>>24))
	return append(key, dict[:start+n]...)
}

// allFontsTable is the font table of a document that embeds every official font,
// with NUL keys: the table whose stretches precompressed.bin holds (most documents
// use every role's font: the page numbers alone use 宋体's).
func allFontsTable(ft fontTable) filledTable {
	elems := make([]byte, 0, len(ft.names)*embedLen)
	at := make([][2]int, len(ft.names))
	n := 0
	for _, role := range spec.Roles {
		k := slices.Index(ft.names, role.OfficialFont())
		if k < 0 || at[k] != [2]int{} {
			continue
		}
		n++
		start := len(elems)
		elems = appendEmbed(elems, n, make([]byte, guidLen))
		at[k] = [2]int{start, len(elems)}
	}
	return ft.filled(elems, at)
}

// filled is the table with elems[at[k][0]:at[k][1]] at names[k]'s place (nothing
// where at[k] is zero), its mask and the places of its keys.
func (ft fontTable) filled(elems []byte, at [][2]int) filledTable {
	t := filledTable{text: ft.fill(elems, at)}
	pos := 0
	for k, a := range at {
		pos += len(ft.segs[k])
		if a != [2]int{} {
			t.mask |= 1 << k
			t.guids = append(t.guids, pos+bytes.Index(elems[a[0]:a[1]], []byte(`w:fontKey="`))+len(`w:fontKey="`))
		}
		pos += a[1] - a[0]
	}
	return t
}

// embedLen is the length of an embedRegular element (embedElement) for a part
// number below 10.
const embedLen = len(`<w:embedRegular r:id="rId1" w:fontKey="{00000000-0000-0000-0000-000000000000}" w:subsetted="1"/>`)

// fill writes the font table with elems[at[i][0]:at[i][1]] (an element, or nothing)
// at names[i]'s place.
func (ft fontTable) fill(elems []byte, at [][2]int) []byte {
	n := len(elems)
	for _, s := range ft.segs {
		n += len(s)
	}
	b := make([]byte, 0, n)
	for i, s := range ft.segs {
		b = append(b, s...)
		if i < len(at) {
			b = append(b, elems[at[i][0]:at[i][1]]...)
		}
	}
	return b
}

// appendEmbed appends the embedRegular element of font part n with key guid.
func appendEmbed(b []byte, n int, guid []byte) []byte {
	b = append(b, `<w:embedRegular r:id="rId`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, `" w:fontKey="`...)
	b = append(b, guid...)
	return append(b, `" w:subsetted="1"/>`...)
}

// fontJob is one official font to embed: its subset cut, compressed and its CRC-32
// computed (run) by whichever goroutine claims it first.
type fontJob struct {
	role  spec.Role
	face  spec.Face
	k     int // its name's index in the font table
	runes []rune
	done  fontPart // name unset: finish numbers the parts
	guid  [guidLen]byte
	skip  bool // its licence forbids embedding
	err   error
	// crcErr is crc's (its own: run may still be writing err).
	crcErr error
	// cut is closed once done.font is set, or skip or err: the CRC-32, a task of its
	// own (crc), waits for it.
	cut chan struct{}
}

// fontJobs are a render's fonts being embedded (startFonts): cutting and
// compressing them is most of a DOCX's work (two thirds of Wuchuan's 3 million
// instructions), so it runs on the spare cores while the render's own goroutine
// compresses the document's parts, and then joins in.
type fontJobs struct {
	ft    fontTable
	c     cutter
	alone bool
	jobs  []fontJob
	order []int // jobs by characters, most first (the body's font is most of it)
	// byFace holds the jobs' characters, per face; it is given back once the jobs
	// are done (their subsets have their own copies).
	byFace  *faceRunes
	claimed atomic.Int32
	wg      sync.WaitGroup
	planned chan struct{} // closed once jobs and order are made
	g       glypher
	// helped: goroutines of their own do the jobs, started before the body is
	// written; the first waits for given, closed once u holds the body's
	// characters (give) or, u nil, when the render is abandoned before.
	helped  bool
	given   chan struct{}
	u       *used
	planner atomic.Bool  // claimed by the helper that plans
	helping atomic.Int32 // helpers not done
	// finished: finish has been called (by the render's goroutine, as abandon is).
	finished bool
}

// startFonts prepares the embedding of the official fonts m can cut, whose
// characters give hands over; finish answers with the font table with the
// w:embedRegular elements, the font table's relationships and the font parts (nil
// parts when m cannot cut subsets). When the subsets are the DOCX's alone, the work
// runs in one goroutine per core but the caller's, from deciding which face draws
// each character on (plan), started here, before the body is written: a goroutine
// started while its starter runs on is the starter's processor's next one, which
// an idle core's scheduler steals only after a back-off (runtime.runqgrab's
// usleep(3), 60-90 µs on this machine with the kernel's timer slack), so that
// helpers started once the body was written began 70 µs after it. Yielding once
// (Gosched) puts the caller on the global queue, which the idle core takes from at
// once and the helper's first wait hands back: the helper is waiting on the other
// core when the characters come. Renders interleaved in one process took 0.93-0.96
// of the time of helpers started after the body (Wuchuan, 2 cores). A helper still
// lingering after an earlier render takes the work instead (helpers.go).
func startFonts(m any, ft fontTable) *fontJobs {
	fj := &fontJobs{ft: ft, planned: make(chan struct{}), given: make(chan struct{})}
	c, ok := m.(cutter)
	g, ok2 := m.(glypher)
	if !ok || !ok2 {
		return fj
	}
	fj.c, fj.g, fj.alone = c, g, ownsSubsets(m)
	helpers := min(int(spec.NumRoles), runtime.GOMAXPROCS(0)-1)
	if !fj.alone || helpers < 1 {
		// Shared subsets are cut and compressed by the PDF or OFD beside the DOCX,
		// which already keep the cores busy: finish takes them up in the caller's
		// goroutine (helpers here measured 2-5 % slower and 15 KB more a render).
		return fj
	}
	fj.helped = true
	started := false
	for range helpers {
		if !startHelper(fj) { // a lingering helper (helpers.go), or a new one
			started = true
		}
	}
	if started {
		runtime.Gosched()
	}
	return fj
}

// help does a helper's part of fj: the plan, for the first helper to come, once the
// characters are given (abandoned first, it plans nothing), then the tasks left.
func (fj *fontJobs) help() {
	if fj.planner.CompareAndSwap(false, true) {
		u := fj.wait()
		if u == nil { // abandoned before the body was written
			close(fj.planned)
			return
		}
		fj.plan(fj.g, u)
	}
	fj.work()
}

// give hands over the characters of the document's text, u, which the embedding
// takes over and releases.
func (fj *fontJobs) give(u *used) {
	switch {
	case fj.c == nil:
		u.release()
		close(fj.planned)
	case fj.helped:
		fj.u = u
		close(fj.given)
	default:
		fj.plan(fj.g, u)
	}
}

// spinFor bounds how long the first helper polls for the characters, yielding to
// any other goroutine between looks, before it sleeps: a sleeping helper woken from
// the caller's processor waits out the scheduler's back-off again (startFonts).
// Wuchuan's body takes 45-60 µs to write; a long document's helper sleeps.
const spinFor = 200 * time.Microsecond

// wait returns the characters once given, nil when the render was abandoned first.
func (fj *fontJobs) wait() *used {
	yieldUntil(time.Now().Add(spinFor), func() bool {
		select {
		case <-fj.given:
			return true
		default:
			return false
		}
	})
	<-fj.given
	return fj.u
}

// glypher is what planning needs of the font set: the face that draws a character.
type glypher interface {
	Glyph(spec.Role, rune) (spec.Face, float64, bool)
}

// facer is a font set that tells the face without the advance (fonts.Set.FaceOf):
// planning then reads no glyph's metrics.
type facer interface {
	FaceOf(spec.Role, rune) (spec.Face, bool)
}

// faceFunc is g's way to the face that draws a character: FaceOf when g has it.
func faceFunc(g glypher) func(spec.Role, rune) (spec.Face, bool) {
	if f, ok := g.(facer); ok {
		return f.FaceOf
	}
	return func(role spec.Role, r rune) (spec.Face, bool) {
		fc, _, ok := g.Glyph(role, r)
		return fc, ok
	}
}

// plan makes the jobs: per official font, the characters of u its face draws. It
// releases u and closes planned.
func (fj *fontJobs) plan(g glypher, u *used) {
	defer close(fj.planned)
	defer u.release()
	ft := fj.ft
	faceOf := faceFunc(g)
	u.add(spec.RoleSong, pageNumberChars)
	// The face that draws each character: the role's own, or the fallback face.
	fr, ok := spareFaceRunes.Get()
	if !ok {
		fr = new(faceRunes)
	}
	fj.byFace = fr
	byFace := fr
	for f := range byFace {
		byFace[f] = byFace[f][:0]
	}
	for role, set := range u.bmp {
		if set == nil {
			continue
		}
		// Eight words at a time past the empty ones: most of the 1,024 are (a
		// report's characters lie in ASCII, CJK punctuation and the ideographs).
		for i := 0; i+8 <= len(set); i += 8 {
			w := (*[8]uint64)(set[i : i+8])
			if w[0]|w[1]|w[2]|w[3]|w[4]|w[5]|w[6]|w[7] == 0 {
				continue
			}
			for j, word := range w {
				for word != 0 {
					bit := bits.TrailingZeros64(word)
					word &^= 1 << bit
					r := rune((i+j)<<6 | bit)
					if r < ' ' {
						continue
					}
					if f, ok := faceOf(spec.Role(role), r); ok && f.Valid() {
						byFace[f] = append(byFace[f], r)
					}
				}
			}
		}
		for _, r := range u.rare[role] {
			if f, ok := faceOf(spec.Role(role), r); ok && f.Valid() {
				byFace[f] = append(byFace[f], r)
			}
		}
	}
	for f := range byFace {
		slices.Sort(byFace[f])
		byFace[f] = slices.Compact(byFace[f])
	}
	// The fallback face's characters are not embedded: the font table names only the
	// official fonts, and a run asks for its role's font, so no DOCX reader would look
	// the fallback up by name (LibreOffice and Word pick their own fallback for a
	// character the named font lacks; fonts/README.md).
	byFace[spec.FaceFallback] = byFace[spec.FaceFallback][:0]
	fj.jobs = make([]fontJob, 0, spec.NumRoles)
	var named uint
	for _, role := range spec.Roles {
		face := spec.RoleFace(role)
		k := slices.Index(ft.names, role.OfficialFont())
		if len(byFace[face]) == 0 || k < 0 || named&(1<<k) != 0 {
			continue // nothing to embed, or a name two roles share, embedded for the first
		}
		named |= 1 << k
		fj.jobs = append(fj.jobs, fontJob{role: role, face: face, k: k, runes: byFace[face], cut: make(chan struct{})})
	}
	fj.order = make([]int, len(fj.jobs))
	for i := range fj.order {
		fj.order[i] = i
	}
	slices.SortStableFunc(fj.order, func(a, b int) int { return len(fj.jobs[b].runes) - len(fj.jobs[a].runes) })
}

// work runs, once the jobs are planned, the tasks nobody has claimed yet: every
// job's cut and compression, largest first, then every job's CRC-32 once its job is
// cut (a tenth of the largest font's work, which another core can take; the cuts
// are claimed first, so a CRC task only ever waits for a cut under way).
func (fj *fontJobs) work() {
	<-fj.planned
	n := len(fj.order)
	for {
		k := int(fj.claimed.Add(1)) - 1
		switch {
		case k < n:
			fj.jobs[fj.order[k]].run(fj.c, fj.alone)
		case k < 2*n:
			fj.jobs[fj.order[k-n]].crc()
		default:
			return
		}
	}
}

// run cuts the job's subset and compresses it obfuscated with its key: into a
// buffer of its own when the subset is this render's alone (ownsSubsets), else
// from the subset's shared compressed form (fonts.Subset.DeflateParts), which the
// PDF and OFD of the same render use too. A panic is the job's error, not the
// process's end.
func (j *fontJob) run(c cutter, alone bool) {
	cut := false
	defer func() {
		if p := recover(); p != nil {
			j.err = fmt.Errorf("docx: embed %s: internal error: %v", j.role, p)
		}
		if !cut {
			close(j.cut)
		}
	}()
	sub, err := c.Cut(j.face, j.runes)
	if err != nil {
		j.err = fmt.Errorf("docx: embed %s: %w", j.role, err)
		return
	}
	if !embeddable(sub.Prefix()) {
		j.skip = true
		return
	}
	var key [16]byte
	j.guid, key = fontKeyOf(fontID(j.face, sub.Runes))
	j.done = fontPart{font: sub, key: key}
	cut = true
	close(j.cut)
	j.done.compress(alone)
}

// crc computes the job's CRC-32 once it is cut (the obfuscated file's, which
// compress leaves to it).
func (j *fontJob) crc() {
	<-j.cut
	if j.done.font == nil || j.skip {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			j.crcErr = fmt.Errorf("docx: embed %s: internal error: %v", j.role, p)
		}
	}()
	j.done.z.crc = j.done.font.CRC32(&j.done.key)
}

// finish joins the embedding: the caller's goroutine takes the jobs still
// unclaimed, waits for the others, and numbers the fonts embedded in the order of
// the roles.
func (fj *fontJobs) finish() (table filledTable, rels *deflated, parts []fontPart, err error) {
	ft := fj.ft
	fj.finished = true
	fj.work()
	// The helpers' last tasks end soon: waited for, yielding, without sleeping, so
	// that no helper has to wake this goroutine (a woken goroutine is its waker's
	// processor's next: startFonts) and a lingering helper stays on its core.
	yieldUntil(time.Now().Add(spinFor), func() bool { return fj.helping.Load() == 0 })
	fj.wg.Wait()
	fj.putRunes()
	for i := range fj.jobs {
		if err := cmp.Or(fj.jobs[i].err, fj.jobs[i].crcErr); err != nil {
			fj.release()
			return filledTable{}, nil, nil, err
		}
	}
	// The elements, in one buffer, and where each name's starts and ends in it.
	elems := make([]byte, 0, len(ft.names)*embedLen)
	parts = make([]fontPart, 0, len(fj.jobs))
	var at [][2]int
	for i := range fj.jobs {
		j := &fj.jobs[i]
		if j.skip {
			// An operator's licensed font that forbids it is never embedded: a reader
			// without it gets a substitute, as before embedding.
			if _, told := notEmbedded.LoadOrStore(j.role, true); !told {
				slog.Info("docx: font not embedded: its licence forbids editable embedding or subsetting",
					"role", j.role.Name(), "font", j.role.OfficialFont())
			}
			continue
		}
		if at == nil {
			at = make([][2]int, len(ft.names))
		}
		n := len(parts) + 1
		p := j.done
		p.name = "word/fonts/font" + strconv.Itoa(n) + ".odttf"
		parts = append(parts, p)
		start := len(elems)
		elems = appendEmbed(elems, n, j.guid[:])
		at[j.k] = [2]int{start, len(elems)}
	}
	if len(parts) == 0 {
		return filledTable{text: ft.fill(nil, nil)}, nil, nil, nil
	}
	if rels, err = fontRels(len(parts)); err != nil {
		releaseFontParts(parts)
		return filledTable{}, nil, nil, fmt.Errorf("docx: font relationships: %w", err)
	}
	return ft.filled(elems, at), rels, parts, nil
}

// abandon stops the embedding of a render that failed before finish: no task starts
// any more (a helper waiting for the characters stops waiting), and the buffers of
// those under way are given back once they end. Once finish has been called it does
// nothing (the parts' buffers are the caller's).
func (fj *fontJobs) abandon() {
	if fj.finished {
		return
	}
	fj.claimed.Store(1 << 30)
	if fj.helped && fj.u == nil {
		close(fj.given) // give was not called: the first helper stops waiting
	}
	go func() {
		fj.wg.Wait()
		fj.putRunes()
		fj.release()
	}()
}

// faceRunes are the characters to embed, per face.
type faceRunes [spec.NumFaces][]rune

// spareFaceRunes holds idle faceRunes (planning grew them by appending: 9 KB a
// render the collector would pay for).
var spareFaceRunes = spare.New[*faceRunes](4)

// putRunes gives back the jobs' characters once no job runs.
func (fj *fontJobs) putRunes() {
	if fj.byFace != nil {
		spareFaceRunes.Put(fj.byFace)
		fj.byFace = nil
		for i := range fj.jobs {
			fj.jobs[i].runes = nil
		}
	}
}

// release gives back the buffers of jobs whose parts will not be written.
func (fj *fontJobs) release() {
	for i := range fj.jobs {
		releaseFontParts([]fontPart{fj.jobs[i].done})
	}
}

// fontRelsOf is the font table's relationships to n font parts, rIdN to
// fonts/fontN.odttf, compressed: they depend on n alone, so each n is made and
// compressed once per process (a part of 800 bytes took 100,000 instructions to
// compress per render).
var fontRelsOf [spec.NumRoles + 1]struct {
	once sync.Once
	z    deflated
	err  error
}

func fontRels(n int) (*deflated, error) {
	if n < 1 || n >= len(fontRelsOf) {
		return nil, fmt.Errorf("%d font parts", n)
	}
	c := &fontRelsOf[n]
	c.once.Do(func() {
		text := fontRelsText(n)
		// compressPiece: precompressed.bin holds them for every n.
		p, err := compressPiece(text, true)
		c.z, c.err = deflated{z: p.z, crc: crc32.ChecksumIEEE(text), size: len(text)}, err
	})
	return &c.z, c.err
}

// fontRelsText is the font table's relationships to n font parts.
func fontRelsText(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i := 1; i <= n; i++ {
		id := strconv.Itoa(i)
		b.WriteString(`<Relationship Id="rId` + id + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/font" Target="fonts/font` + id + `.odttf"/>`)
	}
	b.WriteString("</Relationships>")
	return []byte(b.String())
}

// notEmbedded records the roles already logged as not embeddable (once per process).
var notEmbedded sync.Map

// embeddable reports whether a font's OS/2 fsType allows embedding it, as a subset,
// in a document that stays editable: installable (0) or editable (bit 3) embedding,
// and neither the no-subsetting (bit 8) nor the bitmap-only (bit 9) flag. Restricted
// and preview & print fonts are not embedded (Word would open the file read-only,
// LibreOffice ignores them). A font without an OS/2 table is embeddable.
func embeddable(ttf []byte) bool {
	if len(ttf) < 12 {
		return false
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return false
		}
		if string(ttf[rec:rec+4]) != "OS/2" {
			continue
		}
		off := int(binary.BigEndian.Uint32(ttf[rec+8:]))
		if off+10 > len(ttf) {
			return false
		}
		fsType := binary.BigEndian.Uint16(ttf[off+8:])
		usage := fsType & 0x000F
		return (usage == 0 || usage&0x0008 != 0) && fsType&0x0300 == 0
	}
	return true
}

// fontID identifies a subset for its key: the face and its characters (hashing those
// rather than the font's bytes, a tenth of a render's time).
func fontID(face spec.Face, runes []rune) []byte {
	b := make([]byte, 0, 8+3*len(runes))
	b = append(b, face.Name()...)
	for _, r := range runes {
		b = append(b, byte(r>>16), byte(r>>8), byte(r))
	}
	return b
}

// fontKeyOf returns the font key, a GUID derived from id (so that the output is
// deterministic): the first 16 bytes of id's SHA-256 as upper-case hex digits, and the
// key's 16 bytes: the font's first 32 bytes are XORed with them as ECMA-376 Part 1
// §17.8.1 says (fonts.Subset.Deflate does it), the GUID's hex digits read as bytes
// from the last to the first, which are the hash's bytes in reverse order.
func fontKeyOf(id []byte) (guid [38]byte, key [16]byte) {
	sum := sha256.Sum256(id)
	const digits = "0123456789ABCDEF"
	guid[0], guid[37] = '{', '}'
	j := 1
	for i, c := range sum[:16] {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			guid[j] = '-'
			j++
		}
		guid[j], guid[j+1] = digits[c>>4], digits[c&15]
		j += 2
	}
	for i := range key {
		key[i] = sum[15-i]
	}
	return guid, key
}
