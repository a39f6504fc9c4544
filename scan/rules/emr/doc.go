// Package emr holds the rules for EMR clusters and security
// configurations.
package emr

// kerberosDoc is the shared explanation of the Kerberos password rules.
const kerberosDoc = ` written as a literal, or taken from a parameter
with a Default, sits in plain text in the template and in every copy of it
(source control, S3, the CloudFormation console); a parameter without
NoEcho shows its value in the console and in DescribeStacks. Pass it with a
{{resolve:secretsmanager:...}} dynamic reference (accepted even as a
parameter default) or a NoEcho parameter without Default.
`
