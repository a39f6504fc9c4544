package rds

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PerformanceInsightsKey reports Performance Insights enabled without a
// customer-managed KMS key.
var PerformanceInsightsKey = &scan.Rule{
	ID:        "RDS-010",
	Title:     "RDS Performance Insights data is not encrypted with a customer-managed key",
	Severity:  scan.Info,
	Resources: []string{"AWS::RDS::DBInstance", "AWS::RDS::DBCluster"},
	Doc: `Performance Insights keeps the text of the SQL statements the database
runs, literals included, for up to two years. Without a KMS key of your
own it is encrypted with the AWS managed aws/rds key, whose key policy you
cannot change, so you cannot restrict who may decrypt the data; and the key
cannot be changed after Performance Insights is enabled. The instance
properties are EnablePerformanceInsights and PerformanceInsightsKMSKeyId;
the cluster ones PerformanceInsightsEnabled and PerformanceInsightsKmsKeyId.

Bad:

~~~yaml
Db:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    EnablePerformanceInsights: true
~~~

Good:

~~~yaml
Db:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    EnablePerformanceInsights: true
    PerformanceInsightsKMSKeyId: !GetAtt DbKey.Arn
~~~
`,
	Fix: "Set PerformanceInsightsKMSKeyId (PerformanceInsightsKmsKeyId on a cluster) to a customer-managed key.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			enabled, key := "EnablePerformanceInsights", "PerformanceInsightsKMSKeyId"
			if r.Type == clusterType {
				enabled, key = "PerformanceInsightsEnabled", "PerformanceInsightsKmsKeyId"
			}
			for _, on := range prop.Get(p.Eval, r, enabled) {
				if !on.True() {
					continue
				}
				for _, k := range prop.Get(p.Eval, r, key) {
					if !k.Absent {
						continue
					}
					if both, ok := prop.Both(k, on); ok {
						rep.Report(r, both, "RDS Performance Insights is enabled without a customer-managed KMS key: %s", k.State(key))
					}
				}
			}
		}
	},
}
