// Package cloudwatch holds the rules for CloudWatch alarms.
package cloudwatch
