package probe_test

import (
	"encoding/binary"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/monitor/probe"
	"github.com/safetynet-dev/safetynet/status"
)

// rfc5769IPv4Response is the sample IPv4 Binding Success Response of RFC
// 5769 section 2.2 (SOFTWARE, XOR-MAPPED-ADDRESS 192.0.2.1:32853,
// MESSAGE-INTEGRITY, FINGERPRINT); its transaction ID is bytes 8..20.
var rfc5769IPv4Response = []byte{
	0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x20,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43,
	0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99, 0xfd, 0x9e, 0x90, 0xc3, 0x8c, 0x74,
	0x89, 0xf9, 0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b, 0xe7, 0xd7,
	0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96,
}

// rfc5769IPv6Address is the XOR-MAPPED-ADDRESS attribute of the sample
// IPv6 response of RFC 5769 section 2.3 (same transaction ID as the IPv4 one): [2001:db8:1234:5678:11:2233:4455:6677]:32853.
var rfc5769IPv6Address = []byte{
	0x00, 0x20, 0x00, 0x14, 0x00, 0x02, 0xa1, 0x47,
	0x01, 0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79, 0xbc, 0x25, 0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9,
}

// stunServer is a minimal STUN server: for each Binding Request it calls
// answer with the request and sends back what answer returns (nothing when
// nil). It counts requests.
func stunServer(tb testing.TB, answer func(req []byte, from *net.UDPAddr) [][]byte) (string, *atomic.Int64) {
	tb.Helper()
	pc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { pc.Close() })
	var n atomic.Int64
	go func() {
		buf := make([]byte, 1500)
		for {
			k, from, err := pc.ReadFromUDP(buf)
			if err != nil {
				return
			}
			req := append([]byte(nil), buf[:k]...)
			if k != 20 || binary.BigEndian.Uint16(req) != 0x0001 || binary.BigEndian.Uint32(req[4:]) != 0x2112A442 || binary.BigEndian.Uint16(req[2:]) != 0 {
				continue // not a bare Binding Request: a real server would drop it too
			}
			n.Add(1)
			for _, out := range answer(req, from) {
				pc.WriteToUDP(out, from)
			}
		}
	}()
	return pc.LocalAddr().String(), &n
}

// message builds a STUN message of type typ answering req, with attrs.
func message(typ uint16, req []byte, attrs ...[]byte) []byte {
	m := make([]byte, 20)
	binary.BigEndian.PutUint16(m, typ)
	copy(m[4:20], req[4:20])
	for _, a := range attrs {
		m = append(m, a...)
	}
	binary.BigEndian.PutUint16(m[2:], uint16(len(m)-20))
	return m
}

// xorMapped encodes the sender's address as RFC 5389 section 15.2 says.
func xorMapped(from *net.UDPAddr) []byte {
	a := []byte{0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0, 0}
	binary.BigEndian.PutUint16(a[6:], uint16(from.Port)^0x2112)
	ip := from.IP.To4()
	for i := range 4 {
		a = append(a, ip[i]^[]byte{0x21, 0x12, 0xa4, 0x42}[i])
	}
	return a
}

func TestSTUN(t *testing.T) {
	tests := []struct {
		name   string
		answer func(req []byte, from *net.UDPAddr) [][]byte
		ok     bool
		detail string // "" means the prober's own address
		err    string
	}{
		{"xor-mapped address of the client", func(req []byte, from *net.UDPAddr) [][]byte {
			return [][]byte{message(0x0101, req, xorMapped(from))}
		}, true, "", ""},
		{"RFC 5769 IPv4 sample", func(req []byte, _ *net.UDPAddr) [][]byte {
			m := append([]byte(nil), rfc5769IPv4Response...)
			copy(m[8:20], req[8:20])
			return [][]byte{m}
		}, true, "192.0.2.1:32853", ""},
		{"RFC 5769 IPv6 sample", func(req []byte, _ *net.UDPAddr) [][]byte {
			// The IPv6 address is XORed with the transaction ID too:
			// re-key the sample's bytes from its ID to the request's.
			attr := append([]byte(nil), rfc5769IPv6Address...)
			for i := range 12 {
				attr[12+i] ^= rfc5769IPv4Response[8+i] ^ req[8+i]
			}
			return [][]byte{message(0x0101, req, attr)}
		}, true, "[2001:db8:1234:5678:11:2233:4455:6677]:32853", ""},
		{"plain MAPPED-ADDRESS of an RFC 3489 server", func(req []byte, _ *net.UDPAddr) [][]byte {
			return [][]byte{message(0x0101, req, []byte{0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x0d, 0x96, 203, 0, 113, 7})}
		}, true, "203.0.113.7:3478", ""},
		{"answers to other transactions are ignored", func(req []byte, from *net.UDPAddr) [][]byte {
			other := append([]byte(nil), req...)
			other[19] ^= 0xff
			return [][]byte{[]byte("garbage"), message(0x0101, other, xorMapped(&net.UDPAddr{IP: net.IPv4(198, 51, 100, 1), Port: 1})), message(0x0101, req, xorMapped(from))}
		}, true, "", ""},
		{"error response", func(req []byte, _ *net.UDPAddr) [][]byte {
			return [][]byte{message(0x0111, req, []byte{0x00, 0x09, 0x00, 0x10, 0, 0, 4, 20, 'U', 'n', 'k', 'n', 'o', 'w', 'n', ' ', 'a', 't', 't', 'r'})}
		}, false, "", "STUN Binding Error Response: 420 Unknown attr"},
		{"success without an address", func(req []byte, _ *net.UDPAddr) [][]byte {
			return [][]byte{message(0x0101, req)}
		}, false, "", "carries no (XOR-)MAPPED-ADDRESS"},
		{"silence", func([]byte, *net.UDPAddr) [][]byte { return nil }, false, "", "no STUN response after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, _ := stunServer(t, tt.answer)
			p := MustProber(t, check(t, status.KindSTUN, "stun:"+addr, nil), probe.Options{})
			r := run(t, p, 300*time.Millisecond)
			wantResult(t, r, tt.ok, tt.err)
			if !tt.ok {
				return
			}
			if len(r.Conditions) != 1 || r.Conditions[0].Expr != "mapped address" {
				t.Fatalf("conditions = %+v, want the mapped address", r.Conditions)
			}
			want := tt.detail
			if want == "" {
				want = "127.0.0.1:" // the prober's own port is not known here
			}
			if got := r.Conditions[0].Detail; len(got) < len(want) || got[:len(want)] != want {
				t.Errorf("mapped address = %q, want %q", got, want)
			}
		})
	}
}

func TestSTUNRetransmits(t *testing.T) {
	// The server drops the first request, as a lossy network would.
	var seen atomic.Int64
	addr, n := stunServer(t, func(req []byte, from *net.UDPAddr) [][]byte {
		if seen.Add(1) == 1 {
			return nil
		}
		return [][]byte{message(0x0101, req, xorMapped(from))}
	})
	r := run(t, MustProber(t, check(t, status.KindSTUN, addr, nil), probe.Options{}), 3*time.Second)
	wantResult(t, r, true, "")
	if n.Load() != 2 {
		t.Errorf("server saw %d requests, want 2 (one retransmission)", n.Load())
	}
	if r.Latency < 500*time.Millisecond {
		t.Errorf("latency %v is shorter than the first retransmission timeout", r.Latency)
	}
}
