package amplify_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/amplify"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestAccessTokenInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/AMPLIFY-001", amplify.AccessTokenInTemplate)
}

func TestOauthTokenInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/AMPLIFY-002", amplify.OauthTokenInTemplate)
}

func TestBasicAuthPasswordInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/AMPLIFY-003", amplify.BasicAuthPasswordInTemplate)
}

func TestEnvironmentSecret(t *testing.T) {
	scantest.Run(t, "testdata/AMPLIFY-004", amplify.EnvironmentSecret)
}
