package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/notify"
	_ "github.com/safetynet-dev/safetynet/notify/all"
	"github.com/safetynet-dev/safetynet/notify/notifytest"
	"github.com/safetynet-dev/safetynet/status"
)

func TestEveryChannelIsRegistered(t *testing.T) {
	want := []string{"discord", "email", "pagerduty", "slack", "teams", "webhook"}
	if got := notify.Kinds(); !slices.Equal(got, want) {
		t.Errorf("Kinds() = %v, want %v", got, want)
	}
}

func TestNewRejectsUnknownKindAndMissingName(t *testing.T) {
	_, err := notify.New(status.NotifierSpec{Name: "x", Kind: "carrier-pigeon"}, notify.Env{})
	if err == nil || safetynet.ErrorCode(err) != safetynet.EINVALID || !strings.Contains(err.Error(), `notifier "x": unknown kind "carrier-pigeon"`) {
		t.Errorf("err = %v", err)
	}
	_, err = notify.New(status.NotifierSpec{Kind: "slack"}, notify.Env{})
	if err == nil || !strings.Contains(err.Error(), "needs a name") {
		t.Errorf("err = %v", err)
	}
}

func TestSecretsComeTrimmedFromEnvOrFile(t *testing.T) {
	env := notifytest.Env(map[string]string{"V": "  from-env\n"}, map[string]string{"/f": "from-file\n\n"})
	if v, err := env.Secret("n", "token", "V", ""); err != nil || v != "from-env" {
		t.Errorf("env secret = %q, %v", v, err)
	}
	if v, err := env.Secret("n", "token", "", "/f"); err != nil || v != "from-file" {
		t.Errorf("file secret = %q, %v", v, err)
	}
	if _, err := env.Secret("n", "token", "V", "/f"); err == nil || !strings.Contains(err.Error(), "set only one of token_env and token_file") {
		t.Errorf("both sources: %v", err)
	}
	if v, err := env.OptionalSecret("n", "token", "", ""); err != nil || v != "" {
		t.Errorf("optional secret = %q, %v", v, err)
	}
	_, err := env.Secret("n", "token", "", "/missing")
	if err == nil || !strings.Contains(err.Error(), `notifier "n": token_file: cannot read /missing: file does not exist`) {
		t.Errorf("missing file: %v", err)
	}
}

func TestForbiddenAddr(t *testing.T) {
	for addr, want := range map[string]string{
		"169.254.169.254":        "a cloud metadata address",
		"fd00:ec2::254":          "a cloud metadata address",
		"100.100.100.200":        "a cloud metadata address",
		"169.254.10.1":           "a link-local address",
		"fe80::1":                "a link-local address",
		"127.0.0.1":              "a loopback address",
		"::1":                    "a loopback address",
		"::ffff:169.254.169.254": "a cloud metadata address",
		"0.0.0.0":                "an unspecified address",
		"10.0.0.1":               "",
		"192.168.1.10":           "",
		"203.0.113.7":            "",
	} {
		if got := notify.ForbiddenAddr(netip.MustParseAddr(addr)); got != want {
			t.Errorf("ForbiddenAddr(%s) = %q, want %q", addr, got, want)
		}
	}
}

// The default client checks the address a name resolves to, when it
// connects: a name that points at loopback or the metadata service is
// refused however it is spelt.
func TestDefaultClientRefusesForbiddenAddressesWhenDialling(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	// Dial the loopback literal through the guarded dialer directly: the
	// config-time check would have refused it before, so this is the last line.
	_, err := notify.Dialer(false, time.Second).DialContext(context.Background(), "tcp", srv.Listener.Addr().String())
	if err == nil || !strings.Contains(err.Error(), "is a loopback address") {
		t.Errorf("guarded dial to loopback: %v", err)
	}
	c, err := notify.Dialer(true, time.Second).DialContext(context.Background(), "tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Errorf("dial with AllowPrivate: %v", err)
	} else {
		c.Close()
	}

	// The same through the HTTP client that notifiers use, given a name
	// the config check lets through.
	client := notify.Env{}.HTTP()
	client.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		// Resolve every name to the test server, as a hostile DNS answer
		// would, and let the guarded dialer judge the address.
		return notify.Dialer(false, time.Second).DialContext(ctx, network, srv.Listener.Addr().String())
	}
	target, _ := url.Parse("http://hooks.example.com/x")
	_, err = notify.PostJSON(context.Background(), client, target, []byte(`{}`), nil)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("PostJSON through the guard: %v", err)
	}
}

func TestDefaultClientDoesNotFollowRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	}))
	defer srv.Close()
	env := notify.Env{AllowPrivate: true}
	u, err := env.CheckURL("n", "url", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	_, err = notify.PostJSON(context.Background(), env.HTTP(), u, []byte(`{}`), nil)
	var he *notify.HTTPError
	if !errors.As(err, &he) || he.StatusCode != http.StatusFound {
		t.Errorf("err = %v, want the 302 reported, not followed", err)
	}
}

func TestDecodeSettingsNeverEchoesValues(t *testing.T) {
	var s struct {
		URLEnv string `json:"url_env"`
	}
	err := notify.DecodeSettings("n", json.RawMessage(`{"url_env": ["https://hooks.slack.com/services/SECRET"]}`), &s)
	if err == nil || strings.Contains(err.Error(), "SECRET") || !strings.Contains(err.Error(), `field "url_env" must be string`) {
		t.Errorf("err = %v", err)
	}
	if err := notify.DecodeSettings("n", nil, &s); err != nil {
		t.Errorf("empty settings: %v", err)
	}
}

func TestFactsOrderAndTone(t *testing.T) {
	m := notifytest.Message()
	var names []string
	for _, f := range notify.Facts(m) {
		names = append(names, f.Name)
	}
	if want := []string{"Status", "Component", "Team", "check", "location", "subject"}; !slices.Equal(names, want) {
		t.Errorf("Facts order %v, want %v", names, want)
	}
	for _, c := range []struct {
		m    status.Message
		want notify.Tone
	}{
		{status.Message{Event: status.EventDown}, notify.ToneBad},
		{status.Message{Event: status.EventDown, Status: status.Degraded}, notify.ToneWarning},
		{status.Message{Event: status.EventUp, Status: status.MajorOutage}, notify.ToneGood},
		{status.Message{Event: status.EventAnomaly}, notify.ToneWarning},
		{status.Message{Event: status.EventTestAlert}, notify.ToneInfo},
	} {
		if got := notify.ToneOf(c.m); got != c.want {
			t.Errorf("ToneOf(%+v) = %v, want %v", c.m, got, c.want)
		}
	}
}
