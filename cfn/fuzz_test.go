package cfn_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/safetynet-dev/safetynet/cfn"
)

// FuzzParse checks that no input makes Parse panic, and that every failure
// and problem it reports is well formed.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub '${AWS::StackName}-b'\n",
		"AWSTemplateFormatVersion: 2010-09-09\nConditions:\n  C: !Equals [!Ref E, yes]\nResources: {}\n",
		"Resources:\n  A: &a {Type: T}\n  B: *a\n",
		"Resources:\n  R:\n    Type: T\n    Properties: {P: !GetAtt A.B.C, Q: !Unknown x, R: !!binary aGk=}\n",
		"Resources:\n  Fn::ForEach::L:\n    - X\n    - [a, b]\n    - R${X}: {Type: T}\n",
		"Resources:\n  A: {Type: T}\n  A: {Type: U}\n",
		"Transform: AWS::Serverless-2016-10-31\nGlobals: {Function: {Timeout: 3}}\nResources:\n  F: {Type: AWS::Serverless::Function}\n",
		"{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"N\": \"\\u00e9\\ud83d\\ude00\",},},},}",
		"\ufeff{\r\n\t\"Resources\": {\"A\": {\"Type\": \"T\", \"V\": [1, -2.5e+3, true, null]}}\r\n}",
		"{\"Resources\": [[[[[[[[]]]]]]]]}",
		"{ # yaml\n Resources: {R: {Type: T}}}",
		"Resources: |\n  text\n",
		"a: [1, 2\n",
		"{\"a\": \"\\ud800\"}",
	} {
		f.Add([]byte(s))
	}
	for _, name := range []string{"short.yaml", "long.yaml", "long.json", "lenient-json.template", "yaml.template"} {
		if data, err := os.ReadFile(filepath.Join("testdata", "load", name)); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tmpl, err := cfn.Parse("f", data)
		if err != nil {
			if tmpl != nil {
				t.Fatalf("template and error both returned: %v", err)
			}
			var e *cfn.Error
			if !errors.Is(err, cfn.ErrNotTemplate) && !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is neither ErrNotTemplate nor *cfn.Error", err, err)
			}
			if e != nil && (e.Line < 0 || e.Msg == "") {
				t.Fatalf("malformed error %#v", e)
			}
			return
		}
		if tmpl.Root == nil || tmpl.Root.Kind != cfn.Map {
			t.Fatalf("loaded template without a root mapping")
		}
		for _, p := range tmpl.Problems {
			if p.Line <= 0 {
				t.Fatalf("problem without a line: %v", p)
			}
		}
	})
}
