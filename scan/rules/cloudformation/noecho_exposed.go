package cloudformation

import (
	"fmt"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
)

// NoEchoExposed reports NoEcho parameters whose value is copied into an
// output or resource metadata, where NoEcho does not mask it.
var NoEchoExposed = &scan.Rule{
	ID:       "CFN-007",
	Title:    "NoEcho parameter is exposed in Outputs or Metadata",
	Severity: scan.Warning,
	Doc: `NoEcho masks a parameter's value in the console and in DescribeStacks'
parameter list, and nowhere else: AWS's documentation warns that it does
not mask anything stored in Outputs or in a resource's Metadata attribute.
An output whose Value refers to a NoEcho parameter prints the secret on the
stack's Outputs tab and in DescribeStacks; metadata that does (typically
AWS::CloudFormation::Init files or commands that write a password into a
configuration file) returns it to anyone who may call
DescribeStackResource, and to every process on the instance. Keep the
secret in Secrets Manager or SSM SecureString, pass its name, and read it
at run time. The rule reports each Ref to a NoEcho parameter, and each
${Parameter} of an Fn::Sub, in an output's Value or a resource's Metadata.
There is no cfn_nag equivalent.

Bad:

~~~yaml
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
Outputs:
  ConnectionString:
    Value: !Sub "postgres://app:${DbPassword}@${Db.Endpoint.Address}/app"
~~~

Good:

~~~yaml
Outputs:
  DbSecretArn:
    Value: !Ref DbSecret
~~~
`,
	Fix:      "Do not copy the secret into Outputs or Metadata; pass the name or ARN of a Secrets Manager secret and read it at run time.",
	CheckSet: checkNoEchoExposed,
}

func checkNoEchoExposed(p *scan.SetPass) {
	for _, u := range templates(p.Units) {
		noEcho := map[string]bool{}
		for _, par := range u.Template.Parameters {
			if par.NoEcho {
				noEcho[par.Name] = true
			}
		}
		if len(noEcho) == 0 {
			continue
		}
		for _, o := range u.Template.Outputs {
			if !deployed(u, o) {
				continue
			}
			walkParamRefs(o.Value, "Outputs."+o.Name+".Value", noEcho, nil, func(at *cfn.Node, path, param string) {
				p.Report(u.Template, scan.Diagnostic{
					At:      at,
					Path:    path,
					Message: fmt.Sprintf("output %s shows NoEcho parameter %s in plain text in the console and DescribeStacks", o.Name, param),
				})
			})
		}
		for _, r := range u.Template.Resources {
			if r.Condition != "" {
				if v, decided := u.Eval.Condition(r.Condition); decided && !v {
					continue
				}
			}
			walkParamRefs(r.Metadata, "Metadata", noEcho, nil, func(at *cfn.Node, path, param string) {
				p.Report(u.Template, scan.Diagnostic{
					Resource: r,
					At:       at,
					Path:     path,
					Message:  fmt.Sprintf("resource metadata holds NoEcho parameter %s, which DescribeStackResource returns in plain text", param),
				})
			})
		}
	}
}

// walkParamRefs calls fn for each reference under n to a parameter in
// params: a Ref, or a ${Name} in an Fn::Sub string that the Sub's own
// variables do not shadow.
func walkParamRefs(n *cfn.Node, path string, params, shadow map[string]bool, fn func(at *cfn.Node, path, param string)) {
	if n == nil {
		return
	}
	if name, arg, ok := n.Intrinsic(); ok {
		switch name {
		case "Ref":
			if s, isText := arg.Text(); isText && params[s] && !shadow[s] {
				fn(n, path, s)
			}
			return
		case "Fn::Sub":
			str, vars := arg, (*cfn.Node)(nil)
			if arg != nil && arg.Kind == cfn.Seq && len(arg.Items) > 0 {
				str = arg.Items[0]
				if len(arg.Items) > 1 {
					vars = arg.Items[1]
				}
			}
			inner := map[string]bool{}
			for k := range shadow {
				inner[k] = true
			}
			if vars != nil && vars.Kind == cfn.Map {
				for _, pair := range vars.Pairs {
					inner[pair.Key] = true
					walkParamRefs(pair.Value, path+".Fn::Sub[1]."+pair.Key, params, shadow, fn)
				}
			}
			if s, isText := str.Text(); isText {
				for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
					ref := m[1]
					if strings.HasPrefix(ref, "!") || inner[ref] || !params[ref] {
						continue
					}
					fn(n, path, ref)
				}
			}
			return
		}
	}
	switch n.Kind {
	case cfn.Map:
		for _, pair := range n.Pairs {
			walkParamRefs(pair.Value, path+"."+pair.Key, params, shadow, fn)
		}
	case cfn.Seq:
		for i, item := range n.Items {
			walkParamRefs(item, fmt.Sprintf("%s[%d]", path, i), params, shadow, fn)
		}
	}
}
