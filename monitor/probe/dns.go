package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"
	"github.com/safetynet-dev/safetynet/status"
)

// dnsTypes are the record types a dns check may ask for.
var dnsTypes = map[string]uint16{
	"A": dns.TypeA, "AAAA": dns.TypeAAAA, "CNAME": dns.TypeCNAME, "MX": dns.TypeMX,
	"TXT": dns.TypeTXT, "NS": dns.TypeNS, "SRV": dns.TypeSRV,
}

type dnsProbe struct {
	name       string // fully qualified
	qtype      uint16
	typeName   string
	server     string // empty: the system's resolvers
	resolvConf string
	contains   string
	equals     []string // normalised, sorted
	timeout    time.Duration
}

func newDNS(c *status.Check, s *DNSSpec, opts Options) (Prober, error) {
	p := &dnsProbe{timeout: c.Timeout, resolvConf: opts.ResolvConf, contains: s.Contains}
	name := target(s.Name, c.Target)
	if name == "" {
		return nil, invalid(c, "name is empty: set name or the check's target")
	}
	if _, ok := dns.IsDomainName(name); !ok {
		return nil, invalid(c, "name %q is not a domain name", name)
	}
	p.name = dns.Fqdn(name)
	p.typeName = strings.ToUpper(s.Type)
	if p.typeName == "" {
		p.typeName = "A"
	}
	qt, ok := dnsTypes[p.typeName]
	if !ok {
		return nil, invalid(c, "type %q: use A, AAAA, CNAME, MX, TXT, NS or SRV", s.Type)
	}
	p.qtype = qt
	if s.Server != "" {
		addr, err := splitHostPortDefault(s.Server, "53")
		if err == nil {
			err = requireHostPort(addr)
		}
		if err != nil {
			return nil, invalid(c, "server: %v", err)
		}
		p.server = addr
	}
	if s.Contains != "" && len(s.Equals) > 0 {
		return nil, invalid(c, "set contains or equals, not both")
	}
	for _, e := range s.Equals {
		p.equals = append(p.equals, normAnswer(e))
	}
	slices.Sort(p.equals)
	if p.resolvConf == "" {
		p.resolvConf = "/etc/resolv.conf"
	}
	return p, nil
}

// normAnswer makes answers comparable: names without the final dot and in
// lower case, as people write them.
func normAnswer(s string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "."))
}

// answerText renders one record's data the way the spec's expectations
// are written: an address, a name, "10 mail.example.com" for MX,
// "10 5 5060 sip.example.com" for SRV, the joined strings of a TXT record.
func answerText(rr dns.RR) string {
	switch r := rr.(type) {
	case *dns.A:
		return r.A.String()
	case *dns.AAAA:
		return r.AAAA.String()
	case *dns.CNAME:
		return normAnswer(r.Target)
	case *dns.NS:
		return normAnswer(r.Ns)
	case *dns.MX:
		return strconv.Itoa(int(r.Preference)) + " " + normAnswer(r.Mx)
	case *dns.SRV:
		return fmt.Sprintf("%d %d %d %s", r.Priority, r.Weight, r.Port, normAnswer(r.Target))
	case *dns.TXT:
		return strings.Join(r.Txt, "")
	}
	return rr.String()
}

func (p *dnsProbe) servers() ([]string, error) {
	if p.server != "" {
		return []string{p.server}, nil
	}
	cfg, err := dns.ClientConfigFromFile(p.resolvConf)
	if err != nil {
		return nil, fmt.Errorf("system resolvers: %w", err)
	}
	if len(cfg.Servers) == 0 {
		return nil, fmt.Errorf("system resolvers: none in %s", p.resolvConf)
	}
	out := make([]string, len(cfg.Servers))
	for i, s := range cfg.Servers {
		out[i] = net.JoinHostPort(s, cfg.Port)
	}
	return out, nil
}

func (p *dnsProbe) Probe(ctx context.Context) status.Result {
	ctx, cancel := withDeadline(ctx, p.timeout)
	defer cancel()
	var res status.Result
	servers, err := p.servers()
	if err != nil {
		res.Error = err.Error()
		return res
	}
	m := new(dns.Msg)
	m.SetQuestion(p.name, p.qtype)
	// A larger UDP size than 512 keeps most answers (TXT, many A) from
	// being truncated; 1232 is the size DNS Flag Day 2020 settled on.
	m.SetEdns0(1232, false)

	start := time.Now()
	var reply *dns.Msg
	for _, srv := range servers {
		reply, err = dnsExchange(ctx, m, srv)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			break
		}
	}
	res.Latency = time.Since(start)
	if err != nil {
		res.Error = failure(ctx, err, res.Latency)
		return res
	}
	question := p.typeName + " " + strings.TrimSuffix(p.name, ".")
	if reply.Rcode != dns.RcodeSuccess {
		res.Error = fmt.Sprintf("%s: %s", question, dns.RcodeToString[reply.Rcode])
		res.Conditions = []status.ConditionResult{{Expr: question, OK: false, Detail: dns.RcodeToString[reply.Rcode]}}
		return res
	}
	var answers []string
	for _, rr := range reply.Answer {
		if rr.Header().Rrtype == p.qtype {
			answers = append(answers, answerText(rr))
		}
	}
	got := strings.Join(answers, ", ")
	if len(answers) == 0 {
		res.Error = question + ": no records"
		res.Conditions = []status.ConditionResult{{Expr: question, OK: false, Detail: "no records"}}
		return res
	}
	res.Conditions = []status.ConditionResult{{Expr: question, OK: true, Detail: clip(got)}}
	res.OK = true
	switch {
	case p.contains != "":
		expr := "answer contains " + p.contains
		ok := false
		for _, a := range answers {
			if strings.Contains(normAnswer(a), normAnswer(p.contains)) || strings.Contains(a, p.contains) {
				ok = true
				break
			}
		}
		res.Conditions = append(res.Conditions, status.ConditionResult{Expr: expr, OK: ok, Detail: clip(got)})
		if !ok {
			res.OK, res.Error = false, expr+" failed: got "+clip(got)
		}
	case len(p.equals) > 0:
		expr := "answers equal " + strings.Join(p.equals, ", ")
		norm := make([]string, len(answers))
		for i, a := range answers {
			norm[i] = normAnswer(a)
		}
		slices.Sort(norm)
		norm = slices.Compact(norm)
		ok := slices.Equal(norm, slices.Compact(slices.Clone(p.equals)))
		res.Conditions = append(res.Conditions, status.ConditionResult{Expr: expr, OK: ok, Detail: clip(got)})
		if !ok {
			res.OK, res.Error = false, expr+" failed: got "+clip(got)
		}
	}
	return res
}

// dnsExchange asks one server over UDP, and again over TCP when the answer
// was truncated.
func dnsExchange(ctx context.Context, m *dns.Msg, server string) (*dns.Msg, error) {
	c := &dns.Client{Net: "udp"}
	r, _, err := c.ExchangeContext(ctx, m, server)
	if err == nil && r.Truncated {
		c.Net = "tcp"
		r, _, err = c.ExchangeContext(ctx, m, server)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", server, err)
	}
	if r == nil {
		return nil, errors.New(server + ": empty reply")
	}
	return r, nil
}
