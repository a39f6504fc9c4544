package s3

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// EncryptionNotSet reports buckets without a BucketEncryption property.
var EncryptionNotSet = &scan.Rule{
	ID:        "S3-003",
	Aliases:   []string{"W41"},
	Title:     "S3 bucket does not declare default encryption",
	Severity:  scan.Warning,
	Resources: []string{"AWS::S3::Bucket"},
	Doc: `Without BucketEncryption the template does not say how objects are
encrypted at rest. S3 now applies SSE-S3 to new objects by default, which is
why this is a warning, but only an explicit configuration records the
choice, lets you require a KMS key you control (with its own access policy
and audit trail), and keeps the bucket encrypted if the account default
changes.

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
    BucketEncryption:
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:
            SSEAlgorithm: aws:kms
            KMSMasterKeyID: !Ref DataKey
~~~
`,
	Fix: "Add BucketEncryption with a ServerSideEncryptionConfiguration (aws:kms with your key, or AES256).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "BucketEncryption") {
				if v.Absent {
					rep.Report(r, v, "S3 bucket %s does not set BucketEncryption", r.ID)
				}
			}
		}
	},
}
