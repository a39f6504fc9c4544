package s3

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// MissingBucketPolicy reports buckets that no bucket policy of the template
// applies to.
var MissingBucketPolicy = &scan.Rule{
	ID:        "S3-009",
	Aliases:   []string{"W51"},
	Title:     "S3 bucket has no bucket policy",
	Severity:  scan.Warning,
	Resources: []string{"AWS::S3::Bucket", "AWS::S3::BucketPolicy"},
	Doc: `A bucket policy is where a bucket enforces rules for every caller:
requiring TLS (aws:SecureTransport), requiring encryption headers, limiting
access to a VPC endpoint or to named roles of other accounts. A bucket
without one relies entirely on the identity policies of each caller.

A policy counts when its Bucket is a Ref to the bucket, or evaluates to the
same name as the bucket's BucketName (literal, parameter default or the same
Fn::Sub); cfn_nag compares only the raw Ref or literal.

Bad:

~~~yaml
Data:
  Type: AWS::S3::Bucket
~~~

Good:

~~~yaml
Data:
  Type: AWS::S3::Bucket
DataPolicy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref Data
    PolicyDocument:
      Statement:
        - Effect: Deny
          Principal: "*"
          Action: s3:*
          Resource: [!GetAtt Data.Arn, !Sub "${Data.Arn}/*"]
          Condition:
            Bool:
              aws:SecureTransport: "false"
~~~
`,
	Fix: "Add an AWS::S3::BucketPolicy for the bucket (at least denying requests without TLS).",
	Check: func(p *scan.Pass) {
		res := p.Resources()
		named := map[string]bool{}
		for _, r := range res {
			if r.Type != "AWS::S3::BucketPolicy" {
				continue
			}
			for _, v := range prop.Get(p.Eval, r, "Bucket") {
				if k := bucketKey(v.Value); k != "" {
					named[k] = true
				}
			}
		}
		for _, r := range res {
			if r.Type != "AWS::S3::Bucket" || named["Ref "+r.ID] || named["${"+r.ID+"}"] {
				continue
			}
			covered := false
			for _, v := range prop.Get(p.Eval, r, "BucketName") {
				if k := bucketKey(v.Value); k != "" && named[k] {
					covered = true
				}
			}
			if !covered {
				p.Reportf(r, nil, "", "S3 bucket %s has no bucket policy in this template", r.ID)
			}
		}
	},
}

// bucketKey returns what identifies a bucket name value: the name when
// known, the symbolic text (Ref X, ${AWS::StackName}-data) otherwise.
func bucketKey(v cfn.Value) string {
	if s, ok := v.String(); ok {
		return s
	}
	if v.Origin == cfn.Unknown && !v.Absent {
		return strings.TrimSpace(v.Text)
	}
	return ""
}
