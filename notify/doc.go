// Package notify delivers alert messages to the places a team reads them.
//
// It owns three things:
//
//   - The Notifier interface that every channel implements (one package per
//     channel under notify/: slack, email, webhook, pagerduty, teams,
//     discord), and the registry that builds a Notifier from a
//     status.NotifierSpec (New). Channel packages register themselves in
//     init; package notify/all imports every one of them, so adding a
//     channel touches its own package and one line in notify/all.
//   - The helpers every channel shares: strict decoding of settings, secrets
//     read only from environment variables or files, an HTTP client that
//     refuses link-local and cloud metadata addresses, and error values that
//     never carry a webhook URL or any other secret.
//   - The Dispatcher, which drains a status.Outbox: it delivers each
//     notification at least once, in order per notifier, retries failures
//     with capped exponential backoff, and never lets a slow or dead notifier
//     hold up the others.
//
// Every Message carries an ID that is stable across retries; each channel
// puts it where the receiver can deduplicate (a header, a dedup key, a
// footer), since at-least-once delivery means a receiver can see a message
// twice after a crash between sending and recording the delivery.
package notify
