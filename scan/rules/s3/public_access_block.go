package s3

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// publicAccessFlags are the four settings of S3 Block Public Access.
var publicAccessFlags = []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"}

// PublicAccessBlockOff reports buckets that switch off a Block Public
// Access setting.
var PublicAccessBlockOff = &scan.Rule{
	ID:        "S3-012",
	Title:     "S3 bucket turns off a Block Public Access setting",
	Severity:  scan.Warning,
	Resources: []string{"AWS::S3::Bucket"},
	Doc: `S3 Block Public Access is the guard rail that keeps a bucket private
whatever ACL or bucket policy is later attached to it; AWS recommends all
four settings on for every bucket that is not deliberately public (Security
Hub controls S3.1 and S3.8). When PublicAccessBlockConfiguration is written,
a setting left out is false, so each of BlockPublicAcls, BlockPublicPolicy,
IgnorePublicAcls and RestrictPublicBuckets must be written true. A bucket
that serves a public website deserves a suppression with that reason; a
CloudFront distribution with origin access control needs none of them off.

Bad:

~~~yaml
Data:
  Type: AWS::S3::Bucket
  Properties:
    PublicAccessBlockConfiguration:
      BlockPublicAcls: true
      BlockPublicPolicy: false
~~~

Good:

~~~yaml
Data:
  Type: AWS::S3::Bucket
  Properties:
    PublicAccessBlockConfiguration:
      BlockPublicAcls: true
      BlockPublicPolicy: true
      IgnorePublicAcls: true
      RestrictPublicBuckets: true
~~~
`,
	Fix: "Set all four PublicAccessBlockConfiguration settings to true.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, cfg := range prop.Get(p.Eval, r, "PublicAccessBlockConfiguration") {
				if cfg.Absent {
					continue
				}
				for _, flag := range publicAccessFlags {
					for _, v := range prop.Field(p.Eval, []prop.Val{cfg}, flag) {
						if v.NotTrue() {
							rep.Report(r, v, "S3 bucket allows public access: %s", v.State(flag))
						}
					}
				}
			}
		}
	},
}

// PublicAccessBlockNotSet reports buckets that do not declare Block Public
// Access.
var PublicAccessBlockNotSet = &scan.Rule{
	ID:        "S3-013",
	Title:     "S3 bucket does not declare Block Public Access",
	Severity:  scan.Info,
	Resources: []string{"AWS::S3::Bucket"},
	Doc: `Since April 2023 S3 turns Block Public Access on for new buckets, so a
bucket without PublicAccessBlockConfiguration starts private. Declaring the
four settings still matters: it documents the intent, keeps the bucket
private in partitions and accounts where the default differs, and makes
drift detection report anyone who turns them off in the console. This is
information, not a warning.

Bad:

~~~yaml
Data:
  Type: AWS::S3::Bucket
~~~

Good:

~~~yaml
Data:
  Type: AWS::S3::Bucket
  Properties:
    PublicAccessBlockConfiguration:
      BlockPublicAcls: true
      BlockPublicPolicy: true
      IgnorePublicAcls: true
      RestrictPublicBuckets: true
~~~
`,
	Fix:   "Add PublicAccessBlockConfiguration with all four settings true.",
	Check: mustBeSet("S3 bucket does not declare Block Public Access", "PublicAccessBlockConfiguration"),
}
