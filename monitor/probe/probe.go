package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// Prober runs one check once.
type Prober interface {
	// Probe runs the check within ctx's deadline and fills OK, Error,
	// Warning, Latency, Conditions and Values; the caller sets CheckID,
	// Location and At.
	Probe(ctx context.Context) status.Result
}

// Options are what all probes of one monitor share. Build one value, with
// Transports set, and pass it to every New, so that HTTP checks share one
// transport.
type Options struct {
	// Now is the clock certificate expiry is measured with; time.Now when
	// nil. Latency is always measured on the monotonic clock.
	Now func() time.Time
	// RootCAs verifies server certificates; the system's roots when nil.
	RootCAs *x509.CertPool
	// MaxBody bounds how much of an HTTP body is read for conditions and
	// extraction; 1 MiB when zero.
	MaxBody int64
	// UserAgent is sent by HTTP checks that set none; "safetynet/<version>"
	// when empty.
	UserAgent string
	// ResolvConf is the file dns checks without a server read their
	// resolvers from; /etc/resolv.conf when empty.
	ResolvConf string
	// Transports are the shared HTTP transports; New makes private ones
	// for each check when nil, which works but shares nothing.
	Transports *Transports
}

// DefaultMaxBody is how much of a response body is read by default.
const DefaultMaxBody = 1 << 20

// fallbackTimeout bounds a probe whose context carries no deadline.
const fallbackTimeout = 10 * time.Second

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o Options) maxBody() int64 {
	if o.MaxBody > 0 {
		return o.MaxBody
	}
	return DefaultMaxBody
}

// Transports holds the two HTTP transports every HTTP check shares: one
// verifying certificates, one not (insecure_skip_verify).
type Transports struct {
	verify, insecure *http.Transport
}

// NewTransports builds the shared transports. Keep-alives are off so that
// every run opens a new connection, as a remote probe's would: a check must
// see a dead listener or a slow handshake, not a pooled connection.
func NewTransports(rootCAs *x509.CertPool) *Transports {
	mk := func(insecure bool) *http.Transport {
		return &http.Transport{
			Proxy:             http.ProxyFromEnvironment,
			DialContext:       (&net.Dialer{KeepAlive: -1}).DialContext,
			DisableKeepAlives: true,
			// Health routes are small; decompressing would cost a large
			// flate window per run for nothing.
			DisableCompression:     true,
			MaxResponseHeaderBytes: 64 << 10,
			TLSClientConfig: &tls.Config{
				RootCAs:            rootCAs,
				InsecureSkipVerify: insecure, //nolint:gosec // the user's explicit insecure_skip_verify
				MinVersion:         tls.VersionTLS12,
			},
		}
	}
	return &Transports{verify: mk(false), insecure: mk(true)}
}

// CloseIdleConnections closes whatever the transports hold; with
// keep-alives off that is nothing, but it keeps shutdown honest.
func (t *Transports) CloseIdleConnections() {
	t.verify.CloseIdleConnections()
	t.insecure.CloseIdleConnections()
}

// New builds the prober for a check from c.Kind and c.Spec (the JSON of the
// kind's spec struct). A bad spec returns a safetynet.Error with code
// EINVALID naming the check and the field, so New doubles as config
// validation.
func New(c *status.Check, opts Options) (Prober, error) {
	spec, err := NewSpec(c.Kind)
	if err != nil {
		return nil, invalid(c, "%v", err)
	}
	if len(c.Spec) > 0 {
		d := json.NewDecoder(bytes.NewReader(c.Spec))
		d.DisallowUnknownFields()
		if err := d.Decode(spec); err != nil {
			return nil, invalid(c, "spec: %v", err)
		}
	}
	switch s := spec.(type) {
	case *HTTPSpec:
		return newHTTP(c, s, opts)
	case *TCPSpec:
		return newTCP(c, s)
	case *UDPSpec:
		return newUDP(c, s)
	case *STUNSpec:
		return newSTUN(c, s)
	case *DNSSpec:
		return newDNS(c, s, opts)
	case *TLSSpec:
		return newTLS(c, s, opts)
	case *HeartbeatSpec:
		if _, err := heartbeatGrace(c, s); err != nil {
			return nil, err
		}
		if err := checkTokenSource(c, s); err != nil {
			return nil, err
		}
		return heartbeatProber{}, nil
	}
	return nil, invalid(c, "unsupported kind")
}

// invalid reports a bad spec in the form "http check api/health: ...".
func invalid(c *status.Check, format string, args ...any) error {
	return safetynet.Errorf(safetynet.EINVALID, "%s check %s: %s", c.Kind, c.ID, fmt.Sprintf(format, args...))
}

// target picks the spec's address or, when empty, the check's Target.
func target(specValue, checkTarget string) string {
	if specValue != "" {
		return specValue
	}
	return checkTarget
}

// withDeadline gives ctx a deadline when it has none, so that no probe can
// hang for ever. The check's timeout is preferred.
func withDeadline(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	if timeout <= 0 {
		timeout = fallbackTimeout
	}
	return context.WithTimeout(ctx, timeout)
}

// bindConn makes conn obey ctx: its deadline, and its cancellation (a
// shutdown) at any time. The returned stop must be called when done.
func bindConn(ctx context.Context, conn net.Conn) (stop func() bool) {
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	return context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
}

// failure describes err for a person, naming a timeout as such rather than
// as "i/o timeout" or "context deadline exceeded".
func failure(ctx context.Context, err error, took time.Duration) string {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded || errors.As(err, &ne) && ne.Timeout() {
		return "timed out after " + took.Round(time.Millisecond).String()
	}
	if errors.Is(err, context.Canceled) {
		return "canceled"
	}
	return err.Error()
}

// bufPool holds the 64 KiB read buffers of tcp, udp and stun probes.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// splitHostPortDefault accepts host or host:port and fills in port.
func splitHostPortDefault(addr, port string) (string, error) {
	if addr == "" {
		return "", errors.New("no address")
	}
	if _, _, err := net.SplitHostPort(addr); err == nil {
		return addr, nil
	}
	host := strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")
	if strings.ContainsAny(host, "/ ") {
		return "", fmt.Errorf("address %q is not host:port", addr)
	}
	return net.JoinHostPort(host, port), nil
}

// requireHostPort checks an address is host:port with a numeric port.
func requireHostPort(addr string) error {
	if addr == "" {
		return errors.New("address is empty: set address (host:port) or the check's target")
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q is not host:port", addr)
	}
	if host == "" {
		return fmt.Errorf("address %q has no host", addr)
	}
	if _, err := net.LookupPort("tcp", port); err != nil || port == "0" {
		return fmt.Errorf("address %q has a bad port", addr)
	}
	return nil
}
