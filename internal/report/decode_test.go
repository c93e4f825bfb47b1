package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeTreeAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{}`, `[]`, `null`, `true`, `false`, `0`, `-1.5e+10`, `"x"`,
		" \t\r\n{ \"a\" : [ 1 , 2.0 , -0 , 1E3 ] , \"b\" : { } , \"c\" : [ ] } \n",
		`{"s":"\"\\\/\b\f\n\r\t\u0041\u00e9\u4e2d\ud83d\ude00"}`,
		`{"lone":"\ud800","low":"\udc00x","pair-split":"\ud83d\u0041"}`,
		`{"k\u0061y":"v","nested":[[[{"a":[{}]}]]],"bools":[true,false,null]}`,
		`["中文", "e\u0301", "\u3000全角\u3000", "a\\"]`,
		`{"~/":1,"a/b":{"c~d":2}}`,
	} {
		got, dups, err := decodeTree([]byte(in))
		if err != nil || len(dups) != 0 {
			t.Errorf("%s: err %v dups %v", in, err, dups)
			continue
		}
		dec := json.NewDecoder(bytes.NewReader([]byte(in)))
		dec.UseNumber()
		var want any
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", in, got, want)
		}
	}
}

func TestDecodeTreeCaps(t *testing.T) {
	// A duplicate key is reported with its pointer, escaped.
	_, dups, err := decodeTree([]byte(`{"a/b":{"x":1,"x":2}}`))
	if err != nil || len(dups) != 1 || dups[0].Path != "/a~1b/x" || dups[0].Code != CodeDuplicateField {
		t.Errorf("dups %v err %v", dups, err)
	}
	// Long arrays keep one item past every limit.
	var b bytes.Buffer
	b.WriteString("[0")
	for i := 0; i < maxArrayKept+500; i++ {
		b.WriteString(",1")
	}
	b.WriteString("]")
	v, _, err := decodeTree(b.Bytes())
	if err != nil || len(v.([]any)) != maxArrayKept {
		t.Errorf("kept %d items, want %d (err %v)", len(v.([]any)), maxArrayKept, err)
	}
}

// TestDecodeTreeSyntax: the decoder refuses exactly what encoding/json refuses (the
// oracle: json.Valid), at every kind of mistake, so that Parse may skip json.Valid.
func TestDecodeTreeSyntax(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	for _, in := range []string{
		``, ` `, `{}x`, `{} {}`, `{`, `}`, `[`, `[1,2`, `{"a":"b`, `{"a`, `"`, `"\`, `"\u12`,
		`{"a":1,}`, `[1,]`, `[,1]`, `{,}`, `{"a":}`, `{"a" 1}`, `{"a":1 "b":2}`, `[1 2]`, `[true false]`,
		`{1:2}`, `{"a"::1}`, `[01]`, `[-01]`, `[1.]`, `[.5]`, `[-]`, `[+1]`, `[1e]`, `[1e+]`, `[0x1]`, `[NaN]`,
		`[1E5]`, `[-0.0e-0]`, `[1.5E+07]`, `[0]`, `[-0]`, `[10]`, `[tru]`, `[nul]`, `[falsey]`, `{"a":truex}`,
		`["\/"]`, `["\q"]`, `["\u12G4"]`, `["\uABCD\uabcd"]`, "[\"\x01\"]", "[\"\x1f\"]", "[\"\x7f\"]",
		"[\"\t\"]", "\x00", "[1]\x00", " \t\r\n[ ] ", "\f[]", "[\"\xff\"]",
		deep(maxDepth), deep(maxDepth + 1), `{"a":` + deep(maxDepth-1) + `}`, `{"a":` + deep(maxDepth) + `}`,
	} {
		_, _, err := decodeTree([]byte(in))
		if want := json.Valid([]byte(in)); (err == nil) != want {
			t.Errorf("%.40q: decodeTree says %v, json.Valid %v", in, err, want)
		}
		if err != nil && !errors.Is(err, errSyntax) {
			t.Errorf("%.40q: %v is not a syntax error", in, err)
		}
	}
	// A malformed report is still described by encoding/json's reading of it.
	_, _, err := Parse([]byte(`{"title":"t",}`))
	var inv *InvalidError
	if !errors.As(err, &inv) || inv.Kind != KindMalformed || len(inv.Problems) != 1 || inv.Problems[0].Code != CodeMalformedJSON || inv.Problems[0].Line != 1 {
		t.Errorf("Parse of a trailing comma: %v", err)
	}
}

// TestDecodeStringsAtEveryOffset: a string whose quote, escape, control character or
// multi-byte character falls at every offset of an eight-byte word (the decoder scans
// strings a word at a time) decodes as encoding/json decodes it, and is refused
// exactly when encoding/json refuses it.
func TestDecodeStringsAtEveryOffset(t *testing.T) {
	for _, special := range []string{`\"`, `\\`, `\n`, `\u4e2d`, "\x01", "\x1f", "\t", " ", "中", "\x7f", `"`} {
		for before := 0; before < 20; before++ {
			for after := 0; after < 12; after++ {
				in := `["` + strings.Repeat("a", before) + special + strings.Repeat("b", after) + `"]`
				got, _, err := decodeTree([]byte(in))
				var want any
				jerr := json.Unmarshal([]byte(in), &want)
				if (err != nil) != (jerr != nil) {
					t.Fatalf("%q: decodeTree error %v, encoding/json error %v", in, err, jerr)
				}
				if err == nil && !reflect.DeepEqual(got, want) {
					t.Fatalf("%q: got %#v, want %#v", in, got, want)
				}
			}
		}
	}
}
