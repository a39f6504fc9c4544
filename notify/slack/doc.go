// Package slack posts messages to a Slack channel through an incoming
// webhook, laid out with Block Kit: a header with the title, the text, the
// facts (status, component, team, fields) as section fields, a button to
// the link, and a context line with the event and the message ID that
// receivers deduplicate on. The top-level "text" is the fallback shown in
// notifications.
//
// Settings (kind "slack"): url_env or url_file, naming where the webhook URL
// is kept; the URL is the credential, so it is never in the config itself.
package slack
