// Package cloudtrail holds the rules for CloudTrail trails: logging on,
// every region, validated, encrypted and delivered to CloudWatch Logs.
package cloudtrail
