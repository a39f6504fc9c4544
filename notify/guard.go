package notify

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
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

// nonPublic are the ranges besides those of ForbiddenAddr that no
// destination chosen by a stranger may reach: addresses inside the network
// or not routed on the internet.
var nonPublic = []struct {
	p   netip.Prefix
	why string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "a reserved address"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a shared (carrier-grade NAT) address"},
	{netip.MustParsePrefix("192.0.0.0/24"), "a reserved address"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address"}, // and broadcast
	{netip.MustParsePrefix("64:ff9b:1::/48"), "a local NAT64 address"},
	{netip.MustParsePrefix("100::/64"), "a discard address"},
	{netip.MustParsePrefix("2001:db8::/32"), "a documentation address"},
}

// The IPv6 ranges that carry an IPv4 address.
var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// ForbiddenPublicAddr is ForbiddenAddr for destinations that strangers
// choose, such as a webhook URL given on the public subscribe form: it also
// refuses private ranges (10/8, 172.16/12, 192.168/16, fc00::/7), shared
// and reserved ranges, multicast and broadcast, and IPv6 addresses that
// embed a forbidden IPv4 one (NAT64, 6to4). Nobody outside the network
// may make the server call inside it.
func ForbiddenPublicAddr(ip netip.Addr) string {
	ip = ip.Unmap()
	if why := ForbiddenAddr(ip); why != "" {
		return why
	}
	switch {
	case ip.IsPrivate():
		return "a private address"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	}
	for _, n := range nonPublic {
		if n.p.Contains(ip) {
			return n.why
		}
	}
	if ip.Is6() {
		b := ip.As16()
		var v4 [4]byte
		switch {
		case nat64.Contains(ip): // the IPv4 address is the last 32 bits
			copy(v4[:], b[12:])
		case sixToFour.Contains(ip): // the IPv4 address is bits 16-48
			copy(v4[:], b[2:6])
		default:
			return ""
		}
		if why := ForbiddenPublicAddr(netip.AddrFrom4(v4)); why != "" {
			return why + " (inside an IPv6 address)"
		}
	}
	return ""
}

// CheckHost refuses a destination host (a name or an address literal, as
// in a URL or an SMTP setting) that is forbidden on its face. Names are
// checked again when dialled, against the addresses they resolve to.
func (e Env) CheckHost(name, field, host string) error {
	return e.checkHost(name, field, host, ForbiddenAddr)
}

func (e Env) checkHost(name, field, host string, forbidden func(netip.Addr) string) error {
	if e.AllowPrivate {
		return nil
	}
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return Invalid(name, field, "host %s is a loopback address (allow private addresses to use it)", host)
	}
	if ip, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil {
		if why := forbidden(ip); why != "" {
			return Invalid(name, field, "host %s is %s (allow private addresses to use it)", host, why)
		}
	}
	return nil
}

// CheckURL parses a destination URL and refuses anything but an absolute
// http or https URL to an allowed host. The URL itself is never put in the
// error: for Slack, Teams and Discord it is the credential.
func (e Env) CheckURL(name, field, raw string) (*url.URL, error) {
	return e.checkURL(name, field, raw, ForbiddenAddr)
}

// CheckPublicURL is CheckURL for a URL that a stranger chose (a subscriber's
// webhook): its host must be public too (see ForbiddenPublicAddr), unless
// Env.AllowPrivate. Send to it with PublicHTTP.
func (e Env) CheckPublicURL(name, field, raw string) (*url.URL, error) {
	return e.checkURL(name, field, raw, ForbiddenPublicAddr)
}

func (e Env) checkURL(name, field, raw string, forbidden func(netip.Addr) string) (*url.URL, error) {
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
	if err := e.checkHost(name, field, u.Hostname(), forbidden); err != nil {
		return nil, err
	}
	return u, nil
}

// Dialer returns a dialer that refuses forbidden addresses after name
// resolution, so a name that resolves to the metadata service is caught as
// surely as the literal address. With allowPrivate it is a plain dialer.
func Dialer(allowPrivate bool, timeout time.Duration) *net.Dialer {
	if allowPrivate {
		return guardedDialer(nil, timeout)
	}
	return guardedDialer(ForbiddenAddr, timeout)
}

// guardedDialer checks each address in the socket's Control hook, which
// runs for the address actually connected to, after resolution: a DNS
// answer that changes between the check of the URL and the connection
// (DNS rebinding) is judged by what it changed to.
func guardedDialer(forbidden func(netip.Addr) string, timeout time.Duration) *net.Dialer {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if forbidden != nil {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("notify: refusing to dial unparsable address %q", address)
			}
			if why := forbidden(ap.Addr()); why != "" {
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
	if e.AllowPrivate {
		return guardedClient(nil)
	}
	return guardedClient(ForbiddenAddr)
}

// PublicHTTP is HTTP for URLs that strangers chose (see CheckPublicURL):
// its dialer refuses private addresses too, unless Env.AllowPrivate.
func (e Env) PublicHTTP() *http.Client {
	if e.HTTPClient != nil {
		return e.HTTPClient
	}
	if e.AllowPrivate {
		return guardedClient(nil)
	}
	return guardedClient(ForbiddenPublicAddr)
}

// proxyFor picks the proxy of a request, from the environment
// (HTTPS_PROXY, NO_PROXY, ...); tests replace it.
var proxyFor = http.ProxyFromEnvironment

// guardedClient builds a client whose connections obey forbidden (nil:
// anything goes). Through a proxy it is the proxy that connects, so the
// destination's name is resolved and checked here first: weaker than the
// check at connect time (the proxy resolves again), which is why a proxy
// is best told to refuse internal addresses as well. The proxy itself was
// chosen by the operator and is reached whatever its address.
func guardedClient(forbidden func(netip.Addr) string) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	var mu sync.Mutex
	proxies := map[string]bool{}
	t.Proxy = func(req *http.Request) (*url.URL, error) {
		pu, err := proxyFor(req)
		if err != nil || pu == nil {
			return pu, err
		}
		if forbidden != nil {
			if err := checkResolved(req.Context(), req.URL.Hostname(), forbidden); err != nil {
				return nil, err
			}
		}
		mu.Lock()
		proxies[proxyAddr(pu)] = true
		mu.Unlock()
		return pu, nil
	}
	d := guardedDialer(forbidden, 10*time.Second)
	plain := guardedDialer(nil, 10*time.Second)
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		mu.Lock()
		isProxy := proxies[addr]
		mu.Unlock()
		if isProxy {
			return plain.DialContext(ctx, network, addr)
		}
		return d.DialContext(ctx, network, addr)
	}
	return &http.Client{
		Transport: t,
		Timeout:   time.Minute, // a backstop; the dispatcher's per-send timeout is shorter
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// proxyAddr is the host:port the transport dials for a proxy URL.
func proxyAddr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443", "socks5": "1080", "socks5h": "1080"}[u.Scheme]
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// checkResolved resolves host and refuses it when any of its addresses is
// forbidden.
func checkResolved(ctx context.Context, host string, forbidden func(netip.Addr) string) error {
	addrs := []netip.Addr{}
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		addrs = append(addrs, ip)
	} else {
		found, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return fmt.Errorf("notify: resolve %s: %w", host, err)
		}
		addrs = found
	}
	for _, a := range addrs {
		if why := forbidden(a); why != "" {
			return fmt.Errorf("notify: refusing to send to %s through a proxy: %s is %s", host, a.Unmap(), why)
		}
	}
	return nil
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
