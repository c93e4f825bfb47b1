package testtool

import (
	"bufio"
	"compress/bzip2"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// UnihanOtherMappings is Unihan's mappings file as Debian's unicode-data installs it.
const UnihanOtherMappings = "/usr/share/unicode/Unihan_OtherMappings.txt.bz2"

// TGHChar is one character of 通用规范汉字表 (Unihan kTGH "2013:NNNN").
type TGHChar struct {
	R     rune
	Index int // position in the table, 1-8105
	Level int // 1 (1-3500), 2 (3501-6500) or 3 (6501-8105)
}

// TGH reads every character of 通用规范汉字表 from Unihan (kTGH), in the table's order,
// so that tests check the fonts against a source gongwen's build did not write. It
// skips the test when unicode-data is not installed (fails under CI, where .ci/run
// installs it).
func TGH(t testing.TB) []TGHChar {
	t.Helper()
	f, err := os.Open(UnihanOtherMappings)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI (install unicode-data): %v", UnihanOtherMappings, err)
		}
		t.Skipf("%s: %v", UnihanOtherMappings, err)
	}
	defer f.Close()
	var out []TGHChar
	sc := bufio.NewScanner(bzip2.NewReader(f))
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) < 3 || p[1] != "kTGH" {
			continue
		}
		cp, err1 := strconv.ParseUint(strings.TrimPrefix(p[0], "U+"), 16, 32)
		_, num, _ := strings.Cut(p[2], ":")
		idx, err2 := strconv.Atoi(num)
		if err1 != nil || err2 != nil {
			t.Fatalf("Unihan: bad kTGH line %q", sc.Text())
		}
		c := TGHChar{R: rune(cp), Index: idx, Level: 3}
		switch {
		case idx <= 3500:
			c.Level = 1
		case idx <= 6500:
			c.Level = 2
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	if len(out) != 8105 {
		t.Fatalf("Unihan has %d kTGH characters, want 8105", len(out))
	}
	return out
}
