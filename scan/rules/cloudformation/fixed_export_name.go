package cloudformation

import (
	"fmt"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
)

// FixedExportName reports export names that are the same for every stack
// deployed from the template.
var FixedExportName = &scan.Rule{
	ID:       "CFN-004",
	Title:    "Export name does not derive from AWS::StackName",
	Severity: scan.Warning,
	Doc: `Export names are unique per account and region. An export name that is
the same whichever stack the template deploys as, such as a literal, a
name built only from AWS::Region or AWS::AccountId, or one taken from a
parameter's Default, collides as soon as the template is deployed a second
time: the blue/green copy of a web app, a second environment in the same
account, a developer's own stack. CloudFormation then refuses to create the
second stack. Build the name from ${AWS::StackName}, which is unique per
account and region, and import it with the producer's stack name. A name
taken from a parameter without Default (or from a value supplied in a
parameter file) is chosen by whoever deploys each stack and is not
reported. Each template is checked on its own, once, whatever the stack
map says; CFN-001 compares the names across templates and stacks. There
is no cfn_nag equivalent.

Bad:

~~~yaml
Outputs:
  VpcId:
    Value: !Ref Vpc
    Export:
      Name: !Sub "${AWS::Region}-VpcId"
~~~

Good:

~~~yaml
Outputs:
  VpcId:
    Value: !Ref Vpc
    Export:
      Name: !Sub "${AWS::StackName}-VpcId"
~~~
`,
	Fix:      "Build the export name from ${AWS::StackName}, e.g. !Sub \"${AWS::StackName}-VpcId\".",
	CheckSet: checkFixedExportNames,
}

func checkFixedExportNames(p *scan.SetPass) {
	for _, u := range templates(p.Units) {
		for _, o := range u.Template.Outputs {
			if o.ExportName == nil || !deployed(u, o) {
				continue
			}
			seen := map[string]bool{}
			for _, v := range u.Eval.Values(o.ExportName) {
				name, ok := fixedName(v)
				if !ok || seen[name] {
					continue
				}
				seen[name] = true
				x := export{unit: u, out: o, name: name, v: v}
				msg := fmt.Sprintf("export name %q is the same for every stack of this template: a second deployment (such as a blue/green copy) fails", name)
				if d := v.Describe(); d != "" {
					msg += " (" + d + ")"
				}
				p.Report(u.Template, scan.Diagnostic{
					At:      x.at(),
					Path:    "Outputs." + o.Name + ".Export.Name",
					Message: msg,
				})
			}
		}
	}
}

// fixedName returns an export name value as text when it is the same for
// every stack of the template: a literal or default, or a string built
// only from literals and account-wide pseudo parameters.
func fixedName(v cfn.Value) (string, bool) {
	if s, ok := v.String(); ok {
		switch v.Origin {
		case cfn.Literal, cfn.ParamDefault:
			return s, true
		}
		return "", false
	}
	if v.Absent || v.Origin != cfn.Unknown {
		return "", false
	}
	if name, _, ok := v.Site.Intrinsic(); !ok || (name != "Fn::Sub" && name != "Fn::Join") {
		return "", false
	}
	for _, m := range placeholder.FindAllStringSubmatch(v.Text, -1) {
		if !accountWide[m[1]] {
			return "", false
		}
	}
	return v.Text, true
}
