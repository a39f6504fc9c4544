package apigateway

import "github.com/safetynet-dev/safetynet/scan"

// Rules are this package's rules; package rules gathers every package's
// list into the registry, so adding a rule touches its file and this list.
var Rules = []*scan.Rule{
	DeploymentAccessLogging,
	V2StageAccessLogging,
	MethodNoAuthorization,
	DomainSecurityPolicy,
	StageWithoutUsagePlan,
	DeploymentWithoutUsagePlan,
	StageAccessLogging,
	DeploymentCacheUnencrypted,
	MethodCacheUnencrypted,
	StageTracing,
	PrivateAPIWithoutPolicy,
	DataTrace,
	V2RouteNoAuthorization,
	DomainCertificateMismatch,
	V2DomainConfiguration,
	V2DomainSecurityPolicy,
	MappingUndeclaredDomain,
	MappingNotDomain,
	EdgeCertificateRegion,
}
