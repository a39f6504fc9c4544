package s3

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PolicyAllowNotAction reports bucket policies that allow every action but
// the ones listed.
var PolicyAllowNotAction = &scan.Rule{
	ID:        "S3-007",
	Aliases:   []string{"W20"},
	Title:     "S3 bucket policy allows with NotAction",
	Severity:  scan.Warning,
	Resources: []string{"AWS::S3::BucketPolicy"},
	Doc: `Allow with NotAction grants every action except the ones listed,
including actions AWS adds later, such as the right to rewrite the bucket
policy itself. List the allowed actions instead. (Deny with NotAction is a
legitimate guard rail and is not reported.)

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
            AWS: !GetAtt AppRole.Arn
          NotAction: s3:DeleteBucket
          Resource: [!GetAtt Data.Arn, !Sub "${Data.Arn}/*"]
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
            AWS: !GetAtt AppRole.Arn
          Action: [s3:GetObject, s3:PutObject]
          Resource: !Sub "${Data.Arn}/*"
~~~
`,
	Fix: "Replace NotAction with an explicit Action list.",
	Check: allowStatements(func(p *scan.Pass, rep *prop.Reporter, r *cfn.Resource, st policy.Statement) {
		for _, v := range st.Present("NotAction") {
			rep.Report(r, v, "bucket policy allows every action except the ones in NotAction")
		}
	}),
}
