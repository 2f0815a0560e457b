package hygiene_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// signatureRE matches a CodeCommit git password: the signing time and the
// hex signature. Signatures change every second, so any such run is one.
var signatureRE = regexp.MustCompile(`\d{8}T\d{6}Z[0-9a-f]{64}`)

// basicRE matches an HTTP Basic authorization, which carries the password.
var basicRE = regexp.MustCompile(`Basic ([A-Za-z0-9+/]{8,}=*)`)

// secretSet is what must never be seen: named secret values and the forms
// they could take once escaped.
type secretSet map[string]string // fragment -> name

func (s secretSet) add(name, v string) {
	if v == "" {
		return
	}
	s[v] = name
	s[url.QueryEscape(v)] = name + " (query-escaped)"
	s[url.PathEscape(v)] = name + " (path-escaped)"
	// Runs of letters and digits survive any escaping. The first 19 bytes
	// are skipped: session tokens start with a fixed prefix.
	alnum := func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}
	if len(v) > 19 {
		for _, f := range strings.FieldsFunc(v[19:], alnum) {
			if len(f) >= 12 {
				s[f] = name + " (fragment)"
			}
		}
	}
}

// find returns a description of each secret in text.
func (s secretSet) find(text string) []string {
	var found []string
	for frag, name := range s {
		if strings.Contains(text, frag) {
			found = append(found, name)
		}
	}
	if m := signatureRE.FindString(text); m != "" {
		found = append(found, "a signature ("+m[:16]+"…)")
	}
	for _, m := range basicRE.FindAllStringSubmatch(text, -1) {
		if b, err := base64.StdEncoding.DecodeString(m[1]); err == nil {
			for _, f := range s.find(string(b)) {
				found = append(found, f+" in a Basic authorization")
			}
		}
	}
	return found
}

// hygieneCase is one way of reaching the repository.
type hygieneCase struct {
	name string
	// prepare adjusts e (its endpoint is the proxy at host) and returns the
	// URL to clone, the secrets known before the run, and environment
	// variables that legitimately hold a secret because the user set them.
	prepare func(t *testing.T, e *gittest.Env, host string) (remote string, s secretSet, userVars []string)
	role    bool // assumed-role credentials, read from the cache after the run
	// session: credentials with a session token, so curl's trace is off:
	// git-remote-codecommit removes GIT_TRACE_CURL from git remote-https
	// (with a warning), git-credential-codecommit refuses to answer.
	session, https bool
}

func TestNoSecretsInArgsEnvStderrOrTraces(t *testing.T) {
	t.Parallel() // its own HOME, server and temporary directories
	staticSecret := func(e *gittest.Env) secretSet {
		s := secretSet{}
		s.add("dev secret key", e.Server.Users()[0].SecretAccessKey)
		return s
	}
	cases := []hygieneCase{
		{name: "static keys", prepare: func(t *testing.T, e *gittest.Env, host string) (string, secretSet, []string) {
			return "codecommit://dev@demo", staticSecret(e), nil
		}},
		{name: "assumed role", role: true, session: true, prepare: func(t *testing.T, e *gittest.Env, host string) (string, secretSet, []string) {
			return "codecommit://role@demo", staticSecret(e), nil
		}},
		{name: "session keys in environment", session: true, prepare: func(t *testing.T, e *gittest.Env, host string) (string, secretSet, []string) {
			sc, err := e.Server.IssueSession(e.Server.Users()[0].AccessKeyID, 0)
			if err != nil {
				t.Fatal(err)
			}
			e.Setenv("AWS_ACCESS_KEY_ID", sc.AccessKeyID)
			e.Setenv("AWS_SECRET_ACCESS_KEY", sc.SecretAccessKey)
			e.Setenv("AWS_SESSION_TOKEN", sc.SessionToken)
			s := staticSecret(e)
			s.add("session secret key", sc.SecretAccessKey)
			s.add("session token", sc.SessionToken)
			return "codecommit://demo", s, []string{"AWS_SECRET_ACCESS_KEY=" + sc.SecretAccessKey, "AWS_SESSION_TOKEN=" + sc.SessionToken}
		}},
		{name: "https credential helper, static keys", https: true, prepare: func(t *testing.T, e *gittest.Env, host string) (string, secretSet, []string) {
			return httpsHelper(e, host, "dev"), staticSecret(e), nil
		}},
		{name: "https credential helper, assumed role", role: true, session: true, https: true, prepare: func(t *testing.T, e *gittest.Env, host string) (string, secretSet, []string) {
			return httpsHelper(e, host, "role"), staticSecret(e), nil
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkHygiene(t, c) })
	}
}

func checkHygiene(t *testing.T, c hygieneCase) {
	e := gittest.New(t)
	seedRepo(t, e, 256<<10)

	// The clone goes through a proxy that holds the transfer once 64 KiB
	// have come down: the processes are then certainly alive to be read.
	proxy := newStallProxy(t, e.Server.Host(), 64<<10)
	e.Setenv("CODE_COMMIT_ENDPOINT", proxy.Addr())
	remote, secrets, userVars := c.prepare(t, e, proxy.Addr())

	traces := map[string]string{}
	for _, v := range []string{"GIT_TRACE", "GIT_TRACE_CURL", "GIT_TRACE_PACKET", "GIT_TRACE2_EVENT"} {
		traces[v] = filepath.Join(e.Path(), "..", strings.ToLower(v)+".log")
		e.Setenv(v, traces[v])
	}
	traces["GIT_TRACE_CODECOMMIT"] = e.TraceFile
	var outputs []string

	if c.session && c.https {
		// curl's trace would show the session token: the helper refuses.
		r := e.Git("ls-remote", remote)
		if stderr := r.MustFail(); !strings.Contains(stderr, "GIT_TRACE_CURL is set") {
			t.Errorf("with GIT_TRACE_CURL, stderr lacks the refusal:\n%s", stderr)
		}
		outputs = append(outputs, r.Stdout, r.Stderr)
		e.Unsetenv("GIT_TRACE_CURL")
	}

	marker := "HOME=" + e.Home
	var smp *sampler
	if haveProc() {
		smp = startSampler(marker)
	}
	var blocked []process
	cloneDone := make(chan gittest.Result, 1)
	go func() { cloneDone <- e.Git("clone", remote, "c") }()
	select {
	case <-proxy.stalled:
		if haveProc() {
			blocked = sampleProcs(marker)
		}
		proxy.Release()
	case r := <-cloneDone:
		r.Must()
		t.Fatal("the clone finished before the proxy held it")
	}
	r := <-cloneDone
	r.Must()
	outputs = append(outputs, r.Stdout, r.Stderr)
	if c.session && !c.https && !strings.Contains(r.Stderr, "warning: GIT_TRACE_CURL is ignored") {
		t.Errorf("clone stderr lacks the GIT_TRACE_CURL warning:\n%s", r.Stderr)
	}

	dir := e.Path("c")
	big := make([]byte, 64<<10)
	rand.Read(big)
	e.Commit(dir, "more.bin", string(big))
	r = e.GitIn(dir, "push", "origin", "HEAD:main")
	r.Must()
	outputs = append(outputs, r.Stdout, r.Stderr)
	r = e.GitIn(dir, "fetch", "origin")
	r.Must()
	outputs = append(outputs, r.Stdout, r.Stderr)

	var procs []process
	if smp != nil {
		procs = smp.Stop()
	}
	if c.role {
		n := 0
		for name, v := range cacheSecrets(t, e) {
			secrets.add(name, v)
			n++
		}
		if n == 0 {
			t.Fatal("no cached role credentials to look for")
		}
	}

	for i, out := range outputs {
		for _, s := range secrets.find(out) {
			t.Errorf("output %d of git contains %s:\n%s", i, s, out)
		}
	}
	for v, p := range traces {
		b, err := os.ReadFile(p)
		if v == "GIT_TRACE_CURL" && c.session && !c.https && errors.Is(err, fs.ErrNotExist) {
			continue // turned off for git remote-https, the only curl user
		}
		if err != nil {
			t.Errorf("%s: %v", v, err)
			continue
		}
		if len(b) == 0 {
			t.Errorf("%s is empty: tracing was not on", v)
		}
		for _, s := range secrets.find(string(b)) {
			t.Errorf("%s trace contains %s", v, s)
		}
	}
	if !haveProc() {
		t.Log("no /proc: process arguments and environments not sampled")
		return
	}
	sawHelper := false
	for _, p := range blocked {
		// exec'd from GIT_EXEC_PATH as git-remote-https, or as git remote-https
		if len(p.Args) > 0 && filepath.Base(p.Args[0]) == "git-remote-https" || len(p.Args) > 1 && p.Args[1] == "remote-https" {
			sawHelper = true
		}
	}
	if !sawHelper {
		t.Errorf("no git remote-https among the processes of the held clone: %v", names(blocked))
	}
	for _, p := range append(procs, blocked...) {
		for _, s := range secrets.find(strings.Join(p.Args, "\x00")) {
			t.Errorf("arguments of %q contain %s", p.Name(), s)
		}
		for _, kv := range p.Env {
			if usersOwn(userVars, kv) {
				continue // the user's own variable, inherited
			}
			for _, s := range secrets.find(kv) {
				name, _, _ := strings.Cut(kv, "=")
				t.Errorf("environment variable %s of %q contains %s", name, p.Name(), s)
			}
		}
	}
	t.Logf("sampled %d distinct processes", len(procs))
}

// httpsHelper configures git-credential-codecommit for https://host as
// `git codecommit setup` does for CodeCommit hosts and returns the URL of
// demo there.
func httpsHelper(e *gittest.Env, host, profile string) string {
	u := "https://" + host
	e.Git("config", "--global", "--add", "credential."+u+".helper", "").Must()
	e.Git("config", "--global", "--add", "credential."+u+".helper", "codecommit --profile "+profile).Must()
	e.Git("config", "--global", "credential."+u+".UseHttpPath", "true").Must()
	return u + "/v1/repos/demo"
}

// seedRepo pushes a commit with size random bytes to demo, directly.
func seedRepo(t *testing.T, e *gittest.Env, size int) {
	t.Helper()
	e.Git("clone", "-q", "codecommit://dev@demo", "seed").Must()
	b := make([]byte, size)
	rand.Read(b)
	e.Commit(e.Path("seed"), "big.bin", string(b))
	e.GitIn(e.Path("seed"), "push", "-q", "origin", "HEAD:main").Must()
}

// cacheSecrets returns the secrets of every entry in ~/.aws/cli/cache.
func cacheSecrets(t *testing.T, e *gittest.Env) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, ent := range readCache(t, e) {
		out["cached secret key of "+ent.name] = ent.Credentials.SecretAccessKey
		out["cached session token of "+ent.name] = ent.Credentials.SessionToken
	}
	return out
}

type cacheEntry struct {
	name        string
	Credentials *struct {
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
		Expiration      string
	}
}

// readCache parses every entry of ~/.aws/cli/cache, failing the test on a
// file that is not a complete entry. Lock files are not entries.
func readCache(t *testing.T, e *gittest.Env) []cacheEntry {
	t.Helper()
	dir := filepath.Join(e.Home, ".aws", "cli", "cache")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("cache: %v", err)
	}
	var out []cacheEntry
	for _, ent := range ents {
		name := ent.Name()
		if strings.HasSuffix(name, ".lock") {
			continue
		}
		if !strings.HasSuffix(name, ".json") {
			t.Errorf("cache holds %s, neither an entry nor a lock", name)
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		ce := cacheEntry{name: name}
		if err := json.Unmarshal(b, &ce); err != nil || ce.Credentials == nil || ce.Credentials.SessionToken == "" || ce.Credentials.SecretAccessKey == "" || ce.Credentials.Expiration == "" {
			t.Errorf("cache entry %s is not a complete entry (%v):\n%s", name, err, b)
			continue
		}
		out = append(out, ce)
	}
	return out
}

func names(ps []process) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name())
	}
	return out
}

// usersOwn reports whether kv is one of the user's own variables, or the
// start of one: /proc/PID/environ read while the process is being exec'd
// can end mid-variable (seen once, on git clone, which the test started
// itself). Our programs set none of these variables, whole or in part.
func usersOwn(userVars []string, kv string) bool {
	for _, u := range userVars {
		if strings.HasPrefix(u, kv) && strings.Contains(kv, "=") {
			return true
		}
	}
	return false
}
