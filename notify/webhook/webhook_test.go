package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/notify/notifytest"
	"github.com/safetynet-dev/safetynet/notify/webhook"
	"github.com/safetynet-dev/safetynet/status"
)

type captured struct {
	header http.Header
	body   []byte
	path   string
}

func server(t *testing.T, code int) (*httptest.Server, chan captured) {
	t.Helper()
	got := make(chan captured, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- captured{r.Header.Clone(), b, r.URL.Path}
		w.WriteHeader(code)
		io.WriteString(w, `{"error":"nope"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func TestSendsSignedDocumentedJSON(t *testing.T) {
	srv, got := server(t, http.StatusNoContent)
	const secret = "s3cret-hmac-key"
	env := notifytest.Env(map[string]string{"HOOK_URL": srv.URL + "/hooks/safetynet", "HOOK_SECRET": secret}, nil)
	n, err := notify.New(status.NotifierSpec{Name: "ops-hook", Kind: "webhook",
		Settings: json.RawMessage(`{"url_env":"HOOK_URL","secret_env":"HOOK_SECRET"}`)}, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Send(context.Background(), notifytest.Message()); err != nil {
		t.Fatal(err)
	}
	c := <-got

	// The body is the documented shape, field for field.
	want := `{"id":"n-7f3a9c","event":"down","title":"checkout is down",` +
		`"text":"GET https://shop.example.com/health failed 3 times: status 503 \u003cwant 200\u003e",` +
		`"component":"checkout","team":"payments","status":"major_outage",` +
		`"url":"https://status.example.com/components/checkout","at":"2026-03-01T21:04:05Z",` +
		`"fields":{"check":"checkout-health","location":"local","subject":"checkout-health"}}`
	if string(c.body) != want {
		t.Errorf("body\n got %s\nwant %s", c.body, want)
	}
	if c.path != "/hooks/safetynet" {
		t.Errorf("path %q", c.path)
	}
	for h, v := range map[string]string{
		"Content-Type":         "application/json",
		"X-Safetynet-Delivery": "n-7f3a9c",
		"X-Safetynet-Event":    "down",
	} {
		if g := c.header.Get(h); g != v {
			t.Errorf("%s = %q, want %q", h, g, v)
		}
	}
	if !strings.HasPrefix(c.header.Get("User-Agent"), "safetynet/") {
		t.Errorf("User-Agent = %q", c.header.Get("User-Agent"))
	}

	// A receiver verifies the signature with nothing but the secret.
	sig := c.header.Get("X-Safetynet-Signature")
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(c.body)
	if wantSig := "sha256=" + hex.EncodeToString(mac.Sum(nil)); sig != wantSig {
		t.Errorf("signature %q, want %q", sig, wantSig)
	}
	if !webhook.Verify([]byte(secret), c.body, sig) {
		t.Error("Verify rejects a genuine delivery")
	}
	tampered := strings.Replace(string(c.body), "down", "up", 1)
	if webhook.Verify([]byte(secret), []byte(tampered), sig) {
		t.Error("Verify accepts a tampered body")
	}
	if webhook.Verify([]byte("other"), c.body, sig) || webhook.Verify([]byte(secret), c.body, "sha1=00") {
		t.Error("Verify accepts a wrong key or scheme")
	}
}

func TestRetriedMessageKeepsItsID(t *testing.T) {
	srv, got := server(t, http.StatusOK)
	n, err := webhook.New("hook", webhook.Settings{URL: srv.URL}, notifytest.Env(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	m := notifytest.Message()
	for range 2 {
		if err := n.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	a, b := <-got, <-got
	if a.header.Get("X-Safetynet-Delivery") != b.header.Get("X-Safetynet-Delivery") || string(a.body) != string(b.body) {
		t.Error("two sends of one message differ; receivers could not deduplicate")
	}
	if a.header.Get("X-Safetynet-Signature") != "" {
		t.Error("signature sent without a secret")
	}
}

func TestErrorAnswerIsReportedWithoutTheURL(t *testing.T) {
	srv, _ := server(t, http.StatusServiceUnavailable)
	env := notifytest.Env(map[string]string{"U": srv.URL + "/T000/B000/secret-token"}, nil)
	n, err := webhook.New("hook", webhook.Settings{URLEnv: "U"}, env)
	if err != nil {
		t.Fatal(err)
	}
	err = n.Send(context.Background(), notifytest.Message())
	if err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("err = %v, want the 503", err)
	}
	if strings.Contains(err.Error(), "secret-token") {
		t.Errorf("error leaks the URL path: %v", err)
	}
}

func TestSettingsErrors(t *testing.T) {
	env := notifytest.Env(map[string]string{"EMPTY": "", "META": "http://169.254.169.254/latest/meta-data/"},
		map[string]string{"/run/secret": "topsecret\n"})
	strict := env
	strict.AllowPrivate = false
	for _, c := range []struct {
		name     string
		settings string
		env      notify.Env
		want     string
	}{
		{"none", `{}`, env, "url_env: set url_env or url_file"},
		{"both", `{"url":"https://a.example","url_env":"X"}`, env, "set only one of url, url_env and url_file"},
		{"empty env", `{"url_env":"EMPTY"}`, env, "environment variable EMPTY is unset or empty"},
		{"missing file", `{"url_file":"/nope"}`, env, "url_file: cannot read /nope"},
		{"scheme", `{"url":"ftp://a.example"}`, env, "must be an http or https URL"},
		{"typo", `{"url":"https://a.example","secret_fiel":"/run/secret"}`, env, `unknown field "secret_fiel"`},
		{"metadata", `{"url_env":"META"}`, strict, "is a cloud metadata address"},
		{"link-local", `{"url":"http://[fe80::1]:8080/"}`, strict, "is a link-local address"},
		{"aws v6 metadata", `{"url":"http://[fd00:ec2::254]/"}`, strict, "is a cloud metadata address"},
		{"loopback", `{"url":"http://127.0.0.1:9/"}`, strict, "is a loopback address"},
		{"localhost", `{"url":"http://localhost:9/"}`, strict, "is a loopback address"},
		{"wrong type", `{"url":42}`, env, `field "url" must be string`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := notify.New(status.NotifierSpec{Name: "ops-hook", Kind: "webhook", Settings: json.RawMessage(c.settings)}, c.env)
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, `notifier "ops-hook"`) || !strings.Contains(msg, c.want) {
				t.Errorf("error %q, want it to name the notifier and say %q", msg, c.want)
			}
			if strings.Contains(msg, "meta-data") || strings.Contains(msg, "topsecret") {
				t.Errorf("error leaks a secret: %q", msg)
			}
		})
	}
	// A private-range receiver is fine: internal webhooks live there.
	if _, err := webhook.New("hook", webhook.Settings{URL: "http://10.1.2.3/hook"}, strict); err != nil {
		t.Errorf("private address refused: %v", err)
	}
	// The secret comes from a file, trimmed.
	if _, err := webhook.New("hook", webhook.Settings{URL: "https://a.example", SecretFile: "/run/secret"}, env); err != nil {
		t.Errorf("secret file: %v", err)
	}
}
