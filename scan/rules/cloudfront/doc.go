// Package cloudfront holds the rules for CloudFront distributions: access
// logging, viewer and origin TLS, origin access and WAF.
package cloudfront
