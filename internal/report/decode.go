package report

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

var bom = []byte("\xef\xbb\xbf")

// maxUTF8Problems caps the invalid-UTF-8 findings: after a few, the file is simply
// not UTF-8 and more offsets do not help anyone.
const maxUTF8Problems = 10

// checkEncoding reports every run of invalid UTF-8 (up to a cap) by its byte offset in
// the original input. skip is the length of a leading BOM.
func checkEncoding(data []byte, skip int) []Problem {
	if validUTF8(data[skip:]) { // the usual case, several times faster than decoding each rune
		return nil
	}
	var out []Problem
	for i := skip; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			if len(out) == maxUTF8Problems {
				out = append(out, Problem{Code: CodeInvalidUTF8, Offset: i,
					Message: fmt.Sprintf("自字节偏移 %d（从 0 起算）起还有更多无效的 UTF-8 字节：文件可能不是 UTF-8 编码（例如 GBK）。More invalid UTF-8 from byte offset %d on: the file is probably not UTF-8 (for example GBK).", i, i)})
				break
			}
			out = append(out, Problem{Code: CodeInvalidUTF8, Offset: i,
				Message: fmt.Sprintf("字节偏移 %d（从 0 起算）处不是有效的 UTF-8 编码，请以 UTF-8 保存文件。Invalid UTF-8 at byte offset %d (counting from 0): save the file as UTF-8.", i, i)})
			// One problem per run of bad bytes: a GBK character is two of them.
			for i++; i < len(data); i++ {
				if r, size := utf8.DecodeRune(data[i:]); r != utf8.RuneError || size > 1 {
					break
				}
			}
			continue
		}
		i += size
	}
	return out
}

// validUTF8 is utf8.Valid with a short path for the three-byte characters a Chinese
// report is mostly made of (U+1000-U+CFFF, U+E000-U+FFFF: leads E1-EC, EE, EF, which
// take any two continuation bytes), which utf8.Valid checks through its tables:
// Wuchuan's 12 KB (3,522 such characters) took 164,000 instructions of a cold render,
// now 99,000. Everything else goes to utf8.DecodeRune.
func validUTF8(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf { // ASCII, eight bytes at a time while they are
			i++
			for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
				i += 8
			}
			continue
		}
		if i+2 < len(b) && c-0xE1 < 0x0F && c != 0xED && (uint16(b[i+1])|uint16(b[i+2])<<8)&0xC0C0 == 0x8080 {
			i += 3
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		i += size
	}
	return true
}

// checkSyntax reports malformed JSON with its line and column (1-based, columns in
// characters). encoding/json stops at the first syntax error, so there is one problem.
func checkSyntax(data []byte) *Problem {
	if json.Valid(data) { // one scan; Unmarshal scans twice and copies (a quarter of parsing)
		return nil
	}
	var raw json.RawMessage
	err := json.Unmarshal(data, &raw)
	var se *json.SyntaxError
	if err == nil || !errors.As(err, &se) {
		return nil
	}
	at := int(se.Offset) - 1 // the offending byte
	what := "此处有意外的内容。Unexpected content here."
	switch {
	case strings.HasPrefix(se.Error(), "unexpected end of JSON input"):
		at = len(data)
		what = "内容意外结束：缺少右括号 } 或 ]、引号或值。The input ends too early: a closing } or ], a quote or a value is missing."
	case strings.Contains(se.Error(), "exceeded max depth"):
		what = "嵌套层数过多。The JSON is nested far too deeply."
	case strings.HasPrefix(se.Error(), "invalid character"):
		what = describeBadChar(data, at, se.Error())
	}
	if at < 0 {
		at = 0
	}
	line, col := lineCol(data, at)
	return &Problem{Code: CodeMalformedJSON, Line: line, Column: col,
		Message: fmt.Sprintf("JSON 格式错误（第 %d 行第 %d 列）：%s", line, col, what)}
}

func describeBadChar(data []byte, at int, msg string) string {
	c := "?"
	if at >= 0 && at < len(data) {
		r, _ := utf8.DecodeRune(data[at:])
		c = string(r)
		if r < 0x20 {
			c = fmt.Sprintf("U+%04X", r)
		}
	}
	switch {
	case strings.Contains(msg, "in string literal"):
		return fmt.Sprintf("字符串中不能直接出现控制字符 %s，换行请写作 \\n。A string cannot contain the raw control character %s; write a line break as \\n.", c, c)
	case strings.Contains(msg, "in string escape code"):
		return fmt.Sprintf("无效的转义序列（\\%s）。Invalid escape sequence (\\%s).", c, c)
	case strings.Contains(msg, "after top-level value"):
		return fmt.Sprintf("报告对象结束后还有多余内容“%s”。Extra content %q after the end of the report object.", c, c)
	case strings.Contains(msg, "after object key:value pair"):
		return fmt.Sprintf("此处应为逗号或 }，实为“%s”（是否缺少逗号？）。Expected a comma or }, found %q (a missing comma?).", c, c)
	case strings.Contains(msg, "after array element"):
		return fmt.Sprintf("此处应为逗号或 ]，实为“%s”（是否缺少逗号？）。Expected a comma or ], found %q (a missing comma?).", c, c)
	case strings.Contains(msg, "after object key"):
		return fmt.Sprintf("字段名后应为冒号，实为“%s”。Expected a colon after the field name, found %q.", c, c)
	case strings.Contains(msg, "looking for beginning of object key string"):
		return fmt.Sprintf("此处应为带双引号的字段名，实为“%s”（是否多了逗号？）。Expected a field name in double quotes, found %q (a trailing comma?).", c, c)
	}
	return fmt.Sprintf("意外的字符“%s”。Unexpected character %q.", c, c)
}

// lineCol converts a byte offset into a 1-based line and character column.
func lineCol(data []byte, at int) (line, col int) {
	if at > len(data) {
		at = len(data)
	}
	before := data[:at]
	line = bytes.Count(before, []byte{'\n'}) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col = utf8.RuneCount(before[start:]) + 1
	return line, col
}

// Hostile inputs can hold a million array items or object keys in 2 MB. The decoder
// keeps only as many as can matter, so that validation stays cheap: an array longer
// than every limit is invalid whatever its tail holds, and an object has at most a few
// contract fields, so unknown keys beyond the first few are only counted.
const (
	maxArrayKept   = MaxBlocks + 1 // the longest any array may be, plus one to fail maxItems
	maxUnknownKept = 32
)

// decodeTree decodes JSON into the generic values the schema validator takes
// (map[string]any, []any, string, json.Number, bool, nil), reporting duplicate keys,
// which encoding/json would otherwise resolve silently by dropping text. It is a small
// parser: encoding/json's token stream costs several times more, which hostile inputs
// of a million values exploit. It accepts exactly what json.Valid accepts (FuzzParse
// checks it) and answers errSyntax for anything else, so that a valid input is
// scanned once (checkSyntax, for the message, runs only on an input it refuses).
func decodeTree(data []byte) (v any, problems []Problem, err error) {
	return decodeTreeStop(data, nil)
}

// decodeTreeStop is decodeTree that stop can end (returning ctx's error).
func decodeTreeStop(data []byte, stop *stopper) (v any, problems []Problem, err error) {
	d := &decoder{data: data, stop: stop}
	defer func() {
		if p := recover(); p != nil {
			if s, ok := p.(stopped); ok {
				v, problems, err = nil, nil, s.err
				return
			}
			if _, ok := p.(syntaxError); ok {
				v, problems, err = nil, nil, fmt.Errorf("%w at byte %d", errSyntax, d.pos)
				return
			}
			v, problems, err = nil, nil, fmt.Errorf("decode at byte %d: %v", d.pos, p)
		}
	}()
	d.space()
	v = d.value()
	d.space()
	if d.pos != len(data) {
		return nil, nil, fmt.Errorf("%w: trailing data at byte %d", errSyntax, d.pos)
	}
	return v, d.problems, nil
}

// errSyntax is decodeTree's answer to an input that is not JSON.
var errSyntax = errors.New("not valid JSON")

// syntaxError is the panic that unwinds the decoder at the first byte that is not
// JSON.
type syntaxError struct{}

// maxDepth is the deepest nesting of arrays and objects encoding/json accepts.
const maxDepth = 10000

// at returns the byte at the decoder's position; past the end is a syntax error.
func (d *decoder) at() byte {
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return fail()
}

// fail unwinds the decoder at a syntax error; out of line, so that at inlines.
//
//go:noinline
func fail() byte { panic(syntaxError{}) }

// expect consumes lit, which must come next.
func (d *decoder) expect(lit string) {
	if !bytes.HasPrefix(d.data[d.pos:], []byte(lit)) {
		fail()
	}
	d.pos += len(lit)
}

// digits consumes one or more decimal digits.
func (d *decoder) digits() {
	if c := d.at(); c < '0' || c > '9' {
		fail()
	}
	for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
		d.pos++
	}
}

// number consumes a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *decoder) number() json.Number {
	start := d.pos
	if d.at() == '-' {
		d.pos++
	}
	if d.at() == '0' {
		d.pos++
	} else {
		d.digits()
	}
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		d.digits()
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if c := d.at(); c == '+' || c == '-' {
			d.pos++
		}
		d.digits()
	}
	return json.Number(d.data[start:d.pos])
}

type decoder struct {
	data     []byte
	pos      int
	depth    int         // arrays and objects open
	path     []pathToken // where the value being decoded is
	problems []Problem
	stop     *stopper
}

// pathToken is one reference token, an array index kept as a number so that a long
// array costs no string per item.
type pathToken struct {
	key   string
	index int // -1 for an object key
}

func (d *decoder) pointer() string {
	tokens := make([]string, len(d.path))
	for i, t := range d.path {
		tokens[i] = t.key
		if t.index >= 0 {
			tokens[i] = strconv.Itoa(t.index)
		}
	}
	return pointer(tokens)
}

func (d *decoder) add(p Problem) {
	if len(d.problems) < MaxProblems {
		d.problems = append(d.problems, p)
	}
}

func (d *decoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) value() any {
	d.stop.poll()
	switch c := d.at(); c {
	case '{':
		return d.object()
	case '[':
		return d.array()
	case '"':
		return d.str()
	case 't':
		d.expect("true")
		return true
	case 'f':
		d.expect("false")
		return false
	case 'n':
		d.expect("null")
		return nil
	default:
		return d.number()
	}
}

// open enters an array or object: past maxDepth is a syntax error, as for
// encoding/json.
func (d *decoder) open() {
	if d.depth++; d.depth > maxDepth {
		fail()
	}
	d.pos++
	d.space()
}

// close consumes the closing bracket of an empty array or object.
func (d *decoder) close() {
	d.pos++
	d.depth--
}

// next consumes what follows a member or element: a comma before the next one, or
// the closing bracket (then it reports true).
func (d *decoder) next(closing byte) (done bool) {
	d.space()
	switch d.at() {
	case ',':
		d.pos++
		d.space()
		if d.at() == closing { // a trailing comma
			fail()
		}
		return false
	case closing:
		d.close()
		return true
	}
	fail()
	return false
}

func (d *decoder) object() map[string]any {
	obj := map[string]any{}
	unknown, dropped := 0, 0
	d.open() // {
	if d.at() == '}' {
		d.close()
		return obj
	}
	for {
		if d.at() != '"' {
			fail()
		}
		key := d.str()
		d.space()
		d.expect(":")
		d.space()
		d.path = append(d.path, pathToken{key, -1})
		v := d.value()
		if _, seen := obj[key]; seen {
			d.add(Problem{Path: d.pointer(), Code: CodeDuplicateField,
				Message: fmt.Sprintf("字段“%s”重复出现，只能写一次。The field %q appears more than once.", key, key)})
		} else if _, known := fieldOrder[key]; known || unknown < maxUnknownKept {
			if !known {
				unknown++
			}
			obj[key] = v
		} else {
			dropped++
		}
		d.path = d.path[:len(d.path)-1]
		if d.next('}') {
			break
		}
	}
	if dropped > 0 {
		d.add(Problem{Path: d.pointer(), Code: CodeUnknownField, Message: fmt.Sprintf(
			"此处另有 %d 个不认识的字段未逐一列出。%d more unknown fields here are not listed one by one.", dropped, dropped)})
	}
	return obj
}

func (d *decoder) array() []any {
	arr := []any{}
	d.open() // [
	if d.at() == ']' {
		d.close()
		return arr
	}
	for i := 0; ; i++ {
		d.path = append(d.path, pathToken{index: i})
		v := d.value()
		d.path = d.path[:len(d.path)-1]
		if len(arr) < maxArrayKept {
			arr = append(arr, v)
		}
		if d.next(']') {
			break
		}
	}
	return arr
}

// str decodes a string. One without escapes is copied as it is; escapes are left to
// encoding/json, which turns an unpaired surrogate such as \ud800 into U+FFFD. A raw
// control character or an escape JSON does not have is a syntax error.
func (d *decoder) str() string {
	start := d.pos
	data := d.data
	i := start + 1 // past the opening quote
	escaped := false
	for {
		// Eight bytes at a time while none of them is a quote, a backslash or a
		// control character (most of a report is text: this loop was 2 % of a
		// whole render byte by byte).
		for i+8 <= len(data) {
			w := binary.LittleEndian.Uint64(data[i:])
			q, b := w^(ones*'"'), w^(ones*'\\')
			if ((q-ones)&^q|(b-ones)&^b|(w-ones*0x20)&^w)&highs != 0 {
				break
			}
			i += 8
		}
		if i >= len(data) {
			d.pos = i
			fail()
		}
		c := data[i]
		if c == '"' {
			break
		}
		i++
		if c < 0x20 {
			d.pos = i - 1
			fail()
		}
		if c == '\\' {
			escaped = true
			d.pos = i
			d.escape()
			i = d.pos
		}
	}
	d.pos = i + 1 // past the closing quote
	raw := data[start:d.pos]
	if !escaped {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		panic(err)
	}
	return s
}

// ones and highs are a byte's lowest and highest bit in every byte of a word: for a
// word w, (w-ones*n)&^w&highs is nonzero exactly when some byte of w is below n (for n
// up to 0x80), so when n is 1, when some byte is zero.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// escape consumes what follows a backslash in a string: one of "\\/bfnrt, or u and
// four hexadecimal digits.
func (d *decoder) escape() {
	switch d.at() {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		d.pos++
	case 'u':
		d.pos++
		for range 4 {
			if c := d.at(); !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				fail()
			}
			d.pos++
		}
	default:
		fail()
	}
}

// escapePointer escapes one JSON pointer reference token (RFC 6901).
func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// pointer joins reference tokens into a JSON pointer.
func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapePointer(t))
	}
	return b.String()
}
