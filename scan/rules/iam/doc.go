// Package iam holds the rules for IAM roles, users, groups and policies.
package iam
