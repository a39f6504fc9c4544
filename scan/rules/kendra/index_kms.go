// Package kendra holds the rules for Amazon Kendra indexes.
package kendra

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// IndexNoKMSKey reports indexes not encrypted with a customer managed key.
var IndexNoKMSKey = &scan.Rule{
	ID:        "KENDRA-001",
	Aliases:   []string{"W80"},
	Title:     "Kendra index is not encrypted with a customer managed key",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Kendra::Index"},
	Doc: `A Kendra index holds the text of every document it was fed,
typically internal wikis, tickets and contracts. Without
ServerSideEncryptionConfiguration.KmsKeyId it is encrypted with a key
owned by AWS, which you cannot audit, restrict or revoke. The key can only
be chosen when the index is created.

Bad:

~~~yaml
Index:
  Type: AWS::Kendra::Index
  Properties:
    Name: docs
    Edition: ENTERPRISE_EDITION
    RoleArn: !GetAtt IndexRole.Arn
~~~

Good:

~~~yaml
Index:
  Type: AWS::Kendra::Index
  Properties:
    Name: docs
    Edition: ENTERPRISE_EDITION
    RoleArn: !GetAtt IndexRole.Arn
    ServerSideEncryptionConfiguration:
      KmsKeyId: !Ref IndexKey
~~~
`,
	Fix: "Set ServerSideEncryptionConfiguration.KmsKeyId to a customer managed KMS key.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "ServerSideEncryptionConfiguration") {
				if v.Absent {
					rep.Report(r, v, "Kendra index %s does not set ServerSideEncryptionConfiguration", r.ID)
					continue
				}
				for _, k := range prop.Field(p.Eval, []prop.Val{v}, "KmsKeyId") {
					if k.Absent {
						rep.Report(r, k, "Kendra index %s does not set ServerSideEncryptionConfiguration.KmsKeyId", r.ID)
					}
				}
			}
		}
	},
}
