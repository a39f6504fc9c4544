package probe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// placeholder is what the left side of a condition reads from a response.
type placeholder int

const (
	phStatus placeholder = iota + 1
	phResponseTime
	phBody
	phHeader
	phCertExpiry
)

// placeholders maps the written names to placeholders. The aliases are
// Gatus's spellings, so conditions copied from a Gatus config keep working.
var placeholders = map[string]placeholder{
	"STATUS":                 phStatus,
	"RESPONSE_TIME":          phResponseTime,
	"BODY":                   phBody,
	"HEADER":                 phHeader,
	"HEADERS":                phHeader,
	"CERT_EXPIRY":            phCertExpiry,
	"CERTIFICATE_EXPIRATION": phCertExpiry,
}

// operators are the comparisons a condition may use.
var operators = map[string]bool{
	"==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true,
	"contains": true, "matches": true,
}

// step is one hop of a JSON path: an object key or an array index.
type step struct {
	key   string
	index int // used when isIndex; negative counts from the end
	isIdx bool
}

// operand is the left side of a condition.
type operand struct {
	ph     placeholder
	fn     string // "", "len" or "has"
	header string // for [HEADER]
	path   []step // for [BODY]
	text   string // as written, for messages
}

// needsBody reports whether reading the operand needs the response body.
func (o *operand) needsBody() bool { return o.ph == phBody }

// literal is one value on the right side of a condition.
type literal struct {
	text   string
	num    float64
	isNum  bool
	quoted bool // written in double quotes: always compared as a string
}

// condition is one parsed condition of an HTTP check.
type condition struct {
	expr string
	lhs  operand
	op   string
	rhs  []literal // more than one for any(...)
	re   *regexp.Regexp
}

// parseCondition parses one condition as documented in doc.go. Errors are
// phrased to follow "condition N `expr`: ".
func parseCondition(expr string) (*condition, error) {
	s := strings.TrimSpace(expr)
	if s == "" {
		return nil, errors.New("empty condition")
	}
	c := &condition{expr: s}
	lhsText, rest, err := splitLHS(s)
	if err != nil {
		return nil, err
	}
	if c.lhs, err = parseOperand(lhsText); err != nil {
		return nil, err
	}
	rest = strings.TrimSpace(rest)
	if rest == "" {
		if c.lhs.fn == "has" {
			// has(x) alone means has(x) == true.
			c.op, c.rhs = "==", []literal{{text: "true"}}
			return c, nil
		}
		return nil, fmt.Errorf("missing operator after %s (write e.g. `%s == value`, with spaces around the operator)", lhsText, lhsText)
	}
	op, rhsText := rest, ""
	if i := strings.IndexAny(rest, " \t"); i >= 0 {
		op, rhsText = rest[:i], rest[i:]
	}
	if !operators[op] {
		return nil, fmt.Errorf("unknown operator %s (use ==, !=, <, <=, >, >=, contains or matches, with spaces around it)", op)
	}
	c.op = op
	rhsText = strings.TrimSpace(rhsText)
	if rhsText == "" {
		return nil, fmt.Errorf("missing value after %s", op)
	}
	if inner, ok := strings.CutPrefix(rhsText, "any("); ok {
		inner, ok = strings.CutSuffix(inner, ")")
		if !ok {
			return nil, errors.New("any( has no closing )")
		}
		if op != "==" && op != "!=" {
			return nil, fmt.Errorf("any(...) works only with == and !=, not %s", op)
		}
		for _, part := range splitArgs(inner) {
			l, err := parseLiteral(part)
			if err != nil {
				return nil, err
			}
			c.rhs = append(c.rhs, l)
		}
		if len(c.rhs) == 0 {
			return nil, errors.New("any() needs at least one value")
		}
	} else {
		l, err := parseLiteral(rhsText)
		if err != nil {
			return nil, err
		}
		c.rhs = []literal{l}
	}
	if err := c.checkTypes(); err != nil {
		return nil, err
	}
	return c, nil
}

// checkTypes rejects at parse time what could never be true at run time and
// normalises the right side to the left side's unit.
func (c *condition) checkTypes() error {
	ordering := c.op == "<" || c.op == "<=" || c.op == ">" || c.op == ">="
	switch {
	case c.op == "matches":
		re, err := regexp.Compile(c.rhs[0].text)
		if err != nil {
			return fmt.Errorf("bad regular expression: %w", err)
		}
		c.re = re
		return nil
	case c.lhs.fn == "has":
		if c.op != "==" && c.op != "!=" || len(c.rhs) != 1 || (c.rhs[0].text != "true" && c.rhs[0].text != "false") {
			return errors.New("has(...) compares only with == true or == false")
		}
		return nil
	case c.lhs.fn == "len":
		return c.needNumbers("len(...)")
	}
	switch c.lhs.ph {
	case phStatus:
		return c.needNumbers("[STATUS]")
	case phResponseTime:
		// Milliseconds, or a duration such as 300ms or 1.5s.
		for i := range c.rhs {
			if err := c.rhs[i].toMillis(); err != nil {
				return fmt.Errorf("[RESPONSE_TIME] compares with milliseconds or a duration: %w", err)
			}
		}
		return c.needNumbers("[RESPONSE_TIME]")
	case phCertExpiry:
		for i := range c.rhs {
			if err := c.rhs[i].toHours(); err != nil {
				return fmt.Errorf("[CERT_EXPIRY] compares with a duration such as 72h or 30d: %w", err)
			}
		}
		return c.needNumbers("[CERT_EXPIRY]")
	}
	if ordering {
		for _, l := range c.rhs {
			if !l.isNum || l.quoted {
				return fmt.Errorf("%s needs a number on the right, got %s", c.op, l.text)
			}
		}
	}
	return nil
}

func (c *condition) needNumbers(what string) error {
	if c.op == "contains" {
		return fmt.Errorf("%s is a number: use ==, !=, <, <=, > or >=, not contains", what)
	}
	for _, l := range c.rhs {
		if !l.isNum || l.quoted {
			return fmt.Errorf("%s compares with a number, got %s", what, l.text)
		}
	}
	return nil
}

// toMillis turns a duration literal (300ms, 2s) into milliseconds; plain
// numbers already are.
func (l *literal) toMillis() error {
	if l.isNum {
		return nil
	}
	d, err := parseDuration(l.text)
	if err != nil {
		return err
	}
	l.num, l.isNum = float64(d)/float64(time.Millisecond), true
	return nil
}

// toHours turns a duration literal into hours, the unit [CERT_EXPIRY] is
// compared in. A bare number is taken as hours.
func (l *literal) toHours() error {
	if l.isNum {
		return nil
	}
	d, err := parseDuration(l.text)
	if err != nil {
		return err
	}
	l.num, l.isNum = d.Hours(), true
	return nil
}

// parseDuration is time.ParseDuration plus a "d" suffix for days, which
// certificate thresholds are usually written in.
func parseDuration(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.ParseFloat(n, 64)
		if err != nil || days < 0 || math.IsInf(days, 0) {
			return 0, fmt.Errorf("bad duration %q", s)
		}
		return time.Duration(days * float64(24*time.Hour)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	return d, nil
}

// splitLHS splits the left operand from the rest. The operand ends at the
// first blank, or after the closing parenthesis of len(...) and has(...).
func splitLHS(s string) (lhs, rest string, err error) {
	for _, fn := range []string{"len(", "has("} {
		if strings.HasPrefix(s, fn) {
			i := strings.IndexByte(s, ')')
			if i < 0 {
				return "", "", fmt.Errorf("%s has no closing )", fn)
			}
			return s[:i+1], s[i+1:], nil
		}
	}
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], s[i:], nil
	}
	return s, "", nil
}

// parseOperand parses [STATUS], [BODY].a.b[0], [HEADER].Name, len(...) and
// has(...).
func parseOperand(s string) (operand, error) {
	o := operand{text: s}
	for _, fn := range []string{"len", "has"} {
		if inner, ok := strings.CutPrefix(s, fn+"("); ok {
			inner = strings.TrimSuffix(inner, ")")
			o, err := parseOperand(strings.TrimSpace(inner))
			if err != nil {
				return o, err
			}
			if o.fn != "" {
				return o, fmt.Errorf("%s(...) cannot wrap %s(...)", fn, o.fn)
			}
			if o.ph != phBody && o.ph != phHeader {
				return o, fmt.Errorf("%s(...) works on [BODY] and [HEADER] only", fn)
			}
			if fn == "has" && o.ph == phBody && len(o.path) == 0 {
				return o, errors.New("has([BODY]) needs a path, e.g. has([BODY].errors)")
			}
			o.fn, o.text = fn, s
			return o, nil
		}
	}
	if !strings.HasPrefix(s, "[") {
		return o, fmt.Errorf("%s is not a placeholder: start with [STATUS], [RESPONSE_TIME], [BODY], [HEADER] or [CERT_EXPIRY]", s)
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return o, fmt.Errorf("%s: placeholder has no closing ]", s)
	}
	name, tail := s[1:end], s[end+1:]
	ph, ok := placeholders[name]
	if !ok {
		if _, ok := placeholders[strings.ToUpper(name)]; ok {
			return o, fmt.Errorf("unknown placeholder [%s] (write [%s])", name, strings.ToUpper(name))
		}
		return o, fmt.Errorf("unknown placeholder [%s] (use [STATUS], [RESPONSE_TIME], [BODY], [HEADER] or [CERT_EXPIRY])", name)
	}
	o.ph = ph
	switch ph {
	case phBody:
		path, err := parsePath(tail)
		if err != nil {
			return o, fmt.Errorf("%s: %w", s, err)
		}
		o.path = path
	case phHeader:
		h, ok := strings.CutPrefix(tail, ".")
		if !ok || h == "" || strings.ContainsAny(h, ".[]") {
			return o, fmt.Errorf("%s: name the header, e.g. [HEADER].Content-Type", s)
		}
		o.header = http.CanonicalHeaderKey(h)
	default:
		if tail != "" {
			return o, fmt.Errorf("%s: unexpected %q after [%s] (put spaces around the operator)", s, tail, name)
		}
	}
	return o, nil
}

// parsePath parses a JSON path after [BODY]: .key, [index] and their
// sequences, e.g. .data.items[0].id or [2].name. Negative indexes count
// from the end.
func parsePath(s string) ([]step, error) {
	var path []step
	for s != "" {
		switch s[0] {
		case '.':
			s = s[1:]
			n := strings.IndexAny(s, ".[")
			if n < 0 {
				n = len(s)
			}
			if n == 0 {
				return nil, errors.New("empty key in path")
			}
			path = append(path, step{key: s[:n]})
			s = s[n:]
		case '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, errors.New("index has no closing ]")
			}
			i, err := strconv.Atoi(s[1:end])
			if err != nil {
				return nil, fmt.Errorf("bad array index [%s]", s[1:end])
			}
			path = append(path, step{index: i, isIdx: true})
			s = s[end+1:]
		default:
			return nil, fmt.Errorf("unexpected %q in path (paths look like .key, .key[0].name; put spaces around the operator)", s)
		}
	}
	return path, nil
}

// splitArgs splits the inside of any(...) at commas outside double quotes.
func splitArgs(s string) []string {
	var out []string
	inQuote, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if inQuote {
				i++
			}
		case '"':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if last := strings.TrimSpace(s[start:]); last != "" || len(out) > 0 {
		out = append(out, last)
	}
	return out
}

func parseLiteral(s string) (literal, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, `"`) {
		u, err := strconv.Unquote(s)
		if err != nil {
			return literal{}, fmt.Errorf("bad quoted string %s", s)
		}
		return literal{text: u, quoted: true}, nil
	}
	if s == "" {
		return literal{}, errors.New(`empty value (write "" for an empty string)`)
	}
	l := literal{text: s}
	if f, ok := parseNumber(s); ok {
		l.num, l.isNum = f, true
	}
	return l, nil
}

// parseNumber accepts decimal numbers only: no hex, no inf/nan, no
// underscores, so that a string like "Infinity" stays a string.
func parseNumber(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// response is what a condition reads from.
type response struct {
	status    int
	latency   time.Duration
	header    http.Header
	body      []byte
	truncated bool
	certLeft  time.Duration // time until the leaf certificate expires
	hasCert   bool

	parsed  bool
	doc     any
	jsonErr error
}

// json decodes the body once, keeping numbers exact (json.Number) so large
// integers compare right.
func (r *response) json() (any, error) {
	if !r.parsed {
		r.parsed = true
		d := json.NewDecoder(bytes.NewReader(r.body))
		d.UseNumber()
		if err := d.Decode(&r.doc); err != nil {
			r.jsonErr = errors.New("body is not JSON")
			if r.truncated {
				r.jsonErr = fmt.Errorf("body is not JSON (only its first %d bytes were read)", len(r.body))
			}
		}
	}
	return r.doc, r.jsonErr
}

// lookup follows a path through a decoded JSON document.
func lookup(doc any, path []step) (any, error) {
	cur := doc
	for i, st := range path {
		switch v := cur.(type) {
		case map[string]any:
			if st.isIdx {
				return nil, fmt.Errorf("%s is an object, not an array", pathString(path[:i]))
			}
			next, ok := v[st.key]
			if !ok {
				return nil, fmt.Errorf("no %s in the body", pathString(path[:i+1]))
			}
			cur = next
		case []any:
			if !st.isIdx {
				return nil, fmt.Errorf("%s is an array, not an object", pathString(path[:i]))
			}
			idx := st.index
			if idx < 0 {
				idx += len(v)
			}
			if idx < 0 || idx >= len(v) {
				return nil, fmt.Errorf("%s is out of range: the array has %d elements", pathString(path[:i+1]), len(v))
			}
			cur = v[idx]
		default:
			return nil, fmt.Errorf("%s is a %s, not an object or array", pathString(path[:i]), jsonType(cur))
		}
	}
	return cur, nil
}

func pathString(path []step) string {
	var b strings.Builder
	b.WriteString("[BODY]")
	for _, st := range path {
		if st.isIdx {
			fmt.Fprintf(&b, "[%d]", st.index)
		} else {
			b.WriteString(".")
			b.WriteString(st.key)
		}
	}
	return b.String()
}

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
	return fmt.Sprintf("%T", v)
}

// value is the left side of a condition, resolved against a response.
type value struct {
	str   string
	num   float64
	isNum bool
	arr   []any // a JSON array, for contains
	bytes []byte
	isRaw bool // the whole body: bytes holds it
}

func (v value) display() string {
	if v.isRaw {
		return clip(string(v.bytes))
	}
	if v.str == "" {
		return `""`
	}
	return clip(v.str)
}

// clip shortens a value for messages, at a rune boundary.
func clip(s string) string {
	const max = 100
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func numValue(f float64, text string) value { return value{num: f, isNum: true, str: text} }

// resolve reads the operand from the response.
func (o *operand) resolve(r *response) (value, error) {
	switch o.ph {
	case phStatus:
		return numValue(float64(r.status), strconv.Itoa(r.status)), nil
	case phResponseTime:
		ms := float64(r.latency) / float64(time.Millisecond)
		return numValue(ms, strconv.FormatInt(r.latency.Milliseconds(), 10)+"ms"), nil
	case phCertExpiry:
		if !r.hasCert {
			return value{}, errors.New("no TLS certificate (not an https URL)")
		}
		return numValue(r.certLeft.Hours(), formatLeft(r.certLeft)), nil
	case phHeader:
		vals, ok := r.header[o.header]
		switch o.fn {
		case "has":
			return boolValue(ok), nil
		case "len":
			n := len(strings.Join(vals, ", "))
			return numValue(float64(n), strconv.Itoa(n)), nil
		}
		if !ok {
			return value{}, fmt.Errorf("no %s header", o.header)
		}
		return value{str: strings.Join(vals, ", ")}, nil
	case phBody:
		if len(o.path) == 0 {
			if o.fn == "len" {
				return numValue(float64(len(r.body)), strconv.Itoa(len(r.body))), nil
			}
			return value{bytes: r.body, isRaw: true}, nil
		}
		doc, err := r.json()
		if err != nil {
			if o.fn == "has" {
				return boolValue(false), nil
			}
			return value{}, err
		}
		v, err := lookup(doc, o.path)
		switch o.fn {
		case "has":
			return boolValue(err == nil), nil
		case "len":
			if err != nil {
				return value{}, err
			}
			var n int
			switch x := v.(type) {
			case []any:
				n = len(x)
			case map[string]any:
				n = len(x)
			case string:
				n = utf8.RuneCountInString(x)
			default:
				return value{}, fmt.Errorf("len: %s is a %s", o.text[4:len(o.text)-1], jsonType(v))
			}
			return numValue(float64(n), strconv.Itoa(n)), nil
		}
		if err != nil {
			return value{}, err
		}
		return jsonValue(v), nil
	}
	return value{}, errors.New("unknown placeholder")
}

func boolValue(b bool) value { return value{str: strconv.FormatBool(b)} }

func jsonValue(v any) value {
	switch x := v.(type) {
	case nil:
		return value{str: "null"}
	case bool:
		return boolValue(x)
	case json.Number:
		f, err := x.Float64()
		return value{str: x.String(), num: f, isNum: err == nil}
	case string:
		out := value{str: x}
		if f, ok := parseNumber(x); ok {
			out.num, out.isNum = f, true
		}
		return out
	case []any:
		b, _ := json.Marshal(x)
		return value{str: string(b), arr: x}
	default:
		b, _ := json.Marshal(x)
		return value{str: string(b)}
	}
}

// formatLeft renders a time left like 71h12m, or 12d3h when a day or more.
func formatLeft(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	d = d.Round(time.Minute)
	var s string
	if days := d / (24 * time.Hour); days > 0 {
		s = fmt.Sprintf("%dd%dh", days, (d%(24*time.Hour))/time.Hour)
	} else {
		s = strings.TrimSuffix(d.String(), "0s")
		if s == "" {
			s = "0m"
		}
	}
	if neg {
		return "-" + s
	}
	return s
}

// eval evaluates the condition. detail is the actual value (or why it
// could not be read), for the result and its message.
func (c *condition) eval(r *response) (ok bool, detail string) {
	v, err := c.lhs.resolve(r)
	if err != nil {
		return false, err.Error()
	}
	detail = v.display()
	switch c.op {
	case "matches":
		if v.isRaw {
			return c.re.Match(v.bytes), detail
		}
		return c.re.MatchString(v.str), detail
	case "contains":
		want := c.rhs[0].text
		switch {
		case v.isRaw:
			return bytes.Contains(v.bytes, []byte(want)), detail
		case v.arr != nil:
			for _, el := range v.arr {
				if equal(jsonValue(el), c.rhs[0]) {
					return true, detail
				}
			}
			return false, detail
		}
		return strings.Contains(v.str, want), detail
	case "==", "!=":
		any := false
		for _, l := range c.rhs {
			if equal(v, l) {
				any = true
				break
			}
		}
		return any == (c.op == "=="), detail
	}
	// Ordering: both sides are numbers (the right side was checked at parse).
	if v.isRaw {
		f, ok := parseNumber(string(bytes.TrimSpace(v.bytes)))
		v.num, v.isNum = f, ok
	}
	if !v.isNum {
		return false, detail + " (not a number)"
	}
	want := c.rhs[0].num
	switch c.op {
	case "<":
		return v.num < want, detail
	case "<=":
		return v.num <= want, detail
	case ">":
		return v.num > want, detail
	default:
		return v.num >= want, detail
	}
}

// equal compares numerically when both sides are numbers (so 200 == 200.0
// and "150" from JSON equals 150), and as strings otherwise or when the
// right side was quoted.
func equal(v value, l literal) bool {
	if v.isRaw {
		return string(bytes.TrimSpace(v.bytes)) == l.text
	}
	if l.isNum && !l.quoted && v.isNum {
		// Integers compare exactly, beyond float64's 2^53 (IDs, counters);
		// math/big only past int64, so the common case allocates nothing.
		a, errA := strconv.ParseInt(v.str, 10, 64)
		b, errB := strconv.ParseInt(l.text, 10, 64)
		switch {
		case errA == nil && errB == nil:
			return a == b
		case isRangeErr(errA) || isRangeErr(errB):
			x, okX := new(big.Int).SetString(v.str, 10)
			y, okY := new(big.Int).SetString(l.text, 10)
			if okX && okY {
				return x.Cmp(y) == 0
			}
		}
		return v.num == l.num
	}
	return v.str == l.text
}

func isRangeErr(err error) bool { return errors.Is(err, strconv.ErrRange) }
