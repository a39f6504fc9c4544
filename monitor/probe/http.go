package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// maxRedirects is how many redirects an http check follows.
const maxRedirects = 10

// defaultCondition applies when a check lists none.
const defaultCondition = "[STATUS] < 400"

var metricNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$`)

type extraction struct {
	name string
	path []step
}

type httpProbe struct {
	method   string
	url      string
	header   http.Header // read-only after New: shared by every run
	host     string
	body     string
	client   *http.Client
	conds    []*condition
	extract  []extraction
	readBody bool
	timeout  time.Duration
	opts     Options
}

func newHTTP(c *status.Check, s *HTTPSpec, opts Options) (Prober, error) {
	p := &httpProbe{body: s.Body, timeout: c.Timeout, opts: opts}
	p.url = target(s.URL, c.Target)
	if p.url == "" {
		return nil, invalid(c, "url is empty: set url or the check's target")
	}
	u, err := url.Parse(p.url)
	if err != nil {
		return nil, invalid(c, "url %q: %v", p.url, errors.Unwrap(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, invalid(c, "url %q must be an absolute http:// or https:// URL", p.url)
	}
	p.method = strings.ToUpper(s.Method)
	if p.method == "" {
		p.method = http.MethodGet
	}
	if !validToken(p.method) {
		return nil, invalid(c, "method %q is not an HTTP method", s.Method)
	}
	p.header = make(http.Header, len(s.Headers)+1)
	for k, v := range s.Headers {
		if !validToken(k) || strings.ContainsAny(v, "\r\n") {
			return nil, invalid(c, "header %q: bad name or value", k)
		}
		if strings.EqualFold(k, "Host") {
			p.host = v
			continue
		}
		p.header.Set(k, v)
	}
	if p.header.Get("User-Agent") == "" {
		ua := opts.UserAgent
		if ua == "" {
			ua = "safetynet/" + safetynet.Version
		}
		p.header.Set("User-Agent", ua)
	}

	conds := s.Conditions
	if len(conds) == 0 {
		conds = []string{defaultCondition}
	}
	for i, expr := range conds {
		cond, err := parseCondition(expr)
		if err != nil {
			return nil, invalid(c, "condition %d `%s`: %v", i+1, strings.TrimSpace(expr), err)
		}
		if cond.lhs.needsBody() {
			p.readBody = true
		}
		p.conds = append(p.conds, cond)
	}
	names := make([]string, 0, len(s.Extract))
	for name := range s.Extract {
		names = append(names, name)
	}
	sort.Strings(names) // stable error order and result order
	for _, name := range names {
		if !metricNameRE.MatchString(name) {
			return nil, invalid(c, "extract %q: a metric name is letters, digits, '_', '.', ':' and '-'", name)
		}
		raw := strings.TrimSpace(s.Extract[name])
		rest, ok := strings.CutPrefix(raw, "[BODY]")
		if !ok && !strings.HasPrefix(raw, "[") && !strings.HasPrefix(raw, ".") {
			rest = "." + raw // "data.users" is short for "[BODY].data.users"
		}
		path, err := parsePath(rest)
		if err != nil || len(path) == 0 {
			if err == nil {
				err = errors.New("empty path")
			}
			return nil, invalid(c, "extract %s `%s`: %v", name, raw, err)
		}
		p.extract = append(p.extract, extraction{name: name, path: path})
		p.readBody = true
	}

	tr := opts.Transports
	if tr == nil {
		tr = NewTransports(opts.RootCAs)
	}
	rt := tr.verify
	if s.InsecureSkipVerify {
		rt = tr.insecure
	}
	p.client = &http.Client{Transport: rt}
	if s.FollowRedirects {
		p.client.CheckRedirect = func(_ *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("stopped after %d redirects", maxRedirects)
			}
			return nil
		}
	} else {
		p.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return p, nil
}

// validToken reports whether s is an HTTP token (a method or header name).
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}

// bodyPool recycles body buffers; buffers grown past poolMax are dropped
// so that one large response does not pin a megabyte for ever.
var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const poolMax = 256 << 10

func (p *httpProbe) Probe(ctx context.Context) status.Result {
	ctx, cancel := withDeadline(ctx, p.timeout)
	defer cancel()
	var res status.Result
	var reqBody io.Reader
	if p.body != "" {
		reqBody = strings.NewReader(p.body)
	}
	req, err := http.NewRequestWithContext(ctx, p.method, p.url, reqBody)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	req.Header = p.header
	if p.host != "" {
		req.Host = p.host
	}
	start := time.Now()
	resp, err := p.client.Do(req)
	res.Latency = time.Since(start)
	if err != nil {
		res.Error = httpFailure(ctx, err, res.Latency)
		return res
	}
	defer resp.Body.Close()

	r := response{status: resp.StatusCode, latency: res.Latency, header: resp.Header}
	if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
		r.hasCert = true
		r.certLeft = resp.TLS.PeerCertificates[0].NotAfter.Sub(p.opts.now())
	}
	if p.readBody {
		buf := bodyPool.Get().(*bytes.Buffer)
		buf.Reset()
		defer func() {
			if buf.Cap() <= poolMax {
				bodyPool.Put(buf)
			}
		}()
		limit := p.opts.maxBody()
		if _, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1)); err != nil {
			res.Error = "reading body: " + failure(ctx, err, time.Since(start))
			return res
		}
		r.body = buf.Bytes()
		if int64(len(r.body)) > limit {
			r.body, r.truncated = r.body[:limit], true
		}
	}

	res.OK = true
	res.Conditions = make([]status.ConditionResult, len(p.conds))
	var failed []string
	for i, c := range p.conds {
		ok, detail := c.eval(&r)
		res.Conditions[i] = status.ConditionResult{Expr: c.expr, OK: ok, Detail: detail}
		if !ok {
			res.OK = false
			failed = append(failed, c.expr+" failed: got "+detail)
		}
	}
	res.Error = strings.Join(failed, "; ")
	if len(p.extract) > 0 {
		var missing []string
		for _, ex := range p.extract {
			f, err := extractNumber(&r, ex.path)
			if err != nil {
				missing = append(missing, "extract "+ex.name+": "+err.Error())
				continue
			}
			if res.Values == nil {
				res.Values = make(map[string]float64, len(p.extract))
			}
			res.Values[ex.name] = f
		}
		// A value that vanished from a health route is worth a look, but
		// the service still answered: degraded, not down.
		if res.OK && len(missing) > 0 {
			res.Warning = strings.Join(missing, "; ")
		}
	}
	return res
}

// extractNumber reads a number at path: a JSON number, a numeric string,
// or a boolean as 1 or 0.
func extractNumber(r *response, path []step) (float64, error) {
	doc, err := r.json()
	if err != nil {
		return 0, err
	}
	v, err := lookup(doc, path)
	if err != nil {
		return 0, err
	}
	switch x := v.(type) {
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case string:
		if f, ok := parseNumber(x); ok {
			return f, nil
		}
	default:
		if jv := jsonValue(v); jv.isNum {
			return jv.num, nil
		}
	}
	return 0, fmt.Errorf("%s is %s, not a number", pathString(path), clip(jsonValue(v).str))
}

// httpFailure words a failed request: the cause without Go's
// `Get "url":` prefix, which the check's own name already says.
func httpFailure(ctx context.Context, err error, took time.Duration) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return "timed out after " + took.Round(time.Millisecond).String()
		}
		err = ue.Err
	}
	return failure(ctx, err, took)
}
