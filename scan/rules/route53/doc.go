// Package route53 holds the rules for Route 53 records and hosted zones:
// aliases to API Gateway custom domains that use the attributes or the
// hosted zone of the wrong endpoint type, and hosted zones without query
// logging.
package route53
