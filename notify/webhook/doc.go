// Package webhook posts each message as JSON to a URL of the user's choice,
// signed so the receiver can tell it came from this server.
//
// Settings (kind "webhook"):
//
//	url          destination, when the URL itself is not secret
//	url_env      or: environment variable holding the URL
//	url_file     or: file holding the URL
//	secret_env   environment variable holding the HMAC secret (recommended)
//	secret_file  or: file holding the HMAC secret
//
// The request is a POST with Content-Type application/json whose body is the
// status.Message:
//
//	{
//	  "id": "n-7f3a9c",                 stable across retries: deduplicate on it
//	  "event": "down",                  down, up, reminder, anomaly, escalate, build, incident, test
//	  "title": "checkout is down",
//	  "text": "GET ... failed 3 times",
//	  "component": "checkout",          omitted when empty
//	  "team": "payments",               omitted when empty
//	  "status": "major_outage",         omitted when empty
//	  "url": "https://status.example.com/components/checkout", omitted when empty
//	  "at": "2026-03-01T21:04:05Z",     RFC 3339
//	  "fields": {"check": "checkout-health", "location": "local"} omitted when empty
//	}
//
// Headers:
//
//	X-Safetynet-Delivery:  the message ID (the same as "id")
//	X-Safetynet-Event:     the event
//	X-Safetynet-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed by the secret>
//
// The signature header is sent only when a secret is configured. Receivers
// should compute the HMAC over the raw body before parsing it and compare
// in constant time (Verify does both). Any 2xx answer is success; anything
// else is retried with backoff, so receivers must accept a repeated id.
package webhook
