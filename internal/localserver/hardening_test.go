package localserver

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// clientWait bounds how long a test waits for the server to close a
// connection it should close; the server's own limits in these tests are a
// fraction of it. Reaching it means the server held the connection.
const clientWait = 30 * time.Second

func (ts *testServer) tlsConfig() *tls.Config {
	ts.t.Helper()
	pem, err := os.ReadFile(ts.CAFile())
	if err != nil {
		ts.t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

// expectClosed reads from c until the server closes it; it fails the test
// if the client's own deadline ends the wait.
func expectClosed(t *testing.T, what string, c net.Conn) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(clientWait))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("%s: the server held the connection open", what)
	}
}

func TestSlowAndIdleConnectionsAreClosed(t *testing.T) {
	t.Parallel() // its own server and temporary directories
	ts := start(t, Config{limits: limits{readHeader: 3 * time.Second, idle: 300 * time.Millisecond, bodyIdle: 300 * time.Millisecond, writeIdle: 300 * time.Millisecond}})

	// A TCP connection that never starts TLS.
	raw, err := net.Dial("tcp", ts.Host())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	expectClosed(t, "silent TCP connection", raw)

	dial := func() *tls.Conn {
		c, err := tls.Dial("tcp", ts.Host(), ts.tlsConfig())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	// Headers that never end.
	c := dial()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n")
	expectClosed(t, "unfinished headers", c)

	// A body that stops arriving: unauthenticated STS, and git.
	for _, path := range []string{"/", "/v1/repos/demo/git-receive-pack"} {
		c = dial()
		io.WriteString(c, "POST "+path+" HTTP/1.1\r\nHost: "+ts.Host()+"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nAction=")
		expectClosed(t, "slow body to "+path, c)
	}
	c = dial()
	io.WriteString(c, "POST / HTTP/1.1\r\nHost: "+ts.Host()+"\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nAction=GetCaller")
	expectClosed(t, "slow chunked body", c)

	// A keep-alive connection left idle after a complete exchange.
	c = dial()
	io.WriteString(c, "GET /nowhere HTTP/1.1\r\nHost: "+ts.Host()+"\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(clientWait))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("GET /nowhere: %d", resp.StatusCode)
	}
	expectClosed(t, "idle keep-alive connection", c)
}

func TestLogLinesCannotBeForged(t *testing.T) {
	ts := start(t, Config{})
	c := ts.httpClient()
	do := func(method, path, body string, hdr map[string]string) {
		req, err := http.NewRequest(method, ts.URL()+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	forge := "%0alocalserver:%20FORGED%20200%0d%1b%5b31m"
	do("GET", "/v1/repos/a"+forge+"/info/refs", "", nil)
	do("GET", "/nowhere"+forge, "", nil)
	do("GET", "/v1/repos/demo/info/refs?service=git-upload-pack"+forge, "", nil)
	do("POST", "/", "Action=X"+forge+"&Version=2011-06-15", map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20200101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00", "X-Amz-Date": "20200101T000000Z"})
	do("POST", "/", "Action=X"+forge, map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	req, _ := http.NewRequest("GET", ts.URL()+"/v1/repos/demo/info/refs", nil)
	req.SetBasicAuth("AKIA\nlocalserver: FORGED\x1b", "x")
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close()
	}

	log := ts.log.String()
	lines := strings.Split(strings.TrimSuffix(log, "\n"), "\n")
	for _, l := range lines {
		if !strings.HasPrefix(l, "localserver: ") || strings.HasPrefix(l, "localserver: FORGED") {
			t.Errorf("forged log line %q", l)
		}
		if strings.ContainsAny(l, "\r\x1b") {
			t.Errorf("control character in log line %q", l)
		}
	}
	if len(lines) != 6 {
		t.Errorf("%d log lines for 6 requests:\n%s", len(lines), log)
	}
}

func TestRejectedRequestsCostBoundedLogAndMemory(t *testing.T) {
	ts := start(t, Config{})
	c := ts.httpClient()
	const n = 100
	for i := 0; i < n; i++ {
		// A large unknown action, unauthenticated: answered, never kept.
		body := fmt.Sprintf("Action=%d%s", i, strings.Repeat("A", 60<<10))
		resp, err := c.Post(ts.URL()+"/", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
	}
	// A header beyond the limit is refused before any handler runs.
	req, _ := http.NewRequest("GET", ts.URL()+"/v1/repos/demo/info/refs", nil)
	req.Header.Set("X-Big", strings.Repeat("b", 200<<10))
	if resp, err := c.Do(req); err == nil {
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("200 KiB header: %d, want 431", resp.StatusCode)
		}
		resp.Body.Close()
	}
	// An unauthenticated push body is not spooled.
	resp, err := c.Post(ts.URL()+"/v1/repos/demo/git-receive-pack", "application/x-git-receive-pack-request", io.LimitReader(zeros{}, 8<<20))
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Errorf("unauthenticated push: %d", resp.StatusCode)
		}
	}
	if ts.spooled.Load() != 0 {
		t.Error("an unauthenticated push body was spooled")
	}
	if got := len(ts.log.String()); got > n*1024 {
		t.Errorf("%d rejected requests wrote %d bytes of log", n, got)
	}
	if got := len(ts.STSCalls()); got > 2 {
		t.Errorf("STS call counts keep %d distinct actions from rejected requests", got)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestServesCloneWhileBadRequestsArrive(t *testing.T) {
	t.Parallel() // its own server and temporary directories
	ts := start(t, Config{limits: limits{maxConns: 8, readHeader: 3 * time.Second}})
	if err := ts.CreateRepository("demo", ""); err != nil {
		t.Fatal(err)
	}
	env := ts.gitEnv()
	work := t.TempDir()
	ts.mustGit(work, env, "init", "-q", "-b", "main")
	if err := os.WriteFile(filepath.Join(work, "f"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ts.mustGit(work, env, "add", "f")
	ts.mustGit(work, env, "commit", "-q", "-m", "one")
	ts.mustGit(work, env, "push", "-q", ts.signedURL(ts.creds(), "demo"), "main")

	tcfg := ts.tlsConfig()
	bad := []func() error{
		func() error { // silent TCP connection, closed by the header timeout
			c, err := net.Dial("tcp", ts.Host())
			if err != nil {
				return err
			}
			defer c.Close()
			c.SetReadDeadline(time.Now().Add(clientWait))
			_, err = io.Copy(io.Discard, c)
			return err
		},
		func() error { // plain HTTP to the TLS port
			c, err := net.Dial("tcp", ts.Host())
			if err != nil {
				return err
			}
			defer c.Close()
			io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
			c.SetReadDeadline(time.Now().Add(clientWait))
			_, err = io.Copy(io.Discard, c)
			return err
		},
		func() error { // unauthenticated, forged path, big header, big body
			c, err := tls.Dial("tcp", ts.Host(), tcfg)
			if err != nil {
				return err
			}
			defer c.Close()
			fmt.Fprintf(c, "POST /v1/repos/x%%0aFORGED/git-receive-pack HTTP/1.1\r\nHost: %s\r\nX-Pad: %s\r\nContent-Length: %d\r\n\r\n", ts.Host(), strings.Repeat("p", 8<<10), 1<<20)
			c.Write(make([]byte, 256<<10))
			c.SetReadDeadline(time.Now().Add(clientWait))
			_, err = io.Copy(io.Discard, c)
			return err
		},
		func() error { // header too large
			c, err := tls.Dial("tcp", ts.Host(), tcfg)
			if err != nil {
				return err
			}
			defer c.Close()
			fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s\r\nX-Pad: %s\r\n\r\n", ts.Host(), strings.Repeat("p", 200<<10))
			c.SetReadDeadline(time.Now().Add(clientWait))
			_, err = io.Copy(io.Discard, c)
			return err
		},
	}
	const total, workers = 200, 16
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				// One job in 25 holds a silent connection (until the
				// header timeout); errors are the point, the server's state
				// is checked below.
				if i%25 == 0 {
					bad[0]()
				} else {
					bad[1+i%(len(bad)-1)]()
				}
			}
		}()
	}
	cloneErr := make(chan error, 1)
	go func() {
		clone := filepath.Join(t.TempDir(), "clone")
		_, stderr, err := ts.git("", env, "clone", "-q", ts.signedURL(ts.creds(), "demo"), clone)
		if err == nil {
			var b []byte
			b, err = os.ReadFile(filepath.Join(clone, "f"))
			if err == nil && string(b) != "hello\n" {
				err = fmt.Errorf("cloned f = %q", b)
			}
		} else {
			err = fmt.Errorf("%v: %s", err, stderr)
		}
		cloneErr <- err
	}()
	for i := 0; i < total; i++ {
		jobs <- i
	}
	close(jobs)
	if err := <-cloneErr; err != nil {
		t.Errorf("clone during the flood: %v", err)
	}
	wg.Wait()
	if peak := ts.conns.peak.Load(); peak > 8 {
		t.Errorf("%d connections served at once; the cap is 8", peak)
	}
	if strings.Contains(ts.log.String(), "\nFORGED") {
		t.Error("a forged log line")
	}
	// Still serving.
	if code, _ := ts.gitGet("", "", "demo", "git-upload-pack"); code != 401 {
		t.Errorf("after the flood: %d", code)
	}
}

func TestLogfKeepsOneLine(t *testing.T) {
	ts := start(t, Config{})
	ts.logf("ssh %s: %s", "git-upload-pack 'x'\nlocalserver: FORGED", strings.Repeat("y", 10000)+"\r\x1b[2J")
	l := ts.log.String()
	if strings.Count(l, "\n") != 1 || strings.ContainsAny(l, "\r\x1b") || len(l) > 2100 {
		t.Errorf("logf wrote %q", l)
	}
}

// TestSSHConnectionsAreBounded: the SSH listener holds a silent connection
// no longer than the handshake bound, and serves no more connections at
// once than the cap, as the HTTPS listener does.
func TestSSHConnectionsAreBounded(t *testing.T) {
	ts := start(t, Config{limits: limits{readHeader: 300 * time.Millisecond, maxConns: 2}})
	var conns []net.Conn
	for range 5 {
		c, err := net.Dial("tcp", ts.SSHHost())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	for i, c := range conns {
		expectClosed(t, fmt.Sprintf("silent SSH connection %d", i), c)
	}
	ln, ok := ts.sshSrv.ln.(*capListener)
	if !ok {
		t.Fatalf("the SSH listener is a %T, with no connection cap", ts.sshSrv.ln)
	}
	if peak := ln.peak.Load(); peak > 2 {
		t.Errorf("%d SSH connections served at once; the cap is 2", peak)
	}
}
