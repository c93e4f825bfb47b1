package report

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// The schema is checked by a small validator compiled from schema.json itself, not by
// a general JSON Schema library: github.com/santhosh-tekuri/jsonschema/v6 compiles the
// meta-schemas of five drafts in its package init, about 23 M instructions in every
// process that links it (18 % of a whole `gongwen render` of the Wuchuan example).
// This validator knows only the keywords schema.json uses, refuses to compile any
// other, and reports exactly what the library reports: the same keyword at the same
// instance location with the same values, in the library's order at one location.
// schema_test.go checks that against the library on thousands of inputs; the library
// is a test-only dependency.

// violation is one failed keyword at one place of the instance, what the library calls
// a leaf validation error.
type violation struct {
	loc     []string // instance location, reference tokens
	keyword string   // "type", "required", "maxLength", …
	got     int      // a length, a count of items or properties
	want    int
	gotType string   // type: the instance's JSON type (a number is "number")
	types   []string // type: the allowed types, in the library's order
	names   []string // required: missing fields; additionalProperties: unknown ones
	values  []any    // enum: the allowed values
}

// node is one compiled (sub)schema. An absent bound is -1.
type node struct {
	types              []string
	hasConst           bool
	constV             any
	enum               []any
	ref                int // $ref: 1 + the index of the definition in schema.defs; 0: none
	minProps, maxProps int
	required           []string
	properties         []property // sorted by name
	noAdditional       bool
	items              *node
	minItems, maxItems int
	minLength          int
	maxLength          int
	pattern            *pattern
	minimum, maximum   json.Number // "": none
}

// property is one of an object schema's properties.
type property struct {
	name string
	node *node
}

// property returns the schema of the property name, or nil.
func (n *node) property(name string) *node {
	ps := n.properties
	i := sort.Search(len(ps), func(i int) bool { return ps[i].name >= name })
	if i < len(ps) && ps[i].name == name {
		return ps[i].node
	}
	return nil
}

// pattern is a string's pattern, compiled on first use: the compiled schema of the
// binary is Go data (schema_gen.go), and its patterns were compiled when it was
// generated, so they compile.
type pattern struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
}

func (p *pattern) match(s string) bool {
	p.once.Do(func() {
		if p.re == nil {
			p.re = regexp.MustCompile(p.src)
		}
	})
	return p.re.MatchString(s)
}

// schema is a compiled schema: its root and its definitions ($defs, by name), which
// a node's ref indexes (an index, not a pointer: the definitions refer to each other,
// and Go data initialised by the linker cannot hold a cycle of pointers).
type schema struct {
	root *node
	defs []*node
}

// typeOrder is the order in which the library lists allowed types.
var typeOrder = []string{"null", "boolean", "number", "integer", "string", "array", "object"}

// annotations are keywords that never fail validation.
var annotations = map[string]bool{"$schema": true, "$id": true, "title": true, "description": true, "default": true, "$comment": true}

// compileSchema compiles the subset of JSON Schema 2020-12 that schema.json uses.
func compileSchema(data []byte) (*schema, error) {
	doc, err := decodeSchema(data, false)
	if err != nil {
		return nil, err
	}
	return compileDoc(doc)
}

// compileEmbedded is compileSchema for the schema built into the binary, which need
// not be checked for syntax before decoding: TestDecodeSchema proves it is valid JSON
// and decodes to encoding/json's tree (the check was 60 % of compiling it, 0.3 M
// instructions in every process).
func compileEmbedded(data []byte) (*schema, error) {
	doc, err := decodeSchema(data, true)
	if err != nil {
		return nil, err
	}
	return compileDoc(doc)
}

func compileDoc(doc map[string]any) (*schema, error) {
	if s, _ := doc["$schema"].(string); s != "https://json-schema.org/draft/2020-12/schema" {
		return nil, fmt.Errorf("$schema %q: only draft 2020-12 is supported", s)
	}
	c := &schemaCompiler{refs: map[*node]ref{}}
	rawDefs, _ := doc["$defs"].(map[string]any)
	names := slices.Sorted(maps.Keys(rawDefs))
	index := map[string]int{}
	out := &schema{}
	for i, name := range names {
		n, err := c.compile(rawDefs[name], "#/$defs/"+name)
		if err != nil {
			return nil, err
		}
		out.defs = append(out.defs, n)
		index["#/$defs/"+name] = i
	}
	delete(doc, "$defs")
	root, err := c.compile(doc, "#")
	if err != nil {
		return nil, err
	}
	for _, n := range c.all {
		r, ok := c.refs[n]
		if !ok {
			continue
		}
		i, ok := index[r.name]
		if !ok {
			return nil, fmt.Errorf("%s: $ref %q: only references to #/$defs/… are supported", r.from, r.name)
		}
		n.ref = i + 1
	}
	out.root = root
	return out, nil
}

// decodeSchema decodes the schema document with the report decoder (decodeTree: its
// tree is what encoding/json gives with UseNumber, at 40 % of the cost, the larger
// part of compiling the schema in every process). A document that decoder would not
// keep whole (a duplicate key, many unknown ones) or that is not valid JSON is left to
// encoding/json, for the same tree or the same error as before. (It also keeps at
// most maxArrayKept items of an array; the schema's arrays are a few items long, and
// TestDecodeSchema checks the tree is encoding/json's.)
// valid says data is known to be valid JSON (the embedded schema).
func decodeSchema(data []byte, valid bool) (map[string]any, error) {
	if valid || json.Valid(data) {
		if v, problems, err := decodeTree(data); err == nil && len(problems) == 0 {
			if doc, ok := v.(map[string]any); ok {
				return doc, nil
			}
		}
	}
	d := json.NewDecoder(strings.NewReader(string(data)))
	d.UseNumber()
	var doc map[string]any
	if err := d.Decode(&doc); err != nil {
		return nil, err
	}
	return doc, nil
}

type schemaCompiler struct {
	all  []*node
	refs map[*node]ref // each node's $ref, resolved once the definitions are compiled
}

// ref is a $ref to resolve: the reference and the schema location it is at.
type ref struct{ name, from string }

func (c *schemaCompiler) compile(raw any, at string) (*node, error) {
	obj, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: a schema must be an object", at)
	}
	n := &node{minProps: -1, maxProps: -1, minItems: -1, maxItems: -1, minLength: -1, maxLength: -1}
	c.all = append(c.all, n)
	fail := func(kw string) error { return fmt.Errorf("%s/%s: unsupported value %v", at, kw, obj[kw]) }
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, kw := range keys {
		v := obj[kw]
		var err error
		switch kw {
		case "type":
			var ts []string
			switch v := v.(type) {
			case string:
				ts = []string{v}
			case []any:
				for _, t := range v {
					s, ok := t.(string)
					if !ok {
						return nil, fail(kw)
					}
					ts = append(ts, s)
				}
			default:
				return nil, fail(kw)
			}
			for _, t := range typeOrder {
				if slices.Contains(ts, t) {
					n.types = append(n.types, t)
				}
			}
			if len(n.types) != len(ts) {
				return nil, fail(kw)
			}
		case "const":
			if !scalar(v) {
				return nil, fail(kw)
			}
			n.hasConst, n.constV = true, v
		case "enum":
			vs, ok := v.([]any)
			if !ok || len(vs) == 0 || !all(vs, scalar) {
				return nil, fail(kw)
			}
			n.enum = vs
		case "$ref":
			s, ok := v.(string)
			if !ok {
				return nil, fail(kw)
			}
			c.refs[n] = ref{name: s, from: at}
		case "minProperties":
			n.minProps, err = count(v)
		case "maxProperties":
			n.maxProps, err = count(v)
		case "minItems":
			n.minItems, err = count(v)
		case "maxItems":
			n.maxItems, err = count(v)
		case "minLength":
			n.minLength, err = count(v)
		case "maxLength":
			n.maxLength, err = count(v)
		case "required":
			vs, ok := v.([]any)
			if !ok {
				return nil, fail(kw)
			}
			for _, r := range vs {
				s, ok := r.(string)
				if !ok {
					return nil, fail(kw)
				}
				n.required = append(n.required, s)
			}
		case "properties":
			props, ok := v.(map[string]any)
			if !ok {
				return nil, fail(kw)
			}
			for _, name := range slices.Sorted(maps.Keys(props)) {
				pn, err := c.compile(props[name], at+"/properties/"+escapePointer(name))
				if err != nil {
					return nil, err
				}
				n.properties = append(n.properties, property{name, pn})
			}
		case "additionalProperties":
			if b, ok := v.(bool); !ok || b {
				return nil, fail(kw) // only false is supported; true is the default
			}
			n.noAdditional = true
		case "items":
			if n.items, err = c.compile(v, at+"/items"); err != nil {
				return nil, err
			}
		case "pattern":
			s, ok := v.(string)
			if !ok {
				return nil, fail(kw)
			}
			re, err := regexp.Compile(s)
			if err != nil {
				return nil, fmt.Errorf("%s/pattern: %w", at, err)
			}
			n.pattern = &pattern{src: s, re: re}
		case "minimum", "maximum":
			num, ok := v.(json.Number)
			if !ok {
				return nil, fail(kw)
			}
			if _, ok := new(big.Rat).SetString(num.String()); !ok {
				return nil, fail(kw)
			}
			if kw == "minimum" {
				n.minimum = num
			} else {
				n.maximum = num
			}
		default:
			if !annotations[kw] {
				return nil, fmt.Errorf("%s: keyword %q is not supported by the built-in validator (internal/report/validator.go)", at, kw)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %w", at, kw, err)
		}
	}
	return n, nil
}

func count(v any) (int, error) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("not a number")
	}
	i, err := num.Int64()
	if err != nil || i < 0 || i > 1<<31 {
		return 0, fmt.Errorf("not a count: %v", num)
	}
	return int(i), nil
}

func scalar(v any) bool {
	switch v.(type) {
	case nil, bool, string, json.Number:
		return true
	}
	return false
}

func all(vs []any, f func(any) bool) bool {
	for _, v := range vs {
		if !f(v) {
			return false
		}
	}
	return true
}

// validate checks v against n and appends what fails to out, keyword by keyword in
// the order the library evaluates them.
// stop ends it when the parse's context ends (nil: never).
func (n *node) validate(defs []*node, v any, loc []string, out *[]violation, stop *stopper) {
	// Only the descent into properties and items is here; the checks of the value
	// itself and the violations they add are in functions of their own, so that this
	// frame, one per level of the instance, stays small (it was 2.9 KB: a report's
	// validation grew its goroutine's stack to 64 KB, copying it at each step).
	stop.poll()
	if !n.checkValue(v, loc, out) {
		return
	}
	if n.ref != 0 {
		defs[n.ref-1].validate(defs, v, loc, out, stop)
	}
	switch v := v.(type) {
	case map[string]any:
		n.checkObject(v, loc, out)
		var additional []string
		for name, pv := range v {
			if p := n.property(name); p != nil {
				p.validate(defs, pv, append(loc, name), out, stop)
			} else if n.noAdditional {
				additional = append(additional, name)
			}
		}
		if additional != nil {
			sort.Strings(additional)
			addViolation(out, loc, violation{keyword: "additionalProperties", names: additional})
		}
	case []any:
		n.checkArray(v, loc, out)
		if n.items != nil {
			for i, item := range v {
				n.items.validate(defs, item, append(loc, strconv.Itoa(i)), out, stop)
			}
		}
	default:
		n.checkScalar(v, loc, out)
	}
}

// addViolation adds x at loc (copied: loc is the caller's, extended in place).
//
//go:noinline
func addViolation(out *[]violation, loc []string, x violation) {
	x.loc = slices.Clone(loc)
	*out = append(*out, x)
}

// checkValue checks v's type, const and enum, and a string's or a number's own
// keywords. False: v failed its type, const or enum, where the library stops.
//
//go:noinline
func (n *node) checkValue(v any, loc []string, out *[]violation) bool {
	t := jsonType(v)
	if n.types != nil {
		ok := slices.Contains(n.types, t) || (t == "number" && slices.Contains(n.types, "integer") && isInteger(v))
		if !ok {
			addViolation(out, loc, violation{keyword: "type", gotType: t, types: n.types})
			return false // the library stops at a type error
		}
	}
	if n.hasConst && !equalJSON(v, n.constV) {
		addViolation(out, loc, violation{keyword: "const"})
		return false
	}
	if n.enum != nil && !slices.ContainsFunc(n.enum, func(e any) bool { return equalJSON(v, e) }) {
		addViolation(out, loc, violation{keyword: "enum", values: n.enum})
		return false
	}
	return true
}

// checkObject checks an object's counts of properties and its required ones.
//
//go:noinline
func (n *node) checkObject(v map[string]any, loc []string, out *[]violation) {
	if n.minProps >= 0 && len(v) < n.minProps {
		addViolation(out, loc, violation{keyword: "minProperties", got: len(v), want: n.minProps})
	}
	if n.maxProps >= 0 && len(v) > n.maxProps {
		addViolation(out, loc, violation{keyword: "maxProperties", got: len(v), want: n.maxProps})
	}
	var missing []string
	for _, r := range n.required {
		if _, ok := v[r]; !ok {
			missing = append(missing, r)
		}
	}
	if missing != nil {
		addViolation(out, loc, violation{keyword: "required", names: missing})
	}
}

// checkArray checks an array's count of items.
//
//go:noinline
func (n *node) checkArray(v []any, loc []string, out *[]violation) {
	if n.minItems >= 0 && len(v) < n.minItems {
		addViolation(out, loc, violation{keyword: "minItems", got: len(v), want: n.minItems})
	}
	if n.maxItems >= 0 && len(v) > n.maxItems {
		addViolation(out, loc, violation{keyword: "maxItems", got: len(v), want: n.maxItems})
	}
}

// checkScalar checks a string's length and pattern, a number's bounds.
//
//go:noinline
func (n *node) checkScalar(v any, loc []string, out *[]violation) {
	switch v := v.(type) {
	case string:
		// A string has at most one character a byte and at least one per four bytes
		// (an invalid byte counts as one): its byte length alone settles both bounds
		// for nearly every text, which are then not counted.
		minOK := n.minLength < 0 || (len(v)+3)/4 >= n.minLength
		maxOK := n.maxLength < 0 || len(v) <= n.maxLength
		if !minOK || !maxOK {
			l := runeCount(v)
			if n.minLength >= 0 && l < n.minLength {
				addViolation(out, loc, violation{keyword: "minLength", got: l, want: n.minLength})
			}
			if n.maxLength >= 0 && l > n.maxLength {
				addViolation(out, loc, violation{keyword: "maxLength", got: l, want: n.maxLength})
			}
		}
		if n.pattern != nil && !n.pattern.match(v) {
			addViolation(out, loc, violation{keyword: "pattern"})
		}
	case json.Number:
		if n.minimum != "" || n.maximum != "" {
			r, _ := new(big.Rat).SetString(v.String())
			if n.minimum != "" && r.Cmp(rat(n.minimum)) < 0 {
				addViolation(out, loc, violation{keyword: "minimum"})
			}
			if n.maximum != "" && r.Cmp(rat(n.maximum)) > 0 {
				addViolation(out, loc, violation{keyword: "maximum"})
			}
		}
	}
}

// rat is a bound the compiler checked to be a number.
func rat(n json.Number) *big.Rat {
	r, _ := new(big.Rat).SetString(n.String())
	return r
}

// jsonType is the JSON type of a decoded value; every number is "number".
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "invalid"
}

// isInteger is the library's test: a number with no fraction, however written (2023,
// 2023.0, 2.023e3).
func isInteger(v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	r, ok := new(big.Rat).SetString(n.String())
	return ok && r.IsInt()
}

// equalJSON compares scalars as JSON does: numbers by value.
func equalJSON(a, b any) bool {
	switch a := a.(type) {
	case json.Number:
		bn, ok := b.(json.Number)
		if !ok {
			return false
		}
		ra, ok1 := new(big.Rat).SetString(a.String())
		rb, ok2 := new(big.Rat).SetString(bn.String())
		return ok1 && ok2 && ra.Cmp(rb) == 0
	case nil, bool, string:
		return a == b
	}
	return false
}

// runeCount is utf8.RuneCountInString, which decodes every character through a
// general decoder: the common characters (ASCII, two bytes, three bytes but the
// surrogates and overlong forms) are counted here from their lead bytes, and a string
// holding anything else is left to utf8, for the same count (invalid bytes one each).
func runeCount(s string) int {
	n := 0
	for i := 0; i < len(s); n++ {
		c := s[i]
		switch {
		case c < 0x80:
			i++
		case c >= 0xC2 && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			i += 2
		case c >= 0xE1 && c <= 0xEF && c != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			i += 3
		default:
			return utf8.RuneCountInString(s)
		}
	}
	return n
}
