package hygiene_test

import (
	"bufio"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// These tests try, with the real git, the ways a signed credential could
// reach someone other than the CodeCommit endpoint it was signed for: a
// proxy, a redirect to another origin, curl's trace, and git's children.

// boundaryCase is one way of reaching a repository with known secrets.
type boundaryCase struct {
	name string
	// prepare adjusts e for an endpoint at host and returns the URL to use
	// and the secrets that must not leave.
	prepare func(t *testing.T, e *gittest.Env, host string) (string, secretSet)
}

func boundaryCases() []boundaryCase {
	static := func(t *testing.T, e *gittest.Env) secretSet {
		s := secretSet{}
		s.add("dev secret key", e.Server.Users()[0].SecretAccessKey)
		return s
	}
	session := func(t *testing.T, e *gittest.Env) secretSet {
		sc, err := e.Server.IssueSession(e.Server.Users()[0].AccessKeyID, 0)
		if err != nil {
			t.Fatal(err)
		}
		e.Setenv("AWS_ACCESS_KEY_ID", sc.AccessKeyID)
		e.Setenv("AWS_SECRET_ACCESS_KEY", sc.SecretAccessKey)
		e.Setenv("AWS_SESSION_TOKEN", sc.SessionToken)
		s := static(t, e)
		s.add("session secret key", sc.SecretAccessKey)
		s.add("session token", sc.SessionToken)
		return s
	}
	return []boundaryCase{
		{"codecommit:// static keys", func(t *testing.T, e *gittest.Env, host string) (string, secretSet) {
			return "codecommit://dev@demo", static(t, e)
		}},
		{"codecommit:// session token", func(t *testing.T, e *gittest.Env, host string) (string, secretSet) {
			return "codecommit://demo", session(t, e)
		}},
		{"https helper static keys", func(t *testing.T, e *gittest.Env, host string) (string, secretSet) {
			return httpsHelper(e, host, "dev"), static(t, e)
		}},
		{"https helper session token", func(t *testing.T, e *gittest.Env, host string) (string, secretSet) {
			s := session(t, e)
			u := "https://" + host
			e.Git("config", "--global", "--add", "credential."+u+".helper", "").Must()
			e.Git("config", "--global", "--add", "credential."+u+".helper", "codecommit").Must()
			e.Git("config", "--global", "credential."+u+".UseHttpPath", "true").Must()
			return u + "/v1/repos/demo", s
		}},
	}
}

// authProxy is an HTTP proxy that demands Basic authentication (407) and,
// given the right user and password, tunnels CONNECT requests. It keeps
// every request head it receives.
type authProxy struct {
	ln         net.Listener
	user, pass string
	mu         sync.Mutex
	heads      []string
	tunnels    int
	conns      []net.Conn
}

func newAuthProxy(t *testing.T, user, pass string) *authProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &authProxy{ln: ln, user: user, pass: pass}
	go p.serve()
	t.Cleanup(p.close)
	return p
}

func (p *authProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.conns = append(p.conns, c)
		p.mu.Unlock()
		go p.handle(c)
	}
}

func (p *authProxy) handle(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(p.user+":"+p.pass))
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		var head strings.Builder
		fmt.Fprintf(&head, "%s %s %s\n", req.Method, req.RequestURI, req.Proto)
		for k, vs := range req.Header {
			for _, v := range vs {
				fmt.Fprintf(&head, "%s: %s\n", k, v)
			}
		}
		io.Copy(io.Discard, req.Body)
		p.mu.Lock()
		p.heads = append(p.heads, head.String())
		p.mu.Unlock()
		if req.Method != http.MethodConnect || req.Header.Get("Proxy-Authorization") != want {
			fmt.Fprint(c, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test proxy\"\r\nContent-Length: 0\r\n\r\n")
			continue
		}
		s, err := net.Dial("tcp", req.Host)
		if err != nil {
			fmt.Fprint(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
			return
		}
		p.mu.Lock()
		p.tunnels++
		p.conns = append(p.conns, s)
		p.mu.Unlock()
		fmt.Fprint(c, "HTTP/1.1 200 Connection established\r\n\r\n")
		go func() { io.Copy(s, br); s.Close() }()
		io.Copy(c, s)
		return
	}
}

func (p *authProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// received returns every request head so far, and the tunnels opened.
func (p *authProxy) received() (string, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.heads, "\n"), p.tunnels
}

// TestProxyGetsNoCredential: a proxy that demands a password gets, from
// neither helper, the signed credential (git asks its credential helpers for
// the proxy's password when the proxy URL names a user), and the
// credential's header never travels to the proxy, only inside the tunnel.
func TestProxyGetsNoCredential(t *testing.T) {
	for _, c := range boundaryCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // independent environments; git's runs dominate
			e := gittest.New(t)
			remote, secrets := c.prepare(t, e, e.Server.Host())
			proxy := newAuthProxy(t, "puser", "ppass")

			// The proxy URL names a user without a password: git asks the
			// credential helpers for it, and nothing of ours may answer.
			e.Setenv("https_proxy", "http://puser@"+proxy.ln.Addr().String())
			r := e.Git("ls-remote", remote)
			heads, tunnels := proxy.received()
			for _, s := range secrets.find(heads + r.Stderr) {
				t.Errorf("proxy asking for a password: the proxy or stderr got %s:\n%s\n%s", s, heads, r.Stderr)
			}
			if strings.Contains(strings.ToLower(heads), "authorization: basic") {
				t.Errorf("proxy asking for a password got an authorization:\n%s", heads)
			}
			if r.Code == 0 || tunnels != 0 || !strings.Contains(r.Stderr, "http://puser@"+proxy.ln.Addr().String()) {
				t.Errorf("want git to fail asking for the proxy's password; exit %d, %d tunnels:\n%s", r.Code, tunnels, r.Stderr)
			}

			// With its password, the proxy tunnels: what it sees is the
			// CONNECT request, which must carry the user's proxy
			// authorization and nothing of the repository's.
			proxy.mu.Lock()
			proxy.heads = nil
			proxy.mu.Unlock()
			e.Setenv("https_proxy", "http://puser:ppass@"+proxy.ln.Addr().String())
			r = e.Git("ls-remote", remote)
			r.Must()
			heads, tunnels = proxy.received()
			if tunnels == 0 {
				t.Fatalf("no tunnel through the proxy:\n%s", heads)
			}
			for _, s := range secrets.find(heads) {
				t.Errorf("tunnelling proxy got %s:\n%s", s, heads)
			}
			for _, l := range strings.Split(heads, "\n") {
				if k, v, ok := strings.Cut(l, ": "); ok && strings.Contains(strings.ToLower(k), "authorization") &&
					!(k == "Proxy-Authorization" && v == "Basic "+base64.StdEncoding.EncodeToString([]byte("puser:ppass"))) {
					t.Errorf("tunnelling proxy got %s", l)
				}
			}
		})
	}
}

// TestRedirectGetsNoCredential: the endpoint answers 302 to another https
// origin, which answers 401. That origin must receive nothing: no token, no
// signature, no authorization at all.
func TestRedirectGetsNoCredential(t *testing.T) {
	for _, c := range boundaryCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // independent environments; git's runs dominate
			e := gittest.New(t)
			var mu sync.Mutex
			var got []string
			record := func(name string, r *http.Request) {
				var b strings.Builder
				fmt.Fprintf(&b, "%s: %s %s\n", name, r.Method, r.URL.RequestURI())
				keys := make([]string, 0, len(r.Header))
				for k := range r.Header {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(r.Header[k], ", "))
				}
				mu.Lock()
				got = append(got, b.String())
				mu.Unlock()
			}
			other := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				record("other", r)
				w.Header().Set("WWW-Authenticate", `Basic realm="other origin"`)
				w.WriteHeader(http.StatusUnauthorized)
			}))
			other.StartTLS()
			defer other.Close()
			endpoint := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				record("endpoint", r)
				http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusFound)
			}))
			endpoint.StartTLS()
			defer endpoint.Close()
			ca := filepath.Join(t.TempDir(), "ca.pem")
			if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: endpoint.Certificate().Raw}), 0o600); err != nil {
				t.Fatal(err)
			}
			host := strings.TrimPrefix(endpoint.URL, "https://")
			e.Setenv("GIT_SSL_CAINFO", ca)
			e.Setenv("CODE_COMMIT_ENDPOINT", host)
			remote, secrets := c.prepare(t, e, host)

			r := e.Git("ls-remote", remote)
			mu.Lock()
			all := strings.Join(got, "\n")
			mu.Unlock()
			if r.Code == 0 {
				t.Errorf("ls-remote through a redirect succeeded:\n%s", r.Stdout)
			}
			if !strings.Contains(all, "endpoint: GET /v1/repos/demo/info/refs") {
				t.Fatalf("the endpoint was not asked:\n%s\n%s", all, r.Stderr)
			}
			for _, req := range got {
				if !strings.HasPrefix(req, "other:") {
					continue
				}
				for _, s := range secrets.find(req) {
					t.Errorf("the other origin got %s:\n%s", s, req)
				}
				if strings.Contains(strings.ToLower(req), "authorization") {
					t.Errorf("the other origin got an authorization:\n%s", req)
				}
			}
			for _, s := range secrets.find(r.Stderr) {
				t.Errorf("stderr holds %s:\n%s", s, r.Stderr)
			}
		})
	}
}

// curlSpelling is one way of setting git's curl trace variables.
type curlSpelling struct {
	name string
	vars map[string]string // "@file" stands for an absolute trace file
	// on: git 2.39 traces curl; unredacted: with the Authorization header
	// in clear.
	on, unredacted bool
}

var curlSpellings = []curlSpelling{
	{"GIT_CURL_VERBOSE=0", map[string]string{"GIT_CURL_VERBOSE": "0"}, true, false},
	{"GIT_CURL_VERBOSE=false", map[string]string{"GIT_CURL_VERBOSE": "false"}, true, false},
	{"GIT_CURL_VERBOSE empty", map[string]string{"GIT_CURL_VERBOSE": ""}, true, false},
	{"GIT_CURL_VERBOSE=1", map[string]string{"GIT_CURL_VERBOSE": "1"}, true, false},
	{"GIT_CURL_VERBOSE=0 GIT_TRACE_REDACT=0", map[string]string{"GIT_CURL_VERBOSE": "0", "GIT_TRACE_REDACT": "0"}, true, true},
	{"GIT_TRACE_CURL=1", map[string]string{"GIT_TRACE_CURL": "1"}, true, false},
	{"GIT_TRACE_CURL=1 GIT_TRACE_REDACT=1", map[string]string{"GIT_TRACE_CURL": "1", "GIT_TRACE_REDACT": "1"}, true, false},
	{"GIT_TRACE_CURL=1 GIT_TRACE_REDACT=0", map[string]string{"GIT_TRACE_CURL": "1", "GIT_TRACE_REDACT": "0"}, true, true},
	{"GIT_TRACE_CURL=1 GIT_TRACE_REDACT=false", map[string]string{"GIT_TRACE_CURL": "1", "GIT_TRACE_REDACT": "false"}, true, true},
	{"GIT_TRACE_CURL=1 GIT_TRACE_REDACT empty", map[string]string{"GIT_TRACE_CURL": "1", "GIT_TRACE_REDACT": ""}, true, true},
	{"GIT_TRACE_CURL=path", map[string]string{"GIT_TRACE_CURL": "@file"}, true, false},
	{"GIT_TRACE_CURL=path GIT_TRACE_REDACT=1", map[string]string{"GIT_TRACE_CURL": "@file", "GIT_TRACE_REDACT": "1"}, true, false},
	{"GIT_TRACE_CURL=path GIT_TRACE_REDACT=0", map[string]string{"GIT_TRACE_CURL": "@file", "GIT_TRACE_REDACT": "0"}, true, true},
	{"GIT_TRACE_CURL=0 GIT_TRACE_REDACT=0", map[string]string{"GIT_TRACE_CURL": "0", "GIT_TRACE_REDACT": "0"}, false, true},
	{"GIT_TRACE_CURL=false", map[string]string{"GIT_TRACE_CURL": "false"}, false, false},
}

// TestCurlTraceSpellings runs each spelling of git's curl trace variables
// against each helper, with static keys and with a session token. Wherever
// curl would print something replayable (a session token, which curl shows
// as the Basic-auth user even when redacted, or any signed password when
// redaction is off), codecommit:// drops curl's trace with one warning and
// git-credential-codecommit refuses in one line; elsewhere tracing goes on.
// Nothing secret ever reaches stderr or a trace file.
func TestCurlTraceSpellings(t *testing.T) {
	for _, c := range boundaryCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // independent environments; git's runs dominate
			e := gittest.New(t)
			remote, secrets := c.prepare(t, e, e.Server.Host())
			session := strings.Contains(c.name, "session")
			https := strings.HasPrefix(remote, "https://")
			e.Git("ls-remote", remote).Must()
			for _, sp := range curlSpellings {
				file := filepath.Join(t.TempDir(), "curl.trace")
				for _, v := range []string{"GIT_CURL_VERBOSE", "GIT_TRACE_CURL", "GIT_TRACE_REDACT"} {
					e.Unsetenv(v)
				}
				for k, v := range sp.vars {
					if v == "@file" {
						v = file
					}
					e.Setenv(k, v)
				}
				r := e.Git("ls-remote", remote)
				traced, _ := os.ReadFile(file)
				for _, s := range secrets.find(r.Stderr + string(traced)) {
					t.Errorf("%s: stderr or trace file holds %s:\n%s\n%s", sp.name, s, r.Stderr, traced)
				}
				replayable := sp.on && (session || sp.unredacted)
				lines := strings.Split(strings.TrimSpace(r.Stderr), "\n")
				switch {
				case replayable && !https:
					warn := 0
					for _, l := range lines {
						if strings.HasPrefix(l, "warning: ") && strings.Contains(l, "curl") {
							warn++
						}
					}
					if r.Code != 0 || warn != 1 || len(traced) != 0 || strings.Contains(r.Stderr, "== Info") || strings.Contains(r.Stderr, "=> Send header") {
						t.Errorf("%s: want success, one warning and no curl trace; exit %d, trace file %d bytes, stderr:\n%s", sp.name, r.Code, len(traced), r.Stderr)
					}
				case replayable && https:
					n := 0
					for _, l := range lines {
						if strings.HasPrefix(l, "git-credential-codecommit: ") {
							n++
						}
					}
					if r.Code == 0 || n != 1 || !strings.Contains(r.Stderr, "curl") {
						t.Errorf("%s: want a refusal in one line; exit %d, stderr:\n%s", sp.name, r.Code, r.Stderr)
					}
				default:
					if r.Code != 0 || strings.Contains(r.Stderr, "warning: ") {
						t.Errorf("%s: want success without warning; exit %d, stderr:\n%s", sp.name, r.Code, r.Stderr)
					}
					if sp.on && len(traced) == 0 && !strings.Contains(r.Stderr, "=> Send header") {
						t.Errorf("%s: curl's trace is not on:\n%s", sp.name, r.Stderr)
					}
				}
			}
		})
	}
}

// TestChildrenOfRemoteHTTPSFindNothing: the processes git remote-https
// starts (here send-pack and pack-objects, for a push) inherit its
// descriptors. None of them may find the credential in one: the header
// configuration is read by git remote-https before it starts anything, and
// nothing else is handed over through a descriptor.
func TestChildrenOfRemoteHTTPSFindNothing(t *testing.T) {
	t.Parallel() // its own HOME, server and temporary directories
	if _, err := exec.LookPath("dd"); err != nil {
		t.Skip("no dd")
	}
	if !haveProc() {
		t.Skip("no /proc")
	}
	e := gittest.New(t)
	secrets := secretSet{}
	secrets.add("dev secret key", e.Server.Users()[0].SecretAccessKey)
	e.Git("clone", "-q", "codecommit://dev@demo", "c").Must()
	e.Commit(e.Path("c"), "f", "x")

	// An exec path whose git, run by git for its own subcommands, reads
	// every pipe it inherited (without waiting) before becoming the real git.
	realExec := strings.TrimSpace(e.Git("--exec-path").Must())
	realGit, err := exec.LookPath("git")
	if err != nil {
		t.Fatal(err)
	}
	dir := e.Path("exec-path")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(realExec)
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range ents {
		if ent.Name() != "git" {
			if err := os.Symlink(filepath.Join(realExec, ent.Name()), filepath.Join(dir, ent.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	dump := e.Path("inherited.txt")
	wrapper := "#!/bin/sh\n" +
		`echo "run: $1" >>"$FD_DUMP"` + "\n" +
		`for fd in $(seq 3 40); do` + "\n" +
		`  if [ -p /proc/self/fd/$fd ]; then echo "fd $fd:" >>"$FD_DUMP"; dd if=/proc/self/fd/$fd iflag=nonblock bs=65536 count=1 2>/dev/null >>"$FD_DUMP"; fi` + "\n" +
		"done\n" +
		"exec '" + realGit + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "git"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	e.Setenv("GIT_EXEC_PATH", dir)
	e.Setenv("FD_DUMP", dump)
	e.GitIn(e.Path("c"), "push", "-q", "origin", "main").Must()
	b, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "run: send-pack") {
		t.Fatalf("git remote-https ran no send-pack through the exec path:\n%s", b)
	}
	if strings.Contains(string(b), "password=") || strings.Contains(string(b), "extraHeader") {
		t.Errorf("a child of git remote-https read the credential from an inherited descriptor:\n%s", b)
	}
	for _, s := range secrets.find(string(b)) {
		t.Errorf("a child of git remote-https read %s", s)
	}
}
