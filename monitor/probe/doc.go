// Package probe runs the network probes of checks: http, tcp, udp, stun,
// dns and tls, one run at a time, and validates each kind's settings. The
// monitor owns scheduling, retries and state; a probe only answers "what
// did this one attempt see". Heartbeat checks have no probe: the monitor
// reads their grace period and token with HeartbeatGrace and
// HeartbeatToken.
//
// # HTTP checks
//
// Each run opens a new connection, as a probe from outside would, so a dead
// listener or a slow TLS handshake shows. Certificates are verified unless
// insecure_skip_verify is set; up to 10 redirects are followed unless
// follow_redirects is false. The body is read only when a condition or an
// extraction needs it, and at most its first MiB.
//
// # Conditions
//
// An http check passes when all of its conditions hold; with none, the
// condition is [STATUS] < 400. A condition is
//
//	LEFT OPERATOR RIGHT
//
// with spaces around the operator. LEFT is one of
//
//	[STATUS]              the HTTP status code
//	[RESPONSE_TIME]       milliseconds until the response headers arrived
//	[BODY]                the body (its first MiB)
//	[BODY].a.b[0].c       a value in a JSON body; [-1] is the last element
//	[HEADER].Name         a response header (several values joined by ", ")
//	[CERT_EXPIRY]         time until the server certificate expires (https)
//	len(X)                elements of a JSON array, keys of an object,
//	                      characters of a string, bytes of [BODY]
//	has(X)                whether a JSON path or a header exists: true/false
//
// OPERATOR is one of == != < <= > >= contains matches, and RIGHT a value:
//
//	[STATUS] == 200
//	[STATUS] == any(200, 204)          one of several values (== and != only)
//	[STATUS] < 500
//	[RESPONSE_TIME] < 300              milliseconds; 300ms and 1.5s work too
//	[BODY] contains ok
//	[BODY] matches ^OK$                a Go regular expression (RE2 syntax)
//	[BODY].status == UP
//	[BODY].data.items[0].id == 1
//	[BODY].users > 100
//	len([BODY].items) > 0
//	has([BODY].errors) == false        has(X) alone means has(X) == true
//	[HEADER].Content-Type contains json
//	[CERT_EXPIRY] > 72h                Go durations, plus d for days: 30d
//
// Comparison rules:
//
//   - When both sides are numbers they compare as numbers: 200 == 200.0, and
//     a JSON string "150" equals 150 and is greater than 99. Integers compare
//     exactly at any size. <, <=, > and >= need numbers on both sides.
//   - Otherwise both sides compare as text, exactly and case-sensitively.
//     JSON true, false and null read as the words true, false and null.
//   - Quote the right side ("150", "a b ") to compare as text, or to keep
//     blanks at its ends; Go string escapes work inside the quotes.
//   - [BODY] == X ignores blanks and line ends around the body.
//   - contains on a JSON array asks whether an element equals the value;
//     on anything else, whether the text contains it.
//   - A path or header that is missing fails the condition with a message
//     saying so; test for presence with has().
//
// Each condition is reported with the value it saw ("[STATUS] == 200
// failed: got 503"). The conditions of a check are checked when the
// configuration loads: a mistake is reported with the check, the number of
// the condition and what is wrong with it.
//
// # Extraction
//
// extract maps a metric name to a JSON path (the syntax above; the leading
// [BODY] may be left out) whose number is recorded as a metric with each
// result: users: data.users. Numeric strings count, and booleans as 1 and
// 0. A value missing from the response does not fail the check but marks it
// degraded with a warning naming the value, because a number that vanished
// from a health route deserves a look.
//
// # Other kinds
//
//   - tcp: connects to address; optionally sends send (or send_hex) and
//     expects a reply containing expect (or expect_hex), or matching the
//     regular expression expect_match.
//   - udp: sends send or send_hex and passes on the first reply that
//     matches expect, expect_hex or expect_match (any reply when none is
//     given) within the timeout.
//   - stun: sends an RFC 5389 Binding Request (retransmitted after 0.5 s,
//     1 s, 2 s... while time allows) and passes on a Binding Success
//     Response with a (XOR-)MAPPED-ADDRESS; the mapped address is reported
//     as the "mapped address" condition.
//   - dns: asks server (or the resolvers of /etc/resolv.conf) for name and
//     type (A, AAAA, CNAME, MX, TXT, NS, SRV), over TCP when the UDP answer
//     is truncated. It passes on a NOERROR answer with records of that type
//     that, when set, include contains or are exactly equals (any order;
//     names compare without the final dot and case). MX answers read
//     "10 mail.example.com", SRV answers "10 5 5060 sip.example.com".
//   - tls: reads the server's certificate. An expired or not yet valid
//     certificate fails; so does one that does not verify for server_name
//     unless insecure_skip_verify is set. Within warn_days (14 by default)
//     of expiry the check passes with a warning, which makes it degraded.
//     The days left are recorded as the metric cert_expiry_days.
package probe
