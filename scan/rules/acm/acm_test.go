package acm_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/acm"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestRules(t *testing.T) {
	for _, r := range acm.Rules {
		t.Run(r.ID, func(t *testing.T) { scantest.Run(t, "testdata/"+r.ID, r) })
	}
}
