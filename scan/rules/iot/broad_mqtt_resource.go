package iot

import (
	"regexp"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// mqttKinds maps an IoT resource kind to the MQTT actions that use it and
// the words for "every one of them".
var mqttKinds = map[string]struct {
	actions []string
	every   string
}{
	"client":      {[]string{"iot:Connect"}, "every client ID"},
	"topic":       {[]string{"iot:Publish", "iot:Receive", "iot:RetainPublish"}, "every topic"},
	"topicfilter": {[]string{"iot:Subscribe"}, "every topic filter"},
}

// allMQTT are the MQTT actions, in the order findings name them.
var allMQTT = []string{"iot:Connect", "iot:Publish", "iot:Subscribe", "iot:Receive", "iot:RetainPublish"}

// broadMQTT matches an IoT ARN (possibly with ${...} placeholders from
// Fn::Sub) that covers every client, topic or topic filter, or everything.
var broadMQTT = regexp.MustCompile(`^arn:` + arnPart + `:iot:` + arnPart + `:` + arnPart + `:(?:(client|topic|topicfilter)/(?:\*|#)|\*)$`)

// arnPart is one colon-separated part of an ARN, which may hold ${...}
// placeholders with colons of their own (${AWS::Region}).
const arnPart = `(?:\$\{[^}]*\}|[^:])*`

// BroadMQTTResource reports IoT policies that let a device connect as any
// client or use every topic.
var BroadMQTTResource = &scan.Rule{
	ID:        "IOT-003",
	Title:     "IoT policy allows MQTT actions on every client or topic",
	Severity:  scan.Warning,
	Resources: []string{"AWS::IoT::Policy"},
	Doc: `AWS IoT Device Defender's audit flags policies that are "overly
permissive": iot:Connect on client/* lets a device connect under any client
ID, which disconnects the device that owns it; iot:Publish or iot:Receive on
topic/* and iot:Subscribe on topicfilter/* (or /#) let it read and inject
every other device's messages, commands included. Scope each resource with
policy variables, such as client/${iot:Connection.Thing.ThingName} and
topic/devices/${iot:Connection.Thing.ThingName}/*. The rule reports an
Allow statement whose actions include an MQTT action (directly or through a
wildcard) and whose resources include an ARN covering every client, topic
or topic filter of that action (or arn:...:iot:region:account:*), also when
the ARN is built with Fn::Sub. Resource "*" is IOT-002. cfn_nag has no such
check.

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
            Action: iot:Subscribe
            Resource: !Sub "arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topicfilter/*"
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
            Action: iot:Subscribe
            Resource: !Sub "arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topicfilter/devices/${!iot:Connection.Thing.ThingName}/*"
~~~
`,
	Fix: "Scope client IDs and topics with policy variables such as ${iot:Connection.Thing.ThingName}.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		allowStrings(p, "Resource", func(r *cfn.Resource, st policy.Statement, v prop.Val) {
			arn, ok := v.Str()
			if !ok {
				if v.Absent || v.Origin != cfn.Unknown {
					return
				}
				arn = v.Text
			}
			m := broadMQTT.FindStringSubmatch(arn)
			if m == nil {
				return
			}
			var actions []string
			what := "everything in AWS IoT"
			if m[1] == "" {
				actions = allMQTT
			} else {
				actions, what = mqttKinds[m[1]].actions, mqttKinds[m[1]].every
			}
			for _, a := range st.Strings("Action") {
				pattern, ok := a.Str()
				if !ok {
					continue
				}
				for _, action := range actions {
					if policy.ActionMatches(pattern, action) {
						if both, ok := prop.Both(v, a); ok {
							rep.Report(r, both, "IoT policy allows %s on %s (%s)", action, what, arn)
						}
						return
					}
				}
			}
		})
	},
}
