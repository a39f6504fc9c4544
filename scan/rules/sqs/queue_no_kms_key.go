package sqs

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// QueueNoKMSKey reports queues without a KMS key.
var QueueNoKMSKey = &scan.Rule{
	ID:        "SQS-005",
	Aliases:   []string{"W48"},
	Title:     "SQS queue does not set KmsMasterKeyId",
	Severity:  scan.Warning,
	Resources: []string{"AWS::SQS::Queue"},
	Doc: `Without KmsMasterKeyId a queue is either unencrypted or encrypted
with SQS-managed keys (SSE-SQS, the default for new queues since 2022):
nobody but SQS controls those keys, their use is not logged in CloudTrail,
and no key policy can restrict who reads the messages. SSE-KMS with a key
you manage gives all three. As in cfn_nag, SqsManagedSseEnabled does not
count; unlike cfn_nag, a key set only in one branch of an Fn::If is
reported for the other branch.

Bad:

~~~yaml
Queue:
  Type: AWS::SQS::Queue
  Properties:
    QueueName: orders
~~~

Good:

~~~yaml
Queue:
  Type: AWS::SQS::Queue
  Properties:
    QueueName: orders
    KmsMasterKeyId: !Ref QueueKey
~~~
`,
	Fix: "Set KmsMasterKeyId to a customer managed KMS key.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "KmsMasterKeyId") {
				if v.Absent {
					rep.Report(r, v, "SQS queue %s does not set KmsMasterKeyId", r.ID)
				}
			}
		}
	},
}
