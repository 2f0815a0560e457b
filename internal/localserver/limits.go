package localserver

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// limits bound what one connection or request may cost the server. Time
// limits are per phase, never per transfer: a body or response that keeps
// moving may take as long as it needs (a 50 MB push, a slow clone), one
// that stops for bodyIdle or writeIdle is cut.
type limits struct {
	maxConns       int           // connections served at once; more wait to be accepted
	maxHeaderBytes int           // request line and headers
	maxGitBody     int64         // body of one git request (a push)
	readHeader     time.Duration // TLS handshake and request headers
	idle           time.Duration // keep-alive wait for the next request
	bodyIdle       time.Duration // longest wait for the next bytes of a request body
	writeIdle      time.Duration // longest wait for a response write to progress
}

func (l limits) withDefaults() limits {
	def := limits{
		maxConns:       128,
		maxHeaderBytes: 64 << 10,
		maxGitBody:     2 << 30,
		readHeader:     30 * time.Second,
		idle:           2 * time.Minute,
		bodyIdle:       time.Minute,
		writeIdle:      time.Minute,
	}
	if l.maxConns <= 0 {
		l.maxConns = def.maxConns
	}
	if l.maxHeaderBytes <= 0 {
		l.maxHeaderBytes = def.maxHeaderBytes
	}
	if l.maxGitBody <= 0 {
		l.maxGitBody = def.maxGitBody
	}
	for _, p := range []struct{ v, d *time.Duration }{{&l.readHeader, &def.readHeader}, {&l.idle, &def.idle}, {&l.bodyIdle, &def.bodyIdle}, {&l.writeIdle, &def.writeIdle}} {
		if *p.v <= 0 {
			*p.v = *p.d
		}
	}
	return l
}

// capListener accepts at most cap connections at once; Accept waits for
// one to close before taking the next from the kernel's queue.
type capListener struct {
	net.Listener
	slots  chan struct{}
	done   chan struct{}
	once   sync.Once
	active atomic.Int64
	peak   atomic.Int64 // most connections open at once (for tests)
}

func newCapListener(ln net.Listener, n int) *capListener {
	return &capListener{Listener: ln, slots: make(chan struct{}, n), done: make(chan struct{})}
}

func (l *capListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	n := l.active.Add(1)
	for {
		p := l.peak.Load()
		if n <= p || l.peak.CompareAndSwap(p, n) {
			break
		}
	}
	return &capConn{Conn: c, l: l}, nil
}

func (l *capListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

type capConn struct {
	net.Conn
	l    *capListener
	once sync.Once
}

func (c *capConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.active.Add(-1)
		<-c.l.slots
	})
	return err
}

// deadlineBody extends the connection's read deadline before each read of
// a request body, so only a body that stops arriving is cut, and clears it
// at the end of the body (the server then watches for the client going away).
type deadlineBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	idle time.Duration
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	b.rc.SetReadDeadline(time.Now().Add(b.idle))
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// Lengths of logged fields: a rejected request costs one short line.
const (
	maxLogField  = 200
	maxLogReason = 400
)

// logField makes a request-supplied value safe for one log line: clipped
// to max bytes (on a character boundary) and, unless it is plain printable
// ASCII without spaces or quotes, Go-quoted so control characters, line
// breaks and escape sequences appear escaped.
func logField(s string, max int) string {
	c := clipUTF8(s, max)
	clipped := len(c) < len(s)
	s = c
	plain := s != ""
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '\\' {
			plain = false
			break
		}
	}
	if !plain {
		s = strconv.Quote(s)
	}
	if clipped {
		s += "..."
	}
	return s
}

// maxLogLine bounds one log line.
const maxLogLine = 2048

// oneLogLine escapes the control characters of s (\n, \r, ESC...) as
// \xNN and clips it to maxLogLine bytes.
func oneLogLine(s string) string {
	s = clipUTF8(s, maxLogLine)
	clean := true
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] == 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == 0x7f {
			fmt.Fprintf(&b, "\\x%02x", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// clipUTF8 cuts s to at most max bytes without splitting a character.
func clipUTF8(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// errorLogWriter takes net/http's own error lines (TLS handshake failures
// and the like) into the server's log, one escaped line each.
type errorLogWriter struct{ s *Server }

func (w errorLogWriter) Write(p []byte) (int, error) {
	w.s.logf("http: %s", logField(strings.TrimSuffix(strings.TrimPrefix(string(p), "http: "), "\n"), maxLogReason))
	return len(p), nil
}
