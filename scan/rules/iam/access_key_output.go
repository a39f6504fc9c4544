package iam

import (
	"regexp"

	"github.com/safetynet-dev/safetynet/scan"
)

// AccessKeyOutput reports access key secrets exposed as stack outputs.
var AccessKeyOutput = &scan.Rule{
	ID:        "IAM-019",
	Title:     "IAM access key secret is a stack output",
	Severity:  scan.Failure,
	Resources: []string{"AWS::IAM::AccessKey"},
	Doc: `Stack outputs are shown in plain text to anyone who can describe the
stack (the console, DescribeStacks, CI logs), and exported ones to every
stack in the region. An output that contains the SecretAccessKey of an
access key hands out the credential. Store the secret in Secrets Manager
(an AWS::SecretsManager::Secret whose SecretString is built from the key)
and grant read access to that secret instead.

Bad:

~~~yaml
Outputs:
  Secret:
    Value: !GetAtt CiKey.SecretAccessKey
~~~

Good:

~~~yaml
Resources:
  CiKeySecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      SecretString: !Sub '{"id":"${CiKey}","secret":"${CiKey.SecretAccessKey}"}'
~~~
`,
	Fix: "Store the secret in Secrets Manager and remove it from Outputs.",
	Check: func(p *scan.Pass) {
		keys := map[string]bool{}
		for _, r := range p.Resources() {
			keys[r.ID] = true
		}
		if len(keys) == 0 {
			return
		}
		for _, o := range p.Template.Outputs {
		values:
			for _, v := range p.Eval.Values(o.Value) {
				for _, m := range secretAttr.FindAllStringSubmatch(v.Text, -1) {
					if keys[m[1]] {
						at := v.Site
						if at == nil {
							at = o.Value
						}
						p.Reportf(nil, at, "Outputs."+o.Name+".Value", "output %s shows the secret of access key %s%s", o.Name, m[1], suffix(v.Describe()))
						break values
					}
				}
			}
		}
	},
}

// secretAttr finds GetAtt references to a SecretAccessKey in the text of an
// unknown value ("Key.SecretAccessKey", "${Key.SecretAccessKey}").
var secretAttr = regexp.MustCompile(`([A-Za-z0-9]+)\.SecretAccessKey\b`)

func suffix(d string) string {
	if d == "" {
		return ""
	}
	return " (" + d + ")"
}
