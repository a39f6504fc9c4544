package detect

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// number formats a value for a person: whole numbers with thousands
// separators from 100 up ("1,000"), three significant digits below ("5.25",
// "0.0123").
func number(v float64) string {
	if !finite(v) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	if math.Abs(v) >= 100 {
		return thousands(int64(math.Round(v)))
	}
	if v == 0 {
		return "0"
	}
	s := strconv.FormatFloat(v, 'g', 3, 64)
	if strings.ContainsAny(s, "e") {
		// Three significant digits of a tiny value read better in full.
		s = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return s
}

func thousands(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// percent formats a fraction as a percentage: 0.05 is "5%", 0.988 is
// "99%", 0.005 is "0.5%".
func percent(f float64) string {
	p := f * 100
	if math.Abs(p) >= 10 {
		p = math.Round(p)
	}
	return number(p) + "%"
}

// times formats a ratio as a multiple: "4.2×", or "12×" from ten up.
func times(r float64) string {
	if r >= 10 {
		return strconv.FormatFloat(r, 'f', 0, 64) + "×"
	}
	return strconv.FormatFloat(r, 'f', 1, 64) + "×"
}

// millis formats a latency given in milliseconds: "812 ms", "1.2 s".
func millis(ms float64) string {
	if math.Abs(ms) >= 1000 {
		return number(ms/1000) + " s"
	}
	return number(ms) + " ms"
}

// clock formats the start of a problem in UTC: "21:02 UTC", with the date
// when it is not the same day as now.
func clock(t, now time.Time) string {
	t, now = t.UTC(), now.UTC()
	if t.YearDay() == now.YearDay() && t.Year() == now.Year() {
		return t.Format("15:04 UTC")
	}
	return t.Format("Jan 2 15:04 UTC")
}
