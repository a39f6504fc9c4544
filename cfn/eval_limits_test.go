package cfn_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/cfn"
)

// MustTemplateFile parses a fixture under testdata/eval.
func MustTemplateFile(tb testing.TB, name string) *cfn.Template {
	tb.Helper()
	path := filepath.Join("testdata", "eval", name)
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	t, err := cfn.Parse(path, data)
	if err != nil {
		tb.Fatalf("parse %s: %v", path, err)
	}
	return t
}

func TestVolumeBehindCondition(t *testing.T) {
	tmpl := MustTemplateFile(t, "volume_if.yaml")
	tests := []struct {
		supplied         map[string]string
		encrypted, cidrs string
	}{
		{nil,
			`"true" if IsProd | "false" if !IsProd`,
			`"0.0.0.0/0" <parameter default IngressCidr> | "10.0.0.0/8" if !IsProd`},
		{map[string]string{"Env": "prod", "IngressCidr": "10.1.0.0/16"},
			`"true"`,
			`"10.1.0.0/16" <supplied parameter IngressCidr>`},
		{map[string]string{"Env": "dev"},
			`"false"`,
			`"0.0.0.0/0" <parameter default IngressCidr> | "10.0.0.0/8"`},
	}
	for _, tc := range tests {
		e := cfn.NewEvaluator(tmpl, tc.supplied)
		if got := showAll(e.Values(tmpl.Resource("Volume").Properties.Get("Encrypted"))); got != tc.encrypted {
			t.Errorf("with %v Encrypted = %s; want %s", tc.supplied, got, tc.encrypted)
		}
		var cidrs []cfn.Value
		for _, it := range e.Items(tmpl.Resource("Group").Properties.Get("SecurityGroupIngress")) {
			cidrs = append(cidrs, e.PathFrom(it, "CidrIp")...)
		}
		if got := showAll(cidrs); got != tc.cidrs {
			t.Errorf("with %v CidrIp = %s; want %s", tc.supplied, got, tc.cidrs)
		}
	}
}

// TestPathological checks that templates built to explode the number of
// values finish quickly with at most MaxValues values per node, and that
// the cut is recorded.
func TestPathological(t *testing.T) {
	const depth = 30
	var conds strings.Builder
	for i := range depth {
		fmt.Fprintf(&conds, "  C%d: !Equals [!Ref AWS::Region, r%d]\n", i, i)
	}
	// Each chained condition names the previous one twice: exponential
	// without memoising conditions.
	conds.WriteString("  D0: !Equals [!Ref AWS::Region, x]\n")
	for i := 1; i < depth; i++ {
		fmt.Fprintf(&conds, "  D%d: !Or [!Condition D%d, !Not [!Condition D%d]]\n", i, i-1, i-1)
	}
	nest := func(leaf string, level func(i int, inner string) string) string {
		s := leaf
		for i := range depth {
			s = level(i, s)
		}
		return s
	}
	var subVars []string
	for i := range depth {
		subVars = append(subVars, fmt.Sprintf(`"V%d": {"Fn::If": ["C%d", "a", "b"]}`, i, i))
	}
	var subText strings.Builder
	for i := range depth {
		fmt.Fprintf(&subText, "${V%d}", i)
	}
	props := map[string]string{
		// Ifs nested in their true branch: one value per level.
		"Chain": nest(`"leaf"`, func(i int, in string) string {
			return fmt.Sprintf(`{"Fn::If": ["C%d", %s, "v%d"]}`, i, in, i)
		}),
		// Each level joins a two-valued If to the level below: 2^30 strings.
		"Join": nest(`"leaf"`, func(i int, in string) string {
			return fmt.Sprintf(`{"Fn::Join": ["", [{"Fn::If": ["C%d", "a", "b"]}, %s]]}`, i, in)
		}),
		// Every branch an If with distinct conditions on a list of Ifs.
		"Select": nest(`"leaf"`, func(i int, in string) string {
			return fmt.Sprintf(`{"Fn::Select": [{"Fn::If": ["C%d", 0, 1]}, [%s, {"Fn::If": ["C%d", "x", "y"]}]]}`, i, in, i)
		}),
		"Sub":   `{"Fn::Sub": ["` + subText.String() + `", {` + strings.Join(subVars, ", ") + `}]}`,
		"Deep":  nest(nest(`"leaf"`, func(_ int, in string) string { return `{"Fn::Base64": ` + in + `}` }), func(_ int, in string) string { return `{"Fn::Base64": ` + in + `}` }),
		"Conds": `{"Fn::If": ["D29", "t", "f"]}`,
	}
	var src strings.Builder
	src.WriteString("Conditions:\n" + conds.String() + "Resources:\n  R:\n    Type: X\n    Properties:\n")
	for k, v := range props {
		fmt.Fprintf(&src, "      %s: %s\n", k, v)
	}
	start := time.Now()
	tmpl := MustTemplate(t, src.String())
	e := cfn.NewEvaluator(tmpl, nil)
	for name := range props {
		n := tmpl.Resource("R").Properties.Get(name)
		vs := e.Values(n)
		if len(vs) == 0 || len(vs) > cfn.MaxValues {
			t.Errorf("%s: %d values; want 1 to %d", name, len(vs), cfn.MaxValues)
		}
		walkValues(e, vs, 0)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("took %v; want well under a second", elapsed)
	}
	cut := map[int]bool{}
	for _, n := range e.Truncated() {
		cut[n.Start.Line] = true
	}
	if len(cut) == 0 {
		t.Errorf("Truncated() is empty; want the exploding nodes")
	}
	// The false branch of the outermost If must survive the cap.
	var sawOuterFalse bool
	for _, v := range e.Values(tmpl.Resource("R").Properties.Get("Chain")) {
		if s, _ := v.String(); s == fmt.Sprintf("v%d", depth-1) {
			sawOuterFalse = true
		}
	}
	if !sawOuterFalse {
		t.Errorf("Chain lost the false branch of its outermost If")
	}
	if v, d := e.Condition("D29"); d {
		t.Errorf("Condition(D29) = %v, decided; want undecided", v)
	}
}

// walkValues evaluates everything below vs as a rule walking every
// property would, and returns how many values it met.
func walkValues(e *cfn.Evaluator, vs []cfn.Value, depth int) int {
	count := len(vs)
	if depth > 100 {
		return count
	}
	for _, v := range vs {
		if !v.Known() {
			continue
		}
		switch v.Node.Kind {
		case cfn.Map:
			for _, p := range v.Node.Pairs {
				count += walkValues(e, e.PathFrom(v, p.Key), depth+1)
			}
		case cfn.Seq:
			count += walkValues(e, e.ItemsFrom(v), depth+1)
		}
	}
	return count
}

// walkTemplate evaluates every property of every resource and output.
func walkTemplate(e *cfn.Evaluator, t *cfn.Template) int {
	count := 0
	for _, r := range t.Resources {
		count += walkValues(e, e.Values(r.Properties), 0)
	}
	for _, o := range t.Outputs {
		count += walkValues(e, e.Values(o.Value), 0)
	}
	return count
}

// TestEvalConcurrent shares one evaluator between goroutines, as the engine
// does across rules; run with -race.
func TestEvalConcurrent(t *testing.T) {
	tmpl, err := cfn.Parse("large.json", largeEvalTemplate(200))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEvaluator(tmpl, map[string]string{"Env": "prod"})
	want := walkTemplate(e, tmpl)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if got := walkTemplate(e, tmpl); got != want {
				t.Errorf("concurrent walk met %d values; want %d", got, want)
			}
		})
	}
	wg.Wait()
}

// TestEvalCorpus evaluates every property of the shared corpus of real
// templates: nothing may panic and no node may exceed MaxValues.
func TestEvalCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "cfn")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("template corpus not found at %s: %v", dir, err)
	}
	var files, values int
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		tmpl, err := cfn.Parse(path, data)
		if err != nil {
			return nil // the loader's tests own load failures
		}
		files++
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic: %v", path, r)
				}
			}()
			e := cfn.NewEvaluator(tmpl, nil)
			values += walkTemplate(e, tmpl)
			for _, r := range tmpl.Resources {
				if r.Condition != "" {
					e.Condition(r.Condition)
				}
			}
		}()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("evaluated %d templates, %d values", files, values)
}

// largeEvalTemplate generates a JSON template with n resources using every
// common intrinsic function.
func largeEvalTemplate(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"AWSTemplateFormatVersion": "2010-09-09",
"Parameters": {
  "Env": {"Type": "String", "Default": "dev", "AllowedValues": ["dev", "prod"]},
  "Cidr": {"Type": "String", "Default": "0.0.0.0/0"},
  "Subnets": {"Type": "CommaDelimitedList", "Default": "a,b,c"}
},
"Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
"Mappings": {"Sizes": {"dev": {"Size": "10"}, "prod": {"Size": "100"}}},
"Resources": {`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `
  "Res%d": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
    "GroupName": {"Fn::Sub": "${AWS::StackName}-${Env}-sg%d"},
    "GroupDescription": {"Fn::Join": [" ", ["group", {"Ref": "Env"}, "%d"]]},
    "VpcId": {"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-VpcId"}},
    "Size": {"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Size"]},
    "Encrypted": {"Fn::If": ["IsProd", true, false]},
    "Subnet": {"Fn::Select": [0, {"Ref": "Subnets"}]},
    "Role": {"Fn::GetAtt": ["Res%d", "Arn"]},
    "UserData": {"Fn::Base64": {"Fn::Sub": "#!/bin/bash\necho ${Env} > /tmp/env\n"}},
    "SecurityGroupIngress": [
      {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": {"Ref": "Cidr"}},
      {"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/8"}]}
    ],
    "Tags": [{"Key": "Name", "Value": {"Fn::Sub": "sg-%d"}}, {"Key": "Env", "Value": {"Ref": "Env"}}]
  }}`, i, i, i, max(i-1, 0), i)
	}
	b.WriteString("\n}}\n")
	return []byte(b.String())
}

// BenchmarkEvalLarge evaluates every property of a generated 5,000-resource
// template, walking into every list and mapping (eval) or only the top-level
// properties (toplevel). The load sub-benchmark parses the same template,
// for scale.
func BenchmarkEvalLarge(b *testing.B) {
	data := largeEvalTemplate(5000)
	b.Run("load", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := cfn.Parse("large.json", data); err != nil {
				b.Fatal(err)
			}
		}
	})
	tmpl, err := cfn.Parse("large.json", data)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("eval", func(b *testing.B) {
		b.ReportAllocs()
		var values int
		for b.Loop() {
			values = walkTemplate(cfn.NewEvaluator(tmpl, nil), tmpl)
		}
		b.ReportMetric(float64(values), "values/op")
	})
	// What a rule typically does: the values of each top-level property.
	b.Run("toplevel", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e := cfn.NewEvaluator(tmpl, nil)
			for _, r := range tmpl.Resources {
				for _, p := range r.Properties.Pairs {
					e.Values(p.Value)
				}
			}
		}
	})
}
