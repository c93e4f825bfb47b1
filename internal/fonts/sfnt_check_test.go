package fonts

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	embedded "gongwen/fonts"
	"gongwen/internal/spec"
)

// refBadLoca is the test's own reading of a loca table: the first glyph whose offset
// decreases or runs past glyfLen, -1 when none does.
func refBadLoca(loca []byte, long bool, numGlyphs, glyfLen int) int {
	prev := 0
	for g := 0; g <= numGlyphs; g++ {
		var o int
		if long {
			o = int(binary.BigEndian.Uint32(loca[4*g:]))
		} else {
			o = 2 * int(binary.BigEndian.Uint16(loca[2*g:]))
		}
		if o < prev || o > glyfLen {
			return g
		}
		prev = o
	}
	return -1
}

// TestLocaChecked: a glyph offset that decreases or runs past the glyf table, at any
// place of a short or a long loca table (the word-at-a-time check reads eight bytes
// at once: the first, middle and last entries of a word and the tail), is refused
// naming the glyph the test's own reading finds.
func TestLocaChecked(t *testing.T) {
	s := embeddedSet(t)
	short, err := s.Subset(spec.RoleFace(spec.RoleFangsong), []rune(samples[spec.RoleFace(spec.RoleFangsong)]))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		long bool
	}{
		{"short", short, false},
		{"long", embedded.File("title"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parseFace(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if f.locaLong != tc.long {
				t.Fatalf("long loca %v, want %v", f.locaLong, tc.long)
			}
			locaOff, glyfLen := tableOffset(t, tc.data, "loca"), len(f.glyf)
			entry := 2
			if tc.long {
				entry = 4
			}
			n := f.numGlyphs
			for _, g := range []int{1, 2, 3, 4, 5, 7, 8, n / 2, n - 3, n - 2, n - 1, n} {
				for _, how := range []string{"decrease", "past the end"} {
					b := bytes.Clone(tc.data)
					loca := b[locaOff : locaOff+entry*(n+1)]
					put := func(g, o int) {
						if tc.long {
							binary.BigEndian.PutUint32(loca[4*g:], uint32(o))
						} else {
							binary.BigEndian.PutUint16(loca[2*g:], uint16(o/2))
						}
					}
					at := func(g int) int {
						if tc.long {
							return int(binary.BigEndian.Uint32(loca[4*g:]))
						}
						return 2 * int(binary.BigEndian.Uint16(loca[2*g:]))
					}
					if how == "decrease" {
						if at(g-1) == 0 {
							put(g-1, 2)
						}
						put(g, at(g-1)-2)
					} else {
						put(g, glyfLen+2)
					}
					want := refBadLoca(loca, tc.long, n, glyfLen)
					if want < 0 {
						t.Fatalf("glyph %d %s: the test's edit left the table valid", g, how)
					}
					_, err := parseFace(b)
					if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("glyph %d has a bad offset", want)) {
						t.Errorf("glyph %d %s: %v, want glyph %d named", g, how, err, want)
					}
				}
			}
		})
	}
}

// TestCmapChecked: a format 4 segment that starts before the previous one ends, at any
// place of a word the check reads, makes the face build its tables; a format 12 group
// beyond U+10FFFF or ending before it starts is refused naming the group.
func TestCmapChecked(t *testing.T) {
	data := embedded.File("title")
	src, err := parseFace(data)
	if err != nil {
		t.Fatal(err)
	}
	be := binary.BigEndian
	off4 := bytes.Index(data, src.cmap4[:64])
	segs := int(be.Uint16(src.cmap4[6:])) / 2
	for _, s := range []int{1, 2, 3, 4, 5, segs / 2, segs - 2} {
		b := bytes.Clone(data)
		starts := off4 + 16 + 2*segs
		prevEnd := be.Uint16(b[off4+14+2*(s-1):])
		be.PutUint16(b[starts+2*s:], prevEnd) // overlaps the previous segment
		f, err := parseFace(b)
		if err != nil {
			t.Fatal(err)
		}
		if f.gid == nil {
			t.Errorf("segment %d overlapping its predecessor: searched as ordered", s)
		}
	}
	off12 := bytes.Index(data, src.cmap12[:64])
	groups := int(be.Uint32(src.cmap12[12:]))
	for _, g := range []int{0, 1, groups / 2, groups - 1} {
		for _, how := range []string{"beyond U+10FFFF", "end before start"} {
			b := bytes.Clone(data)
			rec := b[off12+16+12*g:]
			if how == "beyond U+10FFFF" {
				be.PutUint32(rec[4:], 0x110000)
			} else {
				be.PutUint32(rec[4:], be.Uint32(rec)-1)
			}
			_, err := parseFace(b)
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("cmap format 12 group %d is out of range", g)) {
				t.Errorf("group %d %s: %v", g, how, err)
			}
		}
	}
}

// TestEmbeddedParseStaysInRange: parseEmbedded does not scan the glyph offsets, so a
// face whose loca table were bad (a broken build) still gives every glyph's bytes
// within the glyf table (none for a glyph ending before it starts) and never panics.
func TestEmbeddedParseStaysInRange(t *testing.T) {
	b := bytes.Clone(embedded.File("song"))
	f, err := parseFace(b)
	if err != nil {
		t.Fatal(err)
	}
	loca := b[tableOffset(t, b, "loca"):]
	binary.BigEndian.PutUint32(loca[4*10:], uint32(len(f.glyf)+100)) // past the end
	binary.BigEndian.PutUint32(loca[4*21:], 4)                       // decreasing
	if _, err := parseFace(b); err == nil {
		t.Fatal("bad offsets accepted by parseFace")
	}
	e, err := parseEmbedded(b)
	if err != nil {
		t.Fatal(err)
	}
	for g := 0; g < e.numGlyphs; g++ {
		got := e.glyph(g)
		switch g {
		case 9, 21: // to the table's end, from offset 4: wrong bytes, but within the table
			if len(got) > len(e.glyf) {
				t.Errorf("glyph %d: %d bytes", g, len(got))
			}
		case 10, 20: // ending before they start
			if len(got) != 0 {
				t.Errorf("glyph %d: %d bytes from bad offsets", g, len(got))
			}
		default:
			if want := f.glyph(g); !bytes.Equal(got, want) {
				t.Errorf("glyph %d: %d bytes, want %d", g, len(got), len(want))
			}
		}
	}
}
