package cfn_test

import (
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/cfn"
)

// MustTemplate parses src as a template, failing the test on error.
func MustTemplate(tb testing.TB, src string) *cfn.Template {
	tb.Helper()
	t, err := cfn.Parse("test.yaml", []byte(src))
	if err != nil {
		tb.Fatalf("parse: %v\n%s", err, src)
	}
	return t
}

// show renders a value compactly for comparison: the value (quoted text,
// [list], {keys}, ?unknown or absent), then its origin, mapping and
// conditions.
func show(v cfn.Value) string {
	var b strings.Builder
	switch {
	case v.Absent:
		b.WriteString("absent")
	case v.Origin == cfn.Unknown:
		b.WriteString("?" + v.Text)
	default:
		b.WriteString(showNode(v.Node))
	}
	if v.Origin != cfn.Literal && v.Origin != cfn.Unknown {
		b.WriteString(" <" + v.Origin.String() + " " + v.Param + ">")
	}
	if v.Mapping != "" {
		b.WriteString(" @" + v.Mapping)
	}
	if len(v.Conds) > 0 {
		b.WriteString(" if " + strings.Join(v.Conds, ","))
	}
	return b.String()
}

func showNode(n *cfn.Node) string {
	switch n.Kind {
	case cfn.Seq:
		var items []string
		for _, it := range n.Items {
			items = append(items, showNode(it))
		}
		return "[" + strings.Join(items, " ") + "]"
	case cfn.Map:
		var keys []string
		for _, p := range n.Pairs {
			keys = append(keys, p.Key)
		}
		return "{" + strings.Join(keys, " ") + "}"
	}
	return `"` + n.Value + `"`
}

func showAll(vs []cfn.Value) string {
	var out []string
	for _, v := range vs {
		out = append(out, show(v))
	}
	return strings.Join(out, " | ")
}

// evalHeader is shared by the table cases: parameters, conditions and
// mappings they refer to.
const evalHeader = `
Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
  Stage:
    Type: String
    AllowedValues: [alpha, beta]
  Name:
    Type: String
  Cidr:
    Type: String
    Default: 0.0.0.0/0
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
    Default: "subnet-1, subnet-2"
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsAlpha: !Equals [!Ref Stage, alpha]
  IsUsEast: !Equals [!Ref "AWS::Region", us-east-1]
  Always: !Equals [a, a]
  Never: !Not [!Condition Always]
  ProdAndAlpha: !And [!Condition IsProd, !Condition IsAlpha]
  ProdOrAlways: !Or [!Condition IsProd, !Condition Always]
Mappings:
  Sizes:
    dev: {Size: "10", Encrypted: "false"}
    prod: {Size: "100", Encrypted: "true"}
  Regions:
    us-east-1: {Ami: ami-1}
    eu-west-1: {Ami: ami-2}
Resources:
  Other:
    Type: AWS::SNS::Topic
  R:
    Type: AWS::EC2::Volume
    Properties:
`

func TestValues(t *testing.T) {
	tests := []struct {
		name     string
		prop     string // YAML for property P of resource R, indented 6
		supplied map[string]string
		want     string
	}{
		{"literal", `P: hello`, nil, `"hello"`},
		{"if undecided keeps both", `P: !If [IsProd, true, false]`, nil, `"true" if IsProd | "false" if !IsProd`},
		{"if decided by supplied", `P: !If [IsProd, true, false]`, map[string]string{"Env": "prod"}, `"true"`},
		{"if decided false", `P: !If [IsProd, true, false]`, map[string]string{"Env": "dev"}, `"false"`},
		{"if decided by literals", `P: !If [Always, a, b]`, nil, `"a"`},
		{"if not", `P: !If [Never, a, b]`, nil, `"b"`},
		{"if or decided by one operand", `P: !If [ProdOrAlways, a, b]`, nil, `"a"`},
		{"if and undecided", `P: !If [ProdAndAlpha, a, b]`, map[string]string{"Env": "prod"}, `"a" if ProdAndAlpha | "b" if !ProdAndAlpha`},
		{"if and decided false", `P: !If [ProdAndAlpha, a, b]`, map[string]string{"Env": "dev"}, `"b"`},
		{"pseudo decides when supplied", `P: !If [IsUsEast, a, b]`, map[string]string{"AWS::Region": "us-east-1"}, `"a"`},
		{"pseudo undecided", `P: !If [IsUsEast, a, b]`, nil, `"a" if IsUsEast | "b" if !IsUsEast`},
		{"nested if same condition pruned", `P: !If [IsProd, !If [IsProd, a, b], c]`, nil, `"a" if IsProd | "c" if !IsProd`},
		{"if long form", "P:\n        Fn::If: [IsProd, true, false]", nil, `"true" if IsProd | "false" if !IsProd`},
		{"novalue", `P: !Ref AWS::NoValue`, nil, `absent`},
		{"if novalue", `P: !If [IsProd, !Ref AWS::NoValue, x]`, nil, `absent if IsProd | "x" if !IsProd`},
		{"param default", `P: !Ref Cidr`, nil, `"0.0.0.0/0" <parameter default Cidr>`},
		{"param supplied", `P: !Ref Cidr`, map[string]string{"Cidr": "10.0.0.0/8"}, `"10.0.0.0/8" <supplied parameter Cidr>`},
		{"param allowed", `P: !Ref Stage`, nil, `"alpha" <allowed value Stage> | "beta" <allowed value Stage>`},
		{"param unknown", `P: !Ref Name`, nil, `?Ref Name`},
		{"list param default", `P: !Ref Subnets`, nil, `["subnet-1" "subnet-2"] <parameter default Subnets>`},
		{"list param supplied", `P: !Ref Subnets`, map[string]string{"Subnets": "a,b,c"}, `["a" "b" "c"] <supplied parameter Subnets>`},
		{"ssm param", `P: !Ref Ami`, map[string]string{"Ami": "/x"}, `?Ref Ami`},
		{"ref resource", `P: !Ref Other`, nil, `?Ref Other`},
		{"pseudo", `P: !Ref AWS::StackName`, nil, `?Ref AWS::StackName`},
		{"pseudo supplied", `P: !Ref AWS::Region`, map[string]string{"AWS::Region": "eu-west-1"}, `"eu-west-1" <supplied parameter AWS::Region>`},
		{"getatt short", `P: !GetAtt Other.TopicName`, nil, `?Other.TopicName`},
		{"getatt long", "P:\n        Fn::GetAtt: [Other, TopicName]", nil, `?Other.TopicName`},
		{"getatt ref attr", `P: !GetAtt [Other, !Ref Name]`, nil, `?Other.Name`},
		{"importvalue", `P: !ImportValue {"Fn::Sub": "${AWS::StackName}-VpcId"}`, nil, `?Fn::ImportValue ${AWS::StackName}-VpcId`},
		{"sub known", `P: !Sub "${Env}-bucket"`, nil, `"dev-bucket" <parameter default Env>`},
		{"sub supplied", `P: !Sub "${Env}-bucket"`, map[string]string{"Env": "prod"}, `"prod-bucket" <supplied parameter Env>`},
		{"sub unknown", `P: !Sub "${AWS::StackName}-${Other.TopicName}-${Env}"`, nil, `?${AWS::StackName}-${Other.TopicName}-dev`},
		{"sub escape", `P: !Sub "${!Literal}-${Env}"`, nil, `"${Literal}-dev" <parameter default Env>`},
		{"sub vars", "P: !Sub\n        - \"${A}:${B}:${A}\"\n        - A: !If [IsProd, p, d]\n          B: lit", nil, `"p:lit:p" if IsProd | "d:lit:d" if !IsProd`},
		{"sub long form", "P:\n        Fn::Sub: [\"${X}\", {X: !Ref Stage}]", nil, `"alpha" <allowed value Stage> | "beta" <allowed value Stage>`},
		{"sub unclosed", `P: !Sub "a${b"`, nil, `"a${b"`},
		{"join", `P: !Join ["-", [a, !Ref Env, !Ref AWS::NoValue, b]]`, nil, `"a-dev-b" <parameter default Env>`},
		{"join if", `P: !Join ["", [a, !If [IsProd, !Ref AWS::NoValue, x]]]`, nil, `"a" if IsProd | "ax" if !IsProd`},
		{"join unknown", `P: !Join ["-", [!Ref AWS::StackName, VpcId]]`, nil, `?${AWS::StackName}-VpcId`},
		{"join list param", `P: !Join [",", !Ref Subnets]`, nil, `"subnet-1,subnet-2" <parameter default Subnets>`},
		{"select", `P: !Select [1, [a, b, c]]`, nil, `"b"`},
		{"select split", `P: !Select [1, !Split [",", "a,b,c"]]`, nil, `"b"`},
		{"select list param", `P: !Select [0, !Ref Subnets]`, nil, `"subnet-1" <parameter default Subnets>`},
		{"select unknown index", `P: !Select [!Ref Name, [a, b]]`, nil, `"a" | "b"`},
		{"select azs", `P: !Select [0, !GetAZs ""]`, nil, `?Fn::Select 0 ${Fn::GetAZs ${AWS::Region}}`},
		{"select out of range", `P: !Select [5, [a]]`, nil, `?Fn::Select 5 out of range`},
		{"split", `P: !Split [",", "a,b"]`, nil, `["a" "b"]`},
		{"findinmap", `P: !FindInMap [Sizes, prod, Size]`, nil, `"100"`},
		{"findinmap default key", `P: !FindInMap [Sizes, !Ref Env, Size]`, nil, `"10" <parameter default Env> @Sizes.dev.Size`},
		{"findinmap supplied key", `P: !FindInMap [Sizes, !Ref Env, Size]`, map[string]string{"Env": "prod"}, `"100" <supplied parameter Env> @Sizes.prod.Size`},
		{"findinmap unknown key", `P: !FindInMap [Regions, !Ref "AWS::Region", Ami]`, nil, `"ami-1" @Regions.us-east-1.Ami | "ami-2" @Regions.eu-west-1.Ami`},
		{"findinmap missing", `P: !FindInMap [Sizes, test, Size]`, nil, `?Fn::FindInMap Sizes.test.Size`},
		{"findinmap default value", `P: !FindInMap [Sizes, test, Size, {DefaultValue: "5"}]`, nil, `"5"`},
		{"base64", `P: !Base64 {"Fn::Sub": "echo ${Env}"}`, nil, `"echo dev" <parameter default Env>`},
		{"getazs", `P: !GetAZs us-east-1`, nil, `?Fn::GetAZs us-east-1`},
		{"cidr", `P: !Cidr [10.0.0.0/16, 3, 8]`, nil, `["10.0.0.0/24" "10.0.1.0/24" "10.0.2.0/24"]`},
		{"cidr ipv6", `P: !Cidr ["2001:db8::/56", 2, 64]`, nil, `["2001:db8::/64" "2001:db8:0:1::/64"]`},
		{"cidr too many", `P: !Cidr [10.0.0.0/24, 3, 7]`, nil, `?Fn::Cidr 10.0.0.0/24`},
		{"cidr unknown", `P: !Cidr [!GetAtt Other.Cidr, 3, 8]`, nil, `?Fn::Cidr ${Other.Cidr}`},
		{"length", `P: !Length [a, b, !Ref AWS::NoValue]`, nil, `"2"`},
		{"tojson", `P: !ToJsonString {a: [1, "x", true], b: !Ref Env}`, nil, `"{"a":[1,"x",true],"b":"dev"}" <parameter default Env>`},
		{"tojson unknown", `P: !ToJsonString {a: !Ref AWS::Region}`, nil, `?Fn::ToJsonString`},
		{"condition as value", `P: !Condition Always`, nil, `"true"`},
		{"equals as value", `P: !Equals [!Ref Env, prod]`, nil, `?Fn::Equals`},
		{"unknown function", `P: !Transform {Name: X}`, nil, `?Fn::Transform`},
		{"missing condition keeps both", `P: !If [Nope, a, b]`, nil, `"a" if Nope | "b" if !Nope`},
		{"malformed if", `P: !If [IsProd, a]`, nil, `?Fn::If`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := MustTemplate(t, evalHeader+"      "+tc.prop+"\n")
			e := cfn.NewEvaluator(tmpl, tc.supplied)
			got := showAll(e.Values(tmpl.Resource("R").Properties.Get("P")))
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestShortLongForms checks that each short-form tag gives the same values
// as the long form it stands for.
func TestShortLongForms(t *testing.T) {
	pairs := [][2]string{
		{`!If [IsProd, a, b]`, `{"Fn::If": [IsProd, a, b]}`},
		{`!Sub "${Env}-x"`, `{"Fn::Sub": "${Env}-x"}`},
		{`!Join [",", [a, !Ref Env]]`, `{"Fn::Join": [",", [a, {Ref: Env}]]}`},
		{`!Select [0, !Split [",", "a,b"]]`, `{"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]}`},
		{`!FindInMap [Sizes, !Ref Env, Size]`, `{"Fn::FindInMap": [Sizes, {Ref: Env}, Size]}`},
		{`!GetAtt Other.Arn`, `{"Fn::GetAtt": [Other, Arn]}`},
		{`!Base64 x`, `{"Fn::Base64": x}`},
		{`!Ref Cidr`, `{Ref: Cidr}`},
	}
	for _, p := range pairs {
		tmpl := MustTemplate(t, evalHeader+"      Short: "+p[0]+"\n      Long: "+p[1]+"\n")
		e := cfn.NewEvaluator(tmpl, nil)
		props := tmpl.Resource("R").Properties
		short, long := showAll(e.Values(props.Get("Short"))), showAll(e.Values(props.Get("Long")))
		if short != long {
			t.Errorf("%s gives %s\nbut %s gives %s", p[0], short, p[1], long)
		}
	}
}

func TestValueMethods(t *testing.T) {
	tmpl := MustTemplate(t, evalHeader+`      A: "true"
      B: !Ref Cidr
      C: !If [IsProd, "True", false]
      D: !GetAtt Other.Arn
      E: "yes"
`)
	e := cfn.NewEvaluator(tmpl, nil)
	props := tmpl.Resource("R").Properties
	one := func(key string) cfn.Value {
		vs := e.Values(props.Get(key))
		if len(vs) == 0 {
			t.Fatalf("%s: no values", key)
		}
		return vs[0]
	}
	if b, ok := one("A").Bool(); !b || !ok {
		t.Errorf(`"true".Bool() = %v, %v; want true, true`, b, ok)
	}
	if _, ok := one("E").Bool(); ok {
		t.Errorf(`"yes".Bool() ok; want not a boolean`)
	}
	cidr := one("B")
	if s, _ := cidr.String(); s != "0.0.0.0/0" || cidr.Origin != cfn.ParamDefault {
		t.Errorf("Ref Cidr = %q %v; want 0.0.0.0/0 from the default", s, cidr.Origin)
	}
	if d := cidr.Describe(); !strings.Contains(d, "default") || !strings.Contains(d, "Cidr") {
		t.Errorf("Describe() = %q; want it to name the default of Cidr", d)
	}
	if cidr.Site == nil || cidr.Site.Start.Line != props.Get("B").Start.Line {
		t.Errorf("Site of Ref Cidr = %+v; want the Ref in the property", cidr.Site)
	}
	vs := e.Values(props.Get("C"))
	if len(vs) != 2 {
		t.Fatalf("If gives %d values; want 2", len(vs))
	}
	if b, ok := vs[0].Bool(); !b || !ok || vs[0].Describe() != "when IsProd" {
		t.Errorf(`"True" under IsProd: Bool() = %v, %v, Describe() = %q`, b, ok, vs[0].Describe())
	}
	if b, ok := vs[1].Bool(); b || !ok || vs[1].Describe() != "when !IsProd" {
		t.Errorf(`false under !IsProd: Bool() = %v, %v, Describe() = %q`, b, ok, vs[1].Describe())
	}
	d := one("D")
	if d.Known() || d.Text != "Other.Arn" {
		t.Errorf("GetAtt: Known() = %v, Text = %q; want unknown Other.Arn", d.Known(), d.Text)
	}
	if _, ok := d.String(); ok {
		t.Errorf("GetAtt: String() ok; want not known")
	}
	if one("A").Describe() != "" {
		t.Errorf("literal Describe() = %q; want empty", one("A").Describe())
	}
}

func TestCondition(t *testing.T) {
	tmpl := MustTemplate(t, evalHeader+"      P: x\n")
	tests := []struct {
		cond     string
		supplied map[string]string
		value    bool
		decided  bool
	}{
		{"IsProd", nil, false, false},
		{"IsProd", map[string]string{"Env": "prod"}, true, true},
		{"IsProd", map[string]string{"Env": "dev"}, false, true},
		{"Always", nil, true, true},
		{"Never", nil, false, true},
		{"IsUsEast", map[string]string{"AWS::Region": "us-east-1"}, true, true},
		{"ProdAndAlpha", map[string]string{"Env": "dev"}, false, true},
		{"ProdAndAlpha", map[string]string{"Env": "prod", "Stage": "alpha"}, true, true},
		{"ProdOrAlways", nil, true, true},
		{"Missing", nil, false, false},
	}
	for _, tc := range tests {
		e := cfn.NewEvaluator(tmpl, tc.supplied)
		v, d := e.Condition(tc.cond)
		if v != tc.value || d != tc.decided {
			t.Errorf("Condition(%s) with %v = %v, %v; want %v, %v", tc.cond, tc.supplied, v, d, tc.value, tc.decided)
		}
	}
}

func TestConditionCycle(t *testing.T) {
	tmpl := MustTemplate(t, `
Conditions:
  A: !Condition B
  B: !Not [!Condition A]
  C: !And [!Condition A, !Equals [x, y]]
Resources:
  R: {Type: X}
`)
	e := cfn.NewEvaluator(tmpl, nil)
	for _, c := range []string{"A", "B"} {
		if _, d := e.Condition(c); d {
			t.Errorf("Condition(%s) decided; want undecided in a cycle", c)
		}
	}
	if v, d := e.Condition("C"); v || !d {
		t.Errorf("Condition(C) = %v, %v; want false, decided by its false operand", v, d)
	}
}

func TestPath(t *testing.T) {
	tests := []struct {
		name     string
		prop     string
		keys     []string
		supplied map[string]string
		want     string
	}{
		{"plain", "P: {A: {B: x}}", []string{"A", "B"}, nil, `"x"`},
		{"missing key", "P: {A: {C: x}}", []string{"A", "B"}, nil, `absent`},
		{"missing parent", "P: {}", []string{"A", "B"}, nil, `absent`},
		{"if of maps", "P: !If [IsProd, {Encrypted: true}, {Size: 1}]", []string{"Encrypted"}, nil, `"true" if IsProd | absent if !IsProd`},
		{"if of maps decided", "P: !If [IsProd, {Encrypted: true}, {Size: 1}]", []string{"Encrypted"}, map[string]string{"Env": "dev"}, `absent`},
		{"if inside", "P: {A: !If [IsProd, {B: x}, !Ref AWS::NoValue]}", []string{"A", "B"}, nil, `"x" if IsProd | absent if !IsProd`},
		{"through unknown", "P: !GetAtt Other.Config", []string{"A"}, nil, `?Other.Config.A`},
		{"origin carried", "P: {A: !Ref Cidr}", []string{"A"}, nil, `"0.0.0.0/0" <parameter default Cidr>`},
		{"no keys", "P: !Ref Env", nil, nil, `"dev" <parameter default Env>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := MustTemplate(t, evalHeader+"      "+tc.prop+"\n")
			e := cfn.NewEvaluator(tmpl, tc.supplied)
			got := showAll(e.Path(tmpl.Resource("R").Properties.Get("P"), tc.keys...))
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestItems(t *testing.T) {
	tests := []struct {
		name string
		prop string
		want string
	}{
		{"list", "P: [a, b]", `"a" | "b"`},
		{"scalar", "P: a", `"a"`},
		{"absent", "P: !Ref AWS::NoValue", ``},
		{"if of lists", "P: !If [IsProd, [a, b], [c]]", `"a" if IsProd | "b" if IsProd | "c" if !IsProd`},
		{"items with novalue", "P: [a, !If [IsProd, b, !Ref AWS::NoValue]]", `"a" | "b" if IsProd`},
		{"list param", "P: !Ref Subnets", `"subnet-1" <parameter default Subnets> | "subnet-2" <parameter default Subnets>`},
		{"unknown list", "P: !GetAZs ''", `?Fn::GetAZs ${AWS::Region}`},
		{"maps", "P: [{CidrIp: 0.0.0.0/0}, !If [IsProd, {CidrIp: !Ref Cidr}, !Ref AWS::NoValue]]", `{CidrIp} | {CidrIp} if IsProd`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := MustTemplate(t, evalHeader+"      "+tc.prop+"\n")
			e := cfn.NewEvaluator(tmpl, nil)
			got := showAll(e.Items(tmpl.Resource("R").Properties.Get("P")))
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestItemsThenPath walks SecurityGroupIngress[*].CidrIp as a rule does.
func TestItemsThenPath(t *testing.T) {
	tmpl := MustTemplate(t, evalHeader+`      SecurityGroupIngress:
        - CidrIp: 10.0.0.0/8
        - !If
          - IsProd
          - CidrIp: !Ref Cidr
          - !Ref AWS::NoValue
`)
	e := cfn.NewEvaluator(tmpl, nil)
	var got []string
	for _, it := range e.Items(tmpl.Resource("R").Properties.Get("SecurityGroupIngress")) {
		if !it.Known() {
			continue
		}
		for _, v := range e.PathFrom(it, "CidrIp") {
			got = append(got, show(v))
		}
	}
	want := `"10.0.0.0/8" | "0.0.0.0/0" <parameter default Cidr> if IsProd`
	if g := strings.Join(got, " | "); g != want {
		t.Errorf("got  %s\nwant %s", g, want)
	}
}

func TestPathPolicyActions(t *testing.T) {
	tmpl := MustTemplate(t, evalHeader+`      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: "s3:*"
          - Effect: Allow
            Action: ["s3:GetObject", !If [IsProd, "s3:PutObject", !Ref AWS::NoValue]]
`)
	e := cfn.NewEvaluator(tmpl, nil)
	var got []string
	for _, doc := range e.Path(tmpl.Resource("R").Properties.Get("PolicyDocument"), "Statement") {
		for _, st := range e.ItemsFrom(doc) {
			for _, a := range e.PathFrom(st, "Action") {
				for _, act := range e.ItemsFrom(a) {
					got = append(got, show(act))
				}
			}
		}
	}
	want := `"s3:*" | "s3:GetObject" | "s3:PutObject" if IsProd`
	if g := strings.Join(got, " | "); g != want {
		t.Errorf("got  %s\nwant %s", g, want)
	}
}
