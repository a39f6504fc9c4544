package rds

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// iamAuthEngines are the engines that support IAM database
// authentication, by resource type.
var iamAuthEngines = map[string]map[string]bool{
	instanceType: {"mysql": true, "mariadb": true, "postgres": true},
	clusterType:  {"aurora": true, "aurora-mysql": true, "aurora-postgresql": true, "mysql": true, "postgres": true},
}

// IAMAuthDisabled reports MySQL, MariaDB and PostgreSQL databases that
// accept only database passwords.
var IAMAuthDisabled = &scan.Rule{
	ID:        "RDS-008",
	Title:     "RDS database does not use IAM authentication",
	Severity:  scan.Warning,
	Resources: []string{"AWS::RDS::DBInstance", "AWS::RDS::DBCluster"},
	Doc: `With EnableIAMDatabaseAuthentication, applications connect with a
short-lived token from their IAM role instead of a long-lived password kept
in configuration, access is granted and revoked in IAM, and connections are
encrypted with TLS. Without it every client needs a stored password (AWS
Security Hub RDS.10 and RDS.12). Only engines that support IAM
authentication are checked (MySQL, MariaDB, PostgreSQL and Aurora, but not
Aurora Serverless v1, EngineMode: serverless); an instance in a cluster
takes the setting from its cluster.

Bad:

~~~yaml
Db:
  Type: AWS::RDS::DBCluster
  Properties:
    Engine: aurora-postgresql
~~~

Good:

~~~yaml
Db:
  Type: AWS::RDS::DBCluster
  Properties:
    Engine: aurora-postgresql
    EnableIAMDatabaseAuthentication: true
~~~
`,
	Fix: "Set EnableIAMDatabaseAuthentication: true and grant rds-db:connect to the application's role.",
	Check: checkStandalone(filter{
		engineOK:       func(typ, engine string) bool { return iamAuthEngines[typ][engine] },
		noServerlessV1: true,
	},
		prop.Val.NotTrue,
		func(v prop.Val) string {
			return "RDS database does not use IAM authentication: " + v.State("EnableIAMDatabaseAuthentication")
		},
		"EnableIAMDatabaseAuthentication"),
}
