package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzParse: Parse never panics, an invalid input always says why, and a valid
// result written back with Marshal parses to the same report without warnings.
func FuzzParse(f *testing.F) {
	f.Add(readExample(f, "wuchuan-2023.json"))
	f.Add(readExample(f, "all-fields.json"))
	f.Add(readExample(f, "all-fields-document.json"))
	for _, s := range []string{
		`{"title":"t","issuer":"i","year":2024,"date":"2025-01-15","document":{"organ":"o","number":"示司[2025]第03号","copyNumber":"7","secrecy":"秘密★1年","urgency":"特急","signers":["a","b","c"],"cc":["x"],"printer":"p","printDate":"2025-01-16"},"note":"（n）","sections":[{"heading":"a"}]}`,
		`{"title":"t","issuer":"i","year":2024,"document":{"signers":["a"]},"seal":{"png":"iVBORw0KGgo=","diameterMM":19},"sections":[{"heading":"a"}]}`,
		`{"title":"t","issuer":"i","year":2024,"attachments":["a",{"title":"b","body":["x",{"table":{"header":["h"],"rows":[["c"]]}}]},{"body":[]}],"sections":[{"heading":"a"}]}`,
	} {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		``, `{}`, `[]`, `null`, `{"title":"t","issuer":"i","year":2023,"sections":[{"heading":"一、 a。"}]}`,
		`{"title":"t\n","issuer":" i","year":2023,"numbering":"none","sections":[{"heading":"a","sections":[{"heading":"（一）b","runIn":true,"body":["x\r\ny",{"table":{"header":["a"],"rows":[["b"]]}}]}]}]}`,
		`{"title":"t","issuer":"i","year":2023,"date":"2024-02-29","sections":[{"heading":"1. 1.5倍","body":[{"paragraph":"\u3000x\u3000"}]}]}`,
		"\xef\xbb\xbf{\"a\":\"\xff\"}", `{"title":"\ud800"}`, `{"a":1,"a":2}`,
		`{"a":1,}`, `[1,]`, `[01]`, `[1.]`, `[-]`, `[1e+]`, `{"a" 1}`, "[\"\x01\"]", `["\q"]`, `["\u12G4"]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// The decoder accepts exactly what encoding/json accepts (ParseContext takes its
		// answer for the syntax check), and decodes well-formed UTF-8 as it does.
		if _, _, err := decodeTree(data); (err == nil) != json.Valid(data) {
			t.Fatalf("decodeTree: %v, json.Valid: %v", err, json.Valid(data))
		}
		if utf8.Valid(data) && checkSyntax(data) == nil {
			got, dups, err := decodeTree(data)
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			var want any
			if derr := dec.Decode(&want); derr != nil {
				t.Fatalf("encoding/json: %v", derr)
			}
			if err != nil {
				t.Fatalf("decodeTree: %v", err)
			}
			if len(dups) == 0 && !reflect.DeepEqual(got, want) {
				t.Fatalf("decodeTree = %#v, encoding/json = %#v", got, want)
			}
		}
		r, _, err := Parse(data)
		if err != nil {
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("error %v is not an *InvalidError", err)
			}
			if len(inv.Problems) == 0 {
				t.Fatal("InvalidError without problems")
			}
			for _, p := range inv.Problems {
				if p.Code == "" || p.Message == "" {
					t.Fatalf("problem without code or message: %+v", p)
				}
			}
			return
		}
		out, err := Marshal(r)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		r2, w2, err := Parse(out)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
		if len(w2) != 0 {
			t.Fatalf("re-parse of %s warns %v", out, w2)
		}
		if !reflect.DeepEqual(r, r2) {
			t.Fatalf("re-parse differs:\n%+v\n%+v", r, r2)
		}
	})
}
