package web

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	"github.com/safetynet-dev/safetynet/status"
)

// LatencyPoint is one point of a component's latency chart.
type LatencyPoint struct {
	At  time.Time
	P50 time.Duration
	P95 time.Duration
}

// markdown renders incident text. goldmark's default renderer drops raw
// HTML and dangerous link targets (javascript:, vbscript:, data: other than
// images), which is the sanitising the public page needs: people paste
// from chat during an outage. Images become links: an <img> from another
// host would be fetched by every visitor's browser and feed reader, telling
// that host who reads the page (the CSP blocks it on the page, but feed
// readers have no CSP).
var markdown = goldmark.New(goldmark.WithRendererOptions(
	renderer.WithNodeRenderers(util.Prioritized(imageAsLink{}, 100))))

// imageAsLink renders a Markdown image as a link to it, its alt text as
// the link's text.
type imageAsLink struct{}

func (imageAsLink) RegisterFuncs(r renderer.NodeRendererFuncRegisterer) {
	r.Register(ast.KindImage, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		img := n.(*ast.Image)
		if !entering {
			_, _ = w.WriteString("</a>")
			return ast.WalkContinue, nil
		}
		_, _ = w.WriteString(`<a href="`)
		if !html.IsDangerousURL(img.Destination) {
			_, _ = w.Write(util.EscapeHTML(util.URLEscape(img.Destination, true)))
		}
		_, _ = w.WriteString(`" rel="nofollow noopener">`)
		return ast.WalkContinue, nil
	})
}

func renderMarkdown(s string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(s), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(s))
	}
	return template.HTML(buf.String()) // goldmark escaped it: raw HTML is omitted
}

// publicPageData is what the public template renders.
type publicPageData struct {
	PublicState
	Indicator     status.Indicator
	Groups        []publicGroup
	Active        []status.Incident
	History       []status.Incident
	PageNo, Pages int
	Maintenance   []maintenanceView
	Known         []status.KnownIssue
	Now           time.Time
}

type publicGroup struct {
	Name       string
	Components []publicComponentView
}

// publicComponentView is a component with the cells of its uptime bar
// ready to draw, each naming that day's incidents.
type publicComponentView struct {
	PublicComponent
	Cells []dayCell
}

type dayCell struct {
	status.UptimeDay
	Incidents string // titles of the public incidents that touched the component that day
}

type maintenanceView struct {
	status.Maintenance
	State string
}

const historyPerPage = 10

func buildPublicPage(st PublicState, now time.Time, page int) publicPageData {
	statuses := map[string]status.Status{}
	for _, c := range st.Components {
		statuses[c.ID] = c.Status
	}
	d := publicPageData{PublicState: st, Indicator: status.PageIndicator(statuses, st.Incidents), Now: now, PageNo: page}
	for _, c := range st.Components {
		if len(d.Groups) == 0 || d.Groups[len(d.Groups)-1].Name != c.Group {
			d.Groups = append(d.Groups, publicGroup{Name: c.Group})
		}
		g := &d.Groups[len(d.Groups)-1]
		g.Components = append(g.Components, publicComponentView{PublicComponent: c, Cells: dayCells(c, st.Incidents, now)})
	}
	var history []status.Incident
	for _, inc := range st.Incidents {
		if !inc.Public || inc.MergedInto != 0 {
			continue
		}
		if inc.Status != status.Resolved {
			d.Active = append(d.Active, inc)
		} else if now.Sub(inc.StartedAt) <= 90*24*time.Hour {
			history = append(history, inc)
		}
	}
	d.Pages = max(1, (len(history)+historyPerPage-1)/historyPerPage)
	d.PageNo = min(max(page, 1), d.Pages)
	from := (d.PageNo - 1) * historyPerPage
	d.History = history[from:min(from+historyPerPage, len(history))]
	for _, m := range st.Maintenances {
		state := maintenanceStatus(m, now)
		if state != "completed" {
			d.Maintenance = append(d.Maintenance, maintenanceView{m, state})
		}
	}
	for _, k := range st.KnownIssues {
		if k.Public && k.ResolvedAt == nil {
			d.Known = append(d.Known, k)
		}
	}
	return d
}

// dayCells pairs each day of a component's uptime bar with the public
// incidents that touched the component on that day.
func dayCells(c PublicComponent, incidents []status.Incident, now time.Time) []dayCell {
	cells := make([]dayCell, len(c.Days))
	for i, day := range c.Days {
		cells[i].UptimeDay = day
		start, end := day.Date, day.Date.Add(24*time.Hour)
		var titles []string
		for _, inc := range incidents {
			if !inc.Public || inc.MergedInto != 0 || !touches(inc, c.ID) {
				continue
			}
			until := now
			if inc.ResolvedAt != nil {
				until = *inc.ResolvedAt
			}
			if inc.StartedAt.Before(end) && !until.Before(start) {
				titles = append(titles, inc.Title)
			}
		}
		cells[i].Incidents = strings.Join(titles, "; ")
	}
	return cells
}

func touches(inc status.Incident, component string) bool {
	for _, a := range inc.Components {
		if a.Component == component {
			return true
		}
	}
	return false
}

// latencySVG draws a component's latency over its points as a small inline
// SVG (p50 line and p95 line), so the chart needs no script or request.
func latencySVG(points []LatencyPoint, deploys []time.Time) template.HTML {
	if len(points) < 2 {
		return ""
	}
	const w, h = 300.0, 48.0
	var top time.Duration
	for _, p := range points {
		top = max(top, p.P95, p.P50)
	}
	if top <= 0 {
		return ""
	}
	t0, t1 := points[0].At, points[len(points)-1].At
	span := t1.Sub(t0).Seconds()
	if span <= 0 {
		return ""
	}
	line := func(pick func(LatencyPoint) time.Duration) string {
		var b strings.Builder
		for i, p := range points {
			x := w * p.At.Sub(t0).Seconds() / span
			y := h - 2 - (h-4)*float64(pick(p))/float64(top)
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%.1f,%.1f", x, y)
		}
		return b.String()
	}
	label := fmt.Sprintf("Latency over the last %s: p95 up to %s", roundSpan(t1.Sub(t0)), formatLatency(top))
	var marks strings.Builder
	n := 0
	for _, d := range deploys {
		if d.Before(t0) || d.After(t1) {
			continue
		}
		n++
		x := w * d.Sub(t0).Seconds() / span
		fmt.Fprintf(&marks, `<line class="deploy" x1="%.1f" x2="%.1f" y1="0" y2="%.0f"><title>Deployment at %s</title></line>`,
			x, x, h, d.UTC().Format("Jan 2, 15:04 UTC"))
	}
	if n > 0 {
		label += fmt.Sprintf("; %d deployment%s marked", n, map[bool]string{true: "s", false: ""}[n > 1])
	}
	return template.HTML(fmt.Sprintf(`<svg class="latency" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" preserveAspectRatio="none"><title>%s</title><polyline class="p95" points="%s"/><polyline class="p50" points="%s"/>%s</svg>`,
		w, h, template.HTMLEscapeString(label), template.HTMLEscapeString(label),
		line(func(p LatencyPoint) time.Duration { return p.P95 }), line(func(p LatencyPoint) time.Duration { return p.P50 }), marks.String()))
}

func roundSpan(d time.Duration) string {
	if d >= 24*time.Hour {
		return strconv.Itoa(int(math.Round(d.Hours()/24))) + " days"
	}
	return strconv.Itoa(int(math.Round(d.Hours()))) + " hours"
}

var publicFuncs = template.FuncMap{
	"markdown":    renderMarkdown,
	"latencySVG":  latencySVG,
	"percent":     percent,
	"uptimeBar":   uptimeBar,
	"notableDays": notableDays,
	"iso":         func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"utc":         func(t time.Time) string { return t.UTC().Format("Jan 2, 15:04 UTC") },
	"day":         func(t time.Time) string { return t.UTC().Format("Jan 2, 2006") },
	"statusText":  statusText,
	"impactText": func(i status.Impact) string {
		switch i {
		case status.ImpactMinor:
			return "Minor"
		case status.ImpactMajor:
			return "Major"
		case status.ImpactCritical:
			return "Critical"
		}
		return "None"
	},
	"cap": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + strings.ReplaceAll(s[1:], "_", " ")
	},
	"add": func(a, b int) int { return a + b },
	// newestFirst lists an incident's updates as status pages do: the
	// latest word first.
	"newestFirst": func(us []status.IncidentUpdate) []status.IncidentUpdate {
		out := make([]status.IncidentUpdate, len(us))
		for i, u := range us {
			out[len(us)-1-i] = u
		}
		return out
	},
	"static": func(name string) (string, error) {
		u, ok := staticURL[name]
		if !ok {
			return "", fmt.Errorf("no static file %q", name)
		}
		return u, nil
	},
}

var publicTmpl = template.Must(template.New("").Funcs(publicFuncs).ParseFS(templateFS, "templates/public*.html"))

// handlePublicPage serves the public status page; the first page of
// history is cached with the JSON answers.
func (s *Server) handlePublicPage(w http.ResponseWriter, r *http.Request) {
	if s.public == nil {
		unavailable(w, "the status page")
		return
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	now := s.now()
	render := func() ([]byte, error) {
		st, err := s.public.Public(r.Context())
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := publicTmpl.ExecuteTemplate(&buf, "public.html", buildPublicPage(st, now, page)); err != nil {
			return nil, fmt.Errorf("web: render status page: %w", err)
		}
		return buf.Bytes(), nil
	}
	if page > 1 {
		// Older history pages are rare reads: rendered each time.
		body, err := render()
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeHTML(w, body, "public, max-age=5")
		return
	}
	b, err := s.publicCache.serve(now, "index.html", func() (map[string][]byte, error) {
		body, err := render()
		if err != nil {
			return nil, err
		}
		return map[string][]byte{"index.html": body}, nil
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if st, stale := s.stale(); stale {
		// The last good page, marked as old; not kept by caches, so the
		// note goes as soon as the data is fresh again.
		writeHTML(w, withStaleNote(b.raw, st), "no-store")
		return
	}
	b.write(w, r, "text/html; charset=utf-8", "public, max-age=5")
}

// handleIncidentPage serves the stable page of one public incident.
func (s *Server) handleIncidentPage(w http.ResponseWriter, r *http.Request) {
	if s.public == nil {
		unavailable(w, "the status page")
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	st, err := s.public.Public(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, inc := range st.Incidents {
		if inc.ID == id && inc.Public {
			var buf bytes.Buffer
			data := struct {
				PublicState
				Incident status.Incident
			}{st, inc}
			if err := publicTmpl.ExecuteTemplate(&buf, "public_incident.html", data); err != nil {
				s.writeError(w, r, fmt.Errorf("web: render incident page: %w", err))
				return
			}
			writeHTML(w, buf.Bytes(), "public, max-age=30")
			return
		}
	}
	http.NotFound(w, r)
}

func writeHTML(w http.ResponseWriter, body []byte, cache string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", cache)
	_, _ = w.Write(body)
}
