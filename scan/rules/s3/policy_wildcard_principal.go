package s3

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PolicyWildcardPrincipal reports bucket policies that allow anyone.
var PolicyWildcardPrincipal = &scan.Rule{
	ID:        "S3-004",
	Aliases:   []string{"F16"},
	Title:     "S3 bucket policy allows a wildcard principal",
	Severity:  scan.Failure,
	Resources: []string{"AWS::S3::BucketPolicy"},
	Doc: `An Allow statement whose Principal is "*" (or an ARN containing a
wildcard) grants its actions to every AWS account and, for most S3 actions,
to anonymous callers on the internet. Conditions can narrow such a grant,
but they are easy to get wrong; name the accounts, roles or services that
need access instead. Deny statements with a wildcard principal are the
normal way to enforce rules for everyone and are not reported.

Bad:

~~~yaml
Policy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref Data
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal: "*"
          Action: s3:GetObject
          Resource: !Sub "${Data.Arn}/*"
~~~

Good:

~~~yaml
Policy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref Data
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal:
            AWS: !GetAtt ReaderRole.Arn
          Action: s3:GetObject
          Resource: !Sub "${Data.Arn}/*"
~~~
`,
	Fix: "Name the principals that need access instead of \"*\".",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range policy.Statements(p.Eval, prop.Get(p.Eval, r, "PolicyDocument")) {
				if !st.Allows() {
					continue
				}
				for _, v := range st.Principals("Principal") {
					if s, ok := v.Str(); ok && policy.WildcardPrincipal(s) {
						rep.Report(r, v, "bucket policy allows principal %q", s)
					}
				}
			}
		}
	},
}
