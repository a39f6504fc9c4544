package rules

import (
	"slices"
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/cloudformation"
	"github.com/safetynet-dev/safetynet/scan/rules/ec2"
	"github.com/safetynet-dev/safetynet/scan/rules/elb"
	"github.com/safetynet-dev/safetynet/scan/rules/iam"
	"github.com/safetynet-dev/safetynet/scan/rules/kms"
	"github.com/safetynet-dev/safetynet/scan/rules/lambda"
	"github.com/safetynet-dev/safetynet/scan/rules/rds"
	"github.com/safetynet-dev/safetynet/scan/rules/s3"
)

// registry lists every rule, kept sorted by ID by hand (the catalogue test
// checks), so that the list reads like the documentation's index.
var registry = []*scan.Rule{
	cloudformation.DuplicateExport,
	ec2.VolumeUnencrypted,
	elb.ClassicAccessLogging,
	iam.WildcardAction,
	iam.WildcardResource,
	iam.AllowNotAction,
	iam.PolicyOnUser,
	iam.UserInlinePolicy,
	iam.TrustWildcardAction,
	iam.PassRoleWildcard,
	kms.KeyRotationDisabled,
	lambda.PermissionWildcardPrincipal,
	rds.StorageUnencrypted,
	rds.PubliclyAccessible,
	rds.MasterPasswordInTemplate,
	s3.PublicReadACL,
	s3.PublicReadWriteACL,
	s3.EncryptionNotSet,
	s3.PolicyWildcardPrincipal,
	ec2.IngressOpenToWorld,
	ec2.IngressPortRange,
	ec2.IngressAllProtocols,
	ec2.MissingEgress,
}

// All returns every rule, sorted by ID. The slice is a copy; the rules are
// shared.
func All() []*scan.Rule {
	return slices.Clone(registry)
}

// Lookup returns the rule with the given ID or alias (such as a cfn_nag
// ID), ignoring case, or nil.
func Lookup(idOrAlias string) *scan.Rule {
	for _, r := range registry {
		for _, n := range r.Names() {
			if strings.EqualFold(n, idOrAlias) {
				return r
			}
		}
	}
	return nil
}
