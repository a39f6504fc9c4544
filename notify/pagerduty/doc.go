// Package pagerduty sends messages to PagerDuty's Events API v2: a down (or
// reminder, anomaly, escalation, build, incident, test) message triggers an
// alert, and an up message resolves it. Both carry the same dedup_key,
// derived from what the alert is about, so the resolve closes the alert the
// trigger opened and repeated triggers (reminders, retries) fold into one.
//
// The dedup_key is "safetynet:" followed by the message's "subject" field
// when the alerting engine sets it (a check ID, a metric series), else
// component and "check" field, else the component; when it would exceed
// PagerDuty's 255 characters it is hashed. A message with none of these
// (a test) uses its own ID.
//
// Settings (kind "pagerduty"):
//
//	routing_key_env   environment variable holding the integration's routing key
//	routing_key_file  or: file holding it
//	url               Events API endpoint (default https://events.pagerduty.com/v2/enqueue)
//	source            payload.source (default the component, else "safetynet")
//	severity          severity when the status says nothing: critical, error, warning or info (default error)
//
// Severity follows the status: major outage → critical, partial outage →
// error, degraded → warning, maintenance and tests → info.
package pagerduty
