package probe_test

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/monitor/probe"
	"github.com/safetynet-dev/safetynet/status"
)

// tcpServer greets each connection with banner, then answers each line
// with "PONG <line>" and closes.
func tcpServer(tb testing.TB, banner string) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				if banner != "" {
					// In two writes: the probe must read on until it matches.
					conn.Write([]byte(banner[:len(banner)/2]))
					conn.Write([]byte(banner[len(banner)/2:]))
				}
				conn.SetReadDeadline(time.Now().Add(5 * time.Second))
				line, err := bufio.NewReader(conn).ReadString('\n')
				if err == nil {
					conn.Write([]byte("PONG " + line))
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func closedPort(tb testing.TB, network string) string {
	tb.Helper()
	if network == "udp" {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		addr := pc.LocalAddr().String()
		pc.Close()
		return addr
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestTCP(t *testing.T) {
	plain := tcpServer(t, "")
	smtp := tcpServer(t, "220 mail.example.test ESMTP ready\r\n")
	tests := []struct {
		name string
		addr string
		spec probe.TCPSpec
		ok   bool
		err  string
	}{
		{"connect", plain, probe.TCPSpec{}, true, ""},
		{"banner", smtp, probe.TCPSpec{Exchange: probe.Exchange{Expect: "ESMTP ready"}}, true, ""},
		{"banner regexp", smtp, probe.TCPSpec{Exchange: probe.Exchange{ExpectMatch: `^220 \S+ ESMTP`}}, true, ""},
		{"wrong banner", smtp, probe.TCPSpec{Exchange: probe.Exchange{Expect: "+OK"}}, false, "reply contains +OK failed: got 220 mail.example.test ESMTP ready"},
		{"send and expect", plain, probe.TCPSpec{Exchange: probe.Exchange{Send: "PING\n", Expect: "PONG PING"}}, true, ""},
		{"send hex", plain, probe.TCPSpec{Exchange: probe.Exchange{SendHex: "50 49 4e 47 0a", Expect: "PONG PING"}}, true, ""},
		{"closed without a reply", plain, probe.TCPSpec{Exchange: probe.Exchange{Send: "x", Expect: "y"}}, false, "timed out"},
		{"refused", closedPort(t, "tcp"), probe.TCPSpec{}, false, "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := tt.spec
			spec.Address = tt.addr
			r := run(t, MustProber(t, check(t, status.KindTCP, "", &spec), probe.Options{}), 300*time.Millisecond)
			wantResult(t, r, tt.ok, tt.err)
			if tt.ok && spec.Expect != "" && (len(r.Conditions) != 1 || !r.Conditions[0].OK) {
				t.Errorf("conditions = %+v, want the matched reply", r.Conditions)
			}
		})
	}
}

// udpEcho answers "pong:<payload>" to each datagram, and first sends a
// stray datagram that matches nothing, as a late answer would.
func udpEcho(tb testing.TB) string {
	tb.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if strings.HasPrefix(string(buf[:n]), "silence") {
				continue
			}
			pc.WriteTo([]byte("stray"), from)
			pc.WriteTo(append([]byte("pong:"), buf[:n]...), from)
		}
	}()
	return pc.LocalAddr().String()
}

func TestUDP(t *testing.T) {
	echo := udpEcho(t)
	tests := []struct {
		name string
		addr string
		ex   probe.Exchange
		ok   bool
		err  string
	}{
		{"any reply", echo, probe.Exchange{Send: "ping"}, true, ""},
		{"substring past a stray datagram", echo, probe.Exchange{Send: "ping", Expect: "pong:ping"}, true, ""},
		{"regexp", echo, probe.Exchange{Send: "ping", ExpectMatch: `^pong:p[a-z]+$`}, true, ""},
		{"binary", echo, probe.Exchange{SendHex: "00ff", ExpectHex: "3a 00 ff"}, true, ""},
		{"wrong reply", echo, probe.Exchange{Send: "ping", Expect: "PONG"}, false, "reply contains PONG failed: got pong:ping"},
		{"no reply", echo, probe.Exchange{Send: "silence"}, false, "no reply: timed out"},
		{"refused", closedPort(t, "udp"), probe.Exchange{Send: "ping"}, false, "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := probe.UDPSpec{Address: tt.addr, Exchange: tt.ex}
			r := run(t, MustProber(t, check(t, status.KindUDP, "", &spec), probe.Options{}), 300*time.Millisecond)
			wantResult(t, r, tt.ok, tt.err)
		})
	}
}
