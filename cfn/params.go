package cfn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// ParseParameterFile reads parameter values for a stack from a file, JSON or
// YAML, in any of the formats deployers use:
//
//   - cfn_nag's and CodePipeline's template configuration:
//     {"Parameters": {"Key": "Value"}, "Tags": {...}, "StackPolicy": {...}}
//     (Tags and StackPolicy are ignored);
//   - the CloudFormation CLI's:
//     [{"ParameterKey": "Key", "ParameterValue": "Value"}], where entries
//     with UsePreviousValue are skipped, since the previous value cannot be
//     known here.
//
// A value written as a list is joined with commas, as CloudFormation reads
// list parameters. Errors are *Error values naming the file and, where
// possible, the line.
func ParseParameterFile(name string, data []byte) (map[string]string, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if err := jsonSyntax(name, data); err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, paramSyntaxError(name, err)
	}
	fail := func(n *yaml.Node, format string, args ...any) error {
		e := &Error{File: name, Msg: fmt.Sprintf(format, args...)}
		if n != nil {
			e.Line, e.Col = n.Line, n.Column
		}
		return e
	}
	if len(doc.Content) == 0 {
		return nil, fail(nil, "empty parameter file")
	}
	root := doc.Content[0]
	out := map[string]string{}
	seen := map[string]int{}
	add := func(key *yaml.Node, k string, v *yaml.Node) error {
		if line, dup := seen[k]; dup {
			return fail(key, "parameter %s given twice (first on line %d)", k, line)
		}
		s, err := paramText(v)
		if err != "" {
			return fail(v, "parameter %s: %s", k, err)
		}
		seen[k] = key.Line
		out[k] = s
		return nil
	}
	switch root.Kind {
	case yaml.MappingNode:
		var params *yaml.Node
		for i := 0; i+1 < len(root.Content); i += 2 {
			k, v := root.Content[i], root.Content[i+1]
			switch k.Value {
			case "Parameters":
				params = v
			case "Tags", "StackPolicy":
			default:
				return nil, fail(k, "unexpected key %q: want Parameters, Tags or StackPolicy, or a list of ParameterKey and ParameterValue entries", k.Value)
			}
		}
		if params == nil {
			return nil, fail(root, "no Parameters key: want {\"Parameters\": {\"Key\": \"Value\"}} or a list of ParameterKey and ParameterValue entries")
		}
		if params.Kind == yaml.ScalarNode && params.Tag == "!!null" {
			return out, nil
		}
		if params.Kind != yaml.MappingNode {
			return nil, fail(params, "Parameters must be a mapping of names to values")
		}
		for i := 0; i+1 < len(params.Content); i += 2 {
			if err := add(params.Content[i], params.Content[i].Value, params.Content[i+1]); err != nil {
				return nil, err
			}
		}
	case yaml.SequenceNode:
		for _, entry := range root.Content {
			if entry.Kind != yaml.MappingNode {
				return nil, fail(entry, "each entry must be a mapping with ParameterKey and ParameterValue")
			}
			var key, value *yaml.Node
			previous := false
			for i := 0; i+1 < len(entry.Content); i += 2 {
				k, v := entry.Content[i], entry.Content[i+1]
				switch k.Value {
				case "ParameterKey":
					key = v
				case "ParameterValue":
					value = v
				case "UsePreviousValue":
					previous = strings.EqualFold(v.Value, "true")
				case "ResolvedValue":
				default:
					return nil, fail(k, "unexpected key %q in a parameter entry: want ParameterKey, ParameterValue or UsePreviousValue", k.Value)
				}
			}
			if key == nil || key.Kind != yaml.ScalarNode || key.Value == "" {
				return nil, fail(entry, "parameter entry without a ParameterKey")
			}
			if previous {
				continue
			}
			if value == nil {
				return nil, fail(entry, "parameter %s has no ParameterValue", key.Value)
			}
			if err := add(key, key.Value, value); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fail(root, "want {\"Parameters\": {\"Key\": \"Value\"}} or a list of ParameterKey and ParameterValue entries")
	}
	return out, nil
}

// paramText returns a parameter value as CloudFormation receives it: the
// scalar as written, or list members joined with commas. The error is a
// message, empty when there is none.
func paramText(v *yaml.Node) (string, string) {
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return "", ""
		}
		return v.Value, ""
	case yaml.SequenceNode:
		parts := make([]string, 0, len(v.Content))
		for _, it := range v.Content {
			if it.Kind != yaml.ScalarNode {
				return "", "a list value must hold only strings"
			}
			parts = append(parts, it.Value)
		}
		return strings.Join(parts, ","), ""
	}
	return "", "a value must be a string or a list of strings, not a mapping"
}

// jsonSyntax checks a file that looks like JSON with the JSON parser, whose
// errors point at the offending character, where the YAML parser names only
// the line the enclosing object starts on.
func jsonSyntax(name string, data []byte) error {
	t := bytes.TrimLeft(data, " \t\r\n")
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') || json.Valid(data) {
		return nil
	}
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return &Error{File: name, Msg: "invalid JSON: " + err.Error()}
	}
	off := min(int(se.Offset), len(data))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return &Error{File: name, Line: line, Col: max(col, 1), Msg: "invalid JSON: " + se.Error()}
}

// paramSyntaxError turns a syntax error from the YAML parser into an *Error with
// the line it names.
func paramSyntaxError(name string, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	e := &Error{File: name, Msg: msg}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		num, tail, _ := strings.Cut(rest, ":")
		if line, err := strconv.Atoi(num); err == nil {
			e.Line, e.Col = line, 1
			e.Msg = strings.TrimSpace(tail)
		}
	}
	return e
}
