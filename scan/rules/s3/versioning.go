package s3

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// VersioningOff reports buckets without versioning.
var VersioningOff = &scan.Rule{
	ID:        "S3-014",
	Title:     "S3 bucket versioning is not enabled",
	Severity:  scan.Info,
	Resources: []string{"AWS::S3::Bucket"},
	Doc: `Without versioning, an object overwritten or deleted by mistake, by a
faulty deploy or by ransomware is gone. AWS recommends versioning for
buckets holding data you cannot regenerate (Security Hub control S3.14);
with a lifecycle rule expiring noncurrent versions it costs little. Buckets
of disposable data (build caches, access logs) can suppress this with that
reason.

Bad:

~~~yaml
Data:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration:
      Status: Suspended
~~~

Good:

~~~yaml
Data:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration:
      Status: Enabled
~~~
`,
	Fix: "Set VersioningConfiguration: {Status: Enabled} (with a lifecycle rule for noncurrent versions).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, cfg := range prop.Get(p.Eval, r, "VersioningConfiguration") {
				if cfg.Absent {
					rep.Report(r, cfg, "S3 bucket versioning is not enabled: VersioningConfiguration is not set")
					continue
				}
				for _, v := range prop.Field(p.Eval, []prop.Val{cfg}, "Status") {
					if s, ok := v.Str(); v.Absent || (ok && s != "Enabled") {
						rep.Report(r, v, "S3 bucket versioning is not enabled: %s", v.State("Status"))
					}
				}
			}
		}
	},
}
