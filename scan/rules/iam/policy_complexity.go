package iam

import (
	"regexp"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// complexityThreshold is cfn_nag's default spcm_threshold.
const complexityThreshold = 25

// PolicyComplexity reports policy documents too complex to review.
var PolicyComplexity = &scan.Rule{
	ID:        "IAM-016",
	Aliases:   []string{"W76"},
	Title:     "IAM policy document is too complex to review",
	Severity:  scan.Warning,
	Resources: identityTypes,
	Doc: `A policy nobody can read at a glance is a policy nobody reviews, and
mistakes in it go live. This rule computes cfn_nag's Stelligent Policy
Complexity Metric (SPCM) for each policy document and reports those
scoring 25 or more. Each statement scores 1, plus 1 for Deny, 1 each for
NotAction and NotResource, 2 for each service beyond the first among its
actions and resource ARNs, 1 for each resource service none of its actions
belongs to, 1 each when "*" is mixed with other actions or resources, and
for a Condition 2 per operator, 2 more per ForAllValues/ForAnyValue
operator, 1 per ...IfExists operator, 1 for Null and 1 per value holding a
policy variable. Unlike cfn_nag, values that are only known at deploy time
(GetAtt, Ref of a resource) are not counted as services of their own,
ForAnyValue is recognised (cfn_nag's check misspells it), and managed
policies, users and groups are measured too. Split a document that scores
high into statements or policies with one purpose each.

Bad:

~~~yaml
Everything:
  Type: AWS::IAM::Policy
  Properties:
    PolicyDocument:
      Statement:
        - Effect: Allow
          Action: [s3:GetObject, sqs:SendMessage, sns:Publish, dynamodb:PutItem, kms:Decrypt, logs:PutLogEvents]
          Resource: [arn:aws:s3:::a/*, arn:aws:sqs:eu-west-1:111122223333:q, arn:aws:sns:eu-west-1:111122223333:t, arn:aws:ec2:eu-west-1:111122223333:instance/*]
          Condition: {...}
        - ...
~~~

Good:

~~~yaml
# One statement per service and purpose, each scoped to its resources.
Statement:
  - Effect: Allow
    Action: s3:GetObject
    Resource: arn:aws:s3:::a/*
  - Effect: Allow
    Action: sqs:SendMessage
    Resource: !GetAtt Queue.Arn
~~~
`,
	Fix: "Split the document into smaller statements or policies with one purpose each.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, d := range policy.Inline(p.Eval, r) {
				if d.Absent {
					continue
				}
				score := 0
				for _, st := range policy.Statements(p.Eval, []prop.Val{d}) {
					score += statementComplexity(p.Eval, st)
				}
				if score >= complexityThreshold {
					rep.Report(r, d, "policy document complexity (SPCM) is %d, at or above %d", score, complexityThreshold)
				}
			}
		}
	},
}

func statementComplexity(e *cfn.Evaluator, st policy.Statement) int {
	score := 1
	for _, v := range st.Field("Effect") {
		if s, ok := v.Str(); ok && s == "Deny" {
			score++
			break
		}
	}
	notAction, notResource := len(st.Present("NotAction")) > 0, len(st.Present("NotResource")) > 0
	if notAction {
		score++
	}
	if notResource {
		score++
	}
	actKey, resKey := "Action", "Resource"
	if len(st.Present("Action")) == 0 && notAction {
		actKey = "NotAction"
	}
	if len(st.Present("Resource")) == 0 && notResource {
		resKey = "NotResource"
	}
	acts := serviceNames(st.Strings(actKey), actionService)
	ress := serviceNames(st.Strings(resKey), resourceService)

	all := map[string]bool{}
	for _, s := range append(append([]string{}, acts...), ress...) {
		if s != "*" {
			all[s] = true
		}
	}
	if len(all) > 1 {
		score += 2 * (len(all) - 1)
	}
	if !(len(ress) == 1 && ress[0] == "*") && !(len(acts) == 1 && acts[0] == "*") {
		actSet := map[string]bool{}
		for _, s := range acts {
			actSet[s] = true
		}
		seen := map[string]bool{}
		for _, s := range ress {
			if s != "*" && !actSet[s] && !seen[s] {
				seen[s] = true
				score++
			}
		}
	}
	for _, names := range [][]string{acts, ress} {
		if len(names) > 1 && contains(names, "*") {
			score++
		}
	}
	return score + conditionComplexity(e, st)
}

// serviceNames maps each known element to its service, skipping those that
// are not known before deploy.
func serviceNames(vals []prop.Val, svc func(string) (string, bool)) []string {
	var out []string
	for _, v := range vals {
		s, ok := v.Str()
		if !ok && v.Origin == cfn.Unknown && !v.Absent {
			s, ok = v.Text, strings.HasPrefix(v.Text, "arn:")
		}
		if !ok {
			continue
		}
		if name, ok := svc(s); ok {
			out = append(out, name)
		}
	}
	return out
}

func actionService(a string) (string, bool) {
	if a == "*" {
		return "*", true
	}
	svc, _, _ := strings.Cut(a, ":")
	return strings.ToLower(svc), true
}

func resourceService(arn string) (string, bool) {
	if arn == "*" {
		return "*", true
	}
	parts := strings.SplitN(arn, ":", 4)
	if len(parts) < 3 {
		return "", false
	}
	return strings.ToLower(parts[2]), true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// policyVariable finds a policy variable once the ${$}, ${*} and ${?}
// escapes are removed.
var policyVariable = regexp.MustCompile(`\$\{.+\}`)

// conditionComplexity scores the first known Condition of a statement.
func conditionComplexity(e *cfn.Evaluator, st policy.Statement) int {
	for _, c := range st.Field("Condition") {
		if c.Absent || c.Node == nil || c.Node.Kind != cfn.Map || !c.Known() {
			continue
		}
		score := 0
		for _, op := range c.Node.Pairs {
			score += 2
			switch {
			case strings.HasPrefix(op.Key, "ForAllValues"), strings.HasPrefix(op.Key, "ForAnyValue"):
				score += 2
			}
			if strings.HasSuffix(op.Key, "IfExists") {
				score++
			}
			if op.Key == "Null" {
				score++
			}
			for _, ov := range prop.Field(e, []prop.Val{c}, op.Key) {
				if ov.Node == nil || ov.Node.Kind != cfn.Map || !ov.Known() {
					continue
				}
				for _, k := range ov.Node.Pairs {
					for _, v := range prop.Items(e, prop.Field(e, []prop.Val{ov}, k.Key)) {
						if s, ok := v.Str(); ok && policyVariable.MatchString(strings.NewReplacer("${$}", "", "${*}", "", "${?}", "").Replace(s)) {
							score++
						}
					}
				}
			}
		}
		return score
	}
	return 0
}
