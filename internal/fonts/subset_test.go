package fonts

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"gongwen/internal/spec"
)

// A cut subset's file, built only when asked, is what its directory says: every
// table's checksum is that of its bytes (glyf's is summed from the glyphs' cached
// sums, cold or warm), Size is its length without building it, and the compressed
// form decodes to it.
func TestSubsetFileChecksums(t *testing.T) {
	checkSubsetFiles(t, embeddedSet(t), spec.Faces[:], func(s *Set, fc spec.Face, n int) []rune { return sample(s, fc, n, 11) })
}

// The same for an operator's font with composite glyphs (renumbered per subset,
// never cached) and hinting tables.
func TestSubsetFileChecksumsComposites(t *testing.T) {
	s, _ := dejaVuAsSong(t)
	song := spec.RoleFace(spec.RoleSong)
	text := []rune("— 12 — ǺÅéŒ Ǻ ÅéŒ ĀāĂăĄą ǼǽǾǿ fi")
	var runes []rune
	for _, r := range text {
		if s.HasFace(song, r) {
			runes = append(runes, r)
		}
	}
	comps := 0
	for _, r := range runes {
		if composite(s.face(song).glyph(int(s.face(song).glyphID(r)))) {
			comps++
		}
	}
	if comps < 5 {
		t.Fatalf("%d composite glyphs in the sample", comps)
	}
	checkSubsetFiles(t, s, []spec.Face{song}, func(_ *Set, _ spec.Face, n int) []rune { return runes[:min(n, len(runes))] })
}

func checkSubsetFiles(t *testing.T, set *Set, faces []spec.Face, runesOf func(*Set, spec.Face, int) []rune) {
	t.Helper()
	for _, fc := range faces {
		for pass, n := range []int{1, 40, 300, 300} { // the last cut finds every glyph cached
			runes := runesOf(set, fc, n)
			sub, err := set.Cut(fc, runes)
			if err != nil {
				t.Fatal(err)
			}
			size := sub.Size()
			z := sub.Zlib() // before File: compressing must not need the file
			b := sub.File()
			if size != len(b) {
				t.Fatalf("%s pass %d: Size %d, file %d bytes", fc, pass, size, len(b))
			}
			be := binary.BigEndian
			for i := range int(be.Uint16(b[4:])) {
				rec := b[12+16*i:]
				off, l := be.Uint32(rec[8:]), be.Uint32(rec[12:])
				if int(off+l) > len(b) {
					t.Fatalf("%s: table %q beyond the file", fc, rec[:4])
				}
				if got, want := be.Uint32(rec[4:]), checksum(b[off:off+l]); string(rec[:4]) != "head" && got != want {
					t.Errorf("%s pass %d: table %q checksum %08X, its bytes sum to %08X", fc, pass, rec[:4], got, want)
				}
			}
			if checksum(b) != 0xB1B0AFBA {
				t.Errorf("%s pass %d: whole-file checksum %08X", fc, pass, checksum(b))
			}
			if sub.CRC32(nil) != crc32.ChecksumIEEE(b) {
				t.Errorf("%s pass %d: CRC32 %08X, the file's %08X", fc, pass, sub.CRC32(nil), crc32.ChecksumIEEE(b))
			}
			key := [16]byte{0x5A, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xFF}
			obf := slices.Clone(b)
			for i := range 32 {
				obf[i] ^= key[i%16]
			}
			if sub.CRC32(&key) != crc32.ChecksumIEEE(obf) {
				t.Errorf("%s pass %d: obfuscated CRC32 %08X, the obfuscated file's %08X", fc, pass, sub.CRC32(&key), crc32.ChecksumIEEE(obf))
			}
			if pre := sub.Prefix(); string(pre) != string(b[:len(pre)]) || len(pre) < 32 {
				t.Errorf("%s pass %d: Prefix is not the file's start", fc, pass)
			}
			if got := unzlib(t, z); string(got) != string(b) {
				t.Errorf("%s pass %d: zlib stream is not the file", fc, pass)
			}
		}
	}
}

// A caller's own file: CRC32 and Prefix are the whole file's.
func TestRawSubsetCRC32(t *testing.T) {
	key := [16]byte{9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4}
	for _, n := range []int{0, 5, 32, 33, 1000} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(i*7 + 3)
		}
		s := RawSubset(data)
		obf := slices.Clone(data)
		for i := range min(n, 32) {
			obf[i] ^= key[i%16]
		}
		if s.CRC32(nil) != crc32.ChecksumIEEE(data) || s.CRC32(&key) != crc32.ChecksumIEEE(obf) || len(s.Prefix()) != n {
			t.Errorf("%d bytes: CRC32 %08X / %08X, want %08X / %08X", n, s.CRC32(nil), s.CRC32(&key), crc32.ChecksumIEEE(data), crc32.ChecksumIEEE(obf))
		}
	}
}

// crcCombine agrees with hash/crc32 over the concatenation, for pieces up to beyond
// the shift tables' 64 KB.
func FuzzCRCCombine(f *testing.F) {
	f.Add([]byte("abc"), []byte("defgh"))
	f.Add([]byte{}, []byte{})
	f.Add([]byte{0xFF}, make([]byte, 70000))
	f.Add(make([]byte, 5), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		want := crc32.ChecksumIEEE(append(slices.Clone(a), b...))
		if got := crcCombine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), len(b)); got != want {
			t.Fatalf("%d+%d bytes: combined %08X, want %08X", len(a), len(b), got, want)
		}
	})
}

// Renders share a subset across goroutines (render's per-render cache: the PDF's
// font goroutine compresses while the DOCX asks for the CRC): run with -race.
func TestSubsetSharedAcrossGoroutines(t *testing.T) {
	set, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	fc := spec.Faces[0]
	sub, err := set.Cut(fc, sample(set, fc, 200, 5)) // a fresh set: nothing cached
	if err != nil {
		t.Fatal(err)
	}
	key := [16]byte{7}
	var wg sync.WaitGroup
	crcs, zs := make([]uint32, 8), make([][]byte, 8)
	for i := range 8 {
		wg.Go(func() {
			if i%2 == 0 {
				zs[i] = sub.Zlib()
			} else {
				crcs[i] = sub.CRC32(&key)
			}
		})
	}
	wg.Wait()
	obf := slices.Clone(sub.File())
	for i := range 32 {
		obf[i] ^= key[i%16]
	}
	for i := range 8 {
		if i%2 == 1 && crcs[i] != crc32.ChecksumIEEE(obf) {
			t.Errorf("goroutine %d: CRC32 %08X, want %08X", i, crcs[i], crc32.ChecksumIEEE(obf))
		}
		if i%2 == 0 && string(unzlib(t, zs[i])) != string(sub.File()) {
			t.Errorf("goroutine %d: zlib stream is not the file", i)
		}
	}
}

// dejaVuAsSong loads the font set with DejaVu Serif (Debian fonts-dejavu-core: a real
// hinted TrueType font with composite glyphs) as the operator's song face, and
// returns the set and the directory it was loaded from.
func dejaVuAsSong(t *testing.T) (*Set, string) {
	t.Helper()
	const src = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
	data, err := os.ReadFile(src)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI (install fonts-dejavu-core): %v", src, err)
		}
		t.Skipf("%s: %v", src, err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "song.ttf"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// TestCmapTableSegments: the character map written in place is byte for byte the one
// built from a list of segments (the former encoder, kept here as the reference), for
// runs of consecutive characters and glyphs, lone characters, U+FFFF, characters
// beyond the BMP, and none.
func TestCmapTableSegments(t *testing.T) {
	ref := func(rs []rune, gids []uint16) []byte {
		type seg struct{ start, end, delta uint16 }
		var segs []seg
		for i, r := range rs {
			c, g := uint16(r), gids[i]
			if k := len(segs) - 1; k >= 0 && segs[k].end+1 == c && c+segs[k].delta == g {
				segs[k].end = c
				continue
			}
			segs = append(segs, seg{c, c, g - c})
		}
		segs = append(segs, seg{0xFFFF, 0xFFFF, 1})
		ns := len(segs)
		s := make([]byte, 16+8*ns)
		be := binary.BigEndian
		be.PutUint16(s[0:], 4)
		be.PutUint16(s[2:], uint16(len(s)))
		be.PutUint16(s[6:], uint16(2*ns))
		sr, es := 1, 0
		for sr*2 <= ns {
			sr *= 2
			es++
		}
		be.PutUint16(s[8:], uint16(2*sr))
		be.PutUint16(s[10:], uint16(es))
		be.PutUint16(s[12:], uint16(2*ns-2*sr))
		for i, sg := range segs {
			be.PutUint16(s[14+2*i:], sg.end)
			be.PutUint16(s[16+2*ns+2*i:], sg.start)
			be.PutUint16(s[16+4*ns+2*i:], sg.delta)
		}
		return s
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		seen := map[rune]bool{}
		var rs []rune
		for range rng.IntN(400) {
			r := rune(rng.IntN(0x300))
			switch rng.IntN(4) {
			case 0:
				r += 0x4E00
			case 1:
				r = 0xFFFF - r%3
			case 2:
				r += 0x20000
			}
			rs = appendRun(rs, seen, r, 1+rng.IntN(5)) // runs
		}
		slices.Sort(rs)
		gids := numbered(len(rs))
		for i := range gids {
			if rng.IntN(5) == 0 {
				gids[i] = uint16(rng.IntN(0x10000))
			}
		}
		got, err := cmapTable(nil, rs, gids)
		if err != nil {
			t.Fatal(err)
		}
		nb, _ := slices.BinarySearch(rs, 0x10000)
		off := int(binary.BigEndian.Uint32(got[8:]))
		want := ref(rs[:nb], gids[:nb])
		if !bytes.Equal(got[off:off+len(want)], want) {
			t.Fatalf("trial %d (%d characters, %d in the BMP): format 4 subtable differs from the reference", trial, len(rs), nb)
		}
		if n := binary.BigEndian.Uint16(got[2:]); (n == 2) != (nb < len(rs)) || len(got) < off+len(want) {
			t.Fatalf("trial %d: %d encoding records for %d characters beyond the BMP", trial, n, len(rs)-nb)
		}
	}
}

// TestIDMapGrows: a glyph id map sized for one glyph, grown as a subset grows it,
// takes thousands (composites' components beyond the characters' glyphs) and maps
// each to its id.
func TestIDMapGrows(t *testing.T) {
	m := newIDMap(nil, 1)
	for i := range 5000 {
		g := uint16(i*7 + 3)
		s := m.slot(g)
		if *s != 0 {
			t.Fatalf("glyph %d found before it was added", g)
		}
		*s = (uint32(g)+1)<<16 | uint32(i)
		if 2*(i+1) > len(m.slots) {
			m.grow()
		}
	}
	for i := range 5000 {
		if got := m.get(uint16(i*7 + 3)); got != uint16(i) {
			t.Fatalf("glyph %d: %d, want %d", i*7+3, got, i)
		}
	}
	if len(m.slots) > 16384 {
		t.Errorf("5000 glyphs in %d slots", len(m.slots))
	}
}

// appendRun appends to rs the characters r, r+1, …, r+n-1 it does not hold yet
// (seen records those it holds).
func appendRun(rs []rune, seen map[rune]bool, r rune, n int) []rune {
	for k := range rune(n) {
		if !seen[r+k] {
			seen[r+k] = true
			rs = append(rs, r+k)
		}
	}
	return rs
}

// numbered is glyph ids 1 to n in order.
func numbered(n int) []uint16 {
	gids := make([]uint16, n)
	for i := range gids {
		gids[i] = uint16(i + 1)
	}
	return gids
}
