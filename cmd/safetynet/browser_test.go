package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/safetynet-dev/safetynet/demo"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// chromiumPath finds Debian's chromium: on PATH or at /usr/bin/chromium.
func chromiumPath() string {
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	return ""
}

// TestPublicPageInBrowser is what a visitor sees during an outage, in a
// real headless Chromium: the server runs with a demo target, the target
// fails, a person posts an incident, and the page shows the red banner, the
// red component and the update. It saves a screenshot to the file named by
// SAFETYNET_SCREENSHOT (else into the test's temporary folder) for people
// to look at.
func TestPublicPageInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chromium := chromiumPath()
	if chromium == "" {
		t.Skip("browser test skipped: no chromium on PATH or at /usr/bin/chromium (Debian: apt-get install chromium)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	target := demo.New(demo.Options{Seed: 3})
	demoAddr, err := target.Start(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := fmt.Sprintf(`server:
  listen: 127.0.0.1:0
storage:
  dsn: state/safetynet.db
page:
  title: Acme status
components:
  - id: web
    name: Web app
    group: Product
    description: The site customers log in to.
    public: true
  - id: api
    name: Public API
    group: Product
    description: The REST API.
    public: true
  - id: billing
    name: Billing internals
    public: false
checks:
  - id: web-port
    component: web
    kind: tcp
    target: %[1]s
    interval: 1s
    timeout: 900ms
  - id: api-health
    component: api
    kind: http
    target: http://%[1]s/health
    interval: 1s
    timeout: 900ms
    failures_to_down: 1
    conditions: ["[STATUS] == 200"]
`, demoAddr)
	if err := os.WriteFile(filepath.Join(dir, "safetynet.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	addr, logs, stop := startServe(t, dir, "--config", "safetynet.yaml", "--evaluate-every", "1s")
	base := "http://" + addr

	componentStatus := func(id string) string {
		var v struct {
			Components []struct{ ID, Status string }
		}
		getJSON(t, base+"/api/v2/components.json", &v)
		for _, c := range v.Components {
			if c.ID == id {
				return c.Status
			}
		}
		return ""
	}
	waitFor(t, "the API to be checked", 20*time.Second, func() bool { return componentStatus("api") == "operational" })
	target.SetFailing(true)
	waitFor(t, "the API to turn red", 20*time.Second, func() bool { return componentStatus("api") == "major_outage" })

	// A person posts an incident. The admin API is not there yet, so the
	// test writes through the store, on the server's own SQLite file.
	db, err := store.Open(ctx, filepath.Join(dir, "state", "safetynet.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	inc, err := db.CreateIncident(ctx, status.Incident{Title: "Public API errors", Status: status.Investigating, Impact: status.ImpactCritical, Public: true,
		Components: []status.AffectedComponent{{Component: "api", Status: status.MajorOutage}}},
		status.IncidentUpdate{Body: "We are investigating failures of the Public API.", Author: "ops", Human: true}, "ops")
	if err != nil {
		t.Fatal(err)
	}
	const update = "A bad deploy broke the health route; we are **rolling it back**."
	if _, err := db.AddUpdate(ctx, inc.ID, status.IncidentUpdate{Status: status.Identified, Body: update, Author: "ops", Human: true}, "ops"); err != nil {
		t.Fatal(err)
	}
	// The page is cached for a moment; wait for it to carry the update.
	waitFor(t, "the page to show the update", 10*time.Second, func() bool {
		resp, err := http.Get(base + "/")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return strings.Contains(string(b), "rolling it back")
	})

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.WindowSize(1000, 900),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	if err := chromedp.Do(bctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("header.banner h1"))); err != nil {
		t.Fatalf("chromium: %v\nserver log:\n%s", err, logs)
	}
	// What the visitor sees, read from the rendered page: texts as shown
	// and colours as computed from the style sheet.
	type component struct{ Status, Colour string }
	type seen struct {
		Title, Banner, BannerBG, Active, Body string
		Components                            map[string]component
	}
	v, err := chromedp.Run(bctx, chromedp.Evaluate[seen](`(() => {
		const banner = document.querySelector("header.banner");
		const active = document.querySelector("section[aria-labelledby=active-h]");
		const comps = {};
		for (const c of document.querySelectorAll(".component")) {
			const st = c.querySelector(".status");
			comps[c.querySelector(".name").innerText.trim()] = {Status: st.innerText.trim(), Colour: getComputedStyle(st).color};
		}
		return {Title: document.title, Banner: banner.querySelector("h1").innerText.trim(),
			BannerBG: getComputedStyle(banner).backgroundColor, Active: active ? active.innerText : "",
			Body: document.body.innerText, Components: comps};
	})()`))
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := os.Getenv("SAFETYNET_SCREENSHOT")
	if path == "" {
		path = filepath.Join(t.TempDir(), "status-page.png")
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(shot))

	if v.Banner != "Major Service Outage" || !strings.Contains(v.Title, "Major Service Outage") {
		t.Errorf("banner %q, title %q; want Major Service Outage", v.Banner, v.Title)
	}
	const red = "rgb(207, 34, 46)" // --critical, #cf222e
	if v.BannerBG != red {
		t.Errorf("banner background %s, want red", v.BannerBG)
	}
	if api := v.Components["Public API"]; api.Status != "Major outage" || api.Colour != red {
		t.Errorf("Public API shows %+v, want a red Major outage", api)
	}
	if web := v.Components["Web app"]; web.Status != "Operational" {
		t.Errorf("Web app shows %+v", web)
	}
	if strings.Contains(v.Body, "Billing internals") {
		t.Error("a private component is on the public page")
	}
	// Both updates, the Markdown rendered.
	if !strings.Contains(v.Active, "Public API errors") || !strings.Contains(v.Active, "We are investigating failures of the Public API.") ||
		!strings.Contains(v.Active, "A bad deploy broke the health route; we are rolling it back.") {
		t.Errorf("active incidents read:\n%s", v.Active)
	}

	// Accessibility, checked in the rendered page rather than by eye: in
	// light and dark mode, and on a phone.
	for _, mode := range []struct {
		name        string
		dark, phone bool
	}{{"light", false, false}, {"dark", true, false}, {"phone", false, true}} {
		scheme := "light"
		if mode.dark {
			scheme = "dark"
		}
		width, height := int64(1000), int64(900)
		if mode.phone {
			width, height = 375, 740
		}
		viewport := []chromedp.EmulateViewportOption{}
		if mode.phone {
			viewport = append(viewport, chromedp.EmulateMobile)
		}
		if _, err := chromedp.Call(bctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
			t.Fatalf("%s mode: %v", mode.name, err)
		}
		if err := chromedp.Do(bctx, chromedp.EmulateViewport(width, height, viewport...),
			chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("header.banner h1"))); err != nil {
			t.Fatalf("%s mode: %v", mode.name, err)
		}
		problems, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](accessibilityAudit))
		if err != nil {
			t.Fatalf("%s mode: audit: %v", mode.name, err)
		}
		for _, p := range problems {
			t.Errorf("%s mode: %s", mode.name, p)
		}
		if mode.name != "light" {
			shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
			if err == nil {
				_ = os.WriteFile(strings.TrimSuffix(path, ".png")+"-"+mode.name+".png", shot, 0o644)
			}
		}
	}
	// Keyboard: Tab reaches the incident, the notable days and the footer
	// links, with nothing in between that cannot be seen.
	if _, err := chromedp.Call(bctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}}}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(1000, 900),
		chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("header.banner h1"))); err != nil {
		t.Fatal(err)
	}
	var focused []string
	for range 8 {
		if err := chromedp.Do(bctx, chromedp.KeyEvent("\t")); err != nil {
			t.Fatalf("keyboard: %v", err)
		}
		f, err := chromedp.Run(bctx, chromedp.Evaluate[string](`(() => {
			const e = document.activeElement, r = e.getBoundingClientRect();
			return e.tagName.toLowerCase() + ":" + e.innerText.trim().split("\n")[0] + (r.width > 0 && r.height > 0 ? "" : " (invisible)");
		})()`))
		if err != nil {
			t.Fatalf("keyboard: %v", err)
		}
		focused = append(focused, f)
	}
	tabs := strings.Join(focused, " | ")
	for _, want := range []string{"a:Public API errors", "summary:1 day with trouble or incidents", "a:Subscribe to updates"} {
		if !strings.Contains(tabs, want) {
			t.Errorf("Tab does not reach %q; focus went: %s", want, tabs)
		}
	}
	if strings.Contains(tabs, "(invisible)") {
		t.Errorf("Tab stops on something invisible: %s", tabs)
	}

	// The feed and the badges tell the same story from the real server.
	get := func(path string) (string, http.Header) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		return string(b), resp.Header
	}
	atom, _ := get("/history.atom")
	if !strings.Contains(atom, "Public API errors") || !strings.Contains(atom, "rolling it back") || !strings.Contains(atom, fmt.Sprintf("/incidents/%d</id>", inc.ID)) {
		t.Errorf("the Atom feed lacks the incident or its stable URL:\n%s", atom)
	}
	if svg, h := get("/badge/api.svg"); !strings.Contains(svg, `fill="#cf222e"`) || !strings.Contains(svg, "major outage") || h.Get("Content-Type") != "image/svg+xml; charset=utf-8" {
		t.Errorf("API badge (%s):\n%s", h.Get("Content-Type"), svg)
	}
	resp, err := http.Get(base + "/badge/billing.svg")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("the private component's badge: %s, want 404", resp.Status)
	}

	if code := stop(); code != 0 {
		t.Errorf("serve exited %d:\n%s", code, logs)
	}
}

// accessibilityAudit lists what would fail a visitor: the page language,
// one h1 and no skipped heading level, a name for every image, and WCAG AA
// contrast for every piece of text against the background it sits on
// (4.5:1, or 3:1 for large text), plus no sideways scrolling.
const accessibilityAudit = `(() => {
	const out = [];
	if (!document.documentElement.lang) out.push("html has no lang");
	const hs = [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].map(h => +h.tagName[1]);
	if (hs.filter(l => l === 1).length !== 1) out.push("want exactly one h1, have " + hs.filter(l => l === 1).length);
	for (let i = 1; i < hs.length; i++) if (hs[i] > hs[i-1] + 1) out.push("heading level skips from h" + hs[i-1] + " to h" + hs[i]);
	for (const e of document.querySelectorAll("[role=img], img, svg")) {
		const named = e.getAttribute("aria-label") || e.getAttribute("alt") || e.getAttribute("aria-hidden") === "true";
		const inImage = e.parentElement && e.parentElement.closest("[role=img]");
		if (!named && !inImage) out.push("image without a name: " + e.outerHTML.slice(0, 80));
		if (e.getAttribute("role") === "img" && !e.getAttribute("aria-label")) out.push("role=img without aria-label: " + e.outerHTML.slice(0, 80));
	}
	const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
	const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; }); return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
	const bg = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0) return c; } return [255, 255, 255]; };
	for (const e of document.querySelectorAll("body *")) {
		const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
		const r = e.getBoundingClientRect();
		if (!own || r.width === 0 || r.height === 0) continue;
		const st = getComputedStyle(e);
		const a = lum(rgb(st.color)), b = lum(bg(e));
		const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
		const px = parseFloat(st.fontSize), bold = +st.fontWeight >= 700;
		const need = (px >= 24 || (bold && px >= 18.66)) ? 3 : 4.5;
		if (ratio < need) out.push("contrast " + ratio.toFixed(2) + " < " + need + " for " + e.tagName.toLowerCase() + " \"" + e.innerText.trim().slice(0, 40) + "\"");
	}
	if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push("the page scrolls sideways: " + document.documentElement.scrollWidth + " > " + window.innerWidth);
	return out;
})()`
