package probe_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/monitor/probe"
	"github.com/safetynet-dev/safetynet/status"
	"go.yaml.in/yaml/v3"
)

func TestNewRejectsBadSpecs(t *testing.T) {
	tests := []struct {
		kind   status.Kind
		target string
		spec   string // JSON
		err    string // the whole message after "invalid: "
	}{
		{status.KindHTTP, "http://x/", `{"conditions":["[STATUS] == 200","[STATUS] =! 200"]}`, "http check api/health: condition 2 `[STATUS] =! 200`: unknown operator =! (use ==, !=, <, <=, >, >=, contains or matches, with spaces around it)"},
		{status.KindHTTP, "http://x/", `{"conditions":["[STATUS]==200"]}`, "condition 1 `[STATUS]==200`: [STATUS]==200: unexpected \"==200\" after [STATUS] (put spaces around the operator)"},
		{status.KindHTTP, "http://x/", `{"conditions":["[STATUSS] == 200"]}`, "unknown placeholder [STATUSS]"},
		{status.KindHTTP, "http://x/", `{"conditions":["[status] == 200"]}`, "unknown placeholder [status] (write [STATUS])"},
		{status.KindHTTP, "http://x/", `{"conditions":["[STATUS]"]}`, "missing operator after [STATUS]"},
		{status.KindHTTP, "http://x/", `{"conditions":["[STATUS] =="]}`, "missing value after =="},
		{status.KindHTTP, "http://x/", `{"conditions":["[STATUS] == OK"]}`, "[STATUS] compares with a number, got OK"},
		{status.KindHTTP, "http://x/", `{"conditions":["[STATUS] contains 2"]}`, "[STATUS] is a number: use ==, !=, <, <=, > or >=, not contains"},
		{status.KindHTTP, "http://x/", `{"conditions":["[STATUS] < any(200, 300)"]}`, "any(...) works only with == and !="},
		{status.KindHTTP, "http://x/", `{"conditions":["[STATUS] == any(200, 300"]}`, "any( has no closing )"},
		{status.KindHTTP, "http://x/", `{"conditions":["[BODY] matches (["]}`, "bad regular expression"},
		{status.KindHTTP, "http://x/", `{"conditions":["[BODY].a..b == 1"]}`, "empty key in path"},
		{status.KindHTTP, "http://x/", `{"conditions":["[BODY].a[x] == 1"]}`, "bad array index [x]"},
		{status.KindHTTP, "http://x/", `{"conditions":["[BODY].users > many"]}`, "> needs a number on the right, got many"},
		{status.KindHTTP, "http://x/", `{"conditions":["[RESPONSE_TIME] < soon"]}`, `[RESPONSE_TIME] compares with milliseconds or a duration: bad duration "soon"`},
		{status.KindHTTP, "http://x/", `{"conditions":["[CERT_EXPIRY] > 3 weeks"]}`, `[CERT_EXPIRY] compares with a duration such as 72h or 30d`},
		{status.KindHTTP, "http://x/", `{"conditions":["[HEADER] == x"]}`, "name the header"},
		{status.KindHTTP, "http://x/", `{"conditions":["has([BODY]) == true"]}`, "has([BODY]) needs a path"},
		{status.KindHTTP, "http://x/", `{"conditions":["has([BODY].x) == maybe"]}`, "has(...) compares only with == true or == false"},
		{status.KindHTTP, "http://x/", `{"conditions":["len([STATUS]) > 1"]}`, "len(...) works on [BODY] and [HEADER] only"},
		{status.KindHTTP, "http://x/", `{"conditions":["STATUS == 200"]}`, "STATUS is not a placeholder"},
		{status.KindHTTP, "http://x/", `{"conditions":[""]}`, "condition 1 ``: empty condition"},
		{status.KindHTTP, "http://x/", `{"extract":{"user count":"users"}}`, `extract "user count": a metric name`},
		{status.KindHTTP, "http://x/", `{"extract":{"users":"[BODY]"}}`, "extract users `[BODY]`: empty path"},
		{status.KindHTTP, "", `{}`, "url is empty"},
		{status.KindHTTP, "ftp://x/", `{}`, `url "ftp://x/" must be an absolute http:// or https:// URL`},
		{status.KindHTTP, "http://x/", `{"method":"GE T"}`, `method "GE T" is not an HTTP method`},
		{status.KindHTTP, "http://x/", `{"headers":{"X-A":"a\r\nb"}}`, `header "X-A": bad name or value`},
		{status.KindHTTP, "http://x/", `{"folow_redirects":true}`, `spec: json: unknown field "folow_redirects"`},
		{status.KindTCP, "localhost", `{}`, `address "localhost" is not host:port`},
		{status.KindTCP, "localhost:http", `{"send":"a","send_hex":"00"}`, "set send or send_hex, not both"},
		{status.KindTCP, "localhost:80", `{"expect_match":"(["}`, "expect_match: error parsing regexp"},
		{status.KindUDP, "localhost:53", `{"send_hex":"zz"}`, "send_hex: encoding/hex"},
		{status.KindUDP, "localhost:53", `{}`, "send or send_hex is required"},
		{status.KindSTUN, "", `{}`, "address: no address"},
		{status.KindSTUN, "stun:host:0", `{}`, `bad port`},
		{status.KindDNS, "example.com", `{"type":"PTR"}`, `type "PTR": use A, AAAA, CNAME, MX, TXT, NS or SRV`},
		{status.KindDNS, "", `{}`, "name is empty"},
		{status.KindDNS, "example.com", `{"contains":"a","equals":["b"]}`, "set contains or equals, not both"},
		{status.KindTLS, "example.com", `{"warn_days":-1}`, "warn_days -1 must not be negative"},
		{status.KindHeartbeat, "", `{"token_env":"T"}`, "grace must be a positive duration"},
		{status.KindHeartbeat, "", `{"grace":"10m"}`, "set exactly one of token_env and token_file"},
		{status.KindHeartbeat, "", `{"grace":"ten minutes","token_env":"T"}`, `bad duration "ten minutes"`},
		{"ping", "", `{}`, `unknown check kind "ping"`},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+" "+tt.spec, func(t *testing.T) {
			c := check(t, tt.kind, tt.target, nil)
			c.Spec = json.RawMessage(tt.spec)
			_, err := probe.New(c, probe.Options{})
			if err == nil {
				t.Fatal("New accepted a bad spec")
			}
			if safetynet.ErrorCode(err) != safetynet.EINVALID {
				t.Errorf("code = %s, want %s", safetynet.ErrorCode(err), safetynet.EINVALID)
			}
			msg := safetynet.ErrorMessage(err)
			if !strings.HasPrefix(msg, string(tt.kind)+" check api/health: ") {
				t.Errorf("message %q does not name the check", msg)
			}
			if !strings.Contains(msg, tt.err) {
				t.Errorf("message = %q\nwant it to contain %q", msg, tt.err)
			}
		})
	}
}

// TestSpecsFromYAML decodes YAML check settings as package config does:
// into NewSpec's struct, marshalled to JSON for Check.Spec, built by New.
func TestSpecsFromYAML(t *testing.T) {
	tests := []struct {
		kind  status.Kind
		yaml  string
		check func(t *testing.T, spec any)
	}{
		{status.KindHTTP, "url: https://api.example.com/health\nconditions:\n  - '[STATUS] == 200'\nextract:\n  users: data.users\n",
			func(t *testing.T, spec any) {
				s := spec.(*probe.HTTPSpec)
				if !s.FollowRedirects || s.Method != "GET" || s.InsecureSkipVerify {
					t.Errorf("defaults lost: %+v", s)
				}
			}},
		{status.KindHTTP, "url: https://api.example.com/\nfollow_redirects: false\n",
			func(t *testing.T, spec any) {
				if spec.(*probe.HTTPSpec).FollowRedirects {
					t.Error("follow_redirects: false ignored")
				}
			}},
		{status.KindTCP, "address: db.internal:5432\nsend: PING\nexpect: PONG\n", func(t *testing.T, spec any) {
			if s := spec.(*probe.TCPSpec); s.Send != "PING" || s.Expect != "PONG" {
				t.Errorf("inline exchange fields lost: %+v", s)
			}
		}},
		{status.KindUDP, "address: 127.0.0.1:9\nsend_hex: 'de ad be ef'\nexpect_match: ^ok\n", nil},
		{status.KindSTUN, "address: stun.example.com\n", nil},
		{status.KindDNS, "name: example.com\ntype: mx\nserver: 1.1.1.1\nequals: [10 mail.example.com.]\n", nil},
		{status.KindTLS, "address: example.com\n", func(t *testing.T, spec any) {
			if spec.(*probe.TLSSpec).WarnDays != 14 {
				t.Error("warn_days default is not 14")
			}
		}},
		{status.KindHeartbeat, "grace: 90m\ntoken_env: BACKUP_TOKEN\n", func(t *testing.T, spec any) {
			if g := time.Duration(spec.(*probe.HeartbeatSpec).Grace); g != 90*time.Minute {
				t.Errorf("grace = %v", g)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			spec, err := probe.NewSpec(tt.kind)
			if err != nil {
				t.Fatal(err)
			}
			if err := yaml.Unmarshal([]byte(tt.yaml), spec); err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, spec)
			}
			c := check(t, tt.kind, "", spec)
			if _, err := probe.New(c, probe.Options{}); err != nil {
				t.Fatalf("New(%s): %v", c.Spec, err)
			}
			// The JSON form decodes back to the same spec.
			again, _ := probe.NewSpec(tt.kind)
			if err := json.Unmarshal(c.Spec, again); err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(again)
			if string(b) != string(c.Spec) {
				t.Errorf("JSON round trip changed the spec:\n%s\n%s", c.Spec, b)
			}
		})
	}
}
