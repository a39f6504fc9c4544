// Package serverless holds the rules for AWS SAM resources
// (AWS::Serverless::*) that have no plain CloudFormation counterpart in
// another package: their inline policies, API routes and logging, tables,
// custom domains and nested applications. Rules shared with plain resources
// (Lambda functions, state machines) live with those and list the SAM type
// among their Resources.
package serverless

import "github.com/safetynet-dev/safetynet/scan"

// Rules are this package's rules; package rules gathers every package's
// list into the registry, so adding a rule touches its file and this list.
var Rules = []*scan.Rule{
	PolicyWildcardAction,
	PolicyWildcardResource,
	APIRouteNoAuthorizer,
	APIAccessLogging,
	SimpleTableEncryption,
	APIDomainTLS,
	ApplicationSecretParameter,
}
