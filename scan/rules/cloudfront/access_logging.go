package cloudfront

import "github.com/safetynet-dev/safetynet/scan"

// AccessLoggingNotSet reports distributions without standard access logs.
var AccessLoggingNotSet = &scan.Rule{
	ID:        "CLOUDFRONT-001",
	Aliases:   []string{"W10"},
	Title:     "CloudFront distribution has no access logging",
	Severity:  scan.Warning,
	Resources: distribution,
	Doc: `CloudFront access logs record every viewer request: client address,
path, status, TLS version. Without them an attack through the
distribution, or data served to the wrong people, cannot be traced. The
check is cfn_nag's: DistributionConfig.Logging must be set. (Logs delivered
through the newer CloudWatch vended-logs delivery are configured outside
the distribution; suppress with that reason.)

Bad:

~~~yaml
Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      DefaultCacheBehavior: {TargetOriginId: site, ViewerProtocolPolicy: redirect-to-https}
~~~

Good:

~~~yaml
Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      Logging:
        Bucket: !GetAtt LogBucket.DomainName
        Prefix: cdn/
      DefaultCacheBehavior: {TargetOriginId: site, ViewerProtocolPolicy: redirect-to-https}
~~~
`,
	Fix:   "Add DistributionConfig.Logging with a Bucket (the bucket's DomainName).",
	Check: mustBeSet("CloudFront distribution has no access logging", "Logging"),
}
