package iot

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// WildcardAction reports IoT policies that allow every action, or every
// action of a service.
var WildcardAction = &scan.Rule{
	ID:        "IOT-001",
	Aliases:   []string{"W38"},
	Title:     "IoT policy allows a wildcard action",
	Severity:  scan.Warning,
	Resources: []string{"AWS::IoT::Policy"},
	Doc: `An IoT policy is what a device certificate or Cognito identity may do
on the AWS IoT data and control planes. "iot:*" (or "*") lets a device not
only publish and subscribe but also connect under any client ID, read and
update every shadow and job it can name, and use any other IoT action the
policy's resources allow. A single compromised device then speaks for the
whole fleet. Grant the MQTT actions the device needs (iot:Connect,
iot:Publish, iot:Subscribe, iot:Receive) on resources scoped with policy
variables such as ${iot:Connection.Thing.ThingName}. As in cfn_nag, an
Allow statement whose Action is "*" or ends in ":*" is reported; values
from parameters and both branches of Fn::If are checked.

Bad:

~~~yaml
Resources:
  DevicePolicy:
    Type: AWS::IoT::Policy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: iot:*
            Resource: !Sub "arn:aws:iot:${AWS::Region}:${AWS::AccountId}:*"
~~~

Good:

~~~yaml
Resources:
  DevicePolicy:
    Type: AWS::IoT::Policy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: iot:Connect
            Resource: !Sub "arn:aws:iot:${AWS::Region}:${AWS::AccountId}:client/${!iot:Connection.Thing.ThingName}"
          - Effect: Allow
            Action: iot:Publish
            Resource: !Sub "arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/devices/${!iot:Connection.Thing.ThingName}/telemetry"
~~~
`,
	Fix: "List the IoT actions the devices need instead of iot:* or *.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		allowStrings(p, "Action", func(r *cfn.Resource, _ policy.Statement, v prop.Val) {
			if s, ok := v.Str(); ok && policy.WildcardAction(s) {
				rep.Report(r, v, "IoT policy allows action %q", s)
			}
		})
	},
}
