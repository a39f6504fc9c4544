package iot

import (
	"regexp"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// oldTLSPolicy matches the IoT security policies whose minimum protocol is
// TLS 1.0 or 1.1; the policy names read IoTSecurityPolicy_TLS<max>_<min>_<date>.
var oldTLSPolicy = regexp.MustCompile(`^IoTSecurityPolicy_TLS1[0-9]_1_[01]_`)

// DomainOldTLS reports domain configurations that accept TLS below 1.2.
var DomainOldTLS = &scan.Rule{
	ID:        "IOT-006",
	Title:     "IoT domain configuration accepts TLS 1.0",
	Severity:  scan.Warning,
	Resources: []string{"AWS::IoT::DomainConfiguration"},
	Doc: `A domain configuration's TlsConfig.SecurityPolicy decides which TLS
versions and ciphers devices may use to reach the endpoint. The legacy
policies IoTSecurityPolicy_TLS12_1_0_2015_01 and
IoTSecurityPolicy_TLS12_1_0_2016_01 still accept TLS 1.0 and 1.1, which are
deprecated (RFC 8996) and allow weak ciphers. Choose a policy whose minimum
is TLS 1.2, such as IoTSecurityPolicy_TLS13_1_2_2022_10 (the default for new
domain configurations) or IoTSecurityPolicy_TLS13_1_3_2022_10 where every
device supports TLS 1.3. Values from parameters and both branches of Fn::If
are checked. cfn_nag has no such check.

Bad:

~~~yaml
Resources:
  Domain:
    Type: AWS::IoT::DomainConfiguration
    Properties:
      DomainConfigurationName: devices
      TlsConfig:
        SecurityPolicy: IoTSecurityPolicy_TLS12_1_0_2016_01
~~~

Good:

~~~yaml
Resources:
  Domain:
    Type: AWS::IoT::DomainConfiguration
    Properties:
      DomainConfigurationName: devices
      TlsConfig:
        SecurityPolicy: IoTSecurityPolicy_TLS13_1_2_2022_10
~~~
`,
	Fix: "Use IoTSecurityPolicy_TLS13_1_2_2022_10 or another policy with TLS 1.2 as its minimum.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "TlsConfig", "SecurityPolicy") {
				if s, ok := v.Str(); ok && oldTLSPolicy.MatchString(s) {
					rep.Report(r, v, "security policy %s accepts TLS 1.0 and 1.1", s)
				}
			}
		}
	},
}
