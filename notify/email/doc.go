// Package email sends messages by SMTP, with STARTTLS (the default, port
// 587) or implicit TLS (port 465), and authentication. Each mail has a
// plain-text and an HTML body, a Message-ID derived from the message ID (so
// a retried mail threads with, and can be dropped as a duplicate of, the
// first), an X-Safetynet-Delivery header with the ID, and
// "Auto-Submitted: auto-generated" so out-of-office replies stay away.
//
// Settings (kind "email"):
//
//	host            SMTP server (required)
//	port            default 587 for starttls, 465 for implicit, 25 for none
//	tls             starttls (required, never downgraded), implicit, or none
//	username        for SMTP AUTH; with it, a password source is required
//	password_env    environment variable holding the password
//	password_file   or: file holding it
//	auth            plain (default), login or cram-md5
//	from            sender address (required)
//	to              recipient addresses (required)
//	ca_file         PEM bundle to trust instead of the system roots (an internal relay)
//	subject_prefix  default "[safetynet] "
//
// A password is never sent without TLS: tls "none" with a username is
// refused.
package email
