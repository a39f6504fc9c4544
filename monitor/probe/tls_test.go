package probe_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/monitor/probe"
	"github.com/safetynet-dev/safetynet/status"
)

// pki is a test CA and a server certificate it issued for 127.0.0.1 and
// api.example.test, valid from notBefore to notAfter.
type pki struct {
	pool      *x509.CertPool
	cert      tls.Certificate
	notBefore time.Time
	notAfter  time.Time
}

func newPKI(tb testing.TB) pki {
	tb.Helper()
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			tb.Fatal(err)
		}
		return k
	}
	caKey, leafKey := key(), key()
	nb := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	na := nb.Add(90 * 24 * time.Hour)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test CA"},
		NotBefore: nb.Add(-time.Hour), NotAfter: na.Add(365 * 24 * time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		tb.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "api.example.test"},
		NotBefore: nb, NotAfter: na, DNSNames: []string{"api.example.test"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return pki{pool: pool, cert: tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}, notBefore: nb, notAfter: na}
}

// tlsServer accepts TLS connections with cert and completes handshakes.
func tlsServer(tb testing.TB, cert tls.Certificate) string {
	tb.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				_ = c.(*tls.Conn).Handshake()
				c.Read(make([]byte, 1)) // until the prober hangs up
			}()
		}
	}()
	return ln.Addr().String()
}

func TestTLS(t *testing.T) {
	p := newPKI(t)
	addr := tlsServer(t, p.cert)
	day := 24 * time.Hour
	tests := []struct {
		name     string
		spec     probe.TLSSpec
		roots    bool
		now      time.Time
		ok       bool
		err      string
		warning  string
		daysLeft float64
	}{
		{"valid, far from expiry", probe.TLSSpec{WarnDays: 14}, true, p.notAfter.Add(-60 * day), true, "", "", 60},
		{"warns within warn_days", probe.TLSSpec{WarnDays: 14}, true, p.notAfter.Add(-10*day - 12*time.Hour), true, "", "certificate expires in 10d12h", 10.5},
		{"warn_days 0 never warns", probe.TLSSpec{}, true, p.notAfter.Add(-time.Hour), true, "", "", 0.04},
		{"expired", probe.TLSSpec{WarnDays: 14}, true, p.notAfter.Add(2 * day), false, "certificate expired 2d0h ago", "", -2},
		{"expired even when insecure", probe.TLSSpec{WarnDays: 14, InsecureSkipVerify: true}, false, p.notAfter.Add(day), false, "certificate expired", "", -1},
		{"not yet valid", probe.TLSSpec{WarnDays: 14}, true, p.notBefore.Add(-day), false, "not valid before", "", 91},
		{"untrusted by default", probe.TLSSpec{WarnDays: 14}, false, p.notAfter.Add(-60 * day), false, "certificate not trusted: x509: certificate signed by unknown authority", "", 60},
		{"untrusted but insecure", probe.TLSSpec{WarnDays: 14, InsecureSkipVerify: true}, false, p.notAfter.Add(-60 * day), true, "", "", 60},
		{"server name verified", probe.TLSSpec{WarnDays: 14, ServerName: "api.example.test"}, true, p.notAfter.Add(-60 * day), true, "", "", 60},
		{"wrong server name", probe.TLSSpec{WarnDays: 14, ServerName: "other.example.test"}, true, p.notAfter.Add(-60 * day), false, "certificate is valid for api.example.test, not other.example.test", "", 60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := tt.spec
			spec.Address = addr
			opts := probe.Options{Now: func() time.Time { return tt.now }}
			if tt.roots {
				opts.RootCAs = p.pool
			}
			r := run(t, MustProber(t, check(t, status.KindTLS, "", &spec), opts), 5*time.Second)
			wantResult(t, r, tt.ok, tt.err)
			if tt.warning == "" && r.Warning != "" || tt.warning != "" && (len(r.Warning) < len(tt.warning) || r.Warning[:len(tt.warning)] != tt.warning) {
				t.Errorf("warning = %q, want %q", r.Warning, tt.warning)
			}
			if got := r.Values[probe.CertExpiryValue]; got != tt.daysLeft {
				t.Errorf("%s = %v, want %v", probe.CertExpiryValue, got, tt.daysLeft)
			}
			if len(r.Conditions) != 1 || r.Conditions[0].Detail == "" {
				t.Errorf("conditions = %+v, want the certificate described", r.Conditions)
			}
		})
	}
}

func TestTLSFailures(t *testing.T) {
	plain := tcpServer(t, "220 not TLS\r\n") // speaks no TLS
	spec := probe.TLSSpec{Address: plain}
	r := run(t, MustProber(t, check(t, status.KindTLS, "", &spec), probe.Options{}), 300*time.Millisecond)
	wantResult(t, r, false, "tls: first record does not look like a TLS handshake")
	spec.Address = closedPort(t, "tcp")
	r = run(t, MustProber(t, check(t, status.KindTLS, "", &spec), probe.Options{}), 300*time.Millisecond)
	wantResult(t, r, false, "connection refused")
}
