package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/safetynet-dev/safetynet/status"
)

// The uptime bar. A page of 30 components shows 2,700 days; drawn one
// element per day, the bars alone would be most of the page. Consecutive
// days that tell the same story — no data, or fully up with nothing
// public happening — are one rectangle whose tooltip names the range;
// every day with downtime, a worse status or an incident keeps its own
// rectangle and tooltip. The bar is an inline SVG (no script, no request,
// no inline style, so it passes a strict Content-Security-Policy), and the
// days worth reading are also listed in a <details> element below it, so
// keyboard and screen-reader users get them too.

// barRun is one rectangle of the bar: Len days from index Start.
type barRun struct {
	Start, Len int
	Class      string
	Title      string
}

// notable says whether a day needs its own rectangle and a line in the
// list of notable days.
func notable(c dayCell) bool {
	return c.Known && (c.Uptime < 1 || c.Worst != status.Operational || c.Incidents != "")
}

func dayClass(c dayCell) string {
	if !c.Known {
		return "unknown"
	}
	return "w-" + string(c.Worst)
}

func percent(f float64) string { return strconv.FormatFloat(100*f, 'f', 2, 64) + "%" }

func dayTitle(c dayCell) string {
	d := c.Date.UTC().Format("Jan 2, 2006")
	if !c.Known {
		return d + ": no data"
	}
	t := d + ": " + percent(c.Uptime) + " up, worst: " + statusText(c.Worst)
	if c.Incidents != "" {
		t += " — " + c.Incidents
	}
	return t
}

// barRuns groups cells into rectangles.
func barRuns(cells []dayCell) []barRun {
	var runs []barRun
	for i := 0; i < len(cells); {
		c := cells[i]
		if notable(c) {
			runs = append(runs, barRun{Start: i, Len: 1, Class: dayClass(c), Title: dayTitle(c)})
			i++
			continue
		}
		j := i + 1
		for j < len(cells) && !notable(cells[j]) && cells[j].Known == c.Known {
			j++
		}
		r := barRun{Start: i, Len: j - i, Class: dayClass(c)}
		from, to := c.Date.UTC().Format("Jan 2"), cells[j-1].Date.UTC().Format("Jan 2, 2006")
		switch {
		case r.Len == 1:
			r.Title = dayTitle(c)
		case !c.Known:
			r.Title = from + " – " + to + ": no data"
		default:
			r.Title = from + " – " + to + ": 100.00% up, operational"
		}
		runs = append(runs, r)
		i = j
	}
	return runs
}

// uptimeBar draws a component's bar; label is its accessible name.
func uptimeBar(cells []dayCell, label string) template.HTML {
	if len(cells) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="bar" viewBox="0 0 %d 10" preserveAspectRatio="none" role="img" aria-label="%s">`,
		len(cells), template.HTMLEscapeString(label))
	for _, r := range barRuns(cells) {
		// A gap of a fifth of a day between rectangles keeps days apart.
		fmt.Fprintf(&b, `<rect x="%d" width="%s" height="10" class="%s"><title>%s</title></rect>`,
			r.Start, strconv.FormatFloat(float64(r.Len)-0.2, 'f', 1, 64), r.Class, template.HTMLEscapeString(r.Title))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// notableDays lists, newest first, the days a visitor may want to read
// about.
func notableDays(cells []dayCell) []string {
	var out []string
	for i := len(cells) - 1; i >= 0; i-- {
		if notable(cells[i]) {
			out = append(out, dayTitle(cells[i]))
		}
	}
	return out
}
