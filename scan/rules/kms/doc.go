// Package kms holds the rules for KMS keys and their key policies.
package kms
