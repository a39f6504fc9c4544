package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// staticFile is an embedded asset served under a content-hashed name, so
// browsers may cache it forever and a new release still loads the new one.
type staticFile struct {
	body  []byte
	ctype string
}

var (
	staticByHashed = map[string]staticFile{}
	staticURL      = map[string]string{} // "style.css" -> "/static/style.0123abcd.css"
)

func init() {
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := path.Base(p)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		staticByHashed[hashed] = staticFile{body: b, ctype: mime.TypeByExtension(ext)}
		staticURL[name] = "/static/" + hashed
		return nil
	})
	if err != nil {
		panic("web: embedded static files: " + err.Error())
	}
}

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := staticByHashed[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(f.body)
}

var dashboardTmpl = template.Must(template.New("").Funcs(template.FuncMap{
	"static": func(name string) (string, error) {
		u, ok := staticURL[name]
		if !ok {
			return "", fmt.Errorf("no static file %q", name)
		}
		return u, nil
	},
	"statusText": statusText,
	"latency":    formatLatency,
	"age":        formatAge,
	"stamp":      func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
}).ParseFS(templateFS, "templates/dashboard.html"))

// statusText words a component status for people.
func statusText(s status.Status) string {
	switch s {
	case status.Operational:
		return "Operational"
	case status.Degraded:
		return "Degraded performance"
	case status.PartialOutage:
		return "Partial outage"
	case status.MajorOutage:
		return "Major outage"
	case status.UnderMaintenance:
		return "Under maintenance"
	case "":
		return "Unknown"
	}
	return string(s)
}

func formatLatency(d time.Duration) string {
	switch {
	case d <= 0:
		return "–"
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// formatAge says how long before now t was, coarsely: the page refreshes
// every 30 seconds, so seconds are noise past the first minute.
func formatAge(now, t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	d := now.Sub(t)
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// dashboardPage is what the template renders.
type dashboardPage struct {
	Snapshot
	Overall   status.Status
	Groups    []componentGroup
	Orphans   []CheckView // checks whose component is not in the snapshot
	Refresh   int
	Silenced  int
	Unhealthy int
}

type componentGroup struct {
	Name       string
	Components []componentRow
}

type componentRow struct {
	ComponentView
	Checks []CheckView
	Alerts []status.Alert
}

// RefreshSeconds is how often the dashboard reloads itself (a meta tag, so
// it works without JavaScript).
const RefreshSeconds = 30

func buildPage(snap Snapshot) dashboardPage {
	p := dashboardPage{Snapshot: snap, Overall: status.Operational, Refresh: RefreshSeconds}
	checksBy := map[string][]CheckView{}
	for _, c := range snap.Checks {
		checksBy[c.Component] = append(checksBy[c.Component], c)
	}
	alertsBy := map[string][]status.Alert{}
	for _, a := range snap.Alerts {
		alertsBy[a.Component] = append(alertsBy[a.Component], a)
		if a.Silenced {
			p.Silenced++
		}
	}
	comps := append([]ComponentView(nil), snap.Components...)
	sort.SliceStable(comps, func(i, j int) bool {
		if comps[i].Group != comps[j].Group {
			return comps[i].Group < comps[j].Group
		}
		if comps[i].Position != comps[j].Position {
			return comps[i].Position < comps[j].Position
		}
		return comps[i].Name < comps[j].Name
	})
	known := map[string]bool{}
	for _, c := range comps {
		known[c.ID] = true
		p.Overall = status.Worst(p.Overall, c.Status)
		if c.Status != status.Operational && c.Status != "" {
			p.Unhealthy++
		}
		if len(p.Groups) == 0 || p.Groups[len(p.Groups)-1].Name != c.Group {
			p.Groups = append(p.Groups, componentGroup{Name: c.Group})
		}
		g := &p.Groups[len(p.Groups)-1]
		g.Components = append(g.Components, componentRow{ComponentView: c, Checks: checksBy[c.ID], Alerts: alertsBy[c.ID]})
	}
	for _, c := range snap.Checks {
		if !known[c.Component] {
			p.Orphans = append(p.Orphans, c)
		}
	}
	return p
}

func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	if s.dashboard == nil {
		unavailable(w, "the dashboard")
		return
	}
	snap, err := s.snapshot(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// Render to a buffer first so a template error is a clean 500, not
	// half a page.
	var buf bytes.Buffer
	if err := dashboardTmpl.ExecuteTemplate(&buf, "dashboard.html", buildPage(snap)); err != nil {
		s.writeError(w, r, fmt.Errorf("web: render dashboard: %w", err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
