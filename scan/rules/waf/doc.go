// Package waf holds the rules for AWS WAF web ACLs, classic and v2.
package waf
