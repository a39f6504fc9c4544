package s3

import "github.com/safetynet-dev/safetynet/scan"

// AccessLoggingNotSet reports buckets without server access logging.
var AccessLoggingNotSet = &scan.Rule{
	ID:        "S3-008",
	Aliases:   []string{"W35"},
	Title:     "S3 bucket has no access logging",
	Severity:  scan.Warning,
	Resources: []string{"AWS::S3::Bucket"},
	Doc: `Server access logs record every request made to the bucket: who
read, wrote or deleted which object, from where. Without them (or CloudTrail
data events) an incident on the bucket cannot be investigated. The bucket
that receives the logs does not log itself; suppress this rule there with
that reason.

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
    LoggingConfiguration:
      DestinationBucketName: !Ref AccessLogs
      LogFilePrefix: data/
~~~
`,
	Fix:   "Add LoggingConfiguration with a DestinationBucketName.",
	Check: mustBeSet("S3 bucket has no access logging", "LoggingConfiguration"),
}
