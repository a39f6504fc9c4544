package probe_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/safetynet-dev/safetynet/monitor/probe"
	"github.com/safetynet-dev/safetynet/status"
)

// dnsServer serves a small zone on loopback over UDP and TCP (same port).
// big.example.test has enough TXT data to be truncated over UDP.
func dnsServer(tb testing.TB) string {
	tb.Helper()
	addr, err := dnsServerAt(tb, "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	return addr
}

func dnsServerAt(tb testing.TB, listen string) (string, error) {
	tb.Helper()
	zone := []string{
		"example.test. 60 IN A 192.0.2.10",
		"example.test. 60 IN A 192.0.2.11",
		"example.test. 60 IN AAAA 2001:db8::10",
		"www.example.test. 60 IN CNAME example.test.",
		"example.test. 60 IN MX 10 mail.example.test.",
		"example.test. 60 IN TXT \"v=spf1 -all\"",
		"example.test. 60 IN NS ns1.example.test.",
		"_sip._udp.example.test. 60 IN SRV 10 5 5060 sip.example.test.",
		"broken.example.test. 60 IN A 192.0.2.99",
	}
	records := map[string][]dns.RR{}
	for _, z := range zone {
		rr, err := dns.NewRR(z)
		if err != nil {
			tb.Fatal(err)
		}
		k := rr.Header().Name + dns.TypeToString[rr.Header().Rrtype]
		records[k] = append(records[k], rr)
	}
	for i := range 40 {
		rr, _ := dns.NewRR("big.example.test. 60 IN TXT \"" + strings.Repeat("x", 200) + string(rune('a'+i%26)) + "\"")
		records["big.example.test.TXT"] = append(records["big.example.test.TXT"], rr)
	}
	h := dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(req)
		q := req.Question[0]
		switch {
		case q.Name == "broken.example.test.":
			m.Rcode = dns.RcodeServerFailure
		case q.Name == "www.example.test." && q.Qtype == dns.TypeA:
			m.Answer = append(records["www.example.test.CNAME"], records["example.test.A"]...)
		default:
			m.Answer = records[q.Name+dns.TypeToString[q.Qtype]]
			if m.Answer == nil && !strings.HasSuffix(q.Name, "example.test.") || q.Name == "nowhere.example.test." {
				m.Rcode = dns.RcodeNameError
			}
		}
		if _, isUDP := w.RemoteAddr().(*net.UDPAddr); isUDP && m.Len() > 512 {
			m.Answer, m.Truncated = nil, true // no EDNS0 honoured here: force TCP
		}
		w.WriteMsg(m)
	})
	pc, err := net.ListenPacket("udp", listen)
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", pc.LocalAddr().String())
	if err != nil {
		pc.Close()
		return "", err
	}
	udp := &dns.Server{PacketConn: pc, Handler: h}
	tcp := &dns.Server{Listener: ln, Handler: h}
	go udp.ActivateAndServe()
	go tcp.ActivateAndServe()
	tb.Cleanup(func() { udp.Shutdown(); tcp.Shutdown() })
	return pc.LocalAddr().String(), nil
}

func TestDNS(t *testing.T) {
	server := dnsServer(t)
	tests := []struct {
		name   string
		spec   probe.DNSSpec
		ok     bool
		err    string
		detail string
	}{
		{"A", probe.DNSSpec{Name: "example.test", Type: "A"}, true, "", "192.0.2.10, 192.0.2.11"},
		{"A contains", probe.DNSSpec{Name: "example.test", Type: "A", Contains: "192.0.2.11"}, true, "", ""},
		{"A equals in any order", probe.DNSSpec{Name: "example.test.", Equals: []string{"192.0.2.11", "192.0.2.10"}}, true, "", ""},
		{"A equals fails on a missing address", probe.DNSSpec{Name: "example.test", Equals: []string{"192.0.2.10"}}, false, "answers equal 192.0.2.10 failed: got 192.0.2.10, 192.0.2.11", ""},
		{"A contains fails", probe.DNSSpec{Name: "example.test", Contains: "198.51.100.1"}, false, "answer contains 198.51.100.1 failed", ""},
		{"A through a CNAME", probe.DNSSpec{Name: "www.example.test", Type: "a"}, true, "", "192.0.2.10, 192.0.2.11"},
		{"AAAA", probe.DNSSpec{Name: "example.test", Type: "AAAA", Equals: []string{"2001:db8::10"}}, true, "", ""},
		{"CNAME", probe.DNSSpec{Name: "www.example.test", Type: "CNAME", Equals: []string{"Example.Test."}}, true, "", "example.test"},
		{"MX", probe.DNSSpec{Name: "example.test", Type: "MX", Equals: []string{"10 mail.example.test"}}, true, "", ""},
		{"TXT", probe.DNSSpec{Name: "example.test", Type: "TXT", Contains: "spf1"}, true, "", ""},
		{"NS", probe.DNSSpec{Name: "example.test", Type: "NS", Equals: []string{"ns1.example.test"}}, true, "", ""},
		{"SRV", probe.DNSSpec{Name: "_sip._udp.example.test", Type: "SRV", Equals: []string{"10 5 5060 sip.example.test."}}, true, "", ""},
		{"truncated over UDP, retried over TCP", probe.DNSSpec{Name: "big.example.test", Type: "TXT", Contains: "xxxz"}, true, "", ""},
		{"no records of the type", probe.DNSSpec{Name: "www.example.test", Type: "MX"}, false, "MX www.example.test: no records", ""},
		{"NXDOMAIN", probe.DNSSpec{Name: "nowhere.example.test"}, false, "A nowhere.example.test: NXDOMAIN", ""},
		{"SERVFAIL", probe.DNSSpec{Name: "broken.example.test"}, false, "SERVFAIL", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := tt.spec
			spec.Server = server
			r := run(t, MustProber(t, check(t, status.KindDNS, "", &spec), probe.Options{}), 2*time.Second)
			wantResult(t, r, tt.ok, tt.err)
			if tt.detail != "" && (len(r.Conditions) == 0 || r.Conditions[0].Detail != tt.detail) {
				t.Errorf("conditions = %+v, want answers %q", r.Conditions, tt.detail)
			}
		})
	}
}

func TestDNSSystemResolver(t *testing.T) {
	spec := probe.DNSSpec{Name: "example.test", Equals: []string{"192.0.2.10", "192.0.2.11"}}
	c := check(t, status.KindDNS, "", &spec)
	t.Run("unreadable resolv.conf", func(t *testing.T) {
		p := MustProber(t, c, probe.Options{ResolvConf: filepath.Join(t.TempDir(), "missing.conf")})
		wantResult(t, run(t, p, time.Second), false, "system resolvers:")
	})
	t.Run("resolvers from resolv.conf", func(t *testing.T) {
		// resolv.conf cannot name a port, so this server needs port 53 on
		// an address of its own in 127.0.0.0/8.
		server, err := dnsServerAt(t, "127.83.119.7:53")
		if err != nil {
			t.Skipf("cannot listen on 127.83.119.7:53 for a resolv.conf test: %v", err)
		}
		host, _, _ := net.SplitHostPort(server)
		conf := filepath.Join(t.TempDir(), "resolv.conf")
		// The first resolver does not answer: the probe moves on.
		if err := os.WriteFile(conf, []byte("nameserver 127.83.119.8\nnameserver "+host+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		p := MustProber(t, c, probe.Options{ResolvConf: conf})
		wantResult(t, run(t, p, 5*time.Second), true, "")
	})
}

func TestDNSTimeout(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0") // a server that never answers
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	spec := probe.DNSSpec{Name: "example.test", Server: pc.LocalAddr().String()}
	r := run(t, MustProber(t, check(t, status.KindDNS, "", &spec), probe.Options{}), 200*time.Millisecond)
	wantResult(t, r, false, "timed out after")
}
