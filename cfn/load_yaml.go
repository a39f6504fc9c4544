package cfn

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// parseYAML reads data with yaml.v3 and converts the first document into
// Nodes. An empty document gives a nil Node and no error.
func parseYAML(file string, data []byte, a *arena, c *collector) (root *Node, err error) {
	var doc yaml.Node
	if err := safeUnmarshal(data, &doc); err != nil {
		return nil, yamlLoadError(file, data, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	cv := &converter{a: a, c: c, dups: dupChecker{c: c}, src: newSource(data)}
	root = cv.node(doc.Content[0], 1)
	if cv.err != nil {
		cv.err.File = file
		return nil, cv.err
	}
	return root, nil
}

// safeUnmarshal guards against a panic inside yaml.v3 so that one hostile file
// cannot stop a scan of thousands.
func safeUnmarshal(data []byte, doc *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: internal error: %v", r)
		}
	}()
	return yaml.Unmarshal(data, doc)
}

// yamlLoadError turns a yaml.v3 error into an *Error. yaml.v3 reports only a
// line, and for most parse errors it is the 0-based line where the enclosing
// construct starts, not where the mistake is. So the line is found again by
// bisection: the first prefix of whole lines that fails with the same
// message ends at the offending line. Errors are rare, so the few extra
// parses cost nothing in a scan. The column is the first non-blank one of
// that line.
func yamlLoadError(file string, data []byte, err error) *Error {
	msg := yamlMessage(err)
	e := &Error{File: file, Msg: "invalid YAML: " + msg}
	if strings.Contains(msg, "exceeded max depth") {
		e.Msg = fmt.Sprintf("nesting deeper than %d levels", MaxNesting)
	}
	if strings.Contains(err.Error(), "yaml: line ") {
		e.Line = failingLine(data, msg)
		e.Col = firstNonBlank(data, e.Line)
	} else {
		// Errors from yaml.v3's reader (bad UTF-8, control characters)
		// carry no line; find the offending character ourselves.
		e.Line, e.Col = badChar(data)
	}
	return e
}

// yamlMessage returns the text of a yaml.v3 error without its "yaml: line
// N:" prefix.
func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if _, text, ok := strings.Cut(rest, ": "); ok {
			return text
		}
	}
	return msg
}

// failingLine returns the first line whose prefix of the file fails to parse
// with msg.
func failingLine(data []byte, msg string) int {
	var ends []int // ends[i] is the offset just past line i+1
	for off := 0; off < len(data); {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			ends = append(ends, len(data))
			break
		}
		off += i + 1
		ends = append(ends, off)
	}
	lo, hi := 0, len(ends) // the prefix of lo lines parses; that of hi lines fails
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		var doc yaml.Node
		if err := safeUnmarshal(data[:ends[mid-1]], &doc); err != nil && yamlMessage(err) == msg {
			hi = mid
		} else {
			lo = mid
		}
	}
	return max(hi, 1)
}

// firstNonBlank returns the column of the first non-blank character on the
// 1-based line, or 1.
func firstNonBlank(data []byte, line int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return 1
		}
		off += i + 1
	}
	col := 1
	for off < len(data) && (data[off] == ' ' || data[off] == '\t') {
		off++
		col++
	}
	return col
}

// badChar returns the position of the first character YAML does not allow
// (invalid UTF-8 or a control character), or 1:1 when there is none.
func badChar(data []byte) (line, col int) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1, r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f,
			r >= 0x80 && r < 0xa0 && r != 0x85, r == 0xfffe, r == 0xffff:
			return line, col
		case r == '\n':
			line, col = line+1, 1
		default:
			col++
		}
		i += size
	}
	return 1, 1
}

// converter turns a yaml.v3 tree into Nodes.
type converter struct {
	a    *arena
	c    *collector
	dups dupChecker
	src  *source
	err  *Error // fatal: the template is rejected
}

func (cv *converter) fatal(y *yaml.Node, format string, args ...any) {
	if cv.err == nil {
		cv.err = &Error{Line: y.Line, Col: y.Column, Msg: fmt.Sprintf(format, args...)}
	}
}

func (cv *converter) node(y *yaml.Node, depth int) *Node {
	if depth > MaxNesting {
		cv.fatal(y, "nesting deeper than %d levels", MaxNesting)
		return nil
	}
	if y.Anchor != "" {
		cv.c.add(Pos{y.Line, y.Column}, "YAML anchor &%s: CloudFormation does not support anchors and aliases", y.Anchor)
	}
	n := cv.a.node()
	n.Start = Pos{y.Line, y.Column}
	switch y.Kind {
	case yaml.ScalarNode:
		cv.scalar(y, n)
	case yaml.SequenceNode:
		n.Kind = Seq
		n.Items = cv.a.itemsN(len(y.Content))
		for i, item := range y.Content {
			if n.Items[i] = cv.node(item, depth+1); cv.err != nil {
				return nil
			}
		}
		if len(n.Items) > 0 {
			n.End = n.Items[len(n.Items)-1].End
		}
	case yaml.MappingNode:
		n.Kind = Map
		n.Pairs = cv.a.pairsN(len(y.Content) / 2)
		for i := range n.Pairs {
			k, v := y.Content[2*i], y.Content[2*i+1]
			p := &n.Pairs[i]
			p.Key, p.KeyStart = k.Value, Pos{k.Line, k.Column}
			switch {
			case k.Kind == yaml.AliasNode:
				cv.fatal(k, "YAML aliases are not allowed in CloudFormation templates")
				return nil
			case k.Kind != yaml.ScalarNode:
				cv.c.add(p.KeyStart, "mapping key must be a string, not a %s", kindName(k.Kind))
			case k.Tag == "!!merge":
				cv.c.add(p.KeyStart, "YAML merge keys (<<) are not supported by CloudFormation")
			}
			if k.Anchor != "" {
				cv.c.add(p.KeyStart, "YAML anchor &%s: CloudFormation does not support anchors and aliases", k.Anchor)
			}
			if p.Value = cv.node(v, depth+1); cv.err != nil {
				return nil
			}
		}
		cv.dups.check(n.Pairs)
		if len(n.Pairs) > 0 {
			n.End = n.Pairs[len(n.Pairs)-1].Value.End
		}
	case yaml.AliasNode:
		cv.fatal(y, "YAML aliases are not allowed in CloudFormation templates")
		return nil
	default:
		n.Kind = Null
	}
	if y.Style&yaml.TaggedStyle != 0 {
		return cv.tagged(y, n)
	}
	return n
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	case yaml.AliasNode:
		return "alias"
	}
	return "value"
}

func (cv *converter) scalar(y *yaml.Node, n *Node) {
	n.Value = y.Value
	quoted := y.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0
	switch {
	case quoted:
		n.Kind = String
	case y.Style&yaml.TaggedStyle != 0:
		// Typed by tagged() once the tag is known.
		n.Kind = String
	default:
		n.Kind, n.Value = resolve11(y.Value)
	}
	n.End = cv.src.scalarEnd(y)
}

// resolve11 types a plain (unquoted, untagged) scalar the way YAML 1.1 does,
// because CloudFormation documents that it reads templates as YAML 1.1,
// without the binary, omap, pairs, set and timestamp types, aliases and
// merge keys. So `Enabled: yes` is the boolean true, `AccountId:
// 012345670123` is an (octal) integer, and `2010-09-09` stays a string.
//
// yaml.v3 follows YAML 1.2 here, where yes/no/on/off are strings, hence our
// own resolution. The value keeps its source text (only booleans are
// normalised to "true" and "false") so that a rule can still see what was
// written: an octal or sexagesimal (`12:30`) integer is typed Int but its
// Value is not converted. Floats need a dot, as in YAML 1.1 ("1e3" is a
// string).
func resolve11(s string) (Kind, string) {
	if s == "" {
		return Null, s
	}
	switch s[0] {
	case '~':
		if s == "~" {
			return Null, s
		}
	case 'n', 'N':
		switch s {
		case "null", "Null", "NULL":
			return Null, s
		case "n", "N", "no", "No", "NO":
			return Bool, "false"
		}
	case 'y', 'Y':
		switch s {
		case "y", "Y", "yes", "Yes", "YES":
			return Bool, "true"
		}
	case 't', 'T':
		switch s {
		case "true", "True", "TRUE":
			return Bool, "true"
		}
	case 'f', 'F':
		switch s {
		case "false", "False", "FALSE":
			return Bool, "false"
		}
	case 'o', 'O':
		switch s {
		case "on", "On", "ON":
			return Bool, "true"
		case "off", "Off", "OFF":
			return Bool, "false"
		}
	case '.', '+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return resolveNumber(s), s
	}
	return String, s
}

// resolveNumber applies the YAML 1.1 int and float patterns.
func resolveNumber(s string) Kind {
	body := s
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	switch body {
	case ".inf", ".Inf", ".INF":
		return Float
	}
	switch s {
	case ".nan", ".NaN", ".NAN":
		return Float
	}
	if body == "" {
		return String
	}
	digits := func(s, set string) bool {
		seen := false
		for i := 0; i < len(s); i++ {
			if s[i] == '_' {
				continue
			}
			if strings.IndexByte(set, s[i]) < 0 {
				return false
			}
			seen = true
		}
		return seen
	}
	const dec, oct, hex = "0123456789", "01234567", "0123456789abcdefABCDEF"
	switch {
	case body == "0":
		return Int
	case strings.HasPrefix(body, "0b"):
		if digits(body[2:], "01") {
			return Int
		}
		return String
	case strings.HasPrefix(body, "0x"):
		if digits(body[2:], hex) {
			return Int
		}
		return String
	}
	if strings.IndexByte(body, ':') > 0 {
		return sexagesimal(body)
	}
	if i := strings.IndexByte(body, '.'); i >= 0 {
		// [0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?
		mant, frac := body[:i], body[i+1:]
		if mant != "" && !digits(mant, dec) {
			return String
		}
		if mant != "" && mant[0] == '_' {
			return String
		}
		if e := strings.IndexAny(frac, "eE"); e >= 0 {
			exp := frac[e+1:]
			frac = frac[:e]
			if exp != "" && (exp[0] == '+' || exp[0] == '-') {
				exp = exp[1:]
			}
			if exp == "" || strings.Trim(exp, dec) != "" {
				return String
			}
		}
		if frac != "" && !digits(frac, dec) {
			return String
		}
		if mant == "" && frac == "" {
			return String
		}
		return Float
	}
	if body[0] == '0' {
		if digits(body[1:], oct) {
			return Int
		}
		return String
	}
	if digits(body, dec) && body[0] != '_' {
		return Int
	}
	return String
}

// sexagesimal recognises YAML 1.1 base-60 numbers such as 190:20:30 (int)
// and 190:20:30.15 (float).
func sexagesimal(s string) Kind {
	kind := Int
	parts := strings.Split(s, ":")
	last := parts[len(parts)-1]
	if i := strings.IndexByte(last, '.'); i >= 0 {
		if strings.Trim(last[i+1:], "0123456789_") != "" {
			return String
		}
		last = last[:i]
		kind = Float
	}
	parts[len(parts)-1] = last
	if parts[0] == "" || parts[0][0] < '1' || parts[0][0] > '9' || strings.Trim(parts[0], "0123456789_") != "" {
		return String
	}
	for _, p := range parts[1:] {
		if len(p) == 0 || len(p) > 2 || strings.Trim(p, "0123456789") != "" || (len(p) == 2 && p[0] > '5') {
			return String
		}
	}
	return kind
}

// tagged applies an explicit tag: a short-form intrinsic becomes its long
// form, a standard YAML tag types the value.
func (cv *converter) tagged(y *yaml.Node, n *Node) *Node {
	tag := y.Tag
	if strings.HasPrefix(tag, "!!") {
		cv.standardTag(y, n, tag)
		return n
	}
	// A tagged empty value (`!GetAZs`) is the empty string, as if quoted.
	if n.Kind == Null {
		n.Kind = String
	}
	var key string
	switch tag {
	case "!Ref":
		key = "Ref"
	case "!Condition":
		key = "Condition"
	case "!GetAtt":
		key = "Fn::GetAtt"
		if n.Kind == String {
			n = cv.splitGetAtt(y, n)
		}
	default:
		name := strings.TrimPrefix(tag, "!")
		if !knownShortTags[name] {
			cv.c.add(n.Start, "unknown tag %s", tag)
			n.Tag = tag
			return n
		}
		key = "Fn::" + name
	}
	w := cv.a.node()
	*w = Node{Kind: Map, Start: n.Start, End: n.End, Tag: tag, Pairs: cv.a.pairsN(1)}
	w.Pairs[0] = Pair{Key: key, KeyStart: n.Start, Value: n}
	return w
}

// splitGetAtt turns the dotted short form `!GetAtt Res.Attr.Name` into the
// list [Res, Attr.Name]: the logical id cannot contain a dot, the attribute
// name can (Endpoint.Address). Without a dot the string is left alone, as
// CloudFormation would reject it.
func (cv *converter) splitGetAtt(y *yaml.Node, n *Node) *Node {
	res, attr, ok := strings.Cut(n.Value, ".")
	if !ok {
		return n
	}
	list := cv.a.node()
	*list = Node{Kind: Seq, Start: n.Start, End: n.End, Items: cv.a.itemsN(2)}
	r, at := cv.a.node(), cv.a.node()
	vs := cv.src.valueStart(y)
	*r = Node{Kind: String, Value: res, Start: vs}
	*at = Node{Kind: String, Value: attr, End: n.End}
	if !vs.IsZero() {
		r.End = Pos{vs.Line, vs.Col + utf8.RuneCountInString(res)}
		at.Start = Pos{vs.Line, r.End.Col + 1}
		if y.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			r.Start.Col++
			r.End.Col++
			at.Start.Col++
		}
	} else {
		r.Start, at.Start = n.Start, n.Start
	}
	list.Items[0], list.Items[1] = r, at
	return list
}

func (cv *converter) standardTag(y *yaml.Node, n *Node, tag string) {
	if y.Kind != yaml.ScalarNode {
		return // !!map and !!seq change nothing
	}
	switch tag {
	case "!!str":
		n.Kind = String
	case "!!int":
		n.Kind = Int
	case "!!float":
		n.Kind = Float
	case "!!null":
		n.Kind = Null
	case "!!bool":
		if k, v := resolve11(n.Value); k == Bool {
			n.Kind, n.Value = Bool, v
		} else {
			cv.c.add(n.Start, "%q is not a boolean", n.Value)
		}
	default:
		// binary, timestamp, set, omap, pairs are unsupported by
		// CloudFormation; the value is kept as a string.
		cv.c.add(n.Start, "tag %s is not supported by CloudFormation", tag)
	}
}

// knownShortTags are the intrinsic functions with a YAML short form,
// including those of the Rules section (Contains, EachMemberIn, RefAll,
// ValueOf, ValueOfAll).
var knownShortTags = map[string]bool{
	"Contains": true, "EachMemberIn": true, "RefAll": true, "ValueOf": true, "ValueOfAll": true,
	"Sub": true, "If": true, "Equals": true, "And": true, "Or": true, "Not": true,
	"Join": true, "Select": true, "Split": true, "FindInMap": true, "Base64": true,
	"Cidr": true, "GetAZs": true, "ImportValue": true, "Transform": true,
	"Length": true, "ToJsonString": true,
}

// source maps the line and column yaml.v3 gives each node back to a byte
// offset, to find where scalars end. Nodes are visited in file order, so a
// cursor that only moves forward keeps this linear in the file size.
type source struct {
	data []byte
	ok   bool
	// The cursor: byte off is at line:col, and lineOff starts that line.
	line, col, off, lineOff int
}

func newSource(data []byte) *source {
	s := &source{data: data, line: 1, col: 1, ok: true}
	// yaml.v3 also breaks lines at a lone CR, NEL, LS and PS. Such files are
	// rare; rather than track every rule we give up on end positions.
	if bytes.Contains(data, []byte("\u2028")) || bytes.Contains(data, []byte("\u2029")) || bytes.Contains(data, []byte("\u0085")) {
		s.ok = false
	}
	for i := bytes.IndexByte(data, '\r'); s.ok && i >= 0; {
		if i+1 >= len(data) || data[i+1] != '\n' {
			s.ok = false
			break
		}
		j := bytes.IndexByte(data[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return s
}

// seek moves the cursor to p and returns its byte offset, or -1.
func (s *source) seek(p Pos) int {
	if !s.ok || p.Line < 1 {
		return -1
	}
	switch {
	case p.Line < s.line:
		// Not expected in a file-order visit; rescanning from the start
		// could make a hostile file quadratic, so go without an end.
		return -1
	case p.Line == s.line && p.Col < s.col:
		s.col, s.off = 1, s.lineOff
	}
	for s.line < p.Line {
		i := bytes.IndexByte(s.data[s.off:], '\n')
		if i < 0 {
			s.ok = false
			return -1
		}
		s.off += i + 1
		s.lineOff = s.off
		s.line++
		s.col = 1
	}
	for s.col < p.Col {
		if s.off >= len(s.data) || s.data[s.off] == '\n' {
			s.ok = false
			return -1
		}
		_, size := utf8.DecodeRune(s.data[s.off:])
		s.off += size
		s.col++
	}
	return s.off
}

// valueStart returns where the text of a scalar starts, after any tag.
func (s *source) valueStart(y *yaml.Node) Pos {
	off := s.seek(Pos{y.Line, y.Column})
	if off < 0 {
		return Pos{}
	}
	col := y.Column
	if y.Style&yaml.TaggedStyle != 0 && off < len(s.data) && s.data[off] == '!' {
		for off < len(s.data) && s.data[off] != ' ' && s.data[off] != '\t' && s.data[off] != '\n' && s.data[off] != '\r' {
			_, size := utf8.DecodeRune(s.data[off:])
			off += size
			col++
		}
		for off < len(s.data) && (s.data[off] == ' ' || s.data[off] == '\t') {
			off++
			col++
		}
	}
	return Pos{y.Line, col}
}

// scalarEnd returns the position just after a scalar, or the zero Pos when
// it cannot be worked out cheaply (block scalars, multi-line plain ones).
func (s *source) scalarEnd(y *yaml.Node) Pos {
	vs := s.valueStart(y)
	if vs.IsZero() {
		return Pos{}
	}
	off := s.seek(vs)
	if off < 0 || off >= len(s.data) {
		return Pos{}
	}
	d := s.data[off:]
	switch {
	case y.Style&yaml.DoubleQuotedStyle != 0 && d[0] == '"':
		return s.quotedEnd(vs, d, '"')
	case y.Style&yaml.SingleQuotedStyle != 0 && d[0] == '\'':
		return s.quotedEnd(vs, d, '\'')
	case y.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return Pos{}
	}
	v := y.Value
	if len(d) >= len(v) && string(d[:len(v)]) == v && strings.IndexByte(v, '\n') < 0 {
		return Pos{vs.Line, vs.Col + utf8.RuneCountInString(v)}
	}
	return Pos{}
}

func (s *source) quotedEnd(vs Pos, d []byte, q byte) Pos {
	line, col := vs.Line, vs.Col+1
	for i := 1; i < len(d); {
		c := d[i]
		switch {
		case c == '\\' && q == '"':
			i += 2
			col += 2
			continue
		case c == q:
			if q == '\'' && i+1 < len(d) && d[i+1] == '\'' {
				i += 2
				col += 2
				continue
			}
			return Pos{line, col + 1}
		case c == '\n':
			line, col = line+1, 1
			i++
			continue
		}
		_, size := utf8.DecodeRune(d[i:])
		i += size
		col++
	}
	return Pos{}
}
