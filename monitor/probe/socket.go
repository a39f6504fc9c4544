package probe

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// exchange is a parsed Exchange: what to send and what the reply must hold.
type exchange struct {
	send   []byte
	expect []byte
	re     *regexp.Regexp
	expr   string // the expectation as written, for the result
}

func parseExchange(c *status.Check, e Exchange) (exchange, error) {
	var x exchange
	switch {
	case e.Send != "" && e.SendHex != "":
		return x, invalid(c, "set send or send_hex, not both")
	case e.SendHex != "":
		b, err := hex.DecodeString(strings.Join(strings.Fields(e.SendHex), ""))
		if err != nil {
			return x, invalid(c, "send_hex: %v", err)
		}
		x.send = b
	default:
		x.send = []byte(e.Send)
	}
	set := 0
	for _, v := range []string{e.Expect, e.ExpectHex, e.ExpectMatch} {
		if v != "" {
			set++
		}
	}
	switch {
	case set > 1:
		return x, invalid(c, "set one of expect, expect_hex and expect_match")
	case e.ExpectHex != "":
		b, err := hex.DecodeString(strings.Join(strings.Fields(e.ExpectHex), ""))
		if err != nil || len(b) == 0 {
			return x, invalid(c, "expect_hex: %v", err)
		}
		x.expect, x.expr = b, "reply contains hex "+e.ExpectHex
	case e.ExpectMatch != "":
		re, err := regexp.Compile(e.ExpectMatch)
		if err != nil {
			return x, invalid(c, "expect_match: %v", err)
		}
		x.re, x.expr = re, "reply matches "+e.ExpectMatch
	case e.Expect != "":
		x.expect, x.expr = []byte(e.Expect), "reply contains "+e.Expect
	}
	return x, nil
}

// wants reports whether a reply is expected at all.
func (x *exchange) wants() bool { return x.re != nil || x.expect != nil }

func (x *exchange) matches(b []byte) bool {
	if x.re != nil {
		return x.re.Match(b)
	}
	return bytes.Contains(b, x.expect)
}

// replyDetail renders a reply for a condition's Detail: text when it is
// printable, quoted otherwise.
func replyDetail(b []byte) string {
	s := string(b)
	for _, r := range s {
		if r < ' ' && r != '\n' && r != '\r' && r != '\t' || r == 0xfffd {
			return clip(strconv.Quote(s))
		}
	}
	return clip(strings.TrimSpace(s))
}

type tcpProbe struct {
	addr    string
	x       exchange
	timeout time.Duration
}

func newTCP(c *status.Check, s *TCPSpec) (Prober, error) {
	p := &tcpProbe{addr: target(s.Address, c.Target), timeout: c.Timeout}
	if err := requireHostPort(p.addr); err != nil {
		return nil, invalid(c, "%v", err)
	}
	x, err := parseExchange(c, s.Exchange)
	if err != nil {
		return nil, err
	}
	p.x = x
	return p, nil
}

func (p *tcpProbe) Probe(ctx context.Context) status.Result {
	ctx, cancel := withDeadline(ctx, p.timeout)
	defer cancel()
	var res status.Result
	start := time.Now()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		res.Latency = time.Since(start)
		res.Error = failure(ctx, err, res.Latency)
		return res
	}
	defer conn.Close()
	stop := bindConn(ctx, conn)
	defer stop()
	if len(p.x.send) > 0 {
		if _, err := conn.Write(p.x.send); err != nil {
			res.Latency = time.Since(start)
			res.Error = "send: " + failure(ctx, err, res.Latency)
			return res
		}
	}
	if !p.x.wants() {
		res.Latency = time.Since(start)
		res.OK = true
		return res
	}
	// Read until the expectation holds, the peer closes, the buffer is
	// full or time runs out: banners may arrive in pieces.
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	n := 0
	for {
		m, err := conn.Read(buf[n:])
		n += m
		if p.x.matches(buf[:n]) {
			res.Latency = time.Since(start)
			res.OK = true
			res.Conditions = []status.ConditionResult{{Expr: p.x.expr, OK: true, Detail: replyDetail(buf[:n])}}
			return res
		}
		if err != nil || n == len(buf) {
			res.Latency = time.Since(start)
			why := "got " + replyDetail(buf[:n])
			switch {
			case n == 0 && errors.Is(err, io.EOF):
				why = "connection closed without a reply"
			case n == 0 && err != nil:
				why = failure(ctx, err, res.Latency) + " waiting for a reply"
			}
			res.Conditions = []status.ConditionResult{{Expr: p.x.expr, OK: false, Detail: replyDetail(buf[:n])}}
			res.Error = p.x.expr + " failed: " + why
			return res
		}
	}
}

type udpProbe struct {
	addr    string
	x       exchange
	timeout time.Duration
}

func newUDP(c *status.Check, s *UDPSpec) (Prober, error) {
	p := &udpProbe{addr: target(s.Address, c.Target), timeout: c.Timeout}
	if err := requireHostPort(p.addr); err != nil {
		return nil, invalid(c, "%v", err)
	}
	x, err := parseExchange(c, s.Exchange)
	if err != nil {
		return nil, err
	}
	if len(x.send) == 0 {
		return nil, invalid(c, "send or send_hex is required: a udp check learns nothing without a reply to a datagram")
	}
	p.x = x
	return p, nil
}

func (p *udpProbe) Probe(ctx context.Context) status.Result {
	ctx, cancel := withDeadline(ctx, p.timeout)
	defer cancel()
	var res status.Result
	start := time.Now()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", p.addr)
	if err != nil {
		res.Latency = time.Since(start)
		res.Error = failure(ctx, err, res.Latency)
		return res
	}
	defer conn.Close()
	stop := bindConn(ctx, conn)
	defer stop()
	if _, err := conn.Write(p.x.send); err != nil {
		res.Latency = time.Since(start)
		res.Error = "send: " + failure(ctx, err, res.Latency)
		return res
	}
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	var last []byte
	// A connected UDP socket only hears from the peer; keep reading past
	// replies that do not match (a stray or late datagram) until time
	// runs out.
	for {
		n, err := conn.Read(buf)
		if err != nil {
			res.Latency = time.Since(start)
			res.Error = "no reply: " + failure(ctx, err, res.Latency)
			if last != nil {
				res.Error = fmt.Sprintf("%s failed: got %s", p.x.expr, replyDetail(last))
				res.Conditions = []status.ConditionResult{{Expr: p.x.expr, OK: false, Detail: replyDetail(last)}}
			}
			return res
		}
		if !p.x.wants() || p.x.matches(buf[:n]) {
			res.Latency = time.Since(start)
			res.OK = true
			if p.x.wants() {
				res.Conditions = []status.ConditionResult{{Expr: p.x.expr, OK: true, Detail: replyDetail(buf[:n])}}
			}
			return res
		}
		last = append(last[:0], buf[:n]...)
	}
}
