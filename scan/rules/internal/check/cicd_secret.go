package check

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// CICDSecretProblem says why a secret value of a pipeline or build resource
// is not kept secret, with Secret's messages, or returns "" when it is: a
// dynamic reference with one of the allowed prefixes, a NoEcho parameter
// without Default, or a value not known before deploy. The CodePipeline and
// CodeBuild rules use it for secrets inside lists (pipeline actions,
// environment variables) that Secret cannot walk to.
func CICDSecretProblem(t *cfn.Template, v prop.Val, allowed []string) string {
	return secretProblem(t, v, allowed)
}
