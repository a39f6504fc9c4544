package iam

import "github.com/safetynet-dev/safetynet/scan"

// Rules are this package's rules; package rules gathers every package's
// list into the registry, so adding a rule touches its file and this list.
var Rules = []*scan.Rule{
	WildcardAction,
	WildcardResource,
	AllowNotAction,
	PolicyOnUser,
	UserInlinePolicy,
	TrustWildcardAction,
	PassRoleWildcard,
	TrustNotPrincipal,
	TrustNotAction,
	AllowNotResource,
	AdministratorAccess,
	ElevatedManagedPolicy,
	LoginProfilePassword,
	LoginProfileReset,
	UserMissingGroup,
	PolicyComplexity,
	TrustCrossAccount,
	AccessKey,
	AccessKeyOutput,
	ConsolePassword,
	TrustWildcardPrincipal,
	TrustFederatedUnconditioned,
	PrivilegeEscalation,
	KMSDecryptAllKeys,
	UserManagedPolicy,
}
