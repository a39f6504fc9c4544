// Package logs holds the rules for CloudWatch Logs log groups.
package logs
