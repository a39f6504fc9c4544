package codepipeline_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/codepipeline"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestWebhookSecretToken(t *testing.T) {
	scantest.Run(t, "testdata/CODEPIPELINE-001", codepipeline.WebhookSecretToken)
}
func TestOAuthToken(t *testing.T) {
	scantest.Run(t, "testdata/CODEPIPELINE-002", codepipeline.OAuthToken)
}
func TestArtifactStoreKey(t *testing.T) {
	scantest.Run(t, "testdata/CODEPIPELINE-003", codepipeline.ArtifactStoreKey)
}
func TestWebhookUnauthenticated(t *testing.T) {
	scantest.Run(t, "testdata/CODEPIPELINE-004", codepipeline.WebhookUnauthenticated)
}
