package cloudformation_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/cloudformation"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestDuplicateExport(t *testing.T) {
	scantest.Run(t, "testdata/CFN-001", cloudformation.DuplicateExport)
}

func TestAuthenticationCredentials(t *testing.T) {
	scantest.Run(t, "testdata/CFN-002", cloudformation.AuthenticationCredentials)
}

func TestExplicitName(t *testing.T) {
	scantest.Run(t, "testdata/CFN-003", cloudformation.ExplicitName)
}

func TestFixedExportName(t *testing.T) {
	scantest.Run(t, "testdata/CFN-004", cloudformation.FixedExportName)
}

func TestUnknownImport(t *testing.T) {
	scantest.Run(t, "testdata/CFN-005", cloudformation.UnknownImport)
}

func TestSecretParameter(t *testing.T) {
	scantest.Run(t, "testdata/CFN-006", cloudformation.SecretParameter)
}

func TestNoEchoExposed(t *testing.T) {
	scantest.Run(t, "testdata/CFN-007", cloudformation.NoEchoExposed)
}

// TestDuplicateExportTwoStacks deploys one template as two stacks, which
// the fixture harness cannot express (its stack map gives one stack per
// file): a fixed export name collides with itself, a name built from
// AWS::StackName does not, and each problem is reported once.
func TestDuplicateExportTwoStacks(t *testing.T) {
	const src = `Resources:
  Web:
    Type: AWS::S3::Bucket
Outputs:
  Url:
    Value: !GetAtt Web.WebsiteURL
    Export:
      Name: web-url
  Bucket:
    Value: !Ref Web
    Export:
      Name: !Sub "${AWS::StackName}-bucket"
`
	tmpl, err := cfn.Parse("web.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	eval := cfn.NewEvaluator(tmpl, nil)
	units := []*scan.Unit{
		{Template: tmpl, Eval: eval, Stack: "web-blue"},
		{Template: tmpl, Eval: eval, Stack: "web-green"},
	}
	for _, tc := range []struct {
		rule *scan.Rule
		want []string
	}{
		{cloudformation.DuplicateExport, []string{`8: export name "web-url" is also exported by web.yaml:8 (stack web-green)`}},
		{cloudformation.FixedExportName, []string{`8: export name "web-url" is the same for every stack of this template: a second deployment (such as a blue/green copy) fails`}},
	} {
		var got []string
		pass := scan.NewSetPass(tc.rule, units, func(_ *cfn.Template, d scan.Diagnostic) {
			got = append(got, fmt.Sprintf("%d: %s", scantest.Line(d), d.Message))
		})
		tc.rule.CheckSet(pass)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.rule.ID, got, tc.want)
		}
	}
}
