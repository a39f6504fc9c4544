package web_test

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/release"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
	"github.com/safetynet-dev/safetynet/web"
)

// releaseStore is the store with the release service beside it, as serve
// passes it in Options.Store.
type releaseStore struct {
	*store.DB
	*release.Service
}

// newReleaseEnv is an admin env with the release routes wired, an ingest
// token and a team webhook for the api component.
func newReleaseEnv(t *testing.T) *adminEnv {
	t.Helper()
	var a *adminEnv
	plan := status.Plan{
		Components: []status.Component{{ID: "api", Name: "API", Owner: "platform", Public: true}, {ID: "web", Name: "Web", Public: true}},
		Teams:      []status.Team{{Name: "platform", Notifiers: []string{"platform-hook"}}},
	}
	settings := release.Settings{Policy: release.DefaultPolicy(), AWS: release.Mapping{
		Builds: []release.BuildTarget{{Project: "api-build", Service: "api", Components: []string{"api"}}},
	}}
	a = newAdminEnv(t, func(o *web.Options) {
		db := o.Store.(*store.DB)
		o.Store = releaseStore{db, &release.Service{Store: db, Now: o.Now, Settings: func() release.Settings { return settings }, Plan: func() status.Plan { return plan }}}
	})
	secret, hash, err := status.NewTokenSecret()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.CreateToken(t.Context(), status.Token{Name: "eventbridge", Hash: hash, Scopes: []status.Scope{status.ScopeIngest}}); err != nil {
		t.Fatal(err)
	}
	a.secrets["ingester"] = secret
	return a
}

func TestReleaseRoutesNeedTokens(t *testing.T) {
	a := newReleaseEnv(t)
	for _, tc := range []struct {
		name, token, method, path string
		code                      int
	}{
		{"deployments without a token", "", "POST", "/api/v1/deployments", 401},
		{"events without a token", "", "POST", "/api/v1/events/aws", 401},
		{"gate without a token", "", "POST", "/api/v1/gate", 401},
		{"a bad token", "snt_nobody-made-this", "POST", "/api/v1/deployments", 401},
		{"a revoked token", a.secrets["revoked"], "POST", "/api/v1/events/aws", 401},
		{"write is not deploy", a.secrets["writer"], "POST", "/api/v1/deployments", 403},
		{"write cannot override", a.secrets["writer"], "POST", "/api/v1/gate/override", 403},
		{"deploy is not ingest", a.secrets["deployer"], "POST", "/api/v1/events/aws", 403},
		{"ingest is not deploy", a.secrets["ingester"], "POST", "/api/v1/gate", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := a.do(t, tc.method, tc.path, tc.token, `{}`)
			if rec.Code != tc.code {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tc.code, rec.Body)
			}
		})
	}
}

func TestDeploymentsAndGate(t *testing.T) {
	a := newReleaseEnv(t)
	var dep status.Deployment
	mustDecode(t, a.as(t, "deployer", "POST", "/api/v1/deployments", `{"service": "api", "version": "2.0", "environment": "staging", "components": ["api"],
		"commit": "4f1c2e0", "pipeline_url": "https://ci.example.com/1",
		"fixes": [{"title": "Logins fail", "severity": "critical"}],
		"introduces": [{"title": "Exports are slow", "severity": "minor", "workaround": "export by month", "public": true}]}`), 201, &dep)
	if dep.ID == 0 || dep.By != "deployer" || dep.Source != "api" || !dep.At.Equal(a.clock.now()) {
		t.Fatalf("deployment = %+v", dep)
	}
	for name, body := range map[string]string{
		"unknown field":     `{"service": "api", "version": "1", "environment": "staging", "component": ["api"]}`,
		"bad severity":      `{"service": "api", "version": "1", "environment": "staging", "introduces": [{"title": "x", "severity": "meh"}]}`,
		"unknown component": `{"service": "api", "version": "1", "environment": "staging", "components": ["nope"]}`,
		"no version":        `{"service": "api", "environment": "staging"}`,
		"in the future":     `{"service": "api", "version": "1", "environment": "staging", "deployed_at": "2030-01-01T00:00:00Z"}`,
	} {
		if rec := a.as(t, "deployer", "POST", "/api/v1/deployments", body); rec.Code != 400 {
			t.Errorf("%s: status %d: %s", name, rec.Code, rec.Body)
		}
	}

	var dec status.GateDecision
	mustDecode(t, a.as(t, "deployer", "POST", "/api/v1/gate", `{"service": "api", "version": "2.0", "to": "production"}`), 200, &dec)
	if dec.Outcome != status.Hold || !strings.Contains(dec.Reason, "still soaking in staging") || dec.By != "deployer" {
		t.Fatalf("early gate = %+v", dec)
	}
	a.clock.add(25 * time.Hour)
	mustDecode(t, a.as(t, "deployer", "POST", "/api/v1/gate", `{"service": "api", "version": "2.0", "to": "production"}`), 200, &dec)
	if dec.Outcome != status.Ship || len(dec.Inputs.Soaks) != 1 || !dec.Inputs.Soaks[0].Passed {
		t.Fatalf("gate = %+v", dec)
	}
	ks, err := a.db.KnownIssues(t.Context(), false)
	if err != nil || len(ks) != 1 || ks[0].IntroducedIn != "api 2.0" || !ks[0].Public {
		t.Fatalf("known issues = %+v, %v", ks, err)
	}

	var listed struct {
		Deployments []status.Deployment `json:"deployments"`
	}
	mustDecode(t, a.as(t, "reader", "GET", "/api/v1/deployments?service=api", ""), 200, &listed)
	if len(listed.Deployments) != 1 || listed.Deployments[0].Commit != "4f1c2e0" {
		t.Errorf("listed = %+v", listed)
	}
	var decisions struct {
		Decisions []status.GateDecision `json:"decisions"`
	}
	mustDecode(t, a.as(t, "reader", "GET", "/api/v1/gate/decisions?service=api&version=2.0", ""), 200, &decisions)
	if len(decisions.Decisions) != 2 || decisions.Decisions[0].Outcome != status.Ship {
		t.Errorf("decisions = %+v", decisions)
	}
	if rec := a.as(t, "reader", "GET", "/api/v1/gate/decisions", ""); rec.Code != 400 {
		t.Errorf("decisions without a service: %d", rec.Code)
	}
}

func TestGateOverride(t *testing.T) {
	a := newReleaseEnv(t)
	mustDecode(t, a.as(t, "deployer", "POST", "/api/v1/deployments", `{"service": "api", "version": "2.1", "environment": "staging", "components": ["api"]}`), 201, nil)
	if rec := a.as(t, "deployer", "POST", "/api/v1/gate/override", `{"service": "api", "version": "2.1", "to": "production"}`); rec.Code != 400 || !strings.Contains(rec.Body.String(), "written reason") {
		t.Fatalf("override without a reason: %d %s", rec.Code, rec.Body)
	}
	var o status.GateDecision
	mustDecode(t, a.as(t, "deployer", "POST", "/api/v1/gate/override", `{"service": "api", "version": "2.1", "to": "production", "reason": "Security fix; the soak clock restarted for an unrelated config change."}`), 201, &o)
	if o.Outcome != status.Ship || !o.Override || o.By != "deployer" || o.Inputs.PolicyOutcome != status.Hold {
		t.Fatalf("override = %+v", o)
	}
	var dec status.GateDecision
	mustDecode(t, a.as(t, "deployer", "POST", "/api/v1/gate", `{"service": "api", "version": "2.1", "to": "production"}`), 200, &dec)
	if dec.Outcome != status.Ship || !strings.Contains(dec.Reason, "override by deployer") {
		t.Fatalf("gate after override = %+v", dec)
	}
}

func TestAWSEventsWithAPIKeyHeader(t *testing.T) {
	a := newReleaseEnv(t)
	body, err := os.ReadFile("../release/testdata/codebuild_failed.json")
	if err != nil {
		t.Fatal(err)
	}
	post := func(header, value string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/events/aws", strings.NewReader(string(body)))
		req.Header.Set(header, value)
		rec := httptest.NewRecorder()
		a.srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	if rec := post("X-Api-Key", "snt_wrong"); rec.Code != 401 {
		t.Fatalf("a wrong key: %d", rec.Code)
	}
	var h release.Handled
	mustDecode(t, post("X-Api-Key", a.secrets["ingester"]), 202, &h)
	if h.Kind != release.KindCodeBuild || h.State != "FAILED" || strings.Join(h.Actions, ";") != "notified platform" {
		t.Fatalf("handled = %+v", h)
	}
	mustDecode(t, post("Authorization", "Bearer "+a.secrets["ingester"]), 202, &h)
	if !h.Duplicate {
		t.Errorf("the same event again = %+v, want a duplicate", h)
	}
	ns, err := a.db.ClaimNotifications(t.Context(), "test", a.clock.now().Add(time.Hour), 10, time.Minute)
	if err != nil || len(ns) != 1 || ns[0].Notifier != "platform-hook" || ns[0].Message.Event != status.EventBuild {
		t.Fatalf("notifications = %+v, %v", ns, err)
	}
	if rec := a.as(t, "ingester", "POST", "/api/v1/events/aws", `{"detail-type": "Something Else", "id": "x"}`); rec.Code != 400 {
		t.Errorf("an unsupported event: %d %s", rec.Code, rec.Body)
	}
}
