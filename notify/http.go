package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/safetynet-dev/safetynet"
)

// HTTPError is a webhook's answer other than 2xx.
type HTTPError struct {
	StatusCode int
	// Body is the start of the response body, which is where Slack and
	// PagerDuty say what was wrong ("invalid_payload").
	Body string
	// RetryAfter is the delay the receiver asked for (Retry-After), or 0.
	RetryAfter time.Duration
}

func (e *HTTPError) Error() string {
	s := fmt.Sprintf("HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Body != "" {
		s += ": " + e.Body
	}
	return s
}

// RetryAfter returns the delay a receiver asked for before the next try,
// if err carries one. The dispatcher waits at least that long.
func RetryAfter(err error) (time.Duration, bool) {
	var he *HTTPError
	if errors.As(err, &he) && he.RetryAfter > 0 {
		return he.RetryAfter, true
	}
	return 0, false
}

// PostJSON posts body to u and returns the response body of a 2xx answer,
// or an error. Errors name only the scheme and host of u: the path of a
// Slack, Teams or Discord webhook is its secret.
func PostJSON(ctx context.Context, c *http.Client, u *url.URL, body []byte, header http.Header) ([]byte, error) {
	where := u.Scheme + "://" + u.Host
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", where, redactURLError(err))
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/json")
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "safetynet/"+safetynet.Version)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", where, redactURLError(err))
	}
	defer resp.Body.Close()
	// Read a bounded amount: a receiver is not trusted to send a small body.
	respBody, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("POST %s: %w", where, &HTTPError{
			StatusCode: resp.StatusCode,
			Body:       snippet(respBody, 200),
			RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After")),
		})
	}
	return respBody, nil
}

// redactURLError drops the URL that net/http puts in its errors.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// parseRetryAfter reads the delta-seconds form of Retry-After (Slack,
// Discord and PagerDuty use it; some send fractions). The HTTP-date form is
// ignored: it needs a trusted clock and the backoff covers it.
func parseRetryAfter(v string) time.Duration {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f <= 0 || f > 24*3600 {
		return 0
	}
	return time.Duration(f * float64(time.Second))
}

// snippet returns the start of b as one line of valid UTF-8.
func snippet(b []byte, max int) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	return Truncate(s, max)
}

// Truncate shortens s to at most max runes, ending with "…" when cut.
// Channels use it for the length limits their APIs enforce.
func Truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	if max <= 1 {
		return "…"
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}
