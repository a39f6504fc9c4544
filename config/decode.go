package config

import (
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

// decoder turns yaml.Nodes into Go values and, unlike yaml.Unmarshal,
// keeps going after a problem, so that one run reports every mistake with
// its line. It reads field names from yaml tags, then json tags (the
// probe and notify packages tag for JSON), then the lower-cased name.
type decoder struct {
	file string
	errs Errors
	env  Env
	used []expansion
	// failed holds scalars whose ${NAME} could not be expanded: already
	// reported, so whatever reads them must not report them again.
	failed map[*yaml.Node]bool
}

// broken reports whether n holds a scalar that failed to expand.
func (d *decoder) broken(n *yaml.Node) bool {
	if n == nil || len(d.failed) == 0 {
		return false
	}
	if d.failed[n] {
		return true
	}
	for _, c := range n.Content {
		if d.broken(c) {
			return true
		}
	}
	return false
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	e := &Error{File: d.file, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	d.errs = append(d.errs, e)
}

// expandTree expands ${NAME} in every scalar value (never in keys), in
// place, before decoding. Expanding values rather than the raw text means a
// secret full of ':' or '#' cannot change the file's structure.
func (d *decoder) expandTree(n *yaml.Node, seen map[*yaml.Node]bool) {
	if n == nil || seen[n] {
		return
	}
	seen[n] = true
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			d.expandTree(c, seen)
		}
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			d.expandTree(n.Content[i], seen)
		}
	case yaml.ScalarNode:
		v, used, err := expand(n.Value, d.env.getenv)
		if err != nil {
			d.errorf(n, "%v", err)
			n.Value, n.Tag = "", "!!null"
			if d.failed == nil {
				d.failed = map[*yaml.Node]bool{}
			}
			d.failed[n] = true
			return
		}
		if v != n.Value {
			n.Value = v
			d.used = append(d.used, used...)
			if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
				// A plain ${PORT} was a string; let the expanded text
				// resolve as YAML would have (8081 is a number).
				n.Tag = ""
			}
		}
	}
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var (
	durationType  = reflect.TypeFor[time.Duration]()
	timeType      = reflect.TypeFor[time.Time]()
	nodeType      = reflect.TypeFor[*yaml.Node]()
	unmarshalYAML = reflect.TypeFor[yaml.Unmarshaler]()
	unmarshalText = reflect.TypeFor[encoding.TextUnmarshaler]()
	unmarshalJSON = reflect.TypeFor[json.Unmarshaler]()
)

// decode stores n into v, reporting problems under path. A null or absent
// value leaves v as it was, which is how defaults set beforehand survive.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	n = resolve(n)
	if v.Type() == nodeType {
		v.Set(reflect.ValueOf(n))
		return
	}
	if isNull(n) {
		return
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), path)
		return
	}
	t := v.Type()
	switch {
	case t == durationType:
		if d.scalar(n, path, "a duration") {
			dur, err := parseDuration(n.Value)
			if err != nil {
				d.errorf(n, "%s: %v", path, err)
				return
			}
			v.SetInt(int64(dur))
		}
		return
	case t == timeType:
		if d.scalar(n, path, "a time") {
			at, err := time.Parse(time.RFC3339, n.Value)
			if err != nil {
				d.errorf(n, "%s: invalid time %q: write it as RFC 3339, like 2030-01-31T21:00:00Z or 2030-01-31T22:00:00+01:00", path, n.Value)
				return
			}
			v.Set(reflect.ValueOf(at))
		}
		return
	case reflect.PointerTo(t).Implements(unmarshalYAML):
		if err := v.Addr().Interface().(yaml.Unmarshaler).UnmarshalYAML(n); err != nil {
			d.errorf(n, "%s: %v", path, err)
		}
		return
	case reflect.PointerTo(t).Implements(unmarshalText) && n.Kind == yaml.ScalarNode:
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
			d.errorf(n, "%s: %v", path, err)
		}
		return
	case reflect.PointerTo(t).Implements(unmarshalJSON):
		g, ok := d.generic(n, path)
		if !ok {
			return
		}
		data, err := json.Marshal(g)
		if err == nil {
			err = v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(data)
		}
		if err != nil {
			d.errorf(n, "%s: %v", path, err)
		}
		return
	}
	switch v.Kind() {
	case reflect.Interface:
		if g, ok := d.generic(n, path); ok && g != nil {
			v.Set(reflect.ValueOf(g))
		}
	case reflect.String:
		if d.scalar(n, path, "text") {
			v.SetString(n.Value)
		}
	case reflect.Bool:
		if d.scalar(n, path, "true or false") {
			b, err := strconv.ParseBool(n.Value)
			if err != nil || n.ShortTag() != "!!bool" && n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) == 0 {
				d.errorf(n, "%s: want true or false, got %q", path, n.Value)
				return
			}
			v.SetBool(b)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if d.scalar(n, path, "a whole number") {
			i, err := strconv.ParseInt(n.Value, 0, t.Bits())
			if err != nil {
				d.errorf(n, "%s: want a whole number, got %q", path, n.Value)
				return
			}
			v.SetInt(i)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if d.scalar(n, path, "a whole number") {
			i, err := strconv.ParseUint(n.Value, 0, t.Bits())
			if err != nil {
				d.errorf(n, "%s: want a whole number of at least 0, got %q", path, n.Value)
				return
			}
			v.SetUint(i)
		}
	case reflect.Float32, reflect.Float64:
		if d.scalar(n, path, "a number") {
			f, err := strconv.ParseFloat(n.Value, t.Bits())
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				d.errorf(n, "%s: want a number, got %q", path, n.Value)
				return
			}
			v.SetFloat(f)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.errorf(n, "%s: want a list, got %s", path, kindName(n))
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode || t.Key().Kind() != reflect.String {
			d.errorf(n, "%s: want a mapping (key: value lines), got %s", path, kindName(n))
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(t))
		}
		for _, kv := range d.pairs(n, path) {
			e := reflect.New(t.Elem()).Elem()
			d.decode(kv[1], e, join(path, kv[0].Value))
			v.SetMapIndex(reflect.ValueOf(kv[0].Value).Convert(t.Key()), e)
		}
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	default:
		d.errorf(n, "%s: cannot hold a value of Go type %s", path, t)
	}
}

// scalar reports whether n is a single value, and says so when it is not.
func (d *decoder) scalar(n *yaml.Node, path, want string) bool {
	if n.Kind == yaml.ScalarNode {
		return true
	}
	d.errorf(n, "%s: want %s, got %s", path, want, kindName(n))
	return false
}

// pairs returns the key/value pairs of a mapping with merge keys (<<: *x)
// applied (explicit keys win) and duplicate keys reported, since yaml.v3
// only rejects duplicates when it decodes into Go values itself.
func (d *decoder) pairs(n *yaml.Node, path string) [][2]*yaml.Node {
	var merged, own [][2]*yaml.Node
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.ShortTag() == "!!merge" {
			val = resolve(val)
			srcs := []*yaml.Node{val}
			if val.Kind == yaml.SequenceNode {
				srcs = val.Content
			}
			for _, s := range srcs {
				if s = resolve(s); s.Kind != yaml.MappingNode {
					d.errorf(s, "%s: <<: merges a mapping, got %s", path, kindName(s))
					continue
				}
				merged = append(merged, d.pairs(s, path)...)
			}
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "%s: a key must be a plain word, got %s", path, kindName(k))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.errorf(k, "%s: key %q appears twice (first at line %d)", path, k.Value, first.Line)
			continue
		}
		seen[k.Value] = k
		own = append(own, [2]*yaml.Node{k, val})
	}
	out := own
	for _, kv := range merged {
		if seen[kv[0].Value] == nil {
			seen[kv[0].Value] = kv[0]
			out = append(out, kv)
		}
	}
	return out
}

type field struct {
	name  string
	index []int
}

// fieldsOf lists the keys a struct accepts, inlining embedded structs and
// fields tagged ",inline".
func fieldsOf(t reflect.Type) []field {
	var out []field
	for i := range t.NumField() {
		f := t.Field(i)
		name, inline := tagName(f)
		if name == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		if (inline || f.Anonymous && name == "") && f.Type.Kind() == reflect.Struct {
			for _, sub := range fieldsOf(f.Type) {
				out = append(out, field{sub.name, append([]int{i}, sub.index...)})
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out = append(out, field{name, []int{i}})
	}
	return out
}

func tagName(f reflect.StructField) (name string, inline bool) {
	tag, ok := f.Tag.Lookup("yaml")
	if !ok {
		tag = f.Tag.Get("json")
	}
	name, opts, _ := strings.Cut(tag, ",")
	return name, strings.Contains(","+opts+",", ",inline,")
}

// keysOf lists the keys a struct type accepts.
func keysOf(t reflect.Type) []string {
	var out []string
	for _, f := range fieldsOf(t) {
		out = append(out, f.name)
	}
	return out
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: want a mapping (key: value lines), got %s", strings.TrimPrefix(path, "."), kindName(n))
		return
	}
	fields := fieldsOf(v.Type())
	byName := make(map[string]field, len(fields))
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		byName[f.name] = f
		names = append(names, f.name)
	}
	for _, kv := range d.pairs(n, path) {
		f, ok := byName[kv[0].Value]
		if !ok {
			d.unknownKey(kv[0], path, names)
			continue
		}
		d.decode(kv[1], v.FieldByIndex(f.index), join(path, f.name))
	}
}

// unknownKey reports a key nothing reads, with the nearest known key when
// it looks like a typo.
func (d *decoder) unknownKey(k *yaml.Node, path string, known []string) {
	where := ""
	if path != "" {
		where = " in " + path
	}
	if s := suggest(k.Value, known); s != "" {
		d.errorf(k, "unknown key %q%s (did you mean %q?)", k.Value, where, s)
		return
	}
	sorted := append([]string(nil), known...)
	sort.Strings(sorted)
	d.errorf(k, "unknown key %q%s (known keys: %s)", k.Value, where, strings.Join(sorted, ", "))
}

// suggest returns the known key closest to s, if it is close enough to be
// a typo.
func suggest(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if dist := editDistance(strings.ToLower(s), k); dist < bestD {
			best, bestD = k, dist
		}
	}
	if bestD > len(s)/2 {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// generic converts n to plain values (map[string]any, []any, string,
// int64, float64, bool, nil) as encoding/json would produce them, for
// settings this package passes through as JSON.
func (d *decoder) generic(n *yaml.Node, path string) (any, bool) {
	n = resolve(n)
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		ok := true
		for _, kv := range d.pairs(n, path) {
			g, gok := d.generic(kv[1], join(path, kv[0].Value))
			ok = ok && gok
			m[kv[0].Value] = g
		}
		return m, ok
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		ok := true
		for i, c := range n.Content {
			g, gok := d.generic(c, fmt.Sprintf("%s[%d]", path, i))
			ok = ok && gok
			s = append(s, g)
		}
		return s, ok
	}
	switch n.ShortTag() {
	case "!!null":
		return nil, true
	case "!!bool":
		b, err := strconv.ParseBool(n.Value)
		if err == nil {
			return b, true
		}
	case "!!int":
		if i, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
			return i, true
		}
	case "!!float":
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f, true
		}
		d.errorf(n, "%s: %q is not a finite number", path, n.Value)
		return nil, false
	}
	return n.Value, true
}

// parseDuration reads Go durations (90s, 5m, 1h30m) and whole or
// fractional days (7d, 1.5d), which retention periods want. Negative
// durations and bare numbers are refused: "60" could be seconds or
// minutes, and guessing wrong is worse than asking.
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		f, err := strconv.ParseFloat(days, 64)
		if err == nil && f >= 0 && f < 1e5 {
			return time.Duration(f * float64(24*time.Hour)), nil
		}
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && s != "0" {
		return 0, fmt.Errorf("duration %q has no unit: write %ss, %sm or %sh", s, s, s, s)
	}
	dur, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q: write a number with a unit, like 30s, 5m, 1h30m or 7d", s)
	}
	if dur < 0 {
		return 0, fmt.Errorf("duration %q must not be negative", s)
	}
	return dur, nil
}

// lookup returns the value node of key in mapping n, or nil.
func lookup(n *yaml.Node, key string) *yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return resolve(n.Content[i+1])
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "<<" {
			if v := lookup(n.Content[i+1], key); v != nil {
				return v
			}
		}
	}
	return nil
}

// at returns the node to blame for a problem with key in mapping n: its
// value when present, else the mapping itself.
func at(n *yaml.Node, key string) *yaml.Node {
	if v := lookup(n, key); v != nil {
		return v
	}
	return n
}
