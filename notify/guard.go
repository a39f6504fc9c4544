package notify

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// metadataAddrs are the instance metadata services of the big clouds. Most
// are link-local anyway; the AWS IPv6 one and Alibaba's are not, which is
// why they are listed by address.
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"), // AWS, GCP, Azure, OpenStack
	netip.MustParseAddr("fd00:ec2::254"),   // AWS over IPv6
	netip.MustParseAddr("100.100.100.200"), // Alibaba Cloud
}

// ForbiddenAddr says why a notifier may not connect to ip, or returns ""
// when it may. Refused unless Env.AllowPrivate: cloud metadata services,
// link-local addresses, loopback and the unspecified address. A webhook URL
// is configuration that reaches out from inside the network, so pointing it
// at the metadata service (credentials) or at the server itself (its admin
// API) must not work by default. Private ranges (10/8, 192.168/16, ...)
// stay allowed: internal receivers live there.
func ForbiddenAddr(ip netip.Addr) string {
	ip = ip.Unmap()
	for _, m := range metadataAddrs {
		if ip == m {
			return "a cloud metadata address"
		}
	}
	switch {
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "a link-local address"
	case ip.IsLoopback():
		return "a loopback address"
	case ip.IsUnspecified():
		return "an unspecified address"
	}
	return ""
}

// CheckHost refuses a destination host (a name or an address literal, as
// in a URL or an SMTP setting) that is forbidden on its face. Names are
// checked again when dialled, against the addresses they resolve to.
func (e Env) CheckHost(name, field, host string) error {
	if e.AllowPrivate {
		return nil
	}
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return Invalid(name, field, "host %s is a loopback address (allow private addresses to use it)", host)
	}
	if ip, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil {
		if why := ForbiddenAddr(ip); why != "" {
			return Invalid(name, field, "host %s is %s (allow private addresses to use it)", host, why)
		}
	}
	return nil
}

// CheckURL parses a destination URL and refuses anything but an absolute
// http or https URL to an allowed host. The URL itself is never put in the
// error: for Slack, Teams and Discord it is the credential.
func (e Env) CheckURL(name, field, raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, Invalid(name, field, "not a valid URL")
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, Invalid(name, field, "must be an http or https URL")
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, Invalid(name, field, "URL has no host")
	}
	if u.User != nil {
		return nil, Invalid(name, field, "URL must not carry a user name or password")
	}
	if err := e.CheckHost(name, field, u.Hostname()); err != nil {
		return nil, err
	}
	return u, nil
}

// Dialer returns a dialer that refuses forbidden addresses after name
// resolution, so a name that resolves to the metadata service is caught as
// surely as the literal address. With allowPrivate it is a plain dialer.
func Dialer(allowPrivate bool, timeout time.Duration) *net.Dialer {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("notify: refusing to dial unparsable address %q", address)
			}
			if why := ForbiddenAddr(ap.Addr()); why != "" {
				return fmt.Errorf("notify: refusing to connect to %s: it is %s", ap.Addr(), why)
			}
			return nil
		}
	}
	return d
}

// HTTP returns the client notifiers send with: Env.HTTPClient if set,
// otherwise one whose dialer refuses forbidden addresses and which never
// follows redirects (a redirect is how a harmless-looking URL would reach a
// forbidden one, and a webhook that redirects is misconfigured anyway).
func (e Env) HTTP() *http.Client {
	if e.HTTPClient != nil {
		return e.HTTPClient
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return Dialer(e.AllowPrivate, 10*time.Second).DialContext(ctx, network, addr)
	}
	return &http.Client{
		Transport: t,
		Timeout:   time.Minute, // a backstop; the dispatcher's per-send timeout is shorter
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// SecretURL reads a destination URL that is itself a credential (a Slack,
// Teams or Discord webhook) from fieldBase_env or fieldBase_file and checks
// it with CheckURL.
func (e Env) SecretURL(name, fieldBase, envVar, file string) (*url.URL, error) {
	raw, err := e.Secret(name, fieldBase, envVar, file)
	if err != nil {
		return nil, err
	}
	field := fieldBase + "_env"
	if file != "" {
		field = fieldBase + "_file"
	}
	return e.CheckURL(name, field, raw)
}
