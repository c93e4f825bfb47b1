package templates

import (
	"bytes"
	"context"
	"unicode/utf8"
)

// simpleWellFormed is the fast path of WellFormed: it reports true only for a document
// it has checked completely, in a plain subset of XML 1.0 that is all our parts and
// generated document.xml use: one of two XML declarations, elements and attributes
// with ASCII names (at most one prefix), quoted attribute values, text, the five
// predefined entities and character references, comments. It rejects (so that
// encoding/xml decides and words the error) anything else: CDATA, DOCTYPE, processing
// instructions, non-ASCII names, an attribute not preceded by white space, a
// character XML forbids, invalid UTF-8, "]]>" in text, "--" in a comment, mismatched
// tags, text or a second element outside the root. encoding/xml spent about 180
// instructions a byte on a report's document.xml, the largest part of a warm DOCX render.
// TestSimpleWellFormedIsSound checks that whatever it accepts encoding/xml accepts.
// It gives up (false) once ctx ends, checked every 64 KiB: a large document.xml takes
// tens of milliseconds to scan.
func simpleWellFormed(ctx context.Context, b []byte) bool {
	return simpleCheck(ctx, b, false)
}

// ContentWellFormed reports whether b is, in the plain subset simpleWellFormed
// checks, what may stand between a start tag and its end tag with no text of its own
// there: any number of elements, with comments and white space between them, as the
// DOCX's generated body between document.xml's fixed head and tail. True means that
// head + b + tail is well-formed for any such head and tail; false, that b is not in
// the subset or is not well-formed: WellFormed on the whole document tells which,
// and why. Checking the body alone spares a render the template's 1,200 bytes of
// namespaces and section properties (checked once, when it is read).
func ContentWellFormed(ctx context.Context, b []byte) bool {
	return simpleCheck(ctx, b, true)
}

// simpleCheck is simpleWellFormed, or ContentWellFormed when content: no declaration,
// any number of top-level elements.
func simpleCheck(ctx context.Context, b []byte, content bool) bool {
	i := 0
	check := 64 << 10
	for _, decl := range xmlDecls {
		if !content && bytes.HasPrefix(b, decl) {
			i = len(decl)
			break
		}
	}
	stack := make([][]byte, 0, 32)
	roots := 0
	for i < len(b) {
		if i >= check {
			if ctx.Err() != nil {
				return false
			}
			check = i + 64<<10
		}
		c := b[i]
		if c != '<' {
			if len(stack) == 0 {
				if !isSpace(c) {
					return false // text outside the root element
				}
				i++
				continue
			}
			n := textRun(b[i:])
			if n <= 0 {
				return false
			}
			i += n
			continue
		}
		if i+1 >= len(b) {
			return false
		}
		switch b[i+1] {
		case '/':
			// The end tag of the open element, as it mostly is: its name, then a byte
			// that cannot continue a name (scanName would read the same name).
			if n := len(stack); n > 0 {
				top := stack[n-1]
				if j := i + 2 + len(top); j < len(b) && b[j] == '>' && bytes.HasPrefix(b[i+2:], top) {
					stack = stack[:n-1]
					i = j + 1
					continue
				}
			}
			name, j := scanName(b, i+2)
			if name == nil {
				return false
			}
			j = skipSpace(b, j)
			if j >= len(b) || b[j] != '>' || len(stack) == 0 || !bytes.Equal(stack[len(stack)-1], name) {
				return false
			}
			stack = stack[:len(stack)-1]
			i = j + 1
		case '!':
			if !bytes.HasPrefix(b[i:], []byte("<!--")) {
				return false
			}
			body := b[i+4:]
			k := bytes.Index(body, []byte("--"))
			if k < 0 || k+2 >= len(body) || body[k+2] != '>' || !validChars(body[:k]) {
				return false
			}
			i += 4 + k + 3
		case '?':
			return false
		default:
			name, j := scanName(b, i+1)
			if name == nil {
				return false
			}
			selfClose := false
			for {
				k := skipSpace(b, j)
				if k >= len(b) {
					return false
				}
				if b[k] == '>' {
					j = k + 1
					break
				}
				if b[k] == '/' {
					if k+1 >= len(b) || b[k+1] != '>' {
						return false
					}
					selfClose, j = true, k+2
					break
				}
				if k == j {
					return false // an attribute must follow white space
				}
				attr, k := scanName(b, k)
				if attr == nil {
					return false
				}
				k = skipSpace(b, k)
				if k >= len(b) || b[k] != '=' {
					return false
				}
				k = skipSpace(b, k+1)
				if k >= len(b) || (b[k] != '"' && b[k] != '\'') {
					return false
				}
				end := bytes.IndexByte(b[k+1:], b[k])
				if end < 0 || !validValue(b[k+1:k+1+end]) {
					return false
				}
				j = k + 1 + end + 1
			}
			if len(stack) == 0 {
				if roots++; roots > 1 && !content {
					return false
				}
			}
			if !selfClose {
				stack = append(stack, name)
			}
			i = j
		}
	}
	return (roots == 1 || content) && len(stack) == 0
}

var xmlDecls = [][]byte{
	[]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`),
	[]byte(`<?xml version="1.0" encoding="UTF-8"?>`),
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

func nameStart(c byte) bool { return nameClass[c]&isNameStart != 0 }

func nameChar(c byte) bool { return nameClass[c]&isNameChar != 0 }

// nameClass sorts the bytes of the ASCII names the subset allows: a letter or '_'
// starts one, those and digits, '-' and '.' continue it (one table load a byte, where
// the comparisons took most of scanning a tag).
const (
	isNameStart = 1 << iota
	isNameChar
)

var nameClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_':
			t[c] = isNameStart | isNameChar
		case '0' <= c && c <= '9' || c == '-' || c == '.':
			t[c] = isNameChar
		}
	}
	return t
}()

// scanName reads an ASCII name with at most one prefix (w:val) at i; nil if there is
// none there.
func scanName(b []byte, i int) ([]byte, int) {
	start := i
	for part := 0; part < 2; part++ {
		if i >= len(b) || !nameStart(b[i]) {
			return nil, i
		}
		for i++; i < len(b) && nameChar(b[i]); i++ {
		}
		if i >= len(b) || b[i] != ':' || part == 1 {
			break
		}
		i++
	}
	if i < len(b) && b[i] == ':' {
		return nil, i
	}
	return b[start:i], i
}

// textRun checks the character data (and references) at the start of b up to the
// next '<' and returns its length, or 0 if it is not in the plain subset.
func textRun(b []byte) int {
	i := 0
	for i < len(b) {
		c := b[i]
		switch charClass[c] {
		case plainChar:
			i++
			continue
		case lead3:
			// Runs of CJK characters, the commonest text, in a loop of their own.
			if j := Run3(b, i); j > i {
				i = j
				continue
			}
		case markupChar:
			switch c {
			case '<':
				return i
			case '&':
				n := reference(b[i:])
				if n == 0 {
					return 0
				}
				i += n
				continue
			case ']':
				if bytes.HasPrefix(b[i:], []byte("]]>")) {
					return 0
				}
				i++
				continue
			}
		}
		n := validChar(b[i:])
		if n == 0 {
			return 0
		}
		i += n
	}
	return i
}

// validValue checks an attribute value (between its quotes).
func validValue(v []byte) bool {
	for i := 0; i < len(v); {
		c := v[i]
		if charClass[c] == plainChar { // most of a value: ASCII but < & ]
			i++
			continue
		}
		switch {
		case c == '<':
			return false
		case c == '&':
			n := reference(v[i:])
			if n == 0 {
				return false
			}
			i += n
		default:
			n := validChar(v[i:])
			if n == 0 {
				return false
			}
			i += n
		}
	}
	return true
}

// validChars checks a comment's text.
func validChars(v []byte) bool {
	for i := 0; i < len(v); {
		n := validChar(v[i:])
		if n == 0 {
			return false
		}
		i += n
	}
	return true
}

// Byte classes of text: what a byte at the start of a character says about it.
const (
	otherByte  = iota // decoded by validRune: controls, four-byte leads, E0, ED, stray bytes
	plainChar         // ASCII XML allows (tab, newline, return, from space on) but < & ]
	markupChar        // < & ]
	lead3             // E1-EF: leads a three-byte sequence Char3 checks without decoding
)

// charClass sorts bytes so that ASCII and a CJK character's three bytes are checked
// without decoding: the text of a document.xml is mostly that, and decoding each
// character took most of the check's time.
var charClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c == '<' || c == '&' || c == ']':
			t[c] = markupChar
		case c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c < utf8.RuneSelf:
			t[c] = plainChar
		case Lead3(byte(c)):
			t[c] = lead3
		}
	}
	return t
}()

// validChar returns the length of the character XML allows at the start of b, or 0;
// a '<', '&' or ']' counts as a character (its callers look for those first).
func validChar(b []byte) int {
	switch charClass[b[0]] {
	case plainChar, markupChar:
		return 1
	case lead3:
		if Char3(b, 0) {
			return 3
		}
		return 0
	}
	return validRune(b)
}

// Lead3 reports the lead bytes of the three-byte UTF-8 sequences Char3 judges without
// decoding: E1–EF (E0 can start an overlong form and ED a surrogate: those are decoded).
func Lead3(c byte) bool { return c >= 0xE1 && c <= 0xEF && c != 0xED }

// Char3 reports whether s[i:] starts with a three-byte sequence led by a Lead3 byte that
// is a character XML allows: two continuation bytes, and not U+FFFE or U+FFFF. Every CJK
// character is one; the DOCX's escaper and WellFormed share this one rule.
func Char3[T string | []byte](s T, i int) bool {
	return i+2 < len(s) && Lead3(s[i]) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 &&
		(s[i] != 0xEF || s[i+1] != 0xBF || s[i+2] < 0xBE)
}

// Run3 returns the end of the run of Char3 characters at s[i:] (i when there is none).
// It takes four characters (twelve bytes) at a time while their leads are Lead3
// bytes and their eight continuation bytes are: the continuation bytes are tested in
// two words, the leads by a table. Any two continuation bytes after E1-EE but ED make
// a character Char3 allows; after EF (full-width punctuation, the commonest of it the
// comma ，, U+FF0C) they do unless the first is BF (U+FFC0-U+FFFF, U+FFFE and U+FFFF
// among them), which goes through Char3. Byte by byte a CJK character took about 30
// instructions, the largest part of checking and escaping a report's text; a comma
// in every four characters sent them all through Char3 before EF joined the words.
func Run3[T string | []byte](s T, i int) int {
	const (
		c = 0xC0 // the top two bits, 10 in a continuation byte
		k = 0x80
		// Bytes 1, 2, 4, 5 and 7 of the first eight; 8, 10 and 11 (0, 2, 3 of the rest).
		maskX = c<<8 | c<<16 | c<<32 | c<<40 | c<<56
		wantX = k<<8 | k<<16 | k<<32 | k<<40 | k<<56
		maskY = c | c<<16 | c<<24
		wantY = k | k<<16 | k<<24
	)
	for {
		for len(s)-i >= 12 {
			t := s[i : i+12]
			x := uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
				uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
			y := uint32(t[8]) | uint32(t[9])<<8 | uint32(t[10])<<16 | uint32(t[11])<<24
			if x&maskX != wantX || y&maskY != wantY {
				break
			}
			if !plainLead3[byte(x)] || !plainLead3[byte(x>>24)] || !plainLead3[byte(x>>48)] || !plainLead3[byte(y>>8)] {
				// A lead but E1-EE: EF followed by other than BF keeps the characters in
				// the word (the continuation bytes are checked already).
				if !efLead(byte(x), byte(x>>8)) || !efLead(byte(x>>24), byte(x>>32)) ||
					!efLead(byte(x>>48), byte(x>>56)) || !efLead(byte(y>>8), byte(y>>16)) {
					break
				}
			}
			i += 12
		}
		if !Char3(s, i) {
			return i
		}
		i += 3
	}
}

// efLead reports whether a three-byte character led by lead, b1 its first
// continuation byte, is one Char3 allows by its first two bytes alone: led by E1-EE
// but ED, or by EF with b1 other than BF.
func efLead(lead, b1 byte) bool { return plainLead3[lead] || lead == 0xEF && b1 != 0xBF }

// plainLead3 marks the Lead3 bytes but EF: any two continuation bytes after one make
// a character XML allows.
var plainLead3 = func() (t [256]bool) {
	for c := range t {
		t[c] = Lead3(byte(c)) && c != 0xEF
	}
	return t
}()

// validRune returns the length of the character XML allows at the start of b, or 0.
func validRune(b []byte) int {
	r, n := utf8.DecodeRune(b)
	if r == utf8.RuneError && n <= 1 || !xmlChar(r) {
		return 0
	}
	return n
}

func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || 0x20 <= r && r <= 0xD7FF ||
		0xE000 <= r && r <= 0xFFFD || 0x10000 <= r && r <= 0x10FFFF
}

// reference returns the length of the entity or character reference at the start of
// b (&amp; &#20013; &#x4E2D;), or 0 if it is none of those or names a character XML
// forbids.
func reference(b []byte) int {
	end := bytes.IndexByte(b[:min(len(b), 12)], ';')
	if end < 2 {
		return 0
	}
	body := b[1:end]
	switch string(body) {
	case "amp", "lt", "gt", "apos", "quot":
		return end + 1
	}
	if body[0] != '#' || len(body) < 2 {
		return 0
	}
	var r rune
	// At most 6 hex or 7 decimal digits (U+10FFFF is 1114111), so r cannot overflow.
	if body[1] == 'x' {
		if len(body) < 3 || len(body) > 8 {
			return 0
		}
		for _, c := range body[2:] {
			switch {
			case '0' <= c && c <= '9':
				r = r<<4 | rune(c-'0')
			case 'a' <= c && c <= 'f':
				r = r<<4 | rune(c-'a'+10)
			case 'A' <= c && c <= 'F':
				r = r<<4 | rune(c-'A'+10)
			default:
				return 0
			}
		}
	} else {
		if len(body) > 8 {
			return 0
		}
		for _, c := range body[1:] {
			if c < '0' || c > '9' {
				return 0
			}
			r = r*10 + rune(c-'0')
		}
	}
	if !xmlChar(r) {
		return 0
	}
	return end + 1
}
