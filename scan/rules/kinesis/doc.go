// Package kinesis holds the rules for Kinesis data streams (KINESIS-*) and
// Kinesis Data Firehose delivery streams (FIREHOSE-*).
package kinesis
