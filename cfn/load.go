package cfn

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// ErrNotTemplate is returned by Parse for a well-formed YAML or JSON file that
// is not a CloudFormation template (no Resources and no
// AWSTemplateFormatVersion at the top level).
var ErrNotTemplate = errors.New("not a CloudFormation template")

// Limits on what Parse accepts. They bound the memory and time one hostile
// file can cost; real templates are far below both (CloudFormation itself
// takes at most 1 MB from S3, and the deepest template in our corpus of 2,203
// nests 22 levels).
const (
	// MaxSize is the largest file Parse reads, in bytes.
	MaxSize = 50 << 20
	// MaxNesting is the deepest nesting of lists and mappings Parse accepts.
	MaxNesting = 256
)

// Parse loads one template. file names it in positions and errors. The
// syntax, JSON or YAML, is decided by the content, not the file name.
//
// A file that cannot be read as a template is an *Error with the position of
// the problem; a well-formed file that is not a template is ErrNotTemplate
// (test with errors.Is). Problems that do not stop loading, such as an
// unknown tag or a duplicate key, are kept in Template.Problems.
func Parse(file string, data []byte) (*Template, error) {
	if len(data) > MaxSize {
		return nil, tooLarge(file)
	}
	// A BOM is not part of the template; dropping it keeps line 1 columns as
	// an editor shows them and spares both parsers from handling it.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	a := newArena(len(data))
	c := &collector{file: file}
	root, format, err := parseAny(file, data, a, c)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, fmt.Errorf("%s: %w", file, ErrNotTemplate)
	}
	t, err := build(file, format, root, c)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(c.problems, func(x, y *Error) int {
		if x.Line != y.Line {
			return x.Line - y.Line
		}
		return x.Col - y.Col
	})
	t.Problems = c.problems
	return t, nil
}

// ParseReader is Parse for a stream. It stops reading once the stream passes
// MaxSize, so an endless or huge input costs no more than the limit.
func ParseReader(file string, r io.Reader) (*Template, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(data) > MaxSize {
		return nil, tooLarge(file)
	}
	return Parse(file, data)
}

func tooLarge(file string) error {
	return &Error{File: file, Msg: fmt.Sprintf("file larger than %d MiB; refusing to parse it", MaxSize>>20)}
}

// parseAny reads data as JSON when it looks like JSON and as YAML otherwise.
// A nil root with no error means an empty document.
func parseAny(file string, data []byte, a *arena, c *collector) (*Node, Format, error) {
	if !looksJSON(data) {
		root, err := parseYAML(file, data, a, c)
		if err != nil {
			return nil, YAML, err
		}
		return root, YAML, nil
	}
	root, jerr, limit := parseJSON(file, string(data), a, c)
	if jerr == nil {
		return root, JSON, nil
	}
	if limit {
		return nil, JSON, jerr
	}
	// Flow-style YAML (comments, unquoted keys) also starts with '{'. If YAML
	// cannot read it either, the JSON error is the better report: it has an
	// exact column and the author most likely meant JSON.
	c2 := &collector{file: file}
	root, yerr := parseYAML(file, data, a, c2)
	if yerr != nil {
		return nil, JSON, jerr
	}
	*c = *c2
	return root, YAML, nil
}

func looksJSON(data []byte) bool {
	for _, b := range data {
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return true
		}
		return false
	}
	return false
}

// collector gathers the problems that do not stop a template loading.
type collector struct {
	file     string
	problems []*Error
}

func (c *collector) add(p Pos, format string, args ...any) {
	c.problems = append(c.problems, &Error{File: c.file, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, args...)})
}

// dupChecker reports keys that appear twice in one mapping. CloudFormation
// would silently keep one of them, so the author's intent is unknowable.
type dupChecker struct {
	c    *collector
	seen map[string]int
}

func (d *dupChecker) check(pairs []Pair) {
	if len(pairs) < 2 {
		return
	}
	// Most mappings are small; comparing every pair beats hashing them.
	if len(pairs) <= 16 {
		for i := 1; i < len(pairs); i++ {
			for j := 0; j < i; j++ {
				if pairs[i].Key == pairs[j].Key {
					d.report(&pairs[i], &pairs[j])
					break
				}
			}
		}
		return
	}
	if d.seen == nil {
		d.seen = make(map[string]int, len(pairs))
	}
	clear(d.seen)
	for i := range pairs {
		if j, dup := d.seen[pairs[i].Key]; dup {
			d.report(&pairs[i], &pairs[j])
			continue
		}
		d.seen[pairs[i].Key] = i
	}
}

func (d *dupChecker) report(dup, first *Pair) {
	d.c.add(dup.KeyStart, "duplicate key %s (first at line %d)", dup.Key, first.KeyStart.Line)
}

// arena hands out Nodes and child slices from large blocks, which cuts the
// allocations of a load to a few per template instead of several per value.
// Everything it hands out lives as long as the template, so nothing is lost
// by freeing it all at once.
type arena struct {
	slab  int
	nodes []Node
	items []*Node
	pairs []Pair
}

func newArena(size int) *arena {
	// About one value per 16 bytes of template text.
	return &arena{slab: min(max(size/16, 32), 8192)}
}

func (a *arena) node() *Node {
	if len(a.nodes) == 0 {
		a.nodes = make([]Node, a.slab)
	}
	n := &a.nodes[0]
	a.nodes = a.nodes[1:]
	return n
}

// itemSlice returns a slice of len(n) holding a copy of src, or of length n
// when src is nil.
func (a *arena) itemSlice(src []*Node) []*Node {
	s := a.itemsN(len(src))
	copy(s, src)
	return s
}

func (a *arena) itemsN(n int) []*Node {
	if n == 0 {
		return nil
	}
	if n > a.slab/4 {
		return make([]*Node, n)
	}
	if n > len(a.items) {
		a.items = make([]*Node, a.slab)
	}
	s := a.items[:n:n]
	a.items = a.items[n:]
	return s
}

func (a *arena) pairSlice(src []Pair) []Pair {
	s := a.pairsN(len(src))
	copy(s, src)
	return s
}

func (a *arena) pairsN(n int) []Pair {
	if n == 0 {
		return nil
	}
	if n > a.slab/4 {
		return make([]Pair, n)
	}
	if n > len(a.pairs) {
		a.pairs = make([]Pair, a.slab)
	}
	s := a.pairs[:n:n]
	a.pairs = a.pairs[n:]
	return s
}

// build extracts the sections of a template from its root node.
func build(file string, format Format, root *Node, c *collector) (*Template, error) {
	if root.Kind != Map || (root.Get("Resources") == nil && root.Get("AWSTemplateFormatVersion") == nil) {
		return nil, fmt.Errorf("%s: %w", file, ErrNotTemplate)
	}
	t := &Template{File: file, Format: format, Root: root, Conditions: map[string]*Node{},
		params: map[string]*Parameter{}, res: map[string]*Resource{}}
	if tr := root.Get("Transform"); tr != nil {
		switch tr.Kind {
		case String:
			t.Transforms = append(t.Transforms, tr.Value)
		case Seq:
			for _, it := range tr.Items {
				if it.Kind == String {
					t.Transforms = append(t.Transforms, it.Value)
				}
			}
		case Map:
			// {Name: AWS::Include, Parameters: {...}} is a transform too.
			if s, ok := tr.Get("Name").Text(); ok {
				t.Transforms = append(t.Transforms, s)
			}
		}
	}
	for _, p := range root.Get("Parameters").pairs() {
		param := &Parameter{Name: p.Key, Node: p.Value, KeyStart: p.KeyStart}
		if s, ok := p.Value.Get("Type").Text(); ok {
			param.Type = s
		}
		param.Default = p.Value.Get("Default")
		if av := p.Value.Get("AllowedValues"); av != nil && av.Kind == Seq {
			param.AllowedValues = av.Items
		}
		if s, ok := p.Value.Get("NoEcho").Text(); ok && strings.EqualFold(s, "true") {
			param.NoEcho = true
		}
		t.Parameters = append(t.Parameters, param)
		if _, dup := t.params[p.Key]; !dup {
			t.params[p.Key] = param
		}
	}
	eachEntry(root.Get("Conditions"), c, func(p *Pair, _ string) {
		if _, dup := t.Conditions[p.Key]; !dup {
			t.Conditions[p.Key] = p.Value
		}
	})
	t.Mappings = root.Get("Mappings")
	t.Globals = root.Get("Globals")
	resources := root.Get("Resources")
	if resources != nil && resources.Kind != Map && resources.Kind != Null {
		c.add(resources.Start, "Resources must be a mapping, not a %s", resources.Kind)
	}
	eachEntry(resources, c, func(p *Pair, forEach string) { t.addResource(p, forEach, c) })
	eachEntry(root.Get("Outputs"), c, func(p *Pair, forEach string) {
		o := &Output{Name: p.Key, Node: p.Value, Value: p.Value.Get("Value"), KeyStart: p.KeyStart, ForEach: forEach}
		if e := p.Value.Get("Export"); e != nil {
			o.ExportName = e.Get("Name")
		}
		if s, ok := p.Value.Get("Condition").Text(); ok {
			o.Condition = s
		}
		t.Outputs = append(t.Outputs, o)
	})
	return t, nil
}

// forEachPrefix starts the key of an AWS::LanguageExtensions loop.
const forEachPrefix = "Fn::ForEach::"

// eachEntry calls f for every entry of a section, looking inside
// Fn::ForEach loops (which may nest). forEach names the innermost loop.
func eachEntry(section *Node, c *collector, f func(p *Pair, forEach string)) {
	var walk func(pairs []Pair, forEach string)
	walk = func(pairs []Pair, forEach string) {
		for i := range pairs {
			p := &pairs[i]
			if !strings.HasPrefix(p.Key, forEachPrefix) {
				f(p, forEach)
				continue
			}
			// [Identifier, Collection, {KeyTemplate: Value, ...}]
			v := p.Value
			if v == nil || v.Kind != Seq || len(v.Items) != 3 || v.Items[2].Kind != Map {
				c.add(p.KeyStart, "%s must be a list of an identifier, a collection and a mapping of fragments", p.Key)
				continue
			}
			walk(v.Items[2].Pairs, p.Key)
		}
	}
	walk(section.pairs(), "")
}

func (t *Template) addResource(p *Pair, forEach string, c *collector) {
	if p.Value == nil || p.Value.Kind != Map {
		c.add(p.KeyStart, "resource %s must be a mapping", p.Key)
		return
	}
	r := &Resource{ID: p.Key, Node: p.Value, KeyStart: p.KeyStart, ForEach: forEach}
	if s, ok := p.Value.Get("Type").Text(); ok {
		r.Type = s
	} else {
		c.add(p.KeyStart, "resource %s has no Type", p.Key)
	}
	r.Properties = p.Value.Get("Properties")
	r.Metadata = p.Value.Get("Metadata")
	if s, ok := p.Value.Get("Condition").Text(); ok {
		r.Condition = s
	}
	t.Resources = append(t.Resources, r)
	if _, dup := t.res[p.Key]; !dup {
		t.res[p.Key] = r
	}
}

func (n *Node) pairs() []Pair {
	if n == nil || n.Kind != Map {
		return nil
	}
	return n.Pairs
}
