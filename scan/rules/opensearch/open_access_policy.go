package opensearch

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// OpenAccessPolicy reports public domains that anyone may query.
var OpenAccessPolicy = &scan.Rule{
	ID:        "OPENSEARCH-007",
	Title:     "Public OpenSearch domain allows anyone",
	Severity:  scan.Failure,
	Resources: domainTypes,
	Doc: `A domain with a public endpoint (no VPCOptions), no fine-grained
access control and an access policy that allows Principal "*" without a
Condition lets anyone on the internet read, change and delete its data
with unsigned requests; such domains are found by scanners within hours.
Inside a VPC an open policy is normal (security groups are the gate), and
with fine-grained access control AWS recommends one (users must still log
in), so neither is reported.

Bad:

~~~yaml
Search:
  Type: AWS::OpenSearchService::Domain
  Properties:
    AccessPolicies:
      Statement:
        - Effect: Allow
          Principal: {AWS: "*"}
          Action: es:*
          Resource: "*"
~~~

Good:

~~~yaml
Search:
  Type: AWS::OpenSearchService::Domain
  Properties:
    AccessPolicies:
      Statement:
        - Effect: Allow
          Principal: {AWS: !GetAtt SearchClientRole.Arn}
          Action: es:ESHttp*
          Resource: !Sub "arn:${AWS::Partition}:es:${AWS::Region}:${AWS::AccountId}:domain/search/*"
~~~
`,
	Fix: "Name the IAM principals in AccessPolicies (or add a Condition such as aws:SourceIp), move the domain into a VPC, or enable fine-grained access control.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			var exposed []prop.Val // conditions under which the domain is public without FGAC
			for _, vpc := range prop.Get(p.Eval, r, "VPCOptions") {
				if !vpc.Absent {
					continue
				}
				for _, fgac := range prop.Get(p.Eval, r, "AdvancedSecurityOptions", "Enabled") {
					if fgac.NotTrue() {
						if both, ok := prop.Both(vpc, fgac); ok {
							exposed = append(exposed, both)
						}
					}
				}
			}
			if len(exposed) == 0 {
				continue
			}
			for _, st := range policy.Statements(p.Eval, prop.Get(p.Eval, r, "AccessPolicies")) {
				if !st.Allows() || len(st.Present("Condition")) > 0 {
					continue
				}
				for _, v := range st.Principals("Principal") {
					s, ok := v.Str()
					if !ok || !policy.WildcardPrincipal(s) {
						continue
					}
					for _, e := range exposed {
						if both, ok := prop.Both(v, e); ok {
							rep.Report(r, both, "public domain without fine-grained access control allows principal %q without a Condition", s)
							break
						}
					}
				}
			}
		}
	},
}
