package s3

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PolicyNoSecureTransport reports bucket policies that do not deny
// requests made without TLS.
var PolicyNoSecureTransport = &scan.Rule{
	ID:        "S3-011",
	Title:     "S3 bucket policy does not deny requests without TLS",
	Severity:  scan.Warning,
	Resources: []string{"AWS::S3::BucketPolicy"},
	Doc: `S3 accepts plain HTTP requests unless the bucket policy denies them.
AWS's S3 security best practices (and Security Hub control S3.5) ask for a
Deny statement for every principal with the condition
"aws:SecureTransport": "false", so that objects and credentials never
travel in clear text, whichever client or account calls. This matters most
for buckets shared across accounts, such as pipeline artifact buckets,
where the callers' configurations are out of your hands.

A statement counts when its Effect is Deny, its Principal includes "*" and
its Condition has Bool (or BoolIfExists) aws:SecureTransport false.

Bad:

~~~yaml
Policy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref Artifacts
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal:
            AWS: !Sub arn:aws:iam::${ProdAccountId}:role/Deployer
          Action: s3:GetObject
          Resource: !Sub "${Artifacts.Arn}/*"
~~~

Good:

~~~yaml
Policy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref Artifacts
    PolicyDocument:
      Statement:
        - Effect: Deny
          Principal: "*"
          Action: s3:*
          Resource: [!GetAtt Artifacts.Arn, !Sub "${Artifacts.Arn}/*"]
          Condition:
            Bool:
              aws:SecureTransport: "false"
        - Effect: Allow
          Principal:
            AWS: !Sub arn:aws:iam::${ProdAccountId}:role/Deployer
          Action: s3:GetObject
          Resource: !Sub "${Artifacts.Arn}/*"
~~~
`,
	Fix: "Add a Deny statement for Principal \"*\", Action s3:*, with Condition Bool aws:SecureTransport \"false\".",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, doc := range prop.Get(p.Eval, r, "PolicyDocument") {
				if doc.Absent || !doc.Known() {
					continue
				}
				if !deniesInsecureTransport(p.Eval, policy.Statements(p.Eval, []prop.Val{doc})) {
					rep.Report(r, doc, "bucket policy does not deny requests without TLS (aws:SecureTransport false)")
				}
			}
		}
	},
}

// deniesInsecureTransport reports whether one of the statements denies
// everyone when aws:SecureTransport is false.
func deniesInsecureTransport(e *cfn.Evaluator, sts []policy.Statement) bool {
	for _, st := range sts {
		deny := false
		for _, v := range st.Field("Effect") {
			if s, ok := v.Str(); ok && s == "Deny" {
				deny = true
			}
		}
		if !deny {
			continue
		}
		everyone := false
		for _, v := range st.Principals("Principal") {
			if s, ok := v.Str(); ok && s == "*" {
				everyone = true
			}
		}
		if !everyone {
			continue
		}
		for _, c := range st.Field("Condition") {
			if c.Node == nil || c.Node.Kind != cfn.Map || !c.Known() {
				continue
			}
			for _, op := range c.Node.Pairs {
				if op.Key != "Bool" && op.Key != "BoolIfExists" {
					continue
				}
				for _, m := range prop.Field(e, []prop.Val{c}, op.Key) {
					if m.Node == nil || m.Node.Kind != cfn.Map || !m.Known() {
						continue
					}
					for _, kv := range m.Node.Pairs {
						if !strings.EqualFold(kv.Key, "aws:SecureTransport") {
							continue
						}
						for _, b := range prop.Items(e, prop.Field(e, []prop.Val{m}, kv.Key)) {
							if f, ok := b.Bool(); ok && !f {
								return true
							}
						}
					}
				}
			}
		}
	}
	return false
}
