package report

import (
	"bytes"
	"encoding/json"
	"reflect"
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
