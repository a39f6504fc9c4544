package alexa

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// ClientSecretInTemplate reports Alexa skill ClientSecret values that end up in the
// template or the console.
var ClientSecretInTemplate = &scan.Rule{
	ID:        "ALEXA-001",
	Aliases:   []string{"F74"},
	Title:     "Alexa skill ClientSecret is not kept secret",
	Severity:  scan.Failure,
	Resources: []string{"Alexa::ASK::Skill"},
	Doc: `AuthenticationConfiguration.ClientSecret is the Login with Amazon client secret of the skill's developer account: whoever holds it can manage
the developer's Alexa skills through the Skill Management API. Written as a
literal, or taken from a parameter with a Default, it sits in plain text in
the template and in every copy of it; a parameter without NoEcho shows it in
the console and in DescribeStacks. Use a Secrets Manager dynamic reference
or a NoEcho parameter without Default. Unlike cfn_nag, values supplied in a
parameter file and both branches of Fn::If are checked.

Bad:

~~~yaml
Resources:
  Skill:
    Type: Alexa::ASK::Skill
    Properties:
      VendorId: M1ABCDEFGHIJKL
      SkillPackage: {S3Bucket: !Ref Bucket, S3Key: skill.zip}
      AuthenticationConfiguration:
        ClientId: amzn1.application-oa2-client.0123
        ClientSecret: 0123456789abcdef
        RefreshToken: Atzr|IwEBIA
~~~

Good:

~~~yaml
Resources:
  Skill:
    Type: Alexa::ASK::Skill
    Properties:
      VendorId: M1ABCDEFGHIJKL
      SkillPackage: {S3Bucket: !Ref Bucket, S3Key: skill.zip}
      AuthenticationConfiguration:
        ClientId: amzn1.application-oa2-client.0123
        ClientSecret: "{{resolve:secretsmanager:alexa-lwa:SecretString:clientSecret}}"
        RefreshToken: "{{resolve:secretsmanager:alexa-lwa:SecretString:refreshToken}}"
~~~
`,
	Fix:   "Use a {{resolve:secretsmanager:...}} dynamic reference or a NoEcho parameter without Default.",
	Check: check.CFNSecret([]string{check.SecretsManager}, "AuthenticationConfiguration", "ClientSecret"),
}
