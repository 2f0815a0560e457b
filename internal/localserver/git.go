package localserver

import (
	"crypto/hmac"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cgi"
	"os"
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
)

const repoPrefix = "/v1/repos/"

// maxSkew is how far a signature's time may be from the server's now.
const maxSkew = 15 * time.Minute

// hintRegions are regions tried, after a mismatch, to tell a wrong region
// from a wrong secret.
var hintRegions = []string{"us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-south-1", "ca-central-1", "sa-east-1"}

// caller is an authenticated principal.
type caller struct {
	key     string
	arn     string
	account string
	region  string // the region the request addresses (its signing region)
}

func (s *Server) serveGit(w http.ResponseWriter, r *http.Request, info *reqInfo) {
	rest := strings.TrimPrefix(r.URL.Path, repoPrefix)
	name, sub, _ := strings.Cut(rest, "/")
	if !validRepoName(name) {
		info.reason = fmt.Sprintf("invalid repository name %q", name)
		plainError(w, http.StatusBadRequest, "bad request: "+info.reason+" (want 1-100 of A-Z a-z 0-9 . _ -)")
		return
	}
	push := sub == "git-receive-pack" || r.URL.Query().Get("service") == "git-receive-pack"
	if r.ContentLength > s.lim.maxGitBody {
		info.reason = fmt.Sprintf("request body of %d bytes is over the limit of %d", r.ContentLength, s.lim.maxGitBody)
		plainError(w, http.StatusRequestEntityTooLarge, "request too large: "+info.reason)
		return
	}

	c, code, reason := s.authGit(r, name, push)
	if c != nil {
		info.key = c.key
	} else if id, _ := sigv4.SplitUsername(basicUser(r)); id != "" {
		info.key = id
	}
	if code != 0 {
		info.reason = reason
		if code == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Basic realm="CodeCommit"`)
			plainError(w, code, "unauthorized: "+reason)
			return
		}
		plainError(w, code, "forbidden: "+reason)
		return
	}

	region := c.region
	if !s.repoExists(region, name) {
		// Created on demand only by a push: a read of a misspelt name
		// stays a 404.
		if !s.cfg.AutoCreate || !push {
			info.reason = s.notFound(region, name)
			plainError(w, http.StatusNotFound, "not found: "+info.reason)
			return
		}
		if _, err := s.createRepo(region, name, ""); err != nil && !errors.Is(err, errRepoExists) {
			info.reason = "auto-create failed: " + err.Error()
			plainError(w, http.StatusInternalServerError, "internal error: "+info.reason)
			return
		}
	}
	owner := s.repoAccount(name)
	if owner != c.account {
		info.reason = fmt.Sprintf("repository %s belongs to account %s; %s is in account %s", name, owner, c.arn, c.account)
		plainError(w, http.StatusForbidden, "forbidden: "+info.reason)
		return
	}
	if s.denied(push, c.key, name) {
		op := "codecommit:GitPull"
		if push {
			op = "codecommit:GitPush"
		}
		info.reason = fmt.Sprintf("%s is not authorized to perform %s on repository %s (fault)", c.arn, op, name)
		plainError(w, http.StatusForbidden, "forbidden: "+info.reason)
		return
	}

	r.Body = http.MaxBytesReader(w, r.Body, s.lim.maxGitBody)
	// net/http/cgi refuses chunked bodies, and git sends large pushes
	// chunked: spool the body to a file so it has a length.
	if r.ContentLength < 0 || len(r.TransferEncoding) > 0 {
		f, n, err := spool(r.Body)
		if err != nil {
			info.reason = "reading request body: " + err.Error()
			plainError(w, http.StatusBadRequest, "bad request: "+info.reason)
			return
		}
		s.spooled.Add(1)
		defer os.Remove(f.Name())
		defer f.Close()
		r2 := *r
		r2.Body = f
		r2.ContentLength = n
		r2.TransferEncoding = nil
		r = &r2
	}
	// The signature stays with us, not in the CGI environment.
	r2 := *r
	r2.Header = r.Header.Clone()
	r2.Header.Del("Authorization")
	r = &r2

	// The configuration goes both ways git reads it (GIT_CONFIG_COUNT
	// from 2.31, GIT_CONFIG_PARAMETERS before). Protocol v2: http-backend
	// takes the Git-Protocol header itself from git 2.34; older ones need
	// it as GIT_PROTOCOL, as git's documentation tells web servers to do.
	backendEnv, err := gitexec.ConfigEnv([]string{
		"GIT_PROJECT_ROOT=" + s.regionDir(region),
		"GIT_HTTP_EXPORT_ALL=1",
		"REMOTE_USER=" + c.arn,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
	}, []gitexec.KV{{Key: "http.receivepack", Value: "true"}, {Key: "uploadpack.allowFilter", Value: "true"}, {Key: "safe.directory", Value: "*"}})
	if err != nil {
		plainError(w, http.StatusInternalServerError, "internal error")
		return
	}
	if v := r.Header.Get("Git-Protocol"); v != "" {
		backendEnv = append(backendEnv, "GIT_PROTOCOL="+v)
	}
	h := &cgi.Handler{
		Path:   s.backend,
		Root:   strings.TrimSuffix(repoPrefix, "/"),
		Dir:    s.regionDir(region),
		Env:    backendEnv,
		Stderr: prefixWriter{s: s, prefix: "git http-backend: "},
	}
	h.ServeHTTP(w, r)
	if push && sub == "git-receive-pack" {
		s.fixDefaultBranch(region, name)
		s.touchRepo(region, name)
	}
}

func spool(body io.Reader) (*os.File, int64, error) {
	f, err := os.CreateTemp("", "codecommit-body-")
	if err != nil {
		return nil, 0, err
	}
	n, err := io.Copy(f, body)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, 0, err
	}
	return f, n, nil
}

// basicUser returns the raw Basic-auth username, if any.
func basicUser(r *http.Request) string {
	u, _, _ := r.BasicAuth()
	return u
}

// notFound is the reason a repository is missing, naming its region when
// that is not the server's.
func (s *Server) notFound(region, name string) string {
	msg := "repository " + name + " does not exist"
	if region != s.cfg.Region {
		msg += " in region " + region
	}
	if other := s.regionOf(name, region); other != "" {
		msg += " (it is in region " + other + ")"
	}
	return msg
}

// authGit checks the CodeCommit GIT signature of r for repository name. On
// failure it returns an HTTP status and a one-line reason. The signing
// region picks the region whose repositories the request addresses: the
// server's, one that holds repositories, or, for a push that may create
// one (--auto-create), any region.
func (s *Server) authGit(r *http.Request, name string, push bool) (*caller, int, string) {
	if r.Header.Get("Authorization") == "" {
		return nil, http.StatusUnauthorized, "no credentials"
	}
	user, pass, ok := r.BasicAuth()
	if !ok {
		return nil, http.StatusUnauthorized, "authorization is not Basic"
	}
	if c, reason, ok := s.authServiceCredential(user, pass); ok {
		if c == nil {
			return nil, http.StatusForbidden, reason
		}
		c.region = s.cfg.Region
		return c, 0, ""
	}
	key, token := sigv4.SplitUsername(user)
	if key == "" {
		return nil, http.StatusForbidden, "empty access key id"
	}
	t, sig, err := sigv4.ParsePassword(pass)
	if err != nil {
		return nil, http.StatusForbidden, err.Error()
	}
	c, secret, reason := s.lookupKey(key, token)
	if c == nil {
		return nil, http.StatusForbidden, reason
	}
	now := s.now()
	if d := now.Sub(t); d > maxSkew || d < -maxSkew {
		return c, http.StatusForbidden, fmt.Sprintf("signature time %s is more than 15 minutes from server time %s", t.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if s.signatureRefused(key) {
		return c, http.StatusForbidden, badSignature(s.cfg.Region)
	}
	path := repoPrefix + name
	verify := func(region, host string) bool {
		want := sigv4.Signature(secret, t, region, sigv4.StringToSign(t, region, sigv4.CanonicalRequest(path, host)))
		return hmac.Equal([]byte(want), []byte(sig))
	}
	regions := append([]string{s.cfg.Region}, s.repoRegions()...)
	if push && s.cfg.AutoCreate {
		regions = append(regions, hintRegions...)
	}
	for _, reg := range regions {
		if verify(reg, r.Host) {
			c.region = reg
			return c, 0, ""
		}
	}
	for _, reg := range hintRegions {
		if reg != s.cfg.Region && verify(reg, r.Host) {
			return c, http.StatusForbidden, fmt.Sprintf("signature does not match: it was made for region %s, server region is %s", reg, s.cfg.Region)
		}
	}
	if h, _, err := net.SplitHostPort(r.Host); err == nil && verify(s.cfg.Region, h) {
		return c, http.StatusForbidden, fmt.Sprintf("signature does not match: it was made for host %s without the port, request host is %s", h, r.Host)
	}
	if verify(s.cfg.Region, "git-codecommit."+s.cfg.Region+".amazonaws.com") {
		return c, http.StatusForbidden, fmt.Sprintf("signature does not match: it was made for host git-codecommit.%s.amazonaws.com, request host is %s", s.cfg.Region, r.Host)
	}
	return c, http.StatusForbidden, badSignature(s.cfg.Region)
}

// badSignature is the reason of a signature that matches no region or
// host the server tries.
func badSignature(region string) string {
	return fmt.Sprintf("signature does not match: check the secret key and the region (server region is %s)", region)
}

// lookupKey resolves an access key id (and session token, for temporary
// keys) to a caller and its secret, or returns a reason.
func (s *Server) lookupKey(key, token string) (*caller, string, string) {
	if u, ok := s.byKey[key]; ok {
		if token != "" {
			return nil, "", "a session token was given with long-term access key " + maskKey(key)
		}
		return &caller{key: key, arn: u.ARN, account: u.Account}, u.SecretAccessKey, ""
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.sessions[key]
	if !ok {
		return nil, "", "unknown access key id " + maskKey(key)
	}
	if token == "" {
		return nil, "", "session token missing for temporary access key " + maskKey(key)
	}
	owner, ok := s.tokens[token]
	if !ok {
		return nil, "", "session token is not valid (unknown token)"
	}
	if owner != key {
		return nil, "", "session token does not belong to access key " + maskKey(key)
	}
	if s.sessionRevoked(ss.serial) {
		return nil, "", fmt.Sprintf("session token expired at %s", now.Add(-time.Second).UTC().Format(time.RFC3339))
	}
	if !now.Before(ss.expires) {
		return nil, "", fmt.Sprintf("session token expired at %s", ss.expires.UTC().Format(time.RFC3339))
	}
	return &caller{key: key, arn: ss.arn, account: ss.account}, ss.secret, ""
}

type prefixWriter struct {
	s      *Server
	prefix string
}

func (p prefixWriter) Write(b []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if line != "" {
			p.s.logf("%s%s", p.prefix, logField(line, maxLogReason))
		}
	}
	return len(b), nil
}
