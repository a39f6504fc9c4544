package ecs

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// containers returns the possible container definitions of a task
// definition.
func containers(e *cfn.Evaluator, r *cfn.Resource) []prop.Val {
	return prop.Items(e, prop.Get(e, r, "ContainerDefinitions"))
}
