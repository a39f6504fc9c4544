package email_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/notify/email"
	"github.com/safetynet-dev/safetynet/notify/notifytest"
	"github.com/safetynet-dev/safetynet/status"
)

// received is one mail as the test server saw it.
type received struct {
	from     string
	to       []string
	data     []byte
	tls      bool // the session was encrypted when MAIL FROM came
	authUser string
}

// mailServer is an SMTP server on loopback built on go-smtp, a maintained
// server library, so the client is tested against a real protocol peer.
type mailServer struct {
	addr  string
	port  int
	caPEM string
	mu    sync.Mutex
	mails []received
	user  string
	pass  string
}

type backend struct{ s *mailServer }

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, c: c}, nil
}

type session struct {
	s    *mailServer
	c    *smtp.Conn
	cur  received
	user string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.s.user || password != s.s.pass {
			return errors.New("invalid credentials")
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.s.user != "" && s.user == "" {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	_, encrypted := s.c.TLSConnectionState()
	s.cur = received{from: from, tls: encrypted, authUser: s.user}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = b
	s.s.mu.Lock()
	s.s.mails = append(s.s.mails, s.cur)
	s.s.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.cur = received{} }
func (s *session) Logout() error { return nil }

// startMailServer serves SMTP on 127.0.0.1 with STARTTLS, or implicit TLS,
// or no TLS at all (mode "starttls", "implicit", "none"), and requires AUTH
// PLAIN as user/pass when user is set.
func startMailServer(t *testing.T, mode, user, pass string) *mailServer {
	t.Helper()
	ms := &mailServer{user: user, pass: pass}
	srv := smtp.NewServer(&backend{ms})
	srv.Domain = "mx.test"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	var l net.Listener
	var err error
	if mode != "none" {
		cert, caPEM := selfSigned(t)
		ms.caPEM = caPEM
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	if mode == "implicit" {
		l, err = tls.Listen("tcp", "127.0.0.1:0", srv.TLSConfig)
	} else {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	ms.addr = l.Addr().String()
	ms.port = l.Addr().(*net.TCPAddr).Port
	return ms
}

func (ms *mailServer) received() []received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]received(nil), ms.mails...)
}

func selfSigned(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mx.test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	cert, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		t.Fatal(err)
	}
	return cert, string(certPEM)
}

func newNotifier(t *testing.T, ms *mailServer, settings string) notify.Notifier {
	t.Helper()
	env := notifytest.Env(map[string]string{"SMTP_PASSWORD": "hunter2-correct"},
		map[string]string{"/etc/safetynet/ca.pem": ms.caPEM})
	n, err := notify.New(status.NotifierSpec{Name: "ops-mail", Kind: "email", Settings: json.RawMessage(settings)}, env)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func send(t *testing.T, n notify.Notifier, m status.Message) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return n.Send(ctx, m)
}

func TestStartTLSWithAuth(t *testing.T) {
	ms := startMailServer(t, "starttls", "alerts@example.com", "hunter2-correct")
	n := newNotifier(t, ms, fmt.Sprintf(`{"host":"127.0.0.1","port":%d,"username":"alerts@example.com",
		"password_env":"SMTP_PASSWORD","from":"safetynet@example.com","to":["ops@example.com","oncall@example.com"],
		"ca_file":"/etc/safetynet/ca.pem"}`, ms.port))
	m := notifytest.Message()
	if err := send(t, n, m); err != nil {
		t.Fatal(err)
	}
	got := ms.received()
	if len(got) != 1 {
		t.Fatalf("server got %d mails, want 1", len(got))
	}
	r := got[0]
	if !r.tls || r.authUser != "alerts@example.com" {
		t.Errorf("tls=%v auth=%q: want STARTTLS before authenticating", r.tls, r.authUser)
	}
	if r.from != "safetynet@example.com" || strings.Join(r.to, ",") != "ops@example.com,oncall@example.com" {
		t.Errorf("envelope %s -> %v", r.from, r.to)
	}
	checkContent(t, r.data, m)
}

func checkContent(t *testing.T, data []byte, m status.Message) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("not a mail: %v", err)
	}
	h := msg.Header
	for k, want := range map[string]string{
		"Subject":              "[safetynet] checkout is down",
		"Message-Id":           "<safetynet.n-7f3a9c@example.com>",
		"X-Safetynet-Delivery": "n-7f3a9c",
		"Auto-Submitted":       "auto-generated",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if d, err := h.Date(); err != nil || !d.Equal(m.At) {
		t.Errorf("Date %v (%v), want %v", d, err, m.At)
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q, want multipart/alternative", h.Get("Content-Type"))
	}
	parts := map[string]string{}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		b, _ := io.ReadAll(p)
		parts[ct] = string(b)
	}
	plain, html := parts["text/plain"], parts["text/html"]
	for _, want := range []string{"checkout is down", m.Text, "Status: major outage", "check: checkout-health", m.URL, "id n-7f3a9c"} {
		if !strings.Contains(plain, want) {
			t.Errorf("plain body lacks %q:\n%s", want, plain)
		}
	}
	for _, want := range []string{"<h2", "status 503 &lt;want 200&gt;", "<th align=\"left\">Component</th><td>checkout</td>", `href="https://status.example.com/components/checkout"`} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML body lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<want 200>") {
		t.Error("HTML body does not escape the text")
	}
}

func TestImplicitTLS(t *testing.T) {
	ms := startMailServer(t, "implicit", "u", "hunter2-correct")
	n := newNotifier(t, ms, fmt.Sprintf(`{"host":"127.0.0.1","port":%d,"tls":"implicit","username":"u",
		"password_env":"SMTP_PASSWORD","from":"Safetynet <safetynet@example.com>","to":["ops@example.com"],
		"ca_file":"/etc/safetynet/ca.pem","subject_prefix":""}`, ms.port))
	m := notifytest.Message()
	if err := send(t, n, m); err != nil {
		t.Fatal(err)
	}
	got := ms.received()
	if len(got) != 1 || !got[0].tls || got[0].authUser != "u" {
		t.Fatalf("received %+v", got)
	}
	msg, _ := mail.ReadMessage(strings.NewReader(string(got[0].data)))
	if s := msg.Header.Get("Subject"); s != "checkout is down" {
		t.Errorf("Subject %q with an empty prefix", s)
	}
}

func TestRetryKeepsMessageID(t *testing.T) {
	ms := startMailServer(t, "none", "", "")
	n := newNotifier(t, ms, fmt.Sprintf(`{"host":"127.0.0.1","port":%d,"tls":"none","from":"s@example.com","to":["o@example.com"]}`, ms.port))
	m := notifytest.Message()
	for range 2 {
		if err := send(t, n, m); err != nil {
			t.Fatal(err)
		}
	}
	got := ms.received()
	a, _ := mail.ReadMessage(strings.NewReader(string(got[0].data)))
	b, _ := mail.ReadMessage(strings.NewReader(string(got[1].data)))
	if a.Header.Get("Message-Id") == "" || a.Header.Get("Message-Id") != b.Header.Get("Message-Id") {
		t.Errorf("Message-IDs %q and %q, want the same for one message", a.Header.Get("Message-Id"), b.Header.Get("Message-Id"))
	}
	if got[0].tls {
		t.Error("tls none still encrypted")
	}
}

func TestWrongPasswordOrUntrustedServerFails(t *testing.T) {
	ms := startMailServer(t, "starttls", "u", "other-password")
	base := `{"host":"127.0.0.1","port":%d,"username":"u","password_env":"SMTP_PASSWORD","from":"s@example.com","to":["o@example.com"]%s}`
	n := newNotifier(t, ms, fmt.Sprintf(base, ms.port, `,"ca_file":"/etc/safetynet/ca.pem"`))
	err := send(t, n, notifytest.Message())
	if err == nil {
		t.Fatal("sent with a wrong password")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error leaks the password: %v", err)
	}
	// Without the CA the self-signed server is not trusted, and STARTTLS is
	// never skipped to get the mail out anyway.
	n = newNotifier(t, ms, fmt.Sprintf(base, ms.port, ""))
	if err := send(t, n, notifytest.Message()); err == nil {
		t.Fatal("sent to an untrusted server")
	}
	if len(ms.received()) != 0 {
		t.Error("a mail got through")
	}
}

func TestSettingsErrors(t *testing.T) {
	env := notifytest.Env(map[string]string{"P": "pw"}, map[string]string{"/bad.pem": "not pem"})
	strict := env
	strict.AllowPrivate = false
	ok := `"host":"smtp.example.com","from":"s@example.com","to":["o@example.com"]`
	for _, c := range []struct {
		settings string
		env      notify.Env
		want     string
	}{
		{`{"from":"s@example.com","to":["o@example.com"]}`, env, "host: required"},
		{`{` + ok + `,"tls":"ssl"}`, env, `tls: "ssl" is not one of`},
		{`{` + ok + `,"tls":"none","username":"u","password_env":"P"}`, env, "a password is never sent without TLS"},
		{`{` + ok + `,"username":"u"}`, env, "password_env: set password_env or password_file"},
		{`{` + ok + `,"password_env":"P"}`, env, "username: required"},
		{`{"host":"smtp.example.com","from":"nobody","to":["o@example.com"]}`, env, "from: not an e-mail address"},
		{`{"host":"smtp.example.com","from":"s@example.com","to":[]}`, env, "to: required"},
		{`{"host":"smtp.example.com","from":"s@example.com","to":["o@example.com","x"]}`, env, "to: entry 2"},
		{`{` + ok + `,"ca_file":"/bad.pem"}`, env, "ca_file: /bad.pem holds no PEM certificate"},
		{`{` + ok + `,"port":70000}`, env, "port: 70000 is not a TCP port"},
		{`{"host":"169.254.169.254","from":"s@example.com","to":["o@example.com"]}`, strict, "host: host 169.254.169.254 is a cloud metadata address"},
		{`{` + ok + `,"password":"pw"}`, env, `unknown field "password"`},
	} {
		_, err := notify.New(status.NotifierSpec{Name: "mail", Kind: "email", Settings: json.RawMessage(c.settings)}, c.env)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), `notifier "mail"`) {
			t.Errorf("%s: err = %v, want %q", c.settings, err, c.want)
		}
	}
	if got := email.MessageID("weird id/with spaces", "example.com"); strings.ContainsAny(got, " /") || got != email.MessageID("weird id/with spaces", "example.com") {
		t.Errorf("MessageID = %q: want a stable, header-safe ID", got)
	}
}

func TestSendWithUnsubscribeSetsOneClickHeaders(t *testing.T) {
	ms := startMailServer(t, "none", "", "")
	n := newNotifier(t, ms, fmt.Sprintf(`{"host":"127.0.0.1","port":%d,"tls":"none","from":"s@example.com","to":["o@example.com"]}`, ms.port)).(*email.Notifier)
	long := "https://status.example.com/unsubscribe?token=" + strings.Repeat("Ab9_-", 12)
	for _, tc := range []struct{ url, list, post string }{
		{long, "<" + long + ">", "List-Unsubscribe=One-Click"},
		// One-click needs https; plain http gets the RFC 2369 header alone.
		{"http://127.0.0.1:8080/unsubscribe?token=x", "<http://127.0.0.1:8080/unsubscribe?token=x>", ""},
	} {
		if err := n.SendWithUnsubscribe(t.Context(), notifytest.Message(), tc.url); err != nil {
			t.Fatal(err)
		}
		got := ms.received()
		msg, err := mail.ReadMessage(strings.NewReader(string(got[len(got)-1].data)))
		if err != nil {
			t.Fatal(err)
		}
		if h := msg.Header.Get("List-Unsubscribe"); h != tc.list {
			t.Errorf("List-Unsubscribe = %q, want %q", h, tc.list)
		}
		if h := msg.Header.Get("List-Unsubscribe-Post"); h != tc.post {
			t.Errorf("List-Unsubscribe-Post = %q, want %q", h, tc.post)
		}
	}
	for _, bad := range []string{"", "mailto:x@example.com", "javascript:alert(1)", "https://"} {
		if err := n.SendWithUnsubscribe(t.Context(), notifytest.Message(), bad); err == nil {
			t.Errorf("unsubscribe URL %q accepted", bad)
		}
	}
	if err := send(t, n, notifytest.Message()); err != nil {
		t.Fatal(err)
	}
	got := ms.received()
	if msg, _ := mail.ReadMessage(strings.NewReader(string(got[len(got)-1].data))); msg.Header.Get("List-Unsubscribe") != "" {
		t.Error("a plain Send carries List-Unsubscribe")
	}
}
