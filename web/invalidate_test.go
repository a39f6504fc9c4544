package web_test

import (
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/web"
)

// TestPublicChangedDropsTheCache: the public answers are cached, so a
// change written by another server shows only once PublicChanged (called
// on a change notice from the database) drops them.
func TestPublicChangedDropsTheCache(t *testing.T) {
	pub := samplePublic()
	e := newEnv(t, func(o *web.Options) { o.Public = pub })
	first := e.do(t, "GET", "/api/v2/summary.json", "", "")
	if first.Code != 200 || strings.Contains(first.Body.String(), "Written elsewhere") {
		t.Fatalf("summary: %d %s", first.Code, first.Body)
	}

	// Another server opens an incident: this server's cache still holds
	// the old answer.
	pub.st.Incidents = append([]status.Incident{{ID: 8, Title: "Written elsewhere", Status: status.Investigating, Impact: status.ImpactMinor,
		Public: true, StartedAt: now, CreatedAt: now, UpdatedAt: now}}, pub.st.Incidents...)
	if rec := e.do(t, "GET", "/api/v2/summary.json", "", ""); strings.Contains(rec.Body.String(), "Written elsewhere") {
		t.Fatal("the cache was not in use: this test proves nothing")
	}

	e.srv.PublicChanged()
	rec := e.do(t, "GET", "/api/v2/summary.json", "", "")
	if !strings.Contains(rec.Body.String(), "Written elsewhere") {
		t.Fatalf("after PublicChanged the summary still lacks the new incident: %s", rec.Body)
	}
}
