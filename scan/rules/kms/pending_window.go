package kms

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// safePendingWindow is the deletion waiting period, in days, below which a
// key is reported: AWS's default and maximum.
const safePendingWindow = 30

// PendingWindow reports keys whose deletion waiting period is shortened.
var PendingWindow = &scan.Rule{
	ID:        "KMS-005",
	Title:     "KMS key deletion waiting period is shorter than 30 days",
	Severity:  scan.Warning,
	Resources: keyTypes,
	Doc: `Deleting a KMS key makes every piece of data encrypted under it
unrecoverable, and CloudFormation schedules the deletion as soon as the key
leaves the template or its stack is deleted. The waiting period
(PendingWindowInDays, 7 to 30 days, default 30) is the only window in which
a mistake can be noticed and the deletion cancelled; AWS recommends
disabling a key rather than deleting it when unsure. Keep the default 30
days.

Bad:

~~~yaml
DataKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true
    PendingWindowInDays: 7
    KeyPolicy: {...}
~~~

Good:

~~~yaml
DataKey:
  Type: AWS::KMS::Key
  DeletionPolicy: Retain
  Properties:
    EnableKeyRotation: true
    KeyPolicy: {...}
~~~
`,
	Fix: "Remove PendingWindowInDays (default 30) or set it to 30.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "PendingWindowInDays") {
				if n, ok := v.Int(); ok && n < safePendingWindow {
					rep.Report(r, v, "key %s would be deleted %d days after it leaves the stack, less than %d", r.ID, n, safePendingWindow)
				}
			}
		}
	},
}
