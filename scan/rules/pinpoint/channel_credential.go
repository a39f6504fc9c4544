package pinpoint

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// channelSecrets are the credential properties of the push channels that
// cfn_nag does not look at.
var channelSecrets = map[string][]string{
	"AWS::Pinpoint::ADMChannel":   {"ClientSecret"},
	"AWS::Pinpoint::BaiduChannel": {"ApiKey", "SecretKey"},
	"AWS::Pinpoint::GCMChannel":   {"ApiKey", "ServiceJson"},
}

// ChannelCredentialInTemplate reports Amazon Device Messaging, Baidu and
// Firebase push credentials that end up in the template or the console.
var ChannelCredentialInTemplate = &scan.Rule{
	ID:        "PINPOINT-003",
	Title:     "Pinpoint push channel credential is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Pinpoint::ADMChannel", "AWS::Pinpoint::BaiduChannel", "AWS::Pinpoint::GCMChannel"},
	Doc: `The Amazon Device Messaging client secret, the Baidu API and secret keys,
and the Firebase Cloud Messaging server key (ApiKey) or service account
JSON (ServiceJson, which contains a private key) let whoever holds them
push notifications to every device of the app. Written as a literal, or
taken from a parameter with a Default, they sit in plain text in the
template and in every copy of it; a parameter without NoEcho shows them in
the console and in DescribeStacks. Use a Secrets Manager dynamic reference
or a NoEcho parameter without Default. cfn_nag checks only the APNs
channels (see PINPOINT-001 and PINPOINT-002).

Bad:

~~~yaml
Resources:
  Firebase:
    Type: AWS::Pinpoint::GCMChannel
    Properties:
      ApplicationId: !Ref App
      ApiKey: AAAA0123456789:APA91bH
~~~

Good:

~~~yaml
Resources:
  Firebase:
    Type: AWS::Pinpoint::GCMChannel
    Properties:
      ApplicationId: !Ref App
      ServiceJson: "{{resolve:secretsmanager:fcm-service-account}}"
      DefaultAuthenticationMethod: TOKEN
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: checkChannelCredential,
}

func checkChannelCredential(p *scan.Pass) {
	rep := prop.NewReporter(p)
	allowed := []string{check.SecretsManager}
	for _, r := range p.Resources() {
		for _, key := range channelSecrets[r.Type] {
			for _, v := range prop.Get(p.Eval, r, key) {
				if why := check.CFNSecretProblem(p.Template, v, allowed); why != "" {
					rep.Report(r, v, "%s %s", key, why)
				}
			}
		}
	}
}
