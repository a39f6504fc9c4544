package web

import (
	"net/http"
	"sort"

	"github.com/safetynet-dev/safetynet/status"
)

// The admin release page lists, per service, the recent deployments with
// the gate's decisions beside each version (overrides with their reason
// and author), and the recent build, pipeline and alarm events from AWS.
//
//	GET /admin/releases            every service
//	GET /admin/releases?service=S  one service

// releasesPageLimit bounds what the page reads of each list.
const (
	releasesPageLimit = 200
	releasesPerList   = 20
)

func init() {
	extraRoutes = append(extraRoutes, func(s *Server, mux *http.ServeMux) {
		u := &adminUI{s: s, api: &adminAPI{s: s}, ipFails: newLimiter(maxFailsPerIP), userFails: newLimiter(maxFailsPerUser)}
		u.users, _ = s.store.(status.UserStore)
		rp := &releasesPage{u: u}
		rp.store, _ = s.store.(status.ReleaseStore)
		mux.HandleFunc("GET /admin/releases", u.auth(rp.page))
	})
}

type releasesPage struct {
	u     *adminUI
	store status.ReleaseStore
}

// releasesData is the content of /admin/releases.
type releasesData struct {
	Filter   string
	Services []serviceReleases
}

// serviceReleases is one service's part of the page.
type serviceReleases struct {
	Service     string
	Deployments []deploymentRow
	Events      []status.BuildEvent
	// Undeployed are decisions about versions with no deployment on the
	// page (older ones, or gated before any was recorded).
	Undeployed []status.GateDecision
}

// deploymentRow is a deployment with the decisions about its version.
type deploymentRow struct {
	status.Deployment
	Decisions []status.GateDecision
}

func (p *releasesPage) page(w http.ResponseWriter, r *http.Request, sess uiSession) {
	if p.store == nil {
		unavailable(w, "releases")
		return
	}
	ctx := r.Context()
	filter := r.URL.Query().Get("service")
	deps, err := p.store.Deployments(ctx, status.DeploymentFilter{Service: filter, Limit: releasesPageLimit})
	if err != nil {
		p.u.fail(w, r, err)
		return
	}
	evs, err := p.store.BuildEvents(ctx, status.BuildEventFilter{Service: filter, Limit: releasesPageLimit})
	if err != nil {
		p.u.fail(w, r, err)
		return
	}
	by := map[string]*serviceReleases{}
	get := func(name string) *serviceReleases {
		if by[name] == nil {
			by[name] = &serviceReleases{Service: name}
		}
		return by[name]
	}
	for _, d := range deps {
		if sr := get(d.Service); len(sr.Deployments) < releasesPerList {
			sr.Deployments = append(sr.Deployments, deploymentRow{Deployment: d})
		}
	}
	for _, e := range evs {
		if sr := get(e.Service); len(sr.Events) < releasesPerList {
			sr.Events = append(sr.Events, e)
		}
	}
	d := releasesData{Filter: filter}
	for _, sr := range by {
		if sr.Service != "" {
			decisions, err := p.store.GateDecisions(ctx, sr.Service, "", releasesPageLimit)
			if err != nil {
				p.u.fail(w, r, err)
				return
			}
			for _, dec := range decisions {
				shown := false
				for i := range sr.Deployments {
					// Beside the newest deployment of the version only.
					if sr.Deployments[i].Version == dec.Version {
						sr.Deployments[i].Decisions = append(sr.Deployments[i].Decisions, dec)
						shown = true
						break
					}
				}
				if !shown && len(sr.Undeployed) < releasesPerList {
					sr.Undeployed = append(sr.Undeployed, dec)
				}
			}
		}
		d.Services = append(d.Services, *sr)
	}
	// Named services first, in order; events no mapping names last.
	sort.Slice(d.Services, func(i, j int) bool {
		a, b := d.Services[i].Service, d.Services[j].Service
		if (a == "") != (b == "") {
			return b == ""
		}
		return a < b
	})
	title := "Releases"
	if filter != "" {
		title = "Releases of " + filter
	}
	p.u.render(w, r, http.StatusOK, "admin_releases.html", p.u.data(r, sess, title, d))
}
