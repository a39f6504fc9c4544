package s3

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PolicyAllowNotPrincipal reports bucket policies that allow everyone but
// the principals listed.
var PolicyAllowNotPrincipal = &scan.Rule{
	ID:        "S3-005",
	Aliases:   []string{"F9"},
	Title:     "S3 bucket policy allows with NotPrincipal",
	Severity:  scan.Failure,
	Resources: []string{"AWS::S3::BucketPolicy"},
	Doc: `An Allow statement with NotPrincipal grants its actions to every
principal except the ones listed: every other AWS account and, for most S3
actions, anonymous callers. AWS's documentation advises against Allow with
NotPrincipal altogether. Name the principals that need access in Principal
instead. (Deny with NotPrincipal is a legitimate guard rail and is not
reported.)

Bad:

~~~yaml
Policy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref Data
    PolicyDocument:
      Statement:
        - Effect: Allow
          NotPrincipal:
            AWS: arn:aws:iam::111122223333:role/Intruder
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
	Fix: "Replace Allow + NotPrincipal with an Allow naming the principals in Principal.",
	Check: allowStatements(func(p *scan.Pass, rep *prop.Reporter, r *cfn.Resource, st policy.Statement) {
		for _, v := range st.Present("NotPrincipal") {
			rep.Report(r, v, "bucket policy allows every principal except the ones in NotPrincipal")
		}
	}),
}
