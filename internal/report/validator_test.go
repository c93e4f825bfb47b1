package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os/exec"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"gongwen/internal/testtool"
)

// The built-in validator (validator.go) must find exactly what a full JSON Schema
// implementation finds. The oracle is github.com/santhosh-tekuri/jsonschema/v6, which
// only the tests link.

func librarySchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// libraryViolations are the library's leaf errors as violations.
func libraryViolations(t testing.TB, s *jsonschema.Schema, tree any) []violation {
	t.Helper()
	err := s.Validate(tree)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		t.Fatalf("library: %v", err)
	}
	var out []violation
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		v := violation{loc: e.InstanceLocation}
		switch k := e.ErrorKind.(type) {
		case *kind.Type:
			v.keyword, v.gotType, v.types = "type", k.Got, k.Want
		case *kind.Const:
			v.keyword = "const"
		case *kind.Enum:
			v.keyword, v.values = "enum", k.Want
		case *kind.MinProperties:
			v.keyword, v.got, v.want = "minProperties", k.Got, k.Want
		case *kind.MaxProperties:
			v.keyword, v.got, v.want = "maxProperties", k.Got, k.Want
		case *kind.Required:
			v.keyword, v.names = "required", k.Missing
		case *kind.AdditionalProperties:
			v.keyword, v.names = "additionalProperties", slices.Sorted(slices.Values(k.Properties))
		case *kind.MinItems:
			v.keyword, v.got, v.want = "minItems", k.Got, k.Want
		case *kind.MaxItems:
			v.keyword, v.got, v.want = "maxItems", k.Got, k.Want
		case *kind.MinLength:
			v.keyword, v.got, v.want = "minLength", k.Got, k.Want
		case *kind.MaxLength:
			v.keyword, v.got, v.want = "maxLength", k.Got, k.Want
		case *kind.Pattern:
			v.keyword = "pattern"
		case *kind.Minimum:
			v.keyword = "minimum"
		case *kind.Maximum:
			v.keyword = "maximum"
		default:
			t.Fatalf("library reports %T at %v, which the built-in validator never does", k, e.InstanceLocation)
		}
		out = append(out, v)
	}
	walk(ve)
	return out
}

func ourViolations(t testing.TB, tree any) []violation {
	t.Helper()
	n, err := compiled()
	if err != nil {
		t.Fatal(err)
	}
	var out []violation
	n.root.validate(n.defs, tree, nil, &out, nil)
	return out
}

// inDocumentOrder sorts stably by location. The library visits an object's fields in
// map order, so only the order at one location is meaningful; that order decides which
// findings survive the MaxProblems cut and must be the library's.
func inDocumentOrder(vs []violation) []violation {
	vs = slices.Clone(vs)
	sort.SliceStable(vs, func(i, j int) bool { return comparePaths(vs[i].loc, vs[j].loc) < 0 })
	for i := range vs {
		if len(vs[i].loc) == 0 {
			vs[i].loc = nil
		}
	}
	return vs
}

func sameViolations(t *testing.T, lib *jsonschema.Schema, tree any, what string) bool {
	t.Helper()
	want := inDocumentOrder(libraryViolations(t, lib, tree))
	got := inDocumentOrder(ourViolations(t, tree))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\nbuilt-in %+v\nlibrary  %+v", what, got, want)
		return false
	}
	return true
}

func mustTree(t testing.TB, data []byte) any {
	t.Helper()
	tree, _, err := decodeTree(data)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// mutations are values put in every place of a valid report: every type, every
// boundary of every limit in the schema, and objects of the wrong shape.
func mutations() []any {
	n := func(s string) json.Number { return json.Number(s) }
	return []any{
		nil, true, false, n("0"), n("-1"), n("2023"), n("2023.5"), n("2.023e3"), n("2023.0"),
		n("1999"), n("2000"), n("2100"), n("2101"), n("1e2"), n("1999.5"), n("2100.5"),
		"", " ", "x", "auto", "none", "2024-01-15", "2024-1-15", "２０２４-01-15",
		strings.Repeat("字", 200), strings.Repeat("字", 201), strings.Repeat("a", 1000), strings.Repeat("a", 1001),
		strings.Repeat("文", 20000), strings.Repeat("文", 20001),
		[]any{}, []any{"x"}, []any{n("1"), nil, "", []any{}}, make([]any, 21), make([]any, 101),
		map[string]any{}, map[string]any{"paragraph": "x"}, map[string]any{"paragraph": ""},
		map[string]any{"paragraph": "x", "table": map[string]any{}}, map[string]any{"zz": n("1")},
		map[string]any{"table": map[string]any{"header": []any{}, "rows": []any{}}},
		map[string]any{"table": map[string]any{"header": []any{"a"}, "rows": []any{[]any{"b", n("1")}}, "Caption": ""}},
		map[string]any{"heading": "h", "runIn": "x"}, map[string]any{"heading": "h", "runIn": false, "numbering": n("1")},
		map[string]any{"heading": "", "runIn": true, "sections": []any{map[string]any{}}, "titel": "x"},
	}
}

// eachPlace calls f at every value of tree with a setter that replaces it (and
// restores the original when called with the original).
func eachPlace(v any, f func(get func() any, set func(any))) {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			f(func() any { return v[k] }, func(x any) { v[k] = x })
			eachPlace(v[k], f)
		}
	case []any:
		for i := range v {
			f(func() any { return v[i] }, func(x any) { v[i] = x })
			eachPlace(v[i], f)
		}
	}
}

func TestBuiltinValidatorMatchesLibrary(t *testing.T) {
	lib := librarySchema(t)
	cases := 0
	check := func(tree any, what string) {
		cases++
		if !sameViolations(t, lib, tree, what) && t.Failed() && cases > 20 {
			t.FailNow()
		}
	}
	for _, name := range []string{"wuchuan-2023.json", "all-fields.json"} {
		tree := mustTree(t, readExample(t, name))
		check(tree, name)
		// Every value replaced by every mutation.
		eachPlace(tree, func(get func() any, set func(any)) {
			orig := get()
			for i, m := range mutations() {
				set(m)
				check(tree, fmt.Sprintf("%s with mutation %d", name, i))
			}
			set(orig)
		})
		// Every field removed, and unknown ones added, in every object.
		var objects []map[string]any
		var collect func(any)
		collect = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				objects = append(objects, v)
				for _, x := range v {
					collect(x)
				}
			case []any:
				for _, x := range v {
					collect(x)
				}
			}
		}
		collect(tree)
		for _, o := range objects {
			for _, k := range slices.Sorted(maps.Keys(o)) {
				x := o[k]
				delete(o, k)
				check(tree, name+" without "+k)
				o[k] = x
			}
			for _, k := range []string{"zz", "Title", "titel", "a/b~c"} {
				o[k] = "x"
				check(tree, name+" with "+k)
				delete(o, k)
			}
		}
	}
	// Whole inputs: not objects, and hostile volumes near the size limit.
	for _, s := range []string{`null`, `[]`, `"x"`, `1`, `{}`, `{"sections":[]}`} {
		check(mustTree(t, []byte(s)), s)
	}
	for name, in := range hostile() {
		check(mustTree(t, []byte(in)), name)
	}
	t.Logf("%d inputs compared", cases)
	if cases < 2000 {
		t.Errorf("only %d inputs compared", cases)
	}
}

// FuzzBuiltinValidator: on any well-formed input the built-in validator finds what the
// library finds.
func FuzzBuiltinValidator(f *testing.F) {
	f.Add(readExample(f, "wuchuan-2023.json"))
	f.Add(readExample(f, "all-fields.json"))
	f.Add([]byte(`{"title":"","issuer":1,"year":2023.5,"date":"x","numbering":"x","sections":[{"heading":"a","runIn":true,"body":[{},{"paragraph":"a","table":{}}],"sections":[{"heading":"b","sections":[{"heading":"c","sections":[{"heading":"d","sections":[{"heading":"e"}]}]}]}]}]}`))
	lib := librarySchema(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if checkSyntax(data) != nil || checkEncoding(data, 0) != nil {
			return
		}
		tree, _, err := decodeTree(data)
		if err != nil {
			t.Fatal(err)
		}
		sameViolations(t, lib, tree, "input")
	})
}

// TestSchemaCompilesForBuiltinValidator: schema.json uses only keywords the built-in
// validator implements; one it does not know fails to compile rather than being
// ignored.
func TestSchemaCompilesForBuiltinValidator(t *testing.T) {
	if _, err := compileSchema(schemaJSON); err != nil {
		t.Fatal(err)
	}
	for _, extra := range []string{`"oneOf":[{}]`, `"format":"date"`, `"uniqueItems":true`, `"$ref":"#/properties/title"`} {
		bad := bytes.Replace(schemaJSON, []byte(`"type": "object",`), []byte(`"type": "object", `+extra+`,`), 1)
		if _, err := compileSchema(bad); err == nil {
			t.Errorf("schema with %s compiled", extra)
		}
	}
	bad := bytes.Replace(schemaJSON, []byte(`"additionalProperties": false`), []byte(`"additionalProperties": {}`), 1)
	if _, err := compileSchema(bad); err == nil {
		t.Errorf("schema with a schema for additionalProperties compiled")
	}
}

// TestBinariesDoNotLinkSchemaLibrary: the library's init (meta-schemas of five drafts,
// about 23 M instructions) must not run in the CLI or the Lambda functions.
func TestBinariesDoNotLinkSchemaLibrary(t *testing.T) {
	goTool := testtool.Require(t, "go")
	out, err := exec.Command(goTool, "list", "-deps", "gongwen/cmd/gongwen", "gongwen/functions/http", "gongwen/functions/s3").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "gongwen/internal/report\n") {
		t.Fatalf("go list output does not list internal/report:\n%s", out)
	}
	if strings.Contains(string(out), "santhosh-tekuri/jsonschema") {
		t.Errorf("a binary links github.com/santhosh-tekuri/jsonschema: its init compiles five meta-schemas in every process")
	}
}

// TestDecodeSchema: the schema document compileSchema decodes with the report decoder
// is the tree encoding/json decodes (with UseNumber), and a schema with a duplicate
// key decodes as encoding/json has it (the last value).
func TestDecodeSchema(t *testing.T) {
	for _, data := range [][]byte{
		schemaJSON,
		bytes.Replace(schemaJSON, []byte(`"type": "object",`), []byte(`"type": "string", "type": "object",`), 1),
	} {
		d := json.NewDecoder(bytes.NewReader(data))
		d.UseNumber()
		var want map[string]any
		if err := d.Decode(&want); err != nil {
			t.Fatal(err)
		}
		// Known valid (compileEmbedded: the embedded schema is not checked first) or not.
		for _, valid := range []bool{false, true} {
			got, err := decodeSchema(data, valid)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("decodeSchema's tree (known valid: %v) differs from encoding/json's", valid)
			}
		}
	}
	if !json.Valid(schemaJSON) {
		t.Error("the embedded schema is not valid JSON, which compileEmbedded takes for granted")
	}
	if _, err := decodeSchema([]byte(`{"type": "object",`), false); err == nil {
		t.Error("a truncated schema decoded")
	}
}

// TestLengthBounds: minLength and maxLength give the violations utf8's character
// count gives (an invalid byte one character), whether or not the byte length
// settles them without counting.
func TestLengthBounds(t *testing.T) {
	pieces := []string{"a", "é", "中", "😀", "\xff", "\xe4\xb8"}
	var texts []string
	var grow func(s string, depth int)
	grow = func(s string, depth int) {
		texts = append(texts, s)
		if depth == 0 {
			return
		}
		for _, p := range pieces {
			grow(s+p, depth-1)
		}
	}
	grow("", 4)
	for _, s := range texts {
		count := utf8.RuneCountInString(s)
		for lo := -1; lo <= 6; lo++ {
			for hi := -1; hi <= 6; hi++ {
				n := &node{minLength: lo, maxLength: hi, minProps: -1, maxProps: -1, minItems: -1, maxItems: -1}
				var got []violation
				n.checkScalar(s, nil, &got)
				var want []string
				if lo >= 0 && count < lo {
					want = append(want, "minLength")
				}
				if hi >= 0 && count > hi {
					want = append(want, "maxLength")
				}
				if len(got) != len(want) {
					t.Fatalf("%q (%d characters), min %d max %d: %d violations, want %v", s, count, lo, hi, len(got), want)
				}
				for i, v := range got {
					if v.keyword != want[i] || v.got != count {
						t.Fatalf("%q, min %d max %d: %s got %d, want %s got %d", s, lo, hi, v.keyword, v.got, want[i], count)
					}
				}
			}
		}
	}
}
