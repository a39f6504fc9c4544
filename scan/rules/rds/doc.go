// Package rds holds the rules for RDS database instances and clusters.
package rds
