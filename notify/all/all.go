// Package all registers every notifier kind with package notify. Import it
// for its side effect where notifiers are built (the server's main); adding
// a channel adds one line here.
package all

import (
	_ "github.com/safetynet-dev/safetynet/notify/discord"   // kind "discord"
	_ "github.com/safetynet-dev/safetynet/notify/email"     // kind "email"
	_ "github.com/safetynet-dev/safetynet/notify/pagerduty" // kind "pagerduty"
	_ "github.com/safetynet-dev/safetynet/notify/slack"     // kind "slack"
	_ "github.com/safetynet-dev/safetynet/notify/teams"     // kind "teams"
	_ "github.com/safetynet-dev/safetynet/notify/webhook"   // kind "webhook"
)
