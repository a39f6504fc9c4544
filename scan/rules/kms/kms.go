package kms

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// keyTypes are the resources with a key policy.
var keyTypes = []string{"AWS::KMS::Key", "AWS::KMS::ReplicaKey"}

// statements returns the possible statements of a key's KeyPolicy.
func statements(e *cfn.Evaluator, r *cfn.Resource) []policy.Statement {
	return policy.Statements(e, prop.Get(e, r, "KeyPolicy"))
}
