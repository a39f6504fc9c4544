// Package iot holds the rules for AWS IoT resources: policies, authorizers,
// account logging and domain configurations.
package iot

import "github.com/safetynet-dev/safetynet/scan"

// Rules are this package's rules; package rules gathers every package's
// list into the registry, so adding a rule touches its file and this list.
var Rules = []*scan.Rule{
	WildcardAction,
	WildcardResource,
	BroadMQTTResource,
	AuthorizerSigningDisabled,
	LoggingDisabled,
	DomainOldTLS,
}
