package hygiene_test

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// stallProxy forwards TCP connections to target and, once limit bytes have
// gone from the server to the client, holds the rest until Release or
// Close: a transfer stopped at a known point, without timing.
type stallProxy struct {
	ln      net.Listener
	target  string
	limit   int64 // server-to-client bytes forwarded before stalling; < 0 = never
	sent    atomic.Int64
	stalled chan struct{} // closed when the limit is first reached
	stallMu sync.Once
	release chan struct{} // closed by Release: forward everything from now on
	relOnce sync.Once
	done    chan struct{}
	mu      sync.Mutex
	conns   []net.Conn
}

func newStallProxy(t *testing.T, target string, limit int64) *stallProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallProxy{ln: ln, target: target, limit: limit, stalled: make(chan struct{}), release: make(chan struct{}), done: make(chan struct{})}
	go p.serve()
	t.Cleanup(p.Close)
	return p
}

// Addr is the proxy's host:port.
func (p *stallProxy) Addr() string { return p.ln.Addr().String() }

func (p *stallProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go func() { io.Copy(s, c); s.Close() }()
		go p.down(c, s)
	}
}

// down copies server to client up to the shared limit, then waits for Close.
func (p *stallProxy) down(c, s net.Conn) {
	defer c.Close()
	buf := make([]byte, 4096)
	for {
		n, err := s.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			if p.limit >= 0 && !p.released() {
				total := p.sent.Add(int64(n))
				if total > p.limit {
					keep := max(int64(n)-(total-p.limit), 0)
					if _, err := c.Write(chunk[:keep]); err != nil {
						return
					}
					chunk = chunk[keep:]
					p.stallMu.Do(func() { close(p.stalled) })
					select {
					case <-p.done:
						return
					case <-p.release:
					}
				}
			}
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Release lets held and future transfers through.
func (p *stallProxy) Release() { p.relOnce.Do(func() { close(p.release) }) }

func (p *stallProxy) released() bool {
	select {
	case <-p.release:
		return true
	default:
		return false
	}
}

// Close stops the proxy and drops every connection.
func (p *stallProxy) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.done:
		return
	default:
	}
	close(p.done)
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
}
