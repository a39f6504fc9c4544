// Package stepfunctions holds the rules for Step Functions state machines,
// plain and AWS SAM.
package stepfunctions

import "github.com/safetynet-dev/safetynet/scan"

// Rules are this package's rules; package rules gathers every package's
// list into the registry, so adding a rule touches its file and this list.
var Rules = []*scan.Rule{
	StateMachineLogging,
	StateMachineTracing,
}
