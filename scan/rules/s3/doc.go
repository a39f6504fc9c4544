// Package s3 holds the rules for S3 buckets and bucket policies.
package s3
