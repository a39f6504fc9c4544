package s3

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PolicyWildcardAction reports bucket policies that allow every action of
// S3 (or of every service).
var PolicyWildcardAction = &scan.Rule{
	ID:        "S3-006",
	Aliases:   []string{"F15"},
	Title:     "S3 bucket policy allows a wildcard action",
	Severity:  scan.Failure,
	Resources: []string{"AWS::S3::BucketPolicy"},
	Doc: `An Allow statement with Action "*" or "s3:*" grants every S3 action
on the bucket: deleting it, rewriting its policy and ACLs, changing its
encryption and lifecycle. Grant the few actions the principal needs
(s3:GetObject, s3:PutObject...). As in cfn_nag, "*" and "service:*" count;
partial wildcards such as "s3:Get*" do not. Deny statements with wildcard
actions are normal guard rails and are not reported.

Bad:

~~~yaml
Policy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref Data
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal:
            AWS: !GetAtt DeployRole.Arn
          Action: s3:*
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
            AWS: !GetAtt DeployRole.Arn
          Action: [s3:GetObject, s3:PutObject]
          Resource: !Sub "${Data.Arn}/*"
~~~
`,
	Fix: "List the S3 actions the principal needs instead of \"*\" or \"s3:*\".",
	Check: allowStatements(func(p *scan.Pass, rep *prop.Reporter, r *cfn.Resource, st policy.Statement) {
		for _, v := range st.Strings("Action") {
			if s, ok := v.Str(); ok && policy.WildcardAction(s) {
				rep.Report(r, v, "bucket policy allows action %q", s)
			}
		}
	}),
}
