package probe

import (
	"fmt"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// HTTPSpec configures an http check.
type HTTPSpec struct {
	// URL to request; the check's Target when empty.
	URL     string            `yaml:"url,omitempty" json:"url,omitempty"`
	Method  string            `yaml:"method,omitempty" json:"method,omitempty"` // GET by default
	Headers map[string]string `yaml:"headers,omitempty" json:"headers,omitempty"`
	Body    string            `yaml:"body,omitempty" json:"body,omitempty"`
	// FollowRedirects follows up to 10 redirects (true by default); false
	// makes the redirect response itself the result.
	FollowRedirects bool `yaml:"follow_redirects" json:"follow_redirects"`
	// InsecureSkipVerify accepts any server certificate. TLS verification
	// is on by default.
	InsecureSkipVerify bool `yaml:"insecure_skip_verify,omitempty" json:"insecure_skip_verify,omitempty"`
	// Conditions must all hold for the check to pass; `[STATUS] < 400`
	// when empty. See the package documentation for the syntax.
	Conditions []string `yaml:"conditions,omitempty" json:"conditions,omitempty"`
	// Extract maps a metric name to a JSON path in the body whose number
	// becomes a value of the result, e.g. users: "[BODY].data.users".
	Extract map[string]string `yaml:"extract,omitempty" json:"extract,omitempty"`
}

// TCPSpec configures a tcp check: a connection to Address, optionally a
// message sent and a reply expected.
type TCPSpec struct {
	Address  string `yaml:"address,omitempty" json:"address,omitempty"` // host:port; the check's Target when empty
	Exchange `yaml:",inline"`
}

// UDPSpec configures a udp check: a datagram sent to Address and a reply
// expected within the timeout.
type UDPSpec struct {
	Address  string `yaml:"address,omitempty" json:"address,omitempty"` // host:port; the check's Target when empty
	Exchange `yaml:",inline"`
}

// Exchange is the optional conversation of a tcp or udp check.
type Exchange struct {
	// Send is a text payload; SendHex the same as hex digits, for binary
	// protocols. At most one of them.
	Send    string `yaml:"send,omitempty" json:"send,omitempty"`
	SendHex string `yaml:"send_hex,omitempty" json:"send_hex,omitempty"`
	// Expect is a substring the reply must contain; ExpectHex the same as
	// hex digits; ExpectMatch a regular expression (on text: Go regular
	// expressions match runes, not bytes) it must match. At most one.
	Expect      string `yaml:"expect,omitempty" json:"expect,omitempty"`
	ExpectHex   string `yaml:"expect_hex,omitempty" json:"expect_hex,omitempty"`
	ExpectMatch string `yaml:"expect_match,omitempty" json:"expect_match,omitempty"`
}

// STUNSpec configures a stun check: an RFC 5389 Binding Request over UDP.
type STUNSpec struct {
	// Address is host:port (port 3478 when left out; a "stun:" prefix is
	// accepted); the check's Target when empty.
	Address string `yaml:"address,omitempty" json:"address,omitempty"`
}

// DNSSpec configures a dns check.
type DNSSpec struct {
	Name string `yaml:"name,omitempty" json:"name,omitempty"` // the name to query; the check's Target when empty
	// Type is the record type: A (default), AAAA, CNAME, MX, TXT, NS or SRV.
	Type string `yaml:"type,omitempty" json:"type,omitempty"`
	// Server is the DNS server as host or host:port (port 53); empty uses
	// the system's resolvers from /etc/resolv.conf.
	Server string `yaml:"server,omitempty" json:"server,omitempty"`
	// Contains passes when some answer contains this text; Equals when the
	// answers are exactly these, in any order. Neither: any answer passes.
	Contains string   `yaml:"contains,omitempty" json:"contains,omitempty"`
	Equals   []string `yaml:"equals,omitempty" json:"equals,omitempty"`
}

// TLSSpec configures a tls check of a server's certificate.
type TLSSpec struct {
	Address    string `yaml:"address,omitempty" json:"address,omitempty"`         // host:port (port 443 when left out); the check's Target when empty
	ServerName string `yaml:"server_name,omitempty" json:"server_name,omitempty"` // SNI and the name verified; the host by default
	// InsecureSkipVerify skips chain and host name verification; an
	// expired certificate still fails.
	InsecureSkipVerify bool `yaml:"insecure_skip_verify,omitempty" json:"insecure_skip_verify,omitempty"`
	// WarnDays warns (the check turns degraded) when the certificate
	// expires within this many days; 14 by default, 0 never warns.
	WarnDays int `yaml:"warn_days" json:"warn_days"`
}

// HeartbeatSpec configures a heartbeat check: a job calls the heartbeat URL
// with the token, and silence longer than Grace is a failure.
type HeartbeatSpec struct {
	Grace Duration `yaml:"grace" json:"grace"`
	// The token is a secret, so it comes from an environment variable or
	// a file, never from the config itself. Exactly one of the two.
	TokenEnv  string `yaml:"token_env,omitempty" json:"token_env,omitempty"`
	TokenFile string `yaml:"token_file,omitempty" json:"token_file,omitempty"`
}

// NewSpec returns a pointer to a new spec struct for kind, holding its
// defaults, so that decoding YAML or JSON into it keeps the defaults of the
// fields left out.
func NewSpec(kind status.Kind) (any, error) {
	switch kind {
	case status.KindHTTP:
		return &HTTPSpec{Method: "GET", FollowRedirects: true}, nil
	case status.KindTCP:
		return &TCPSpec{}, nil
	case status.KindUDP:
		return &UDPSpec{}, nil
	case status.KindSTUN:
		return &STUNSpec{}, nil
	case status.KindDNS:
		return &DNSSpec{Type: "A"}, nil
	case status.KindTLS:
		return &TLSSpec{WarnDays: 14}, nil
	case status.KindHeartbeat:
		return &HeartbeatSpec{}, nil
	}
	return nil, fmt.Errorf("unknown check kind %q (use http, tcp, udp, stun, dns, tls or heartbeat)", kind)
}

// Duration is a time.Duration written as text ("90s", "5m", "2h") in YAML
// and JSON.
type Duration time.Duration

// MarshalText writes the duration as Go duration text.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads Go duration text, plus a "d" suffix for days.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := parseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}
