package check

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// MsgAWSManagedKey returns a check reporting resources whose KMS key
// property at path names the AWS managed key of service ("sqs" for
// alias/aws/sqs), by alias or alias ARN, even one built with Fn::Sub from
// pseudo parameters. what starts the message ("SQS queue").
func MsgAWSManagedKey(service, what string, path ...string) func(*scan.Pass) {
	alias := "alias/aws/" + service
	name := path[len(path)-1]
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, path...) {
				s, ok := v.Str()
				if !ok && !v.Absent && v.Origin == cfn.Unknown {
					s = v.Text
				}
				if s == alias || strings.HasSuffix(s, ":"+alias) {
					rep.Report(r, v, "%s uses the AWS managed key %s (%s), whose key policy cannot grant other accounts or services", what, alias, name)
				}
			}
		}
	}
}
