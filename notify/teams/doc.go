// Package teams posts messages to a Microsoft Teams channel through a
// Workflows webhook ("When a Teams webhook request is received"), as an
// Adaptive Card: the title coloured by tone, the text, the facts as a
// FactSet, a small line with the event and the message ID that receivers
// deduplicate on, and a button to the message URL. The Office 365
// connectors and their MessageCard format are retired; Workflows accept
// Adaptive Cards only.
//
// Settings (kind "teams"): url_env or url_file, naming where the workflow
// URL is kept (its signature query parameter is the credential).
package teams
