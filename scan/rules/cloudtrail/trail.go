package cloudtrail

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// trail is the resource type the rules here inspect.
var trail = []string{"AWS::CloudTrail::Trail"}

// mustBeSet returns a check reporting trails whose property may be absent.
func mustBeSet(what, name string) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, name) {
				if v.Absent {
					rep.Report(r, v, "%s: %s", what, v.State(name))
				}
			}
		}
	}
}

// NotLogging reports trails created with logging stopped.
var NotLogging = &scan.Rule{
	ID:        "CLOUDTRAIL-001",
	Title:     "CloudTrail trail is not logging",
	Severity:  scan.Warning,
	Resources: trail,
	Doc: `A trail with IsLogging false exists but records nothing: API calls,
console sign-ins and changes to your account go unrecorded while the trail
suggests otherwise. AWS recommends at least one logging multi-region trail
in every account (Security Hub control CloudTrail.1).

Bad:

~~~yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    S3BucketName: !Ref TrailBucket
    IsLogging: false
~~~

Good:

~~~yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    S3BucketName: !Ref TrailBucket
    IsLogging: true
~~~
`,
	Fix:   "Set IsLogging: true.",
	Check: check.MustBeTrue("CloudTrail trail is not logging", "IsLogging"),
}

// NoLogFileValidation reports trails whose log files cannot be checked for
// tampering.
var NoLogFileValidation = &scan.Rule{
	ID:        "CLOUDTRAIL-002",
	Title:     "CloudTrail trail does not validate log files",
	Severity:  scan.Warning,
	Resources: trail,
	Doc: `Log file validation makes CloudTrail deliver signed digest files, so
you can prove that no log file was changed or deleted after delivery, which
is what an intruder covering their tracks would do. AWS recommends it on
every trail (Security Hub control CloudTrail.4).

Bad:

~~~yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    S3BucketName: !Ref TrailBucket
    IsLogging: true
~~~

Good:

~~~yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    S3BucketName: !Ref TrailBucket
    IsLogging: true
    EnableLogFileValidation: true
~~~
`,
	Fix:   "Set EnableLogFileValidation: true.",
	Check: check.MustBeTrue("CloudTrail trail does not validate log files", "EnableLogFileValidation"),
}

// NotEncrypted reports trails whose logs are not encrypted with a KMS key.
var NotEncrypted = &scan.Rule{
	ID:        "CLOUDTRAIL-003",
	Title:     "CloudTrail trail is not encrypted with a KMS key",
	Severity:  scan.Warning,
	Resources: trail,
	Doc: `Without KMSKeyId, trail logs are encrypted only with S3 managed keys:
anyone who can read the bucket can read every API call of the account. With
a KMS key, reading them also needs kms:Decrypt on that key, which you grant
to the few who audit. AWS recommends it (Security Hub control
CloudTrail.2).

Bad:

~~~yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    S3BucketName: !Ref TrailBucket
    IsLogging: true
~~~

Good:

~~~yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    S3BucketName: !Ref TrailBucket
    IsLogging: true
    KMSKeyId: !Ref TrailKey
~~~
`,
	Fix:   "Set KMSKeyId to a KMS key whose policy lets cloudtrail.amazonaws.com encrypt with it.",
	Check: mustBeSet("CloudTrail trail is not encrypted with a KMS key", "KMSKeyId"),
}

// SingleRegion reports trails that record one region only.
var SingleRegion = &scan.Rule{
	ID:        "CLOUDTRAIL-004",
	Title:     "CloudTrail trail is not multi-region",
	Severity:  scan.Warning,
	Resources: trail,
	Doc: `A single-region trail misses activity in every other region, which
is exactly where an intruder starts instances or creates resources unseen.
AWS recommends a multi-region trail (Security Hub control CloudTrail.1). A
second, single-region trail with data events on top of a multi-region one
is fine; suppress with that reason.

Bad:

~~~yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    S3BucketName: !Ref TrailBucket
    IsLogging: true
~~~

Good:

~~~yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    S3BucketName: !Ref TrailBucket
    IsLogging: true
    IsMultiRegionTrail: true
    IncludeGlobalServiceEvents: true
~~~
`,
	Fix:   "Set IsMultiRegionTrail: true (with IncludeGlobalServiceEvents: true).",
	Check: check.MustBeTrue("CloudTrail trail records one region only", "IsMultiRegionTrail"),
}

// NoCloudWatchLogs reports trails not delivered to CloudWatch Logs.
var NoCloudWatchLogs = &scan.Rule{
	ID:        "CLOUDTRAIL-005",
	Title:     "CloudTrail trail is not delivered to CloudWatch Logs",
	Severity:  scan.Info,
	Resources: trail,
	Doc: `Delivered to CloudWatch Logs, trail events can drive metric filters
and alarms (root sign-in, IAM policy changes, security group changes) within
minutes; in S3 alone they are only read after the fact. AWS recommends it
(Security Hub control CloudTrail.5); EventBridge rules on CloudTrail events
are an alternative, in which case suppress with that reason.

Bad:

~~~yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    S3BucketName: !Ref TrailBucket
    IsLogging: true
~~~

Good:

~~~yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    S3BucketName: !Ref TrailBucket
    IsLogging: true
    CloudWatchLogsLogGroupArn: !GetAtt TrailLogs.Arn
    CloudWatchLogsRoleArn: !GetAtt TrailLogsRole.Arn
~~~
`,
	Fix:   "Set CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn.",
	Check: mustBeSet("CloudTrail trail is not delivered to CloudWatch Logs", "CloudWatchLogsLogGroupArn"),
}
