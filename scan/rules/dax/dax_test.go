package dax_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/dax"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestSSEDisabled(t *testing.T)    { scantest.Run(t, "testdata/DAX-001", dax.SSEDisabled) }
func TestEndpointNotTLS(t *testing.T) { scantest.Run(t, "testdata/DAX-002", dax.EndpointNotTLS) }
