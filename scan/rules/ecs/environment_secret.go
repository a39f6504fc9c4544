package ecs

import (
	"regexp"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// accessKeyID matches an AWS access key ID.
var accessKeyID = regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`)

// EnvironmentSecret reports secrets passed to containers as plain
// environment variables.
var EnvironmentSecret = &scan.Rule{
	ID:        "ECS-002",
	Title:     "ECS container receives a secret in a plain environment variable",
	Severity:  scan.Failure,
	Resources: []string{"AWS::ECS::TaskDefinition"},
	Doc: `Values in a container's Environment are stored in the task
definition in plain text: anyone allowed ecs:DescribeTaskDefinition reads
them, and they show in the console. This holds for parameter values, even
NoEcho ones, and for dynamic references, which CloudFormation resolves into
the task definition (AWS Security Hub ECS.8). Pass secrets in the container's
Secrets with ValueFrom naming a Secrets Manager secret or an SSM
SecureString; the agent injects them at start. A variable is reported when
its name looks like a secret (PASSWORD, SECRET, TOKEN, API_KEY, ACCESS_KEY,
PRIVATE_KEY, CREDENTIAL, but not names ending in ARN, NAME, ID, URL...)
and its value is a literal, a parameter or a dynamic reference, or when any
value holds an AWS access key ID.

Bad:

~~~yaml
Task:
  Type: AWS::ECS::TaskDefinition
  Properties:
    ContainerDefinitions:
      - Name: app
        Image: app:1.0
        Environment:
          - Name: DB_PASSWORD
            Value: hunter22
~~~

Good:

~~~yaml
Task:
  Type: AWS::ECS::TaskDefinition
  Properties:
    ExecutionRoleArn: !GetAtt ExecutionRole.Arn
    ContainerDefinitions:
      - Name: app
        Image: app:1.0
        Secrets:
          - Name: DB_PASSWORD
            ValueFrom: !Ref DbPasswordSecret
~~~
`,
	Fix: "Move the value to the container's Secrets, with ValueFrom naming a Secrets Manager secret or SSM SecureString.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, env := range prop.Items(p.Eval, prop.Field(p.Eval, containers(p.Eval, r), "Environment")) {
				one := []prop.Val{env}
				for _, n := range prop.Field(p.Eval, one, "Name") {
					name, _ := n.Str()
					for _, v := range prop.Field(p.Eval, one, "Value") {
						if why := envSecret(name, v); why != "" {
							if both, ok := prop.Both(v, n); ok {
								if strings.HasPrefix(why, "comes from parameter") {
									// The message names the parameter already.
									both.Origin, both.Param = cfn.Literal, ""
								}
								rep.Report(r, both, "environment variable %s %s", name, why)
							}
						}
					}
				}
			}
		}
	},
}

// envSecret says why the value of an environment variable is a secret in
// plain text, or returns "".
func envSecret(name string, v prop.Val) string {
	if v.Absent {
		return ""
	}
	s, known := v.Str()
	text := s
	if !known {
		text = v.Text
	}
	if accessKeyID.MatchString(text) {
		return "holds an AWS access key ID"
	}
	if name == "" || !check.ComputeSecretName(name) {
		return ""
	}
	switch {
	case strings.Contains(text, "{{resolve:"):
		return "is a dynamic reference, which CloudFormation resolves into the task definition in plain text"
	case v.Param != "" && (!known || s == "" || check.ComputeSecretValue(s)):
		// A parameter, even NoEcho, whose value (supplied at deploy time
		// when its default is empty) ends up in the task definition.
		return "comes from parameter " + v.Param + " and is stored in the task definition in plain text"
	case known && check.ComputeSecretValue(s):
		return "is written in the template in plain text"
	}
	return ""
}
