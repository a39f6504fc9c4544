package cfn

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonParser reads a JSON template straight into Nodes. It exists because
// encoding/json keeps no positions and yaml.v3 rejects JSON that
// CloudFormation users write every day (trailing commas, raw tabs in
// strings), and because it is several times faster than yaml.v3 on JSON.
//
// It is deliberately lenient where CloudFormation tooling is: trailing commas
// and raw control characters other than line breaks inside strings are
// accepted. Everything else follows ECMA-404.
type jsonParser struct {
	src  string // the whole file; scalars without escapes are substrings of it
	pos  int
	line int
	// col is the 1-based rune column of colOff on line; positions only move
	// forward, so columns are computed incrementally instead of rescanning
	// long (minified) lines.
	colOff int
	col    int

	depth int
	a     *arena
	dups  dupChecker
	// stacks hold the children of the collections being parsed; each
	// collection copies its own run out into the arena when it is complete,
	// so no per-collection slice grows by appending.
	items []*Node
	pairs []Pair

	err *Error
}

// parseJSON parses src as JSON. limit reports that the error is a limit
// being hit rather than a syntax error, so reading the file as YAML instead
// would only repeat the work.
func parseJSON(file, src string, a *arena, c *collector) (n *Node, err *Error, limit bool) {
	p := &jsonParser{src: src, line: 1, col: 1, a: a, dups: dupChecker{c: c}}
	p.skipSpace()
	n = p.value()
	if p.err == nil {
		p.skipSpace()
		if p.pos < len(p.src) {
			p.fail("unexpected %s after the end of the JSON value", p.describe())
		}
	}
	if p.err != nil {
		p.err.File = file
		return nil, p.err, p.depth > MaxNesting
	}
	return n, nil, false
}

// here returns the position of p.pos.
func (p *jsonParser) here() Pos {
	if p.pos > p.colOff {
		p.col += utf8.RuneCountInString(p.src[p.colOff:p.pos])
		p.colOff = p.pos
	}
	return Pos{p.line, p.col}
}

func (p *jsonParser) newline(next int) {
	p.line++
	p.pos = next
	p.colOff = next
	p.col = 1
}

func (p *jsonParser) fail(format string, args ...any) {
	if p.err == nil {
		at := p.here()
		p.err = &Error{Line: at.Line, Col: at.Col, Msg: "invalid JSON: " + fmt.Sprintf(format, args...)}
	}
}

func (p *jsonParser) describe() string {
	if p.pos >= len(p.src) {
		return "end of file"
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return strconv.QuoteRune(r)
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t':
			p.pos++
		case '\n':
			p.newline(p.pos + 1)
		case '\r':
			if p.pos+1 < len(p.src) && p.src[p.pos+1] == '\n' {
				p.newline(p.pos + 2)
			} else {
				p.newline(p.pos + 1)
			}
		default:
			return
		}
	}
}

func (p *jsonParser) value() *Node {
	if p.pos >= len(p.src) {
		p.fail("unexpected end of file, expected a value")
		return nil
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		n := p.a.node()
		n.Kind = String
		n.Start = p.here()
		n.Value = p.str()
		n.End = p.here()
		return n
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		for _, lit := range [...]struct {
			word string
			kind Kind
		}{{"true", Bool}, {"false", Bool}, {"null", Null}} {
			if len(p.src)-p.pos >= len(lit.word) && p.src[p.pos:p.pos+len(lit.word)] == lit.word {
				n := p.a.node()
				n.Kind = lit.kind
				n.Start = p.here()
				if lit.kind == Bool {
					n.Value = lit.word
				}
				p.pos += len(lit.word)
				n.End = p.here()
				return n
			}
		}
		p.fail("unexpected %s, expected a value", p.describe())
		return nil
	}
}

func (p *jsonParser) enter() bool {
	p.depth++
	if p.depth > MaxNesting {
		p.fail("nesting deeper than %d levels", MaxNesting)
		return false
	}
	return true
}

func (p *jsonParser) object() *Node {
	n := p.a.node()
	n.Kind = Map
	n.Start = p.here()
	if !p.enter() {
		return nil
	}
	p.pos++ // {
	base := len(p.pairs)
	for {
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == '}' {
			break // also accepts a trailing comma
		}
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			p.fail("unexpected %s, expected a string key or '}'", p.describe())
			return nil
		}
		keyStart := p.here()
		key := p.str()
		if p.err != nil {
			return nil
		}
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			p.fail("unexpected %s, expected ':' after key %q", p.describe(), key)
			return nil
		}
		p.pos++
		p.skipSpace()
		v := p.value()
		if p.err != nil {
			return nil
		}
		p.pairs = append(p.pairs, Pair{Key: key, KeyStart: keyStart, Value: v})
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.src) && p.src[p.pos] == '}' {
			break
		}
		p.fail("unexpected %s, expected ',' or '}' after the value of %q", p.describe(), key)
		return nil
	}
	p.pos++ // }
	n.End = p.here()
	n.Pairs = p.a.pairSlice(p.pairs[base:])
	p.pairs = p.pairs[:base]
	p.dups.check(n.Pairs)
	p.depth--
	return n
}

func (p *jsonParser) array() *Node {
	n := p.a.node()
	n.Kind = Seq
	n.Start = p.here()
	if !p.enter() {
		return nil
	}
	p.pos++ // [
	base := len(p.items)
	for {
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == ']' {
			break
		}
		v := p.value()
		if p.err != nil {
			return nil
		}
		p.items = append(p.items, v)
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.src) && p.src[p.pos] == ']' {
			break
		}
		p.fail("unexpected %s, expected ',' or ']' in a list", p.describe())
		return nil
	}
	p.pos++ // ]
	n.End = p.here()
	n.Items = p.a.itemSlice(p.items[base:])
	p.items = p.items[:base]
	p.depth--
	return n
}

func (p *jsonParser) number() *Node {
	n := p.a.node()
	n.Kind = Int
	n.Start = p.here()
	start := p.pos
	if p.src[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		s := p.pos
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
		}
		return p.pos - s
	}
	if digits() == 0 {
		p.fail("malformed number")
		return nil
	}
	if p.pos < len(p.src) && p.src[p.pos] == '.' {
		n.Kind = Float
		p.pos++
		if digits() == 0 {
			p.fail("malformed number: no digits after '.'")
			return nil
		}
	}
	if p.pos < len(p.src) && (p.src[p.pos] == 'e' || p.src[p.pos] == 'E') {
		n.Kind = Float
		p.pos++
		if p.pos < len(p.src) && (p.src[p.pos] == '+' || p.src[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			p.fail("malformed number: no digits in the exponent")
			return nil
		}
	}
	n.Value = p.src[start:p.pos]
	n.End = p.here()
	return n
}

// str reads a string token at p.pos and returns its value. Strings without
// escapes, the vast majority, are returned as substrings of the source.
func (p *jsonParser) str() string {
	p.pos++ // opening quote
	start := p.pos
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; {
		case c == '"':
			s := p.src[start:p.pos]
			p.pos++
			return s
		case c == '\\':
			return p.escaped(start)
		case c == '\n' || c == '\r':
			p.fail("line break inside a string")
			return ""
		default:
			p.pos++
		}
	}
	p.fail("unterminated string")
	return ""
}

func (p *jsonParser) escaped(start int) string {
	buf := make([]byte, 0, p.pos-start+16)
	buf = append(buf, p.src[start:p.pos]...)
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf)
		case c == '\n' || c == '\r':
			p.fail("line break inside a string")
			return ""
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.src) {
			break
		}
		esc := p.src[p.pos+1]
		p.pos += 2
		switch esc {
		case '"', '\\', '/':
			buf = append(buf, esc)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return ""
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if p.pos+1 < len(p.src) && p.src[p.pos] == '\\' && p.src[p.pos+1] == 'u' {
					save := p.pos
					p.pos += 2
					if r2, ok = p.hex4(); !ok {
						return ""
					}
					if utf16.DecodeRune(r, r2) == utf8.RuneError {
						p.pos = save // not a pair: keep the second escape for the loop
						r2 = -1
					}
				}
				r = utf16.DecodeRune(r, r2)
			}
			buf = utf8.AppendRune(buf, r)
		default:
			p.pos -= 2
			p.fail("invalid escape \\%c in string", esc)
			return ""
		}
	}
	p.fail("unterminated string")
	return ""
}

func (p *jsonParser) hex4() (rune, bool) {
	if len(p.src)-p.pos < 4 {
		p.fail("truncated \\u escape")
		return 0, false
	}
	v, err := strconv.ParseUint(p.src[p.pos:p.pos+4], 16, 16)
	if err != nil {
		p.fail("invalid \\u escape %q", p.src[p.pos:p.pos+4])
		return 0, false
	}
	p.pos += 4
	return rune(v), true
}
