package config_test

import (
	"net/netip"
	"strings"
	"testing"
)

func TestServerProxiesAndRateLimit(t *testing.T) {
	c := MustParse(t, base+`
server:
  trusted_proxies: [10.0.0.0/8, 192.168.1.7, "fd00::/8"]
  rate_limit: {per_second: 20, burst: 40}
`, env(nil, nil))
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32"), netip.MustParsePrefix("fd00::/8")}
	if len(c.Server.TrustedProxies) != len(want) {
		t.Fatalf("trusted proxies = %v", c.Server.TrustedProxies)
	}
	for i, p := range want {
		if c.Server.TrustedProxies[i] != p {
			t.Errorf("proxy %d = %v, want %v", i, c.Server.TrustedProxies[i], p)
		}
	}
	if rl := c.Server.RateLimit; !rl.Enabled || rl.PerSecond != 20 || rl.Burst != 40 {
		t.Errorf("rate limit = %+v", rl)
	}
	if d := MustParse(t, base, env(nil, nil)); !d.Server.RateLimit.Enabled || len(d.Server.TrustedProxies) != 0 {
		t.Errorf("defaults: limit on, no proxies; got %+v", d.Server)
	}
	if off := MustParse(t, base+"server:\n  rate_limit: {enabled: false}\n", env(nil, nil)); off.Server.RateLimit.Enabled {
		t.Error("enabled: false left the limit on")
	}

	errs := parseErrors(t, base+`
server:
  trusted_proxies: [10.0.0.0/8, proxy.internal]
  rate_limit: {burst: -1}
`, env(nil, nil))
	got := strings.Join(errs, "\n")
	for _, w := range []string{`server.trusted_proxies[1]: "proxy.internal" is not an IP address or CIDR`, "server.rate_limit: per_second and burst must not be negative"} {
		if !strings.Contains(got, w) {
			t.Errorf("errors:\n%s\nwant %q", got, w)
		}
	}
	if !strings.HasPrefix(errs[0], "15:33:") {
		t.Errorf("the proxy error should point at the entry (15:33): %s", errs[0])
	}
}
