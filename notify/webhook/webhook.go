package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/status"
)

// Kind is the notifier kind in the config.
const Kind = "webhook"

// The headers a delivery carries.
const (
	HeaderSignature = "X-Safetynet-Signature"
	HeaderDelivery  = "X-Safetynet-Delivery"
	HeaderEvent     = "X-Safetynet-Event"
)

func init() {
	notify.Register(Kind, func(name string, raw json.RawMessage, env notify.Env) (notify.Notifier, error) {
		var s Settings
		if err := notify.DecodeSettings(name, raw, &s); err != nil {
			return nil, err
		}
		return New(name, s, env)
	})
}

// Settings configure a webhook notifier; see the package documentation.
type Settings struct {
	URL        string `json:"url,omitempty"`
	URLEnv     string `json:"url_env,omitempty"`
	URLFile    string `json:"url_file,omitempty"`
	SecretEnv  string `json:"secret_env,omitempty"`
	SecretFile string `json:"secret_file,omitempty"`
}

// Notifier posts signed JSON messages.
type Notifier struct {
	url    *url.URL
	secret []byte
	client *http.Client
}

var _ notify.Notifier = (*Notifier)(nil)

// New checks the settings, reads the secrets and returns the notifier.
func New(name string, s Settings, env notify.Env) (*Notifier, error) {
	var (
		u   *url.URL
		err error
	)
	switch {
	case s.URL != "" && (s.URLEnv != "" || s.URLFile != ""):
		return nil, notify.Invalid(name, "url", "set only one of url, url_env and url_file")
	case s.URL != "":
		u, err = env.CheckURL(name, "url", s.URL)
	default:
		u, err = env.SecretURL(name, "url", s.URLEnv, s.URLFile)
	}
	if err != nil {
		return nil, err
	}
	secret, err := env.OptionalSecret(name, "secret", s.SecretEnv, s.SecretFile)
	if err != nil {
		return nil, err
	}
	return &Notifier{url: u, secret: []byte(secret), client: env.HTTP()}, nil
}

// Send posts m.
func (n *Notifier) Send(ctx context.Context, m status.Message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("webhook: encode message: %w", err)
	}
	h := http.Header{}
	h.Set(HeaderDelivery, m.ID)
	h.Set(HeaderEvent, string(m.Event))
	if len(n.secret) > 0 {
		h.Set(HeaderSignature, Sign(n.secret, body))
	}
	if _, err := notify.PostJSON(ctx, n.client, n.url, body, h); err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	return nil
}

// Sign returns the signature header value for body: "sha256=" and the hex
// HMAC-SHA256 of body keyed by secret.
func Sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify reports whether header is the signature of body under secret,
// comparing in constant time. Receivers written in Go can use it as is.
func Verify(secret, body []byte, header string) bool {
	hexSum, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}
