package iot_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/iot"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestWildcardAction(t *testing.T) { scantest.Run(t, "testdata/IOT-001", iot.WildcardAction) }

func TestWildcardResource(t *testing.T) { scantest.Run(t, "testdata/IOT-002", iot.WildcardResource) }

func TestBroadMQTTResource(t *testing.T) { scantest.Run(t, "testdata/IOT-003", iot.BroadMQTTResource) }

func TestAuthorizerSigningDisabled(t *testing.T) {
	scantest.Run(t, "testdata/IOT-004", iot.AuthorizerSigningDisabled)
}

func TestLoggingDisabled(t *testing.T) { scantest.Run(t, "testdata/IOT-005", iot.LoggingDisabled) }

func TestDomainOldTLS(t *testing.T) { scantest.Run(t, "testdata/IOT-006", iot.DomainOldTLS) }
