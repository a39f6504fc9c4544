// Package discord posts messages to a Discord channel through a webhook, as
// one embed: the title (linked to the message URL), the text, the facts as
// inline fields, a colour for the tone, the time, and a footer with the
// event and the message ID that receivers deduplicate on. Mentions are
// disabled, so an alert text can never ping @everyone.
//
// Settings (kind "discord"): url_env or url_file, naming where the webhook
// URL is kept (it is the credential); username, optionally, the name the
// message is posted under (default "safetynet").
package discord
