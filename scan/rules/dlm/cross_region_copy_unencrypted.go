package dlm

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// CrossRegionCopyUnencrypted reports lifecycle policies that copy
// snapshots to another region without encrypting the copies.
var CrossRegionCopyUnencrypted = &scan.Rule{
	ID:        "DLM-001",
	Aliases:   []string{"W81"},
	Title:     "DLM cross-region snapshot copy is not encrypted",
	Severity:  scan.Warning,
	Resources: []string{"AWS::DLM::LifecyclePolicy"},
	Doc: `A Data Lifecycle Manager policy can copy the snapshots it manages to
other regions, for disaster recovery. Unless the copy rule encrypts, a copy
of an unencrypted snapshot stays unencrypted in the target region (unless
EBS encryption by default happens to be on there), so the backup of a volume
is readable by anyone who can share or restore it. cfn_nag checks the copy
actions of event-based policies (PolicyDetails.Actions[].CrossRegionCopy[]
.EncryptionConfiguration.Encrypted); this rule also checks the copy rules
of snapshot and AMI schedules (PolicyDetails.Schedules[]
.CrossRegionCopyRules[].Encrypted), and reads string booleans, parameter
defaults and each branch of Fn::If. Set CmkArn too, to encrypt with a key
you control.

Bad:

~~~yaml
Resources:
  Backups:
    Type: AWS::DLM::LifecyclePolicy
    Properties:
      Description: daily
      State: ENABLED
      ExecutionRoleArn: !GetAtt DlmRole.Arn
      PolicyDetails:
        ResourceTypes: [VOLUME]
        TargetTags: [{Key: backup, Value: "true"}]
        Schedules:
          - Name: daily
            CreateRule: {Interval: 24, IntervalUnit: HOURS}
            RetainRule: {Count: 7}
            CrossRegionCopyRules:
              - TargetRegion: us-west-2
                Encrypted: false
~~~

Good:

~~~yaml
            CrossRegionCopyRules:
              - TargetRegion: us-west-2
                Encrypted: true
                CmkArn: !Ref DrKeyArn
~~~
`,
	Fix:   "Set Encrypted: true on every cross-region copy (with CmkArn for a customer managed key).",
	Check: checkCrossRegionCopy,
}

func checkCrossRegionCopy(p *scan.Pass) {
	rep := prop.NewReporter(p)
	for _, r := range p.Resources() {
		details := prop.Get(p.Eval, r, "PolicyDetails")
		actions := prop.Items(p.Eval, prop.Field(p.Eval, details, "Actions"))
		copies := prop.Items(p.Eval, prop.Field(p.Eval, actions, "CrossRegionCopy"))
		for _, cfg := range prop.Field(p.Eval, copies, "EncryptionConfiguration") {
			if cfg.Absent {
				rep.Report(r, cfg, "cross-region copy is not encrypted: %s", cfg.State("EncryptionConfiguration"))
				continue
			}
			for _, v := range prop.Field(p.Eval, []prop.Val{cfg}, "Encrypted") {
				if v.NotTrue() {
					rep.Report(r, v, "cross-region copy is not encrypted: %s", v.State("Encrypted"))
				}
			}
		}
		schedules := prop.Items(p.Eval, prop.Field(p.Eval, details, "Schedules"))
		rules := prop.Items(p.Eval, prop.Field(p.Eval, schedules, "CrossRegionCopyRules"))
		for _, v := range prop.Field(p.Eval, rules, "Encrypted") {
			if v.NotTrue() {
				rep.Report(r, v, "cross-region copy is not encrypted: %s", v.State("Encrypted"))
			}
		}
	}
}
