package cloudfront

import "github.com/safetynet-dev/safetynet/scan"

// NoWebACL reports distributions not protected by AWS WAF.
var NoWebACL = &scan.Rule{
	ID:        "CLOUDFRONT-008",
	Title:     "CloudFront distribution is not associated with a WAF web ACL",
	Severity:  scan.Info,
	Resources: distribution,
	Doc: `A web ACL in front of a distribution filters common web exploits
(SQL injection, cross-site scripting, known bad inputs) and rate-limits
abusive clients before they reach the origin. AWS recommends one on every
distribution (Security Hub control CloudFront.6). Distributions serving
only static public files may not need it; suppress with that reason.

Bad:

~~~yaml
Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
~~~

Good:

~~~yaml
Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      WebACLId: !GetAtt EdgeAcl.Arn
~~~
`,
	Fix:   "Set DistributionConfig.WebACLId to a WAFv2 web ACL with scope CLOUDFRONT.",
	Check: mustBeSet("CloudFront distribution has no WAF web ACL", "WebACLId"),
}
