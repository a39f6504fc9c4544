package s3

import "github.com/safetynet-dev/safetynet/scan"

// PublicReadWriteACL reports buckets whose canned ACL lets anyone write to
// them.
var PublicReadWriteACL = &scan.Rule{
	ID:        "S3-002",
	Aliases:   []string{"F14"},
	Title:     "S3 bucket ACL allows public read and write",
	Severity:  scan.Failure,
	Resources: []string{"AWS::S3::Bucket"},
	Doc: `The PublicReadWrite canned ACL lets anyone on the internet upload,
overwrite and delete objects in the bucket. Attackers use such buckets to
host malware, to replace content served to your users, and to run up your
storage bill. There is no legitimate reason for it.

Bad:

~~~yaml
Uploads:
  Type: AWS::S3::Bucket
  Properties:
    AccessControl: PublicReadWrite
~~~

Good:

~~~yaml
Uploads:
  Type: AWS::S3::Bucket
  Properties:
    AccessControl: Private
~~~
`,
	Fix:   "Remove AccessControl: PublicReadWrite; let clients upload with presigned URLs instead.",
	Check: cannedACL("PublicReadWrite", "S3 bucket is writable by anyone"),
}
