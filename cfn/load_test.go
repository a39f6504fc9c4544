package cfn_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/cfn"
)

// MustParse parses src as a template named t.yaml and fails the test on an
// error.
func MustParse(tb testing.TB, src string) *cfn.Template {
	tb.Helper()
	t, err := cfn.Parse("t.yaml", []byte(src))
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return t
}

// MustParseFile parses a file of testdata/load.
func MustParseFile(tb testing.TB, name string) *cfn.Template {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "load", name))
	if err != nil {
		tb.Fatal(err)
	}
	t, err := cfn.Parse(name, data)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return t
}

// MustError parses src and returns its *cfn.Error, failing the test when
// parsing succeeds or fails another way.
func MustError(tb testing.TB, src string) *cfn.Error {
	tb.Helper()
	_, err := cfn.Parse("t.yaml", []byte(src))
	var e *cfn.Error
	if !errors.As(err, &e) {
		tb.Fatalf("Parse error = %v (%T), want a *cfn.Error", err, err)
	}
	return e
}

// diff returns where two trees differ, ignoring positions and the Tag kept
// for messages, or "" when they are the same model.
func diff(path string, a, b *cfn.Node) string {
	switch {
	case a == nil || b == nil:
		if a != b {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
		return ""
	case a.Kind != b.Kind || a.Value != b.Value:
		return fmt.Sprintf("%s: %s %q vs %s %q", path, a.Kind, a.Value, b.Kind, b.Value)
	case len(a.Items) != len(b.Items) || len(a.Pairs) != len(b.Pairs):
		return fmt.Sprintf("%s: %d items/%d keys vs %d/%d", path, len(a.Items), len(a.Pairs), len(b.Items), len(b.Pairs))
	}
	for i := range a.Items {
		if d := diff(fmt.Sprintf("%s[%d]", path, i), a.Items[i], b.Items[i]); d != "" {
			return d
		}
	}
	for i := range a.Pairs {
		if a.Pairs[i].Key != b.Pairs[i].Key {
			return fmt.Sprintf("%s: key %q vs %q", path, a.Pairs[i].Key, b.Pairs[i].Key)
		}
		if d := diff(path+"."+a.Pairs[i].Key, a.Pairs[i].Value, b.Pairs[i].Value); d != "" {
			return d
		}
	}
	return ""
}

func TestShortFormsAreLongForms(t *testing.T) {
	short := MustParseFile(t, "short.yaml")
	long := MustParseFile(t, "long.yaml")
	json := MustParseFile(t, "long.json")
	for _, tm := range []*cfn.Template{short, long, json} {
		if len(tm.Problems) > 0 {
			t.Errorf("%s: unexpected problems %v", tm.File, tm.Problems)
		}
	}
	if d := diff("", short.Root, long.Root); d != "" {
		t.Errorf("short and long YAML forms differ at %s", d)
	}
	if d := diff("", long.Root, json.Root); d != "" {
		t.Errorf("YAML and JSON long forms differ at %s", d)
	}
	if json.Format != cfn.JSON || short.Format != cfn.YAML {
		t.Errorf("formats = %v, %v", json.Format, short.Format)
	}
	// The expansion keeps the tag for messages.
	if tag := short.Resource("Bucket").Properties.Get("A").Tag; tag != "!Ref" {
		t.Errorf("Tag = %q, want !Ref", tag)
	}
}

func TestGetAtt(t *testing.T) {
	tests := []struct {
		src        string
		res, attr  string
		attrColumn int
	}{
		{"!GetAtt Db.Endpoint", "Db", "Endpoint", 21},
		{"!GetAtt Db.Endpoint.Address", "Db", "Endpoint.Address", 21},
		{"!GetAtt 'Db.Endpoint.Address'", "Db", "Endpoint.Address", 22},
		{"!GetAtt [Db, Endpoint.Address]", "Db", "Endpoint.Address", 23},
		{"{Fn::GetAtt: [Db, Endpoint.Address]}", "Db", "Endpoint.Address", 28},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			tm := MustParse(t, "Resources:\n  R:\n    Type: T\n    Properties:\n      P: "+tt.src+"\n")
			name, arg, ok := tm.Resource("R").Properties.Get("P").Intrinsic()
			if !ok || name != "Fn::GetAtt" || arg.Kind != cfn.Seq || len(arg.Items) != 2 {
				t.Fatalf("got %s %+v", name, arg)
			}
			if arg.Items[0].Value != tt.res || arg.Items[1].Value != tt.attr {
				t.Errorf("got [%s, %s], want [%s, %s]", arg.Items[0].Value, arg.Items[1].Value, tt.res, tt.attr)
			}
			if got := arg.Items[1].Start; got.Line != 5 || got.Col != tt.attrColumn {
				t.Errorf("attribute at %v, want 5:%d", got, tt.attrColumn)
			}
		})
	}
}

func TestTagProblems(t *testing.T) {
	tests := []struct {
		src, want string
		line      int
	}{
		{"Resources:\n  R:\n    Type: T\n    Properties:\n      P: !Uppercase x\n", "unknown tag !Uppercase", 5},
		{"Resources:\n  R:\n    Type: T\n    Properties:\n      P: !!binary aGk=\n", "tag !!binary is not supported", 5},
		{"Resources:\n  R:\n    Type: T\n    Properties:\n      P: !!bool maybe\n", `"maybe" is not a boolean`, 5},
	}
	for _, tt := range tests {
		tm := MustParse(t, tt.src)
		if len(tm.Problems) != 1 || !strings.Contains(tm.Problems[0].Msg, tt.want) || tm.Problems[0].Line != tt.line {
			t.Errorf("%q: problems = %v, want %q at line %d", tt.src, tm.Problems, tt.want, tt.line)
		}
	}
}

func TestScalarTypes(t *testing.T) {
	tests := []struct {
		src   string
		kind  cfn.Kind
		value string
	}{
		{"yes", cfn.Bool, "true"},
		{"Yes", cfn.Bool, "true"},
		{"NO", cfn.Bool, "false"},
		{"on", cfn.Bool, "true"},
		{"Off", cfn.Bool, "false"},
		{"y", cfn.Bool, "true"},
		{"N", cfn.Bool, "false"},
		{"TRUE", cfn.Bool, "true"},
		{"False", cfn.Bool, "false"},
		{"yEs", cfn.String, "yEs"},
		{`"true"`, cfn.String, "true"},
		{"'yes'", cfn.String, "yes"},
		{"!!str yes", cfn.String, "yes"},
		{"2010-09-09", cfn.String, "2010-09-09"},
		{"12", cfn.Int, "12"},
		{"-12", cfn.Int, "-12"},
		{"1_000", cfn.Int, "1_000"},
		{"0x1F", cfn.Int, "0x1F"},
		{"0b101", cfn.Int, "0b101"},
		{"012345670123", cfn.Int, "012345670123"}, // octal in YAML 1.1
		{"089", cfn.String, "089"},
		{"12:30", cfn.Int, "12:30"}, // sexagesimal in YAML 1.1
		{"1.5", cfn.Float, "1.5"},
		{"-.5", cfn.Float, "-.5"},
		{"1.0e+3", cfn.Float, "1.0e+3"},
		{"1e3", cfn.String, "1e3"},
		{"1.2.3", cfn.String, "1.2.3"},
		{".inf", cfn.Float, ".inf"},
		{".NaN", cfn.Float, ".NaN"},
		{"~", cfn.Null, "~"},
		{"null", cfn.Null, "null"},
		{"", cfn.Null, ""},
		{"t2.micro", cfn.String, "t2.micro"},
		{"10.0.0.0/16", cfn.String, "10.0.0.0/16"},
		{"|\n        multi\n        line", cfn.String, "multi\nline\n"},
	}
	for _, tt := range tests {
		tm := MustParse(t, "Resources:\n  R:\n    Type: T\n    Properties:\n      P: "+tt.src+"\n")
		n := tm.Resource("R").Properties.Get("P")
		if n.Kind != tt.kind || n.Value != tt.value {
			t.Errorf("%q: got %s %q, want %s %q", tt.src, n.Kind, n.Value, tt.kind, tt.value)
		}
	}
}

func TestAliasesAreRejected(t *testing.T) {
	e := MustError(t, "Resources:\n  A: &a\n    Type: T\n  B: *a\n")
	if e.Line != 4 || e.Col != 6 || !strings.Contains(e.Msg, "aliases are not allowed") {
		t.Errorf("got %v, want an alias error at 4:6", e)
	}
	// Anchors alone are reported but do not stop loading.
	tm := MustParse(t, "Resources:\n  A: &a\n    Type: T\n")
	if len(tm.Problems) != 1 || !strings.Contains(tm.Problems[0].Msg, "anchor &a") {
		t.Errorf("problems = %v", tm.Problems)
	}
	// An alias bomb is refused at its first alias, before any expansion.
	var sb strings.Builder
	sb.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 30; i++ {
		fmt.Fprintf(&sb, "a%d: &a%d [", i, i)
		for j := range 10 {
			if j > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "*a%d", i-1)
		}
		sb.WriteString("]\n")
	}
	sb.WriteString("Resources: {}\n")
	start := time.Now()
	if e := MustError(t, sb.String()); e.Line != 2 {
		t.Errorf("bomb: %v, want an error on line 2", e)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("alias bomb took %v", d)
	}
}

func TestDuplicateKeys(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		want      string
	}{
		{"yaml", "Resources:\n  A:\n    Type: T\n  A:\n    Type: U\n", 4, "duplicate key A (first at line 2)"},
		{"yaml-prop", "Resources:\n  A:\n    Type: T\n    Properties:\n      Name: x\n      Name: y\n", 6, "duplicate key Name (first at line 5)"},
		{"json", "{\n\"Resources\": {\n  \"A\": {\"Type\": \"T\"},\n  \"A\": {\"Type\": \"U\"}\n}\n}\n", 4, "duplicate key A (first at line 3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := MustParse(t, tt.src)
			if len(tm.Problems) != 1 || tm.Problems[0].Msg != tt.want || tm.Problems[0].Line != tt.line {
				t.Errorf("problems = %v, want %q at line %d", tm.Problems, tt.want, tt.line)
			}
		})
	}
	// Many keys take another path through the checker.
	var sb strings.Builder
	sb.WriteString("Resources:\n")
	for i := range 40 {
		fmt.Fprintf(&sb, "  R%d:\n    Type: T\n", i%39)
	}
	tm := MustParse(t, sb.String())
	if len(tm.Problems) != 1 || tm.Problems[0].Msg != "duplicate key R0 (first at line 2)" || tm.Problems[0].Line != 80 {
		t.Errorf("problems = %v", tm.Problems)
	}
}

func TestLenientJSON(t *testing.T) {
	tm := MustParseFile(t, "lenient-json.template")
	if tm.Format != cfn.JSON {
		t.Errorf("Format = %v, want json", tm.Format)
	}
	if d := tm.Root.Get("Description").Value; !strings.Contains(d, "ends,\ttabs") {
		t.Errorf("Description = %q, want the tab kept", d)
	}
	b := tm.Resource("Bucket")
	if b == nil || b.Type != "AWS::S3::Bucket" {
		t.Fatalf("Bucket = %+v", b)
	}
	if b.KeyStart != (cfn.Pos{Line: 5, Col: 3}) {
		t.Errorf("Bucket at %v, want 5:3 (CRLF counted once, BOM not counted)", b.KeyStart)
	}
	tags := b.Properties.Get("Tags")
	if tags.Kind != cfn.Seq || len(tags.Items) != 1 {
		t.Errorf("Tags = %+v", tags)
	}
	// The BOM is not a column.
	if p := tm.Root.Start; p != (cfn.Pos{Line: 1, Col: 1}) {
		t.Errorf("root at %v", p)
	}
}

func TestFormatByContent(t *testing.T) {
	tests := []struct {
		file string
		want cfn.Format
	}{
		{"yaml.template", cfn.YAML},
		{"lenient-json.template", cfn.JSON},
		{"long.json", cfn.JSON},
	}
	for _, tt := range tests {
		if tm := MustParseFile(t, tt.file); tm.Format != tt.want || len(tm.Resources) != 1 {
			t.Errorf("%s: format %v with %d resources, want %v with 1", tt.file, tm.Format, len(tm.Resources), tt.want)
		}
	}
	// JSON-looking YAML (a comment, unquoted keys) is still read.
	tm := MustParse(t, "{ # flow YAML\n  Resources: {R: {Type: T}}}\n")
	if tm.Format != cfn.YAML || tm.Resource("R") == nil {
		t.Errorf("flow YAML: %v %+v", tm.Format, tm.Resources)
	}
}

func TestNotTemplate(t *testing.T) {
	for _, src := range []string{"a: 1\n", `{"a": 1}`, "[1, 2]\n", "just text\n", "", "# only a comment\n", "---\n"} {
		_, err := cfn.Parse("x.yaml", []byte(src))
		if !errors.Is(err, cfn.ErrNotTemplate) {
			t.Errorf("%q: err = %v, want ErrNotTemplate", src, err)
		}
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line, col int
		want      string
	}{
		{"yaml-indent", "Resources:\n  A:\n    Type: T\n   B: x\n", 4, 4, "invalid YAML"},
		{"yaml-colon", "Resources:\n  A: b: c\n", 2, 3, "mapping values are not allowed"},
		{"yaml-tab", "Resources:\n\tA: b\n", 2, 2, "invalid YAML"},
		{"yaml-quote", "Resources:\n  A: \"open\n", 2, 3, "invalid YAML"},
		{"yaml-control", "Resources:\n  A: x\x01y\n", 2, 7, "control characters"},
		{"json-comma", "{\n  \"Resources\": {\n    \"A\": 1\n    \"B\": 2\n  }\n}\n", 4, 5, `expected ',' or '}'`},
		{"json-eof", "{\n  \"Resources\": {\n", 3, 1, "end of file"},
		{"json-escape", "{\"Resources\": \"a\\qb\"}", 1, 17, `invalid escape \q`},
		{"json-newline", "{\"Resources\": [\"a\nb\" 1]}", 1, 18, "line break inside a string"},
		{"yaml-flow", "a: 1\nResources:\n  A: [1, 2\n  B: 3\n", 3, 3, "did not find expected ',' or ']'"},
		{"yaml-dash", "a: 1\nb: 2\n- c\n", 3, 1, "did not find expected key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := MustError(t, tt.src)
			if e.File != "t.yaml" || e.Line != tt.line || e.Col != tt.col || !strings.Contains(e.Msg, tt.want) {
				t.Errorf("got %v, want t.yaml:%d:%d: ...%s...", e, tt.line, tt.col, tt.want)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	deep := 10000
	for name, src := range map[string]string{
		"yaml-flow":  "Resources: " + strings.Repeat("[", deep) + strings.Repeat("]", deep),
		"yaml-block": "Resources:\n  " + strings.Repeat("- ", deep) + "x\n",
		"yaml-map":   "Resources: " + strings.Repeat("{a: ", deep) + "1" + strings.Repeat("}", deep),
		"json":       `{"Resources": ` + strings.Repeat("[", deep) + strings.Repeat("]", deep) + "}",
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			e := MustError(t, src)
			if !strings.Contains(e.Msg, "nesting deeper than") || e.Line != 1 && e.Line != 2 {
				t.Errorf("got %v, want a nesting error", e)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	t.Run("nesting-at-limit", func(t *testing.T) {
		d := cfn.MaxNesting - 2 // the root mapping and Resources take two levels
		MustParse(t, "Resources: "+strings.Repeat("[", d)+strings.Repeat("]", d))
	})
	t.Run("size", func(t *testing.T) {
		big := make([]byte, cfn.MaxSize+1)
		_, err := cfn.Parse("big.yaml", big)
		var e *cfn.Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, "larger than") {
			t.Errorf("err = %v, want a size error", err)
		}
	})
	t.Run("reader", func(t *testing.T) {
		r := &countingReader{}
		_, err := cfn.ParseReader("stdin", r)
		var e *cfn.Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, "larger than") {
			t.Errorf("err = %v, want a size error", err)
		}
		if r.n > cfn.MaxSize+64<<10 {
			t.Errorf("read %d bytes of an endless stream", r.n)
		}
		tm, err := cfn.ParseReader("small.yaml", strings.NewReader("Resources: {R: {Type: T}}\n"))
		if err != nil || len(tm.Resources) != 1 {
			t.Errorf("small stream: %v", err)
		}
	})
}

// countingReader is an endless stream of spaces that counts what was read.
type countingReader struct{ n int }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	r.n += len(p)
	return len(p), nil
}

var _ io.Reader = (*countingReader)(nil)

func TestForEach(t *testing.T) {
	tm := MustParse(t, `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Conditions:
  Fn::ForEach::Envs:
    - Env
    - [Dev, Prod]
    - Is${Env}: !Equals [!Ref Stage, !Ref Env]
Resources:
  Plain:
    Type: AWS::SNS::Topic
  Fn::ForEach::Topics:
    - Name
    - [A, B]
    - Topic${Name}:
        Type: AWS::SNS::Topic
        Properties:
          TopicName: !Ref Name
      Fn::ForEach::Inner:
        - X
        - [1, 2]
        - Queue${Name}${X}:
            Type: AWS::SQS::Queue
  Fn::ForEach::Broken: nope
Outputs:
  Fn::ForEach::Out:
    - Name
    - [A, B]
    - Arn${Name}:
        Value: !Ref Plain
`)
	want := map[string]string{"Plain": "", "Topic${Name}": "Fn::ForEach::Topics", "Queue${Name}${X}": "Fn::ForEach::Inner"}
	if len(tm.Resources) != len(want) {
		t.Fatalf("resources = %d, want %d", len(tm.Resources), len(want))
	}
	for _, r := range tm.Resources {
		if fe, ok := want[r.ID]; !ok || fe != r.ForEach {
			t.Errorf("resource %s in %q, want in %q", r.ID, r.ForEach, fe)
		}
	}
	if r := tm.Resource("Topic${Name}"); r == nil || r.KeyStart.Line != 14 || r.Properties.Get("TopicName") == nil {
		t.Errorf("Topic${Name} = %+v", r)
	}
	if len(tm.Outputs) != 1 || tm.Outputs[0].Name != "Arn${Name}" || tm.Outputs[0].ForEach != "Fn::ForEach::Out" {
		t.Errorf("outputs = %+v", tm.Outputs)
	}
	if tm.Conditions["Is${Env}"] == nil {
		t.Errorf("conditions = %v", tm.Conditions)
	}
	if len(tm.Problems) != 1 || !strings.Contains(tm.Problems[0].Msg, "Fn::ForEach::Broken") || tm.Problems[0].Line != 23 {
		t.Errorf("problems = %v", tm.Problems)
	}
}

func TestSAM(t *testing.T) {
	tm := MustParse(t, `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        Api:
          Type: Api
          Properties: {Path: /, Method: get}
  Table:
    Type: AWS::Serverless::SimpleTable
`)
	if !tm.IsSAM() {
		t.Errorf("IsSAM = false, transforms %v", tm.Transforms)
	}
	if g := tm.Globals.Get("Function").Get("Timeout"); g == nil || g.Value != "30" {
		t.Errorf("Globals.Function.Timeout = %+v", g)
	}
	fn := tm.Resource("Fn")
	if fn == nil || fn.Type != "AWS::Serverless::Function" || fn.KeyStart != (cfn.Pos{Line: 8, Col: 3}) {
		t.Fatalf("Fn = %+v", fn)
	}
	if h := fn.Properties.Get("Handler"); h.Start != (cfn.Pos{Line: 11, Col: 16}) || h.End != (cfn.Pos{Line: 11, Col: 27}) {
		t.Errorf("Handler at %v-%v, want 11:16-11:27", h.Start, h.End)
	}
	if tm.Resource("Table") == nil {
		t.Errorf("Table missing")
	}
}

func TestPositions(t *testing.T) {
	tests := []struct {
		name, src  string
		start, end cfn.Pos
	}{
		{"plain", "Resources:\n  R:\n    Type: T\n    Properties:\n      P: hello world\n", cfn.Pos{Line: 5, Col: 10}, cfn.Pos{Line: 5, Col: 21}},
		{"double", "Resources:\n  R:\n    Type: T\n    Properties:\n      P: \"a\\\"b\"\n", cfn.Pos{Line: 5, Col: 10}, cfn.Pos{Line: 5, Col: 16}},
		{"single", "Resources:\n  R:\n    Type: T\n    Properties:\n      P: 'it''s'\n", cfn.Pos{Line: 5, Col: 10}, cfn.Pos{Line: 5, Col: 17}},
		{"tagged", "Resources:\n  R:\n    Type: T\n    Properties:\n      P: !Ref Name\n", cfn.Pos{Line: 5, Col: 10}, cfn.Pos{Line: 5, Col: 19}},
		{"unicode", "Resources:\n  R:\n    Type: T\n    Properties:\n      Ä: ünïcode\n", cfn.Pos{Line: 5, Col: 10}, cfn.Pos{Line: 5, Col: 17}},
		{"crlf", "Resources:\r\n  R:\r\n    Type: T\r\n    Properties:\r\n      P: x\r\n", cfn.Pos{Line: 5, Col: 10}, cfn.Pos{Line: 5, Col: 11}},
		{"json", "{\"Resources\": {\"R\": {\"Type\": \"T\",\n  \"Properties\": {\"P\": \"héllo\"}}}}", cfn.Pos{Line: 2, Col: 23}, cfn.Pos{Line: 2, Col: 30}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := MustParse(t, tt.src).Resource("R").Properties
			n := p.Pairs[0].Value
			if n.Start != tt.start || n.End != tt.end {
				t.Errorf("at %v-%v, want %v-%v", n.Start, n.End, tt.start, tt.end)
			}
		})
	}
}
