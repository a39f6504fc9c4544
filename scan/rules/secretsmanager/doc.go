// Package secretsmanager holds the rules for Secrets Manager secrets, their
// rotation schedules and resource policies.
package secretsmanager
