package web_test

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/safetynet-dev/safetynet/status"
)

func TestUIReleasesPage(t *testing.T) {
	u := &uiEnv{adminEnv: newReleaseEnv(t)}
	hash, err := status.HashPasswordCost(testPassword, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.db.CreateUser(t.Context(), status.User{Name: "alice", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	b := u.browser("192.0.2.10")
	if rec := b.do(t, "GET", "/admin/releases", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("signed out: %d, want a redirect to the login", rec.Code)
	}
	b.login(t, "alice", testPassword)
	if rec := b.do(t, "GET", "/admin/releases", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "No deployment or AWS event recorded yet") {
		t.Fatalf("empty page: %d %s", rec.Code, rec.Body)
	}

	mustDecode(t, u.as(t, "deployer", "POST", "/api/v1/deployments", `{"service": "api", "version": "2.1", "environment": "staging", "components": ["api"],
		"pipeline_url": "javascript:alert(1)"}`), 400, nil)
	mustDecode(t, u.as(t, "deployer", "POST", "/api/v1/deployments", `{"service": "api", "version": "2.1", "environment": "staging", "components": ["api"],
		"commit": "<script>x</script>", "introduces": [{"title": "Exports are slow", "severity": "minor", "public": true}]}`), 201, nil)
	u.clock.add(time.Hour)
	mustDecode(t, u.as(t, "deployer", "POST", "/api/v1/gate/override", `{"service": "api", "version": "2.1", "to": "production", "reason": "Security fix that cannot wait for the soak"}`), 201, nil)
	mustDecode(t, u.as(t, "ingester", "POST", "/api/v1/events/aws", string(mustRead(t, "../release/testdata/codebuild_failed.json"))), 202, nil)

	rec := b.do(t, "GET", "/admin/releases?service=api", nil)
	page := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("releases page: %d %s", rec.Code, page)
	}
	for _, want := range []string{"Releases of api", "2.1", "staging", "brings minor", "Exports are slow",
		"override by deployer", "Reason: Security fix that cannot wait for the soak", "ship to production",
		"codebuild api-build", "FAILED", `href="https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>x") {
		t.Error("the commit was not escaped")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
