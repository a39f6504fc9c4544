package prop_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

const template = `Parameters:
  Cidr:
    Type: String
    Default: 0.0.0.0/0
Conditions:
  C: !Equals [!Ref AWS::Region, x]
Resources:
  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      Rules:
        - CidrIp: !Ref Cidr
        - !If [C, {CidrIp: 10.0.0.0/8}, !Ref AWS::NoValue]
        - Port: 1
      Block:
        Inner: x
`

// describe renders values as "path@line origin conds".
func describe(vals []prop.Val) string {
	var out []string
	for _, v := range vals {
		line := 0
		if v.At != nil {
			line = v.At.Start.Line
		}
		s := fmt.Sprintf("%s@%d", v.Path, line)
		if v.Absent {
			s += " absent"
		} else if str, ok := v.Str(); ok {
			s += " " + str
		}
		if d := v.Describe(); d != "" {
			s += " (" + d + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

func TestWalk(t *testing.T) {
	tmpl, err := cfn.Parse("t.yaml", []byte(template))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEvaluator(tmpl, nil)
	r := tmpl.Resource("G")
	for _, tc := range []struct {
		name string
		got  []prop.Val
		want string
	}{
		{"missing top-level", prop.Get(e, r, "Nope"), "Properties.Nope@0 absent"},
		{"missing below", prop.Get(e, r, "Nope", "Deeper"), "Properties.Nope.Deeper@0 absent"},
		{"block map key", prop.Get(e, r, "Block"), "Properties.Block@15"},
		{"missing in block", prop.Get(e, r, "Block", "Other"), "Properties.Block.Other@15 absent"},
		{"present in block", prop.Get(e, r, "Block", "Inner"), "Properties.Block.Inner@16 x"},
		{
			"list items",
			prop.Field(e, prop.Items(e, prop.Get(e, r, "Rules")), "CidrIp"),
			"Properties.Rules[0].CidrIp@12 0.0.0.0/0 (from the default of parameter Cidr); " +
				"Properties.Rules[1].CidrIp@13 10.0.0.0/8 (when C); " +
				"Properties.Rules[2].CidrIp@14 absent",
		},
	} {
		if got := describe(tc.got); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

func TestBoth(t *testing.T) {
	a := prop.Val{Value: cfn.Value{Conds: []string{"A"}}}
	b := prop.Val{Value: cfn.Value{Conds: []string{"!A"}, Origin: cfn.ParamDefault, Param: "P"}}
	if _, ok := prop.Both(a, b); ok {
		t.Error("contradictory conditions combined")
	}
	b.Conds = []string{"A", "B"}
	v, ok := prop.Both(a, b)
	if !ok || strings.Join(v.Conds, ",") != "A,B" || v.Origin != cfn.ParamDefault || v.Param != "P" {
		t.Errorf("Both = %+v, %v", v, ok)
	}
}
