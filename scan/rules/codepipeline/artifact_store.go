package codepipeline

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// ArtifactStoreKey reports artifact stores encrypted with the AWS managed
// S3 key or not given a key.
var ArtifactStoreKey = &scan.Rule{
	ID:        "CODEPIPELINE-003",
	Title:     "CodePipeline artifact store has no customer managed KMS key",
	Severity:  scan.Warning,
	Resources: []string{"AWS::CodePipeline::Pipeline"},
	Doc: `Without an EncryptionKey, CodePipeline encrypts artifacts with the
AWS managed key aws/s3. That key's policy cannot be changed, so roles in
other accounts can never decrypt the artifacts: cross-account deployments
fail, or get "fixed" by weakening the bucket instead. It also gives no
separate control over who can read build outputs, which often contain
configuration and secrets. Use a customer managed KMS key whose key policy
names the deploy roles. Both ArtifactStore and each entry of ArtifactStores
(multi-region pipelines) are checked; an EncryptionKey naming alias/aws/s3
counts as none.

Bad:

~~~yaml
Pipeline:
  Type: AWS::CodePipeline::Pipeline
  Properties:
    RoleArn: !GetAtt PipelineRole.Arn
    ArtifactStore:
      Type: S3
      Location: !Ref Artifacts
~~~

Good:

~~~yaml
Pipeline:
  Type: AWS::CodePipeline::Pipeline
  Properties:
    RoleArn: !GetAtt PipelineRole.Arn
    ArtifactStore:
      Type: S3
      Location: !Ref Artifacts
      EncryptionKey:
        Type: KMS
        Id: !GetAtt ArtifactKey.Arn
~~~
`,
	Fix: "Add EncryptionKey {Type: KMS, Id: <customer managed key ARN>} to the artifact store and grant the deploy roles in its key policy.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			stores := prop.Get(p.Eval, r, "ArtifactStore")
			stores = append(stores, prop.Field(p.Eval, prop.Items(p.Eval, prop.Get(p.Eval, r, "ArtifactStores")), "ArtifactStore")...)
			for _, st := range stores {
				if st.Absent {
					continue
				}
				for _, key := range prop.Field(p.Eval, []prop.Val{st}, "EncryptionKey") {
					if key.Absent {
						rep.Report(r, key, "CodePipeline artifact store uses the AWS managed S3 key: EncryptionKey is not set")
						continue
					}
					for _, id := range prop.Field(p.Eval, []prop.Val{key}, "Id") {
						if s, ok := id.Str(); ok && strings.HasSuffix(s, "alias/aws/s3") {
							rep.Report(r, id, "CodePipeline artifact store uses the AWS managed S3 key: EncryptionKey Id is %s", s)
						}
					}
				}
			}
		}
	},
}
