package localserver

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/localserver/faults"
	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

type testServer struct {
	*Server
	log    *syncBuffer
	t      *testing.T
	faults *faults.Faults
}

// Faults returns the test's fault switches on the server.
func (ts *testServer) Faults() *faults.Faults { return ts.faults }

// start runs a server for the test; its log is printed if the test fails.
func start(t *testing.T, cfg Config) *testServer {
	t.Helper()
	root := t.TempDir()
	if cfg.Dir == "" {
		cfg.Dir = filepath.Join(root, "repos")
	}
	if cfg.CertDir == "" {
		cfg.CertDir = filepath.Join(root, "certs")
	}
	log := &syncBuffer{}
	cfg.Log = log
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Start(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		s.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", log.String())
		}
	})
	f := faults.New(s)
	s.SetHooks(f)
	return &testServer{Server: s, log: log, t: t, faults: f}
}

func (ts *testServer) httpClient() *http.Client {
	ts.t.Helper()
	pem, err := os.ReadFile(ts.CAFile())
	if err != nil {
		ts.t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		ts.t.Fatal("ca.pem holds no certificate")
	}
	return &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		Timeout:   20 * time.Second,
	}
}

func (ts *testServer) creds() sigv4.Credentials {
	u := ts.Users()[0]
	return sigv4.Credentials{AccessKeyID: u.AccessKeyID, SecretAccessKey: u.SecretAccessKey}
}

// signedURL is the clone URL of repo with a GIT-rule signature in it.
func (ts *testServer) signedURL(c sigv4.Credentials, repo string) string {
	sg := sigv4.Sign(c, sigv4.Request{Region: ts.Region(), Host: ts.Host(), Path: "/v1/repos/" + repo}, time.Now())
	return "https://" + sigv4.QuoteUsername(sg.Username) + ":" + sg.Password + "@" + ts.Host() + "/v1/repos/" + repo
}

// gitEnv is a hermetic environment for the git client.
func (ts *testServer) gitEnv() []string {
	home := ts.t.TempDir()
	env := []string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_ASKPASS=",
		"SSH_ASKPASS=",
		"GIT_SSL_CAINFO=" + ts.CAFile(),
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com",
		"LC_ALL=C",
		"PATH=" + os.Getenv("PATH"),
	}
	return env
}

// git runs git; stderr is shown only when the command fails unexpectedly.
func (ts *testServer) git(dir string, env []string, args ...string) (string, string, error) {
	ts.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

func (ts *testServer) mustGit(dir string, env []string, args ...string) string {
	ts.t.Helper()
	out, stderr, err := ts.git(dir, env, args...)
	if err != nil {
		ts.t.Fatalf("git %s: %v\n%s", strings.Join(redactArgs(args), " "), err, stderr)
	}
	return out
}

func redactArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.HasPrefix(a, "https://") && strings.Contains(a, "@") {
			a = "https://***@" + a[strings.LastIndex(a, "@")+1:]
		}
		out[i] = a
	}
	return out
}

// gitGet does an info/refs request with the given Basic pair.
func (ts *testServer) gitGet(user, pass, repo, service string) (int, string) {
	ts.t.Helper()
	req, err := http.NewRequest("GET", ts.URL()+"/v1/repos/"+repo+"/info/refs?service="+service, nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	if user != "" || pass != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := ts.httpClient().Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// signedGet signs for repo with c at t (and region) and does gitGet.
func (ts *testServer) signedGet(c sigv4.Credentials, region string, t time.Time, repo, service string) (int, string) {
	ts.t.Helper()
	sg := sigv4.Sign(c, sigv4.Request{Region: region, Host: ts.Host(), Path: "/v1/repos/" + repo}, t)
	return ts.gitGet(sg.Username, sg.Password, repo, service)
}
