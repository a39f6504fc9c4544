// Package sqs holds the rules for SQS queues and queue policies.
package sqs
