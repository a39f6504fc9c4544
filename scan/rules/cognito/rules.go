// Package cognito holds the rules for Cognito user pools, their clients
// and identity pools.
package cognito

import "github.com/safetynet-dev/safetynet/scan"

// Rules are this package's rules; package rules gathers every package's
// list into the registry, so adding a rule touches its file and this list.
var Rules = []*scan.Rule{
	UserPoolMFA,
	IdentityPoolUnauthenticated,
	UserPoolWeakPassword,
	ClientPasswordAuth,
	ClientUserExistenceErrors,
	UserPoolDeletionProtection,
	IdentityPoolClassicFlow,
	ClientImplicitGrant,
}
