package s3

import "github.com/safetynet-dev/safetynet/scan"

// PublicReadACL reports buckets whose canned ACL lets anyone read them.
var PublicReadACL = &scan.Rule{
	ID:        "S3-001",
	Aliases:   []string{"W31"},
	Title:     "S3 bucket ACL allows public read",
	Severity:  scan.Warning,
	Resources: []string{"AWS::S3::Bucket"},
	Doc: `The PublicRead canned ACL lets anyone on the internet list and
download the bucket's objects. Static website buckets once needed it; today
a CloudFront distribution with origin access control serves them without
making the bucket public. It is a warning because a deliberately public
bucket is sometimes right, and then deserves a suppression with a reason.

Bad:

~~~yaml
Site:
  Type: AWS::S3::Bucket
  Properties:
    AccessControl: PublicRead
~~~

Good:

~~~yaml
Site:
  Type: AWS::S3::Bucket
  Properties:
    PublicAccessBlockConfiguration:
      BlockPublicAcls: true
      BlockPublicPolicy: true
      IgnorePublicAcls: true
      RestrictPublicBuckets: true
~~~
`,
	Fix:   "Remove AccessControl: PublicRead; serve public content through CloudFront with origin access control.",
	Check: cannedACL("PublicRead", "S3 bucket is readable by anyone"),
}
