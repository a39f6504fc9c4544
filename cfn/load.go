package cfn

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// ErrNotTemplate is returned by Parse for a well-formed YAML or JSON file that
// is not a CloudFormation template (no Resources and no
// AWSTemplateFormatVersion at the top level).
var ErrNotTemplate = errors.New("not a CloudFormation template")

// Parse loads one template. file names it in positions and errors. A syntax
// error is returned as an *Error with the position of the problem; problems
// that do not stop loading are kept in Template.Problems.
func Parse(file string, data []byte) (*Template, error) {
	format := YAML
	if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		format = JSON
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: file, Msg: err.Error()}
	}
	c := &converter{file: file}
	if len(doc.Content) == 0 {
		return nil, ErrNotTemplate
	}
	root := c.node(doc.Content[0])
	t, err := build(file, format, root)
	if err != nil {
		return nil, err
	}
	t.Problems = append(c.problems, t.Problems...)
	return t, nil
}

type converter struct {
	file     string
	problems []*Error
}

func (c *converter) problem(n *yaml.Node, format string, args ...any) {
	c.problems = append(c.problems, &Error{File: c.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)})
}

func (c *converter) node(y *yaml.Node) *Node {
	n := &Node{Start: Pos{y.Line, y.Column}}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) > 0 {
			return c.node(y.Content[0])
		}
		n.Kind = Null
	case yaml.AliasNode:
		c.problem(y, "YAML aliases are not allowed in CloudFormation templates")
		n.Kind = Null
	case yaml.ScalarNode:
		n.Value = y.Value
		switch y.ShortTag() {
		case "!!null":
			n.Kind = Null
		case "!!bool":
			n.Kind = Bool
			n.Value = strings.ToLower(y.Value)
		case "!!int":
			n.Kind = Int
		case "!!float":
			n.Kind = Float
		default:
			n.Kind = String
		}
	case yaml.SequenceNode:
		n.Kind = Seq
		n.Items = make([]*Node, len(y.Content))
		for i, item := range y.Content {
			n.Items[i] = c.node(item)
		}
	case yaml.MappingNode:
		n.Kind = Map
		n.Pairs = make([]Pair, 0, len(y.Content)/2)
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			n.Pairs = append(n.Pairs, Pair{Key: k.Value, KeyStart: Pos{k.Line, k.Column}, Value: c.node(v)})
		}
	}
	if y.Tag != "" && !strings.HasPrefix(y.Tag, "!!") && y.Tag != "!" {
		return c.expandTag(y, n)
	}
	return n
}

// expandTag turns a short-form intrinsic into its long form.
func (c *converter) expandTag(y *yaml.Node, n *Node) *Node {
	tag := y.Tag
	n.Tag = ""
	// A tag on a scalar makes it a string regardless of how it looks.
	if n.Kind != Seq && n.Kind != Map && n.Kind != Null {
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
			res, attr, _ := strings.Cut(n.Value, ".")
			n = &Node{Kind: Seq, Start: n.Start, End: n.End, Items: []*Node{
				{Kind: String, Value: res, Start: n.Start},
				{Kind: String, Value: attr, Start: n.Start},
			}}
		}
	default:
		name := strings.TrimPrefix(tag, "!")
		if !knownShortTags[name] {
			c.problem(y, "unknown tag %s", tag)
			return n
		}
		key = "Fn::" + name
	}
	return &Node{Kind: Map, Start: n.Start, End: n.End, Tag: tag, Pairs: []Pair{{Key: key, KeyStart: n.Start, Value: n}}}
}

var knownShortTags = map[string]bool{
	"Sub": true, "If": true, "Equals": true, "And": true, "Or": true, "Not": true,
	"Join": true, "Select": true, "Split": true, "FindInMap": true, "Base64": true,
	"Cidr": true, "GetAZs": true, "ImportValue": true, "Transform": true,
	"Length": true, "ToJsonString": true,
}

// build extracts the sections of a template from its root node.
func build(file string, format Format, root *Node) (*Template, error) {
	if root.Kind != Map || (root.Get("Resources") == nil && root.Get("AWSTemplateFormatVersion") == nil) {
		return nil, ErrNotTemplate
	}
	t := &Template{File: file, Format: format, Root: root, Conditions: map[string]*Node{},
		params: map[string]*Parameter{}, res: map[string]*Resource{}}
	problem := func(p Pos, format string, args ...any) {
		t.Problems = append(t.Problems, &Error{File: file, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, args...)})
	}
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
		t.params[p.Key] = param
	}
	for _, p := range root.Get("Conditions").pairs() {
		t.Conditions[p.Key] = p.Value
	}
	t.Mappings = root.Get("Mappings")
	resources := root.Get("Resources")
	if resources != nil && resources.Kind != Map {
		problem(resources.Start, "Resources must be a mapping, not a %s", resources.Kind)
	}
	t.addResources(resources.pairs(), "", problem)
	for _, p := range root.Get("Outputs").pairs() {
		o := &Output{Name: p.Key, Node: p.Value, Value: p.Value.Get("Value"), KeyStart: p.KeyStart}
		if e := p.Value.Get("Export"); e != nil {
			o.ExportName = e.Get("Name")
		}
		if s, ok := p.Value.Get("Condition").Text(); ok {
			o.Condition = s
		}
		t.Outputs = append(t.Outputs, o)
	}
	return t, nil
}

func (t *Template) addResources(pairs []Pair, forEach string, problem func(Pos, string, ...any)) {
	for _, p := range pairs {
		if strings.HasPrefix(p.Key, "Fn::ForEach::") {
			// [Identifier, Collection, {LogicalIdTemplate: Resource}]
			if p.Value != nil && p.Value.Kind == Seq && len(p.Value.Items) == 3 {
				t.addResources(p.Value.Items[2].pairs(), p.Key, problem)
			} else {
				problem(p.KeyStart, "%s must be a list of an identifier, a collection and a template fragment", p.Key)
			}
			continue
		}
		r := &Resource{ID: p.Key, Node: p.Value, KeyStart: p.KeyStart, ForEach: forEach}
		if p.Value == nil || p.Value.Kind != Map {
			problem(p.KeyStart, "resource %s must be a mapping", p.Key)
			continue
		}
		if s, ok := p.Value.Get("Type").Text(); ok {
			r.Type = s
		} else {
			problem(p.KeyStart, "resource %s has no Type", p.Key)
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
}

func (n *Node) pairs() []Pair {
	if n == nil || n.Kind != Map {
		return nil
	}
	return n.Pairs
}
