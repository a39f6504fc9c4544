package iot

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// WildcardResource reports IoT policies that allow actions on every
// resource.
var WildcardResource = &scan.Rule{
	ID:        "IOT-002",
	Aliases:   []string{"W39"},
	Title:     "IoT policy allows Resource \"*\"",
	Severity:  scan.Warning,
	Resources: []string{"AWS::IoT::Policy"},
	Doc: `Resource "*" in an IoT policy lets a device use its actions on every
client ID, topic, thing and shadow of the account in the region: it can
connect as another device (disconnecting it), publish on any topic and read
every other device's messages. AWS IoT's security best practices ask for
policies scoped per device with policy variables such as
${iot:Connection.Thing.ThingName}. As in cfn_nag, an Allow statement whose
Resource is exactly "*" is reported; values from parameters and both
branches of Fn::If are checked. Broad ARNs such as topic/* are reported by
IOT-003.

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
            Action: [iot:Connect, iot:Publish]
            Resource: "*"
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
~~~
`,
	Fix: "Name the clients, topics and things the policy is for, scoped with policy variables.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		allowStrings(p, "Resource", func(r *cfn.Resource, _ policy.Statement, v prop.Val) {
			if s, ok := v.Str(); ok && s == "*" {
				rep.Report(r, v, "IoT policy allows its actions on Resource \"*\"")
			}
		})
	},
}
