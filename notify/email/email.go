package email

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/status"
)

// Kind is the notifier kind in the config.
const Kind = "email"

func init() {
	notify.Register(Kind, func(name string, raw json.RawMessage, env notify.Env) (notify.Notifier, error) {
		var s Settings
		if err := notify.DecodeSettings(name, raw, &s); err != nil {
			return nil, err
		}
		return New(name, s, env)
	})
}

// Settings configure an e-mail notifier; see the package documentation.
type Settings struct {
	Host          string   `json:"host"`
	Port          int      `json:"port,omitempty"`
	TLS           string   `json:"tls,omitempty"`
	Username      string   `json:"username,omitempty"`
	PasswordEnv   string   `json:"password_env,omitempty"`
	PasswordFile  string   `json:"password_file,omitempty"`
	Auth          string   `json:"auth,omitempty"`
	From          string   `json:"from"`
	To            []string `json:"to"`
	CAFile        string   `json:"ca_file,omitempty"`
	SubjectPrefix *string  `json:"subject_prefix,omitempty"`
}

// Notifier sends mail through one SMTP server.
type Notifier struct {
	s        Settings
	password string
	auth     gomail.SMTPAuthType
	tls      *tls.Config
	dial     gomail.DialContextFunc
	domain   string // of the sender, for Message-IDs
	prefix   string
}

var _ notify.Notifier = (*Notifier)(nil)

// New checks the settings, reads the password and CA file and returns the
// notifier. It does not connect.
func New(name string, s Settings, env notify.Env) (*Notifier, error) {
	if s.Host == "" {
		return nil, notify.Invalid(name, "host", "required")
	}
	if err := env.CheckHost(name, "host", s.Host); err != nil {
		return nil, err
	}
	switch s.TLS {
	case "":
		s.TLS = "starttls"
	case "starttls", "implicit", "none":
	default:
		return nil, notify.Invalid(name, "tls", "%q is not one of starttls, implicit, none", s.TLS)
	}
	if s.Port == 0 {
		s.Port = map[string]int{"starttls": 587, "implicit": 465, "none": 25}[s.TLS]
	}
	if s.Port < 1 || s.Port > 65535 {
		return nil, notify.Invalid(name, "port", "%d is not a TCP port", s.Port)
	}
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return nil, notify.Invalid(name, "from", "not an e-mail address")
	}
	if len(s.To) == 0 {
		return nil, notify.Invalid(name, "to", "required")
	}
	for i, to := range s.To {
		if _, err := mail.ParseAddress(to); err != nil {
			return nil, notify.Invalid(name, "to", "entry %d is not an e-mail address", i+1)
		}
	}
	n := &Notifier{s: s, prefix: "[safetynet] "}
	if s.SubjectPrefix != nil {
		n.prefix = *s.SubjectPrefix
	}
	n.domain = from.Address[strings.LastIndexByte(from.Address, '@')+1:]

	if s.Username != "" {
		if s.TLS == "none" {
			return nil, notify.Invalid(name, "tls", `a password is never sent without TLS; use "starttls" or "implicit"`)
		}
		if n.password, err = env.Secret(name, "password", s.PasswordEnv, s.PasswordFile); err != nil {
			return nil, err
		}
		switch s.Auth {
		case "", "plain":
			n.auth = gomail.SMTPAuthPlain
		case "login":
			n.auth = gomail.SMTPAuthLogin
		case "cram-md5":
			n.auth = gomail.SMTPAuthCramMD5
		default:
			return nil, notify.Invalid(name, "auth", "%q is not one of plain, login, cram-md5", s.Auth)
		}
	} else if s.PasswordEnv != "" || s.PasswordFile != "" || s.Auth != "" {
		return nil, notify.Invalid(name, "username", "required when a password or auth is set")
	}

	n.tls = &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
	if s.CAFile != "" {
		pem, err := env.ReadConfigFile(name, "ca_file", s.CAFile)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, notify.Invalid(name, "ca_file", "%s holds no PEM certificate", s.CAFile)
		}
		n.tls.RootCAs = pool
	}

	// Our own dialer, so the address guard applies to the resolved
	// address; go-mail leaves implicit TLS to a custom dialer.
	d := notify.Dialer(env.AllowPrivate, 15*time.Second)
	n.dial = d.DialContext
	if s.TLS == "implicit" {
		td := &tls.Dialer{NetDialer: d, Config: n.tls}
		n.dial = td.DialContext
	}
	return n, nil
}

// Send mails m to every recipient in one SMTP transaction.
func (n *Notifier) Send(ctx context.Context, m status.Message) error {
	msg, err := n.message(m)
	if err != nil {
		return err
	}
	return n.send(ctx, msg)
}

// SendWithUnsubscribe mails m with the List-Unsubscribe header naming
// unsubscribeURL, so mail clients show their own "Unsubscribe" button. For
// an https URL it also sets List-Unsubscribe-Post: List-Unsubscribe=One-Click
// (RFC 8058): the client then POSTs that body to the URL, which must
// unsubscribe without any further step. Other URLs get the RFC 2369 header
// alone, as one-click needs https.
func (n *Notifier) SendWithUnsubscribe(ctx context.Context, m status.Message, unsubscribeURL string) error {
	u, err := url.Parse(unsubscribeURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("email: unsubscribe URL %q is not an http(s) URL", unsubscribeURL)
	}
	msg, err := n.message(m)
	if err != nil {
		return err
	}
	if u.Scheme != "https" || msg.SetListUnsubscribeOneClick(u.String()) != nil {
		msg.SetListUnsubscribe(u.String())
	}
	return n.send(ctx, msg)
}

func (n *Notifier) send(ctx context.Context, msg *gomail.Msg) error {
	opts := []gomail.Option{
		gomail.WithPort(n.s.Port),
		gomail.WithTLSConfig(n.tls),
		gomail.WithDialContextFunc(n.dial),
		gomail.WithTimeout(30 * time.Second),
	}
	switch n.s.TLS {
	case "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "implicit", "none":
		// Implicit TLS is done by n.dial; no STARTTLS on top of it.
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if n.s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(n.auth), gomail.WithUsername(n.s.Username), gomail.WithPassword(n.password))
	}
	c, err := gomail.NewClient(n.s.Host, opts...)
	if err != nil {
		return fmt.Errorf("email: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("email: send via %s: %w", net.JoinHostPort(n.s.Host, fmt.Sprint(n.s.Port)), err)
	}
	return nil
}

// HeaderDelivery carries the message ID, as with the webhook.
const HeaderDelivery = "X-Safetynet-Delivery"

func (n *Notifier) message(m status.Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(n.s.From); err != nil {
		return nil, fmt.Errorf("email: from: %w", err)
	}
	if err := msg.To(n.s.To...); err != nil {
		return nil, fmt.Errorf("email: to: %w", err)
	}
	msg.Subject(n.prefix + m.Title)
	msg.SetMessageIDWithValue(MessageID(m.ID, n.domain))
	if m.At.IsZero() {
		msg.SetDate()
	} else {
		msg.SetDateWithValue(m.At)
	}
	msg.SetGenHeader(gomail.Header(HeaderDelivery), m.ID)
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetUserAgent("safetynet")
	msg.SetBodyString(gomail.TypeTextPlain, PlainBody(m))
	html, err := HTMLBody(m)
	if err != nil {
		return nil, err
	}
	msg.AddAlternativeString(gomail.TypeTextHTML, html)
	return msg, nil
}

var idSafe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// MessageID is the Message-ID (without angle brackets) for a message ID:
// the same ID always gives the same Message-ID.
func MessageID(id, domain string) string {
	if !idSafe.MatchString(id) {
		sum := sha256.Sum256([]byte(id))
		id = hex.EncodeToString(sum[:16])
	}
	return "safetynet." + id + "@" + domain
}

// PlainBody is the text/plain part.
func PlainBody(m status.Message) string {
	var b strings.Builder
	b.WriteString(m.Title + "\n\n")
	if m.Text != "" {
		b.WriteString(m.Text + "\n\n")
	}
	for _, f := range notify.Facts(m) {
		fmt.Fprintf(&b, "%s: %s\n", f.Name, f.Value)
	}
	if m.URL != "" {
		fmt.Fprintf(&b, "\n%s\n", m.URL)
	}
	b.WriteString("\n-- \n" + notify.Footer(m))
	if !m.At.IsZero() {
		b.WriteString(" · " + m.At.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	b.WriteString("\n")
	return b.String()
}

var htmlTmpl = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html><body style="font-family:sans-serif">
<h2 style="color:{{.Color}}">{{.M.Title}}</h2>
{{if .M.Text}}<p>{{.M.Text}}</p>{{end}}
{{if .Facts}}<table cellpadding="4">{{range .Facts}}
<tr><th align="left">{{.Name}}</th><td>{{.Value}}</td></tr>{{end}}
</table>{{end}}
{{if .M.URL}}<p><a href="{{.M.URL}}">Open in safetynet</a></p>{{end}}
<p style="color:#667085;font-size:small">{{.Footer}}</p>
</body></html>
`))

// HTMLBody is the text/html part; every value is escaped.
func HTMLBody(m status.Message) (string, error) {
	color := map[notify.Tone]string{notify.ToneBad: "#D92D20", notify.ToneWarning: "#B54708", notify.ToneGood: "#067647", notify.ToneInfo: "#175CD3"}[notify.ToneOf(m)]
	footer := notify.Footer(m)
	if !m.At.IsZero() {
		footer += " · " + m.At.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	var b bytes.Buffer
	err := htmlTmpl.Execute(&b, struct {
		M      status.Message
		Facts  []notify.Fact
		Color  string
		Footer string
	}{m, notify.Facts(m), color, footer})
	if err != nil {
		return "", fmt.Errorf("email: render HTML: %w", err)
	}
	return b.String(), nil
}
