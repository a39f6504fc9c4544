// Package sns holds the rules for SNS topics, topic policies and
// subscriptions.
package sns
