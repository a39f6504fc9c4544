// Package buildspec reads AWS CodeBuild buildspecs into a typed model that
// keeps the position of every value, so that rules can point at the exact
// command or variable at fault. It reads both buildspec files and the
// buildspec text embedded in a CloudFormation template, whose positions are
// translated into the template's lines.
package buildspec

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/safetynet-dev/safetynet/cfn"
)

// ErrNotBuildspec is returned by Parse for a well-formed YAML file that is
// not a buildspec: its top level is not a mapping with both version and
// phases.
var ErrNotBuildspec = errors.New("not a CodeBuild buildspec")

// MaxSize is the largest buildspec Parse reads. CodeBuild's own limit on an
// inline buildspec is 25,600 characters; files are allowed more room.
const MaxSize = 1 << 20

// maxDepth bounds the nesting Parse walks, so a hostile file cannot exhaust
// the stack.
const maxDepth = 64

// Spec is one buildspec.
type Spec struct {
	File string
	// Start is the position of the document's first value, for findings
	// about something missing from the whole buildspec.
	Start cfn.Pos
	// Version is the version value; nil when absent.
	Version *Value
	// Env is the env section; nil when absent.
	Env *Env
	// Phases in file order.
	Phases []*Phase
	// Reports are the report groups of the reports section, in file order;
	// ReportsKey is the position of the reports key, zero when absent.
	Reports    []*Value
	ReportsKey cfn.Pos
	// Suppressions are the suppression comments of a buildspec file, in
	// file order. Embedded buildspecs have none: their template's metadata
	// holds suppressions.
	Suppressions []*Suppression
	// Problems are shape errors (a phase that is not a mapping, commands
	// that are not a list) found while reading; CodeBuild rejects such a
	// buildspec.
	Problems []*cfn.Error
}

// Value is a scalar of the buildspec with its position and its path from
// the buildspec root ("phases.build.commands[2]").
type Value struct {
	Text       string
	Start, End cfn.Pos // End is zero when not known
	Path       string
	// Block is set for a literal block scalar (|) whose lines map one to
	// one onto the file's lines after Start.
	Block bool
}

// Var is one entry of an env mapping.
type Var struct {
	Name     string
	KeyStart cfn.Pos
	Value    *Value
}

// Env is the env section.
type Env struct {
	KeyStart       cfn.Pos
	Variables      []*Var
	ParameterStore []*Var
	SecretsManager []*Var
}

// Phase is one entry of phases (install, pre_build, build, post_build).
type Phase struct {
	Name      string
	KeyStart  cfn.Pos
	Path      string
	OnFailure *Value // nil when absent
	// RuntimeVersions is install's runtime-versions mapping.
	RuntimeVersions []*Var
	Commands        []*Value
	Finally         []*Value
}

// Suppression is a comment that silences a rule:
//
//	# safetynet:suppress BUILDSPEC-002 results go to the dashboard from tests/
//
// At the end of a line it covers findings on that line; on a line of its
// own, the next line that holds more than comments; above the first key
// of the file, the whole file.
type Suppression struct {
	Rule   string
	Reason string
	// Line is the line covered; 0 for the whole file.
	Line int
	At   cfn.Pos // the comment
}

// Line is one line of a command, for multi-line (block) commands that run
// as a script.
type Line struct {
	Text string
	At   cfn.Pos
}

// Lines splits a command into its lines, each placed in the file when the
// command is a literal block, else at the command's start.
func (v *Value) Lines() []Line {
	parts := strings.Split(strings.TrimRight(v.Text, "\n"), "\n")
	out := make([]Line, 0, len(parts))
	for i, s := range parts {
		at := v.Start
		if v.Block && i > 0 {
			at = cfn.Pos{Line: v.Start.Line + i, Col: v.Start.Col}
		}
		out = append(out, Line{Text: s, At: at})
	}
	return out
}

// IsFileName reports whether a file's base name is one CodeBuild users give
// buildspecs: buildspec.yml, buildspec.yaml, buildspec-*.yml, buildspec_*.yaml
// and the like (as CodeBuild's own default and the common variants per
// environment).
func IsFileName(name string) bool {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
	ext := path.Ext(base)
	if ext != ".yml" && ext != ".yaml" {
		return false
	}
	stem := strings.TrimSuffix(base, ext)
	if stem == "buildspec" {
		return true
	}
	rest, ok := strings.CutPrefix(stem, "buildspec")
	return ok && len(rest) > 1 && (rest[0] == '-' || rest[0] == '_' || rest[0] == '.')
}

// MayBe reports cheaply whether data could be a buildspec, by looking for a
// top-level phases key, so that files that are neither templates nor
// buildspecs are not parsed a second time.
func MayBe(data []byte) bool {
	return bytes.HasPrefix(data, []byte("phases:")) || bytes.Contains(data, []byte("\nphases:")) ||
		bytes.Contains(data, []byte(`"phases"`))
}

// Parse reads a buildspec file. A file that YAML cannot read is a *cfn.Error
// with the line of the problem; a well-formed file without top-level
// version and phases is ErrNotBuildspec unless named like a buildspec (see
// IsFileName), in which case it is read and its missing parts are left for
// rules to report; but a file with a CloudFormation Resources section and
// no phases is ErrNotBuildspec whatever its name.
func Parse(file string, data []byte) (*Spec, error) {
	return parse(file, data, IsFileName(file), false, func(p cfn.Pos) cfn.Pos { return p })
}

// Place translates a position inside an embedded buildspec's text (lines
// and columns counted from 1 in that text) into the enclosing file.
type Place func(cfn.Pos) cfn.Pos

// ParseEmbedded reads buildspec text held in another file, such as the
// Source.BuildSpec property of a CloudFormation template. place moves each
// position into that file. The text must have a top-level mapping, but
// version and phases may be missing: CodeBuild would reject it, which rules
// report.
func ParseEmbedded(file string, text string, place Place) (*Spec, error) {
	if place == nil {
		place = func(p cfn.Pos) cfn.Pos { return p }
	}
	return parse(file, []byte(text), true, true, place)
}

func parse(file string, data []byte, named, embedded bool, place Place) (*Spec, error) {
	if len(data) > MaxSize {
		return nil, &cfn.Error{File: file, Msg: fmt.Sprintf("buildspec larger than %d KiB; refusing to read it", MaxSize>>10)}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var doc yaml.Node
	if err := safeUnmarshal(data, &doc); err != nil {
		return nil, yamlError(file, data, err, place)
	}
	if len(doc.Content) == 0 {
		if named {
			return nil, &cfn.Error{File: file, Msg: "buildspec is empty"}
		}
		return nil, fmt.Errorf("%s: %w", file, ErrNotBuildspec)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		if named {
			at := place(cfn.Pos{Line: root.Line, Col: root.Column})
			return nil, &cfn.Error{File: file, Line: at.Line, Col: at.Col, Msg: "buildspec must be a mapping with version and phases"}
		}
		return nil, fmt.Errorf("%s: %w", file, ErrNotBuildspec)
	}
	switch {
	case !named && (lookup(root, "version") == nil || lookup(root, "phases") == nil):
		return nil, fmt.Errorf("%s: %w", file, ErrNotBuildspec)
	case !embedded && lookup(root, "phases") == nil && (lookup(root, "Resources") != nil || lookup(root, "AWSTemplateFormatVersion") != nil):
		// A CloudFormation template that happens to be called
		// buildspec-pipeline.yml.
		return nil, fmt.Errorf("%s: %w", file, ErrNotBuildspec)
	}
	r := &reader{file: file, place: place, spec: &Spec{File: file}, data: data}
	if err := r.checkDepth(root, 0); err != nil {
		return nil, err
	}
	r.read(root)
	if !embedded {
		r.spec.Suppressions = suppressions(data, root.Line)
	}
	return r.spec, nil
}

// suppressComment finds a suppression comment: the rule and the reason.
var suppressComment = regexp.MustCompile(`(?:^|\s)#\s*safetynet:suppress\b[ \t]*(\S*)[ \t]*(.*)$`)

// suppressions reads the suppression comments of a file. firstKey is the
// line of the document's first key.
func suppressions(data []byte, firstKey int) []*Suppression {
	if !bytes.Contains(data, []byte("safetynet:suppress")) {
		return nil
	}
	lines := strings.Split(string(data), "\n")
	var out, pending []*Suppression
	for i, line := range lines {
		n := i + 1
		trimmed := strings.TrimSpace(line)
		m := suppressComment.FindStringSubmatchIndex(line)
		own := strings.HasPrefix(trimmed, "#")
		if m != nil {
			sp := &Suppression{Rule: line[m[2]:m[3]], Reason: strings.TrimSpace(line[m[4]:m[5]]), At: cfn.Pos{Line: n, Col: m[0] + 1}}
			if line[m[0]] != '#' {
				sp.At.Col++
			}
			out = append(out, sp)
			switch {
			case !own:
				sp.Line = n
			case n < firstKey:
				sp.Line = 0
			default:
				pending = append(pending, sp)
			}
			continue
		}
		if trimmed == "" || own {
			continue
		}
		for _, sp := range pending {
			sp.Line = n
		}
		pending = pending[:0]
	}
	// A comment at the end of the file covers nothing.
	for _, sp := range pending {
		sp.Line = -1
	}
	return out
}

// safeUnmarshal guards against a panic inside yaml.v3, so one hostile file
// cannot stop a scan.
func safeUnmarshal(data []byte, doc *yaml.Node) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("yaml: internal error: %v", v)
		}
	}()
	return yaml.Unmarshal(data, doc)
}

// yamlError turns a yaml.v3 error into a positioned error. yaml.v3 often
// names the line where the enclosing construct starts rather than the
// mistake; the template loader finds the offending line again, so its
// report is used when it has one.
func yamlError(file string, data []byte, err error, place Place) *cfn.Error {
	var ce *cfn.Error
	if _, cerr := cfn.Parse(file, data); errors.As(cerr, &ce) && ce.Line > 0 {
		at := place(cfn.Pos{Line: ce.Line, Col: ce.Col})
		msg, _ := strings.CutPrefix(ce.Msg, "invalid YAML: ")
		return &cfn.Error{File: file, Line: at.Line, Col: at.Col, Msg: "invalid YAML in buildspec: " + msg}
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	e := &cfn.Error{File: file}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, tail, ok := strings.Cut(rest, ": "); ok {
			if n, convErr := strconv.Atoi(num); convErr == nil {
				at := place(cfn.Pos{Line: n, Col: 1})
				e.Line, e.Col = at.Line, at.Col
				msg = tail
			}
		}
	}
	e.Msg = "invalid YAML in buildspec: " + msg
	return e
}

func lookup(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// reader fills a Spec from the YAML tree.
type reader struct {
	file  string
	place Place
	spec  *Spec
	data  []byte
	lines []int // byte offset of each line's start, made when first needed
}

// blockIndent returns the 1-based column where the text of a block scalar
// whose indicator is on line starts: the indentation of its first
// non-blank line. yaml.v3 does not report it.
func (r *reader) blockIndent(line int) int {
	if r.lines == nil {
		r.lines = append(r.lines, 0)
		for i, b := range r.data {
			if b == '\n' {
				r.lines = append(r.lines, i+1)
			}
		}
	}
	for l := line + 1; l <= len(r.lines); l++ {
		rest := r.data[r.lines[l-1]:]
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			rest = rest[:i]
		}
		n := len(rest) - len(bytes.TrimLeft(rest, " "))
		if n < len(bytes.TrimRight(rest, " \r")) {
			return n + 1
		}
	}
	return 1
}

func (r *reader) checkDepth(n *yaml.Node, depth int) error {
	if depth > maxDepth {
		return &cfn.Error{File: r.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf("buildspec nests deeper than %d levels", maxDepth)}
	}
	for _, c := range n.Content {
		if err := r.checkDepth(c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (r *reader) pos(n *yaml.Node) cfn.Pos { return r.place(cfn.Pos{Line: n.Line, Col: n.Column}) }

func (r *reader) problem(n *yaml.Node, format string, args ...any) {
	at := r.pos(n)
	r.spec.Problems = append(r.spec.Problems, &cfn.Error{File: r.file, Line: at.Line, Col: at.Col, Msg: fmt.Sprintf(format, args...)})
}

// deref follows an alias: buildspecs, unlike templates, may use anchors.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	return n
}

// value returns a scalar node as a Value; nil for anything else.
func (r *reader) value(n *yaml.Node, path string) *Value {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return nil
	}
	v := &Value{Text: n.Value, Start: r.pos(n), Path: path}
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		// The text starts on the line after the | indicator.
		v.Block = true
		v.Start = r.place(cfn.Pos{Line: n.Line + 1, Col: r.blockIndent(n.Line)})
	case n.Style == 0 && !strings.Contains(n.Value, "\n"):
		v.End = r.place(cfn.Pos{Line: n.Line, Col: n.Column + utf8.RuneCountInString(n.Value)})
	}
	return v
}

func (r *reader) read(root *yaml.Node) {
	r.spec.Start = r.pos(root)
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], deref(root.Content[i+1])
		switch k.Value {
		case "version":
			r.spec.Version = r.value(v, "version")
		case "env":
			r.readEnv(k, v)
		case "phases":
			r.readPhases(v)
		case "reports":
			r.spec.ReportsKey = r.pos(k)
			if v.Kind == yaml.MappingNode {
				for j := 0; j+1 < len(v.Content); j += 2 {
					g := v.Content[j]
					r.spec.Reports = append(r.spec.Reports, &Value{Text: g.Value, Start: r.pos(g), Path: "reports." + g.Value})
				}
			}
		}
	}
}

func (r *reader) readEnv(k, v *yaml.Node) {
	env := &Env{KeyStart: r.pos(k)}
	r.spec.Env = env
	if v.Kind != yaml.MappingNode {
		if v.Kind != 0 && !(v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
			r.problem(v, "env must be a mapping")
		}
		return
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		sk, sv := v.Content[i], deref(v.Content[i+1])
		var dst *[]*Var
		switch sk.Value {
		case "variables":
			dst = &env.Variables
		case "parameter-store":
			dst = &env.ParameterStore
		case "secrets-manager":
			dst = &env.SecretsManager
		default:
			continue
		}
		*dst = r.vars(sv, "env."+sk.Value)
	}
}

// vars reads a mapping of names to scalars.
func (r *reader) vars(n *yaml.Node, path string) []*Var {
	if n.Kind != yaml.MappingNode {
		if !(n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
			r.problem(n, "%s must be a mapping", path)
		}
		return nil
	}
	var out []*Var
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		val := r.value(v, path+"."+k.Value)
		if val == nil {
			r.problem(v, "%s.%s must be a single value", path, k.Value)
			continue
		}
		out = append(out, &Var{Name: k.Value, KeyStart: r.pos(k), Value: val})
	}
	return out
}

func (r *reader) readPhases(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		r.problem(n, "phases must be a mapping of phase names to commands")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		ph := &Phase{Name: k.Value, KeyStart: r.pos(k), Path: "phases." + k.Value}
		r.spec.Phases = append(r.spec.Phases, ph)
		if v.Kind != yaml.MappingNode {
			if !(v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
				r.problem(v, "%s must be a mapping", ph.Path)
			}
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			pk, pv := v.Content[j], deref(v.Content[j+1])
			switch pk.Value {
			case "on-failure":
				ph.OnFailure = r.value(pv, ph.Path+".on-failure")
			case "runtime-versions":
				ph.RuntimeVersions = r.vars(pv, ph.Path+".runtime-versions")
			case "commands":
				ph.Commands = r.commands(pv, ph.Path+".commands")
			case "finally":
				ph.Finally = r.commands(pv, ph.Path+".finally")
			}
		}
	}
}

func (r *reader) commands(n *yaml.Node, path string) []*Value {
	if n.Kind != yaml.SequenceNode {
		if !(n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
			r.problem(n, "%s must be a list of commands", path)
		}
		return nil
	}
	out := make([]*Value, 0, len(n.Content))
	for i, c := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		v := r.value(c, p)
		if v == nil {
			// An unquoted "echo a: b" is read as a mapping, which CodeBuild
			// rejects; quoting the command fixes it.
			r.problem(c, "%s is not a string (quote a command that contains \": \")", p)
			continue
		}
		out = append(out, v)
	}
	return out
}
