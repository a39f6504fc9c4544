package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"github.com/safetynet-dev/safetynet/status"
)

// Status badges, small shields-style SVG images for READMEs and wikis:
//
//	GET /badge.svg               the page's overall state ("status | All Systems Operational")
//	GET /badge/{component}.svg   one public component ("API | partial outage")
//
// They are drawn here, need no font or script, and are open to any origin.
// A component that is unknown or not public answers 404, so a badge URL
// cannot reveal that a private component exists.
func init() {
	extraRoutes = append(extraRoutes, func(s *Server, mux *http.ServeMux) {
		mux.HandleFunc("GET /badge.svg", s.handleBadge)
		mux.HandleFunc("GET /badge/{file}", s.handleBadge)
	})
}

// badgeCacheControl keeps badges fresh: image proxies that honour it
// (GitHub's among them) fetch again after a few seconds.
const badgeCacheControl = "public, max-age=5"

// badgeSetKey marks in the public cache that every badge of the current
// generation was drawn, so a missing key means an unknown component and no
// store query is made for it.
const badgeSetKey = "badge/"

func (s *Server) handleBadge(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	key := "badge.svg"
	if f := r.PathValue("file"); f != "" {
		id, ok := strings.CutSuffix(f, ".svg")
		if !ok || id == "" {
			http.NotFound(w, r)
			return
		}
		key = "badge/" + id
	}
	if s.public == nil {
		unavailable(w, "status badges")
		return
	}
	now := s.now()
	// Every badge is drawn from one read of the data; badgeSetKey says the
	// set is current, so an unknown component costs no store query.
	if _, err := s.publicCache.serve(now, badgeSetKey, func() (map[string][]byte, error) {
		st, err := s.public.Public(r.Context())
		if err != nil {
			return nil, err
		}
		badges := drawBadges(st)
		badges[badgeSetKey] = nil
		return badges, nil
	}); err != nil {
		s.writeError(w, r, err)
		return
	}
	b, _ := s.publicCache.lookup(now, key)
	if b == nil {
		http.NotFound(w, r)
		return
	}
	body := b.raw
	w.Header().Set("Content-Type", "image/svg+xml; charset=utf-8")
	w.Header().Set("Cache-Control", badgeCacheControl)
	// An SVG opened on its own is a document; it has no script, and this
	// keeps it that way.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_, _ = w.Write(body)
}

// drawBadges draws the page's badge and one per component of the public
// state (which holds public components only), keyed as the cache keeps
// them.
func drawBadges(st PublicState) map[string][]byte {
	statuses := map[string]status.Status{}
	out := map[string][]byte{}
	for _, c := range st.Components {
		if c.ID == "" {
			continue
		}
		statuses[c.ID] = c.Status
		st := c.Status
		if st == "" {
			st = status.Operational
		}
		name := c.Name
		if strings.TrimSpace(name) == "" {
			name = c.ID
		}
		out["badge/"+c.ID] = badgeSVG(name, strings.ToLower(statusText(st)), statusColour(st))
	}
	ind := status.PageIndicator(statuses, st.Incidents)
	colour := impactColour(ind.Indicator)
	if ind.Indicator == status.ImpactNone && ind.Description == "Service Under Maintenance" {
		colour = badgeColours["maint"]
	}
	out["badge.svg"] = badgeSVG("status", ind.Description, colour)
	return out
}

// badgeColours are the light theme's colours of web/static/public.css, so
// a badge matches the page it points to. White text on each meets WCAG AA
// for bold text.
var badgeColours = map[string]string{
	"label":    "#555",
	"ok":       "#1a7f37",
	"minor":    "#9a6700",
	"major":    "#bc4c00",
	"critical": "#cf222e",
	"maint":    "#0969da",
}

func statusColour(s status.Status) string {
	switch s {
	case status.Degraded:
		return badgeColours["minor"]
	case status.PartialOutage:
		return badgeColours["major"]
	case status.MajorOutage:
		return badgeColours["critical"]
	case status.UnderMaintenance:
		return badgeColours["maint"]
	}
	return badgeColours["ok"]
}

func impactColour(i status.Impact) string {
	switch i {
	case status.ImpactMinor:
		return badgeColours["minor"]
	case status.ImpactMajor:
		return badgeColours["major"]
	case status.ImpactCritical:
		return badgeColours["critical"]
	}
	return badgeColours["ok"]
}

// maxBadgeText bounds each half of a badge, so a long component name makes
// a long badge, not an enormous one.
const maxBadgeText = 60

// badgeSVG draws a flat two-part badge in the shields.io layout: the label
// on grey, the message on colour, Verdana 11px with a faint shadow.
func badgeSVG(label, message, colour string) []byte {
	label, message = truncateRunes(label, maxBadgeText), truncateRunes(message, maxBadgeText)
	lw, mw := textWidth(label)+10, textWidth(message)+10
	w := lw + mw
	title := xmlEscape(label + ": " + message)
	el, em := xmlEscape(label), xmlEscape(message)
	// Ids unique to the badge's content, so that two different badges
	// inlined in one HTML page do not share a gradient or clip path.
	sum := sha256.Sum256([]byte(label + "\x00" + message + "\x00" + colour))
	id := hex.EncodeToString(sum[:4])
	// Coordinates are scaled by 10 in the text group (font-size 110 with a
	// 0.1 transform), as shields does, for sub-pixel centring.
	return fmt.Appendf(nil, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s"><title>%s</title>`+
		`<linearGradient id="s%s" x2="0" y2="100%%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`+
		`<clipPath id="r%s"><rect width="%d" height="20" rx="3" fill="#fff"/></clipPath>`+
		`<g clip-path="url(#r%s)"><rect width="%d" height="20" fill="%s"/><rect x="%d" width="%d" height="20" fill="%s"/><rect width="%d" height="20" fill="url(#s%s)"/></g>`+
		`<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">`+
		`<text aria-hidden="true" x="%d" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="%d">%s</text>`+
		`<text x="%d" y="140" transform="scale(.1)" fill="#fff" textLength="%d">%s</text>`+
		`<text aria-hidden="true" x="%d" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="%d">%s</text>`+
		`<text x="%d" y="140" transform="scale(.1)" fill="#fff" textLength="%d">%s</text></g></svg>`+"\n",
		w, title, title, id, id, w, id, lw, badgeColours["label"], lw, mw, colour, w, id,
		lw*5, (lw-10)*10, el, lw*5, (lw-10)*10, el,
		(lw*2+mw)*5, (mw-10)*10, em, (lw*2+mw)*5, (mw-10)*10, em)
}

func truncateRunes(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// textWidth estimates the width in pixels of s in Verdana 11px, close
// enough for textLength to fit the text into its box without visible
// squeezing.
func textWidth(s string) int {
	w := 0.0
	for _, r := range s {
		switch {
		case strings.ContainsRune("ijlI.,:;'|!() ", r):
			w += 3.9
		case strings.ContainsRune("ftr-", r):
			w += 4.6
		case strings.ContainsRune("mwMW", r):
			w += 10.5
		case r >= 'A' && r <= 'Z', strings.ContainsRune("0123456789", r):
			w += 7.5
		case r < 0x80:
			w += 6.6
		default:
			w += 8 // wide scripts and symbols
		}
	}
	return int(w + 0.5)
}
