package probe

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// STUN (RFC 5389) is implemented here rather than through a library: a
// Binding Request is a 20-byte header, and reading the answer needs only the
// header and two attributes. That is less code than a dependency tree, and
// the tests check it against the RFC 5769 test vectors.
const (
	stunMagicCookie     = 0x2112A442
	stunBindingRequest  = 0x0001
	stunBindingSuccess  = 0x0101
	stunBindingError    = 0x0111
	stunHeaderLen       = 20
	attrMappedAddress   = 0x0001
	attrErrorCode       = 0x0009
	attrXORMappedAddr   = 0x0020
	attrXORMappedAddrV0 = 0x8020 // used by some servers written before RFC 5389 was final
	stunDefaultPort     = "3478"
	// stunRTO is the first retransmission timeout of RFC 5389 7.2.1; it
	// doubles after each try, so a lost datagram does not fail the check.
	stunRTO = 500 * time.Millisecond
)

type stunProbe struct {
	addr    string
	timeout time.Duration
}

func newSTUN(c *status.Check, s *STUNSpec) (Prober, error) {
	raw := strings.TrimPrefix(target(s.Address, c.Target), "stun:")
	addr, err := splitHostPortDefault(raw, stunDefaultPort)
	if err == nil {
		err = requireHostPort(addr)
	}
	if err != nil {
		return nil, invalid(c, "address: %v", err)
	}
	return &stunProbe{addr: addr, timeout: c.Timeout}, nil
}

// mappedExpr is the condition a stun result reports the mapped address in.
const mappedExpr = "mapped address"

func (p *stunProbe) Probe(ctx context.Context) status.Result {
	ctx, cancel := withDeadline(ctx, p.timeout)
	defer cancel()
	var res status.Result
	req := make([]byte, stunHeaderLen)
	binary.BigEndian.PutUint16(req[0:], stunBindingRequest)
	binary.BigEndian.PutUint32(req[4:], stunMagicCookie)
	txid := req[8:20]
	_, _ = rand.Read(txid) // never fails (crypto/rand panics rather)

	start := time.Now()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", p.addr)
	if err != nil {
		res.Latency = time.Since(start)
		res.Error = failure(ctx, err, res.Latency)
		return res
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	deadline, _ := ctx.Deadline()

	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	rto, sends := stunRTO, 0
	for {
		if _, err := conn.Write(req); err != nil {
			res.Latency = time.Since(start)
			res.Error = "send: " + failure(ctx, err, res.Latency)
			return res
		}
		sends++
		next := time.Now().Add(rto)
		if next.After(deadline) {
			next = deadline
		}
		_ = conn.SetReadDeadline(next)
		rto *= 2
		for {
			n, err := conn.Read(buf)
			if err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() && ctx.Err() == nil && time.Now().Before(deadline) {
					break // retransmit
				}
				res.Latency = time.Since(start)
				res.Error = fmt.Sprintf("no STUN response after %d requests: %s", sends, failure(ctx, err, res.Latency))
				return res
			}
			mapped, err := parseBindingResponse(buf[:n], txid)
			if errors.Is(err, errNotOurs) {
				continue // a stray or late datagram: keep waiting
			}
			res.Latency = time.Since(start)
			if err != nil {
				res.Error = err.Error()
				res.Conditions = []status.ConditionResult{{Expr: mappedExpr, OK: false, Detail: err.Error()}}
				return res
			}
			res.OK = true
			res.Conditions = []status.ConditionResult{{Expr: mappedExpr, OK: true, Detail: mapped.String()}}
			return res
		}
	}
}

// errNotOurs marks a datagram that is not the answer to our request.
var errNotOurs = errors.New("not a response to this request")

// parseBindingResponse reads a Binding response to the request with txid:
// the mapped address of a success response, or the error of an error
// response. Datagrams that are not STUN or carry another transaction ID
// return errNotOurs.
func parseBindingResponse(b, txid []byte) (netip.AddrPort, error) {
	if len(b) < stunHeaderLen || b[0]&0xc0 != 0 ||
		binary.BigEndian.Uint32(b[4:]) != stunMagicCookie || string(b[8:20]) != string(txid) {
		return netip.AddrPort{}, errNotOurs
	}
	typ := binary.BigEndian.Uint16(b[0:])
	length := int(binary.BigEndian.Uint16(b[2:]))
	if length%4 != 0 || stunHeaderLen+length > len(b) {
		return netip.AddrPort{}, fmt.Errorf("malformed STUN response: length %d for %d bytes", length, len(b))
	}
	attrs := b[stunHeaderLen : stunHeaderLen+length]
	var xor, plain netip.AddrPort
	var errText string
	for len(attrs) >= 4 {
		at := binary.BigEndian.Uint16(attrs[0:])
		al := int(binary.BigEndian.Uint16(attrs[2:]))
		if 4+al > len(attrs) {
			return netip.AddrPort{}, fmt.Errorf("malformed STUN response: attribute 0x%04x overruns the message", at)
		}
		val := attrs[4 : 4+al]
		switch at {
		case attrXORMappedAddr, attrXORMappedAddrV0:
			if a, err := parseAddress(val, b[4:20]); err == nil && !xor.IsValid() {
				xor = a
			}
		case attrMappedAddress:
			if a, err := parseAddress(val, nil); err == nil {
				plain = a
			}
		case attrErrorCode:
			if len(val) >= 4 {
				code := int(val[2]&0x7)*100 + int(val[3])
				errText = fmt.Sprintf("%d %s", code, strings.TrimSpace(string(val[4:])))
			}
		}
		padded := (al + 3) &^ 3
		if 4+padded > len(attrs) {
			break
		}
		attrs = attrs[4+padded:]
	}
	switch typ {
	case stunBindingSuccess:
		if xor.IsValid() {
			return xor, nil
		}
		if plain.IsValid() {
			return plain, nil
		}
		return netip.AddrPort{}, errors.New("STUN Binding Success Response carries no (XOR-)MAPPED-ADDRESS")
	case stunBindingError:
		if errText == "" {
			errText = "without an error code"
		}
		return netip.AddrPort{}, fmt.Errorf("STUN Binding Error Response: %s", errText)
	}
	return netip.AddrPort{}, fmt.Errorf("unexpected STUN message type 0x%04x", typ)
}

// parseAddress reads a (XOR-)MAPPED-ADDRESS value. key is the magic cookie
// followed by the transaction ID for the XOR form, nil for the plain one.
func parseAddress(v, key []byte) (netip.AddrPort, error) {
	if len(v) < 4 {
		return netip.AddrPort{}, errors.New("short address")
	}
	family, port := v[1], binary.BigEndian.Uint16(v[2:])
	var ip []byte
	switch family {
	case 0x01:
		ip = v[4:]
		if len(ip) != 4 {
			return netip.AddrPort{}, errors.New("bad IPv4 address length")
		}
	case 0x02:
		ip = v[4:]
		if len(ip) != 16 {
			return netip.AddrPort{}, errors.New("bad IPv6 address length")
		}
	default:
		return netip.AddrPort{}, fmt.Errorf("unknown address family %d", family)
	}
	ip = append([]byte(nil), ip...)
	if key != nil {
		port ^= uint16(stunMagicCookie >> 16)
		for i := range ip {
			ip[i] ^= key[i]
		}
	}
	addr, _ := netip.AddrFromSlice(ip)
	return netip.AddrPortFrom(addr, port), nil
}
