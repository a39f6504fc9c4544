package secretsmanager

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// RotationMissing reports secrets that no rotation schedule in the
// template rotates.
var RotationMissing = &scan.Rule{
	ID:        "SECRETSMANAGER-003",
	Title:     "Secrets Manager secret is not rotated",
	Severity:  scan.Warning,
	Resources: []string{"AWS::SecretsManager::Secret"},
	Doc: `A secret that never changes stays valid for as long as anyone who ever
saw it (a former colleague, a leaked log, a backup) keeps a copy. AWS
recommends automatic rotation, and Security Hub (SecretsManager.1) reports
secrets without it. The rule looks for an AWS::SecretsManager::RotationSchedule
in the same template whose SecretId refers to the secret (Ref, or the
secret's literal Name); a schedule in another stack is not seen, so
suppress the finding there with a reason.

Bad:

~~~yaml
DbSecret:
  Type: AWS::SecretsManager::Secret
  Properties:
    KmsKeyId: !Ref SecretsKey
    GenerateSecretString: {...}
~~~

Good:

~~~yaml
DbSecret:
  Type: AWS::SecretsManager::Secret
  Properties:
    KmsKeyId: !Ref SecretsKey
    GenerateSecretString: {...}
DbSecretRotation:
  Type: AWS::SecretsManager::RotationSchedule
  Properties:
    SecretId: !Ref DbSecret
    HostedRotationLambda:
      RotationType: PostgreSQLSingleUser
    RotationRules:
      AutomaticallyAfterDays: 30
~~~
`,
	Fix: "Add an AWS::SecretsManager::RotationSchedule for the secret.",
	Check: func(p *scan.Pass) {
		rotated := map[string]bool{}
		for _, r := range p.Template.Resources {
			if r.Type != "AWS::SecretsManager::RotationSchedule" {
				continue
			}
			for _, v := range prop.Get(p.Eval, r, "SecretId") {
				if s, ok := v.Str(); ok {
					rotated["name:"+s] = true
				} else if ref, ok := strings.CutPrefix(v.Text, "Ref "); ok && v.Origin == cfn.Unknown {
					rotated["id:"+ref] = true
				}
			}
		}
		for _, r := range p.Resources() {
			if rotated["id:"+r.ID] || rotatedByName(p, r, rotated) {
				continue
			}
			p.Reportf(r, nil, "", "secret %s has no rotation schedule in the template", r.ID)
		}
	},
}

// rotatedByName reports whether a schedule names the secret by a possible
// value of its Name.
func rotatedByName(p *scan.Pass, r *cfn.Resource, rotated map[string]bool) bool {
	for _, n := range prop.Get(p.Eval, r, "Name") {
		if s, ok := n.Str(); ok && rotated["name:"+s] {
			return true
		}
	}
	return false
}

// maxRotationDays is Security Hub's default for SecretsManager.4.
const maxRotationDays = 90

var rateDays = regexp.MustCompile(`^rate\(\s*(\d+)\s+days?\s*\)$`)

// RotationInterval reports rotation schedules that rotate less often than
// every 90 days.
var RotationInterval = &scan.Rule{
	ID:        "SECRETSMANAGER-004",
	Title:     "Secrets Manager secret is rotated less often than every 90 days",
	Severity:  scan.Warning,
	Resources: []string{"AWS::SecretsManager::RotationSchedule"},
	Doc: `Rotation only limits how long a leaked secret stays useful if it happens
often enough. AWS Security Hub (SecretsManager.4) reports secrets not
rotated within 90 days. The rule reads RotationRules.AutomaticallyAfterDays
and a rate(N days) ScheduleExpression.

Bad:

~~~yaml
Rotation:
  Type: AWS::SecretsManager::RotationSchedule
  Properties:
    SecretId: !Ref DbSecret
    RotationLambdaARN: !GetAtt Rotator.Arn
    RotationRules:
      AutomaticallyAfterDays: 365
~~~

Good:

~~~yaml
Rotation:
  Type: AWS::SecretsManager::RotationSchedule
  Properties:
    SecretId: !Ref DbSecret
    RotationLambdaARN: !GetAtt Rotator.Arn
    RotationRules:
      AutomaticallyAfterDays: 30
~~~
`,
	Fix: "Rotate at least every 90 days (AutomaticallyAfterDays: 90 or less).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "RotationRules", "AutomaticallyAfterDays") {
				if n, ok := v.Int(); ok && n > maxRotationDays {
					rep.Report(r, v, "secret is rotated every %d days, more than %d", n, maxRotationDays)
				}
			}
			for _, v := range prop.Get(p.Eval, r, "RotationRules", "ScheduleExpression") {
				s, _ := v.Str()
				if m := rateDays.FindStringSubmatch(strings.TrimSpace(s)); m != nil {
					if n, err := strconv.Atoi(m[1]); err == nil && n > maxRotationDays {
						rep.Report(r, v, "secret is rotated every %d days, more than %d", n, maxRotationDays)
					}
				}
			}
		}
	},
}
