package notify

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func TestForbiddenPublicAddr(t *testing.T) {
	for addr, want := range map[string]string{
		"169.254.169.254":       "a cloud metadata address",
		"fd00:ec2::254":         "a cloud metadata address",
		"127.0.0.1":             "a loopback address",
		"::ffff:127.0.0.1":      "a loopback address",
		"10.1.2.3":              "a private address",
		"172.16.0.1":            "a private address",
		"192.168.1.1":           "a private address",
		"fd12:3456::1":          "a private address",
		"100.64.0.1":            "a shared (carrier-grade NAT) address",
		"0.1.2.3":               "a reserved address",
		"255.255.255.255":       "a reserved address",
		"239.1.2.3":             "a multicast address",
		"ff02::1":               "a link-local address", // link-local multicast
		"ff05::1":               "a multicast address",
		"198.18.0.1":            "a benchmarking address",
		"64:ff9b::a9fe:a9fe":    "a cloud metadata address (inside an IPv6 address)",
		"64:ff9b::a00:1":        "a private address (inside an IPv6 address)",
		"2002:7f00:1::1":        "a loopback address (inside an IPv6 address)",
		"2001:db8::1":           "a documentation address",
		"203.0.113.7":           "",
		"93.184.215.14":         "",
		"2606:4700::6810:84e5":  "",
		"64:ff9b::5db8:d70e":    "", // NAT64 of a public address
		"2002:5db8:d70e::1":     "",
		"::ffff:93.184.215.14":  "",
		"2a00:1450:4001:80b::1": "",
	} {
		if got := ForbiddenPublicAddr(netip.MustParseAddr(addr)); got != want {
			t.Errorf("ForbiddenPublicAddr(%s) = %q, want %q", addr, got, want)
		}
	}
}

func TestCheckPublicURL(t *testing.T) {
	for _, raw := range []string{
		"http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://[::ffff:169.254.169.254]/",
		"http://127.0.0.1:8080/", "http://localhost/", "http://api.localhost./", "http://10.0.0.5/hook",
		"https://192.168.0.1/", "http://[fc00::1]/", "http://100.100.100.200/", "http://0.0.0.0/",
		"ftp://example.com/", "http://user:pw@example.com/", "javascript:alert(1)",
	} {
		if _, err := (Env{}).CheckPublicURL("subscriber", "url", raw); err == nil {
			t.Errorf("CheckPublicURL(%s) accepted", raw)
		} else if strings.Contains(err.Error(), "user:pw") {
			t.Errorf("error shows the URL's credentials: %v", err)
		}
	}
	for _, raw := range []string{"https://hooks.example.com/x", "http://93.184.215.14/"} {
		if _, err := (Env{}).CheckPublicURL("subscriber", "url", raw); err != nil {
			t.Errorf("CheckPublicURL(%s): %v", raw, err)
		}
	}
	// Configured notifiers may reach private ranges; subscribers may not.
	if _, err := (Env{}).CheckURL("n", "url", "http://10.0.0.5/hook"); err != nil {
		t.Errorf("CheckURL refused a private address: %v", err)
	}
	// AllowPrivate (tests, the demo's loopback sink) lets everything through.
	if _, err := (Env{AllowPrivate: true}).CheckPublicURL("subscriber", "url", "http://127.0.0.1:9/"); err != nil {
		t.Errorf("AllowPrivate: %v", err)
	}
}

// A name that passes the URL check and then resolves to a forbidden address
// (DNS rebinding, or simply a hostile DNS record) is refused when dialled.
func TestPublicClientChecksTheAddressItConnectsTo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "reached") }))
	defer srv.Close()
	_, port, _ := strings.Cut(srv.Listener.Addr().String(), "127.0.0.1:")
	// "localhost" resolves to loopback; the URL check would refuse the
	// name, so this goes straight to the client, as a rebinding name would.
	for _, c := range []*http.Client{Env{}.PublicHTTP(), Env{}.HTTP()} {
		resp, err := c.Get("http://localhost:" + port + "/")
		if err == nil {
			resp.Body.Close()
			t.Fatal("the guarded client connected to loopback")
		}
		if !strings.Contains(err.Error(), "refusing to connect") {
			t.Fatalf("err = %v, want a refusal", err)
		}
	}
	// AllowPrivate connects.
	resp, err := Env{AllowPrivate: true}.PublicHTTP().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// Through a proxy the proxy connects, so the destination is resolved and
// checked before the request goes to it; the proxy itself, chosen by the
// operator, may be on any address.
func TestPublicClientThroughAProxy(t *testing.T) {
	var got []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.String())
		io.WriteString(w, "proxied")
	}))
	defer proxy.Close()
	pu, _ := url.Parse(proxy.URL)
	old := proxyFor
	proxyFor = func(*http.Request) (*url.URL, error) { return pu, nil }
	defer func() { proxyFor = old }()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c := Env{}.PublicHTTP()
	for _, target := range []string{"http://localhost/x", "http://169.254.169.254/latest/", "http://10.0.0.1/"} {
		req, _ := http.NewRequestWithContext(ctx, "GET", target, nil)
		if resp, err := c.Do(req); err == nil {
			resp.Body.Close()
			t.Errorf("%s went through the proxy", target)
		} else if !strings.Contains(err.Error(), "refusing to send") {
			t.Errorf("%s: err = %v, want a refusal", target, err)
		}
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://93.184.215.14/hook", nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("a public destination through a loopback proxy: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "proxied" || len(got) != 1 || got[0] != "http://93.184.215.14/hook" {
		t.Fatalf("proxy saw %v, answer %q", got, body)
	}
}

func TestPublicClientDoesNotFollowRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	}))
	defer srv.Close()
	resp, err := Env{AllowPrivate: true}.PublicHTTP().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("status %d: the redirect was followed", resp.StatusCode)
	}
}

// fakeDNS answers every A query with addr, as a hostile name server would
// after the URL check (DNS rebinding), and sends the process's lookups to
// itself for the test.
func fakeDNS(t *testing.T, addr string) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		for _, qq := range q.Question {
			if qq.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: qq.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 0}, A: net.ParseIP(addr)})
			}
		}
		w.WriteMsg(m)
	})}
	go srv.ActivateAndServe()
	old := net.DefaultResolver
	net.DefaultResolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "udp", pc.LocalAddr().String())
	}}
	t.Cleanup(func() {
		net.DefaultResolver = old
		srv.Shutdown()
	})
}

func TestRebindingNameIsRefusedWhenDialled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "reached") }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	fakeDNS(t, "127.0.0.1")
	target := "http://hooks.rebind.test:" + port + "/x"
	// The name passes the URL check: nothing about it says loopback.
	u, err := (Env{}).CheckPublicURL("subscriber", "url", target)
	if err != nil {
		t.Fatalf("CheckPublicURL(%s): %v", target, err)
	}
	for name, c := range map[string]*http.Client{"PublicHTTP": Env{}.PublicHTTP(), "HTTP": Env{}.HTTP()} {
		_, err := PostJSON(context.Background(), c, u, []byte(`{}`), nil)
		if err == nil || !strings.Contains(err.Error(), "refusing to connect to 127.0.0.1") {
			t.Errorf("%s to a name resolving to loopback: %v, want a refusal", name, err)
		}
	}
	// The resolver really answers: with private addresses allowed, the same
	// name connects.
	if _, err := PostJSON(context.Background(), Env{AllowPrivate: true}.PublicHTTP(), u, []byte(`{}`), nil); err != nil {
		t.Fatalf("with AllowPrivate: %v", err)
	}
}
