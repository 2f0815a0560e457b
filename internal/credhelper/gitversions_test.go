package credhelper_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/gittest"
	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
)

// cacheChain configures, globally, a credential-cache helper on a socket of
// the test's own, followed by git-credential-codecommit for the local
// endpoint (the chain of a user whose cache helper predates setup), and
// stops the cache daemon at the end.
func cacheChain(t *testing.T, e *gittest.Env) (cacheHelper, repoURL string) {
	t.Helper()
	sock := filepath.Join(e.Home, "cc.sock")
	cacheHelper = "cache --timeout=600 --socket=" + sock
	t.Cleanup(func() { e.Run("git", "credential-cache", "--socket="+sock, "exit") })
	url := "https://" + e.Server.Host()
	e.Git("config", "--global", "credential.helper", cacheHelper).Must()
	e.Git("config", "--global", "credential."+url+".helper", "codecommit --profile dev").Must()
	e.Git("config", "--global", "credential."+url+".UseHttpPath", "true").Must()
	return cacheHelper, url + "/v1/repos/demo"
}

// TestExpiredStoredCredentialNotSent: git 2.41 and later never send a
// credential whose password_expiry_utc has passed, from any storage helper.
// credential-cache, first in the chain, holds a CodeCommit password for the
// repository that expired (signed 20 minutes ago, stored with an expiry 2 s
// ahead, then left to pass): git must skip it and use a fresh one from
// git-credential-codecommit, so the endpoint never sees the old signature.
func TestExpiredStoredCredentialNotSent(t *testing.T) {
	gittest.NeedGit(t, gitexec.PasswordExpiry)
	e := gittest.New(t)
	_, url := cacheChain(t, e)
	u := e.Server.Users()[0]
	old := sigv4.Sign(sigv4.Credentials{AccessKeyID: u.AccessKeyID, SecretAccessKey: u.SecretAccessKey},
		sigv4.Request{Region: e.Server.Region(), Host: e.Server.Host(), Path: "/v1/repos/demo"}, time.Now().Add(-20*time.Minute))
	expiry := time.Now().Add(2 * time.Second)
	req := fmt.Sprintf("protocol=https\nhost=%s\npath=v1/repos/demo\nusername=%s\npassword=%s\npassword_expiry_utc=%d\n\n",
		e.Server.Host(), old.Username, old.Password, expiry.Unix())
	e.RunIn(e.Work, req, "git", "credential", "approve").Must()
	lookup := fmt.Sprintf("protocol=https\nhost=%s\npath=v1/repos/demo\n\n", e.Server.Host())
	if got := answer(t, e.RunIn(e.Work, lookup, "git", "credential-cache", "--socket="+filepath.Join(e.Home, "cc.sock"), "get").Must()); got["password"] != old.Password {
		t.Fatalf("credential-cache does not hold the primed credential: %v", got)
	}
	for time.Now().Unix() <= expiry.Unix() { // wait for the expiry to pass (not a timing assertion)
		time.Sleep(200 * time.Millisecond)
	}
	e.Git("ls-remote", url).Must()
	if log := e.Log(); strings.Contains(log, " 403 ") {
		t.Fatalf("git sent the expired credential:\n%s", log)
	}
}

// TestStoredCredentialCarriesExpiry: the password git-credential-codecommit
// answers reaches a storage helper with its password_expiry_utc (15 minutes
// after signing), which is what lets git 2.41 and later drop it once
// expired; older git does not pass the attribute on.
func TestStoredCredentialCarriesExpiry(t *testing.T) {
	gittest.NeedGit(t, gitexec.PasswordExpiry)
	e := gittest.New(t)
	_, url := cacheChain(t, e)
	e.Git("ls-remote", url).Must()
	lookup := fmt.Sprintf("protocol=https\nhost=%s\npath=v1/repos/demo\n\n", e.Server.Host())
	got := answer(t, e.RunIn(e.Work, lookup, "git", "credential-cache", "--socket="+filepath.Join(e.Home, "cc.sock"), "get").Must())
	at, _, err := sigv4.ParsePassword(got["password"])
	if err != nil {
		t.Fatalf("cached password %v: %v", got, err)
	}
	exp, err := strconv.ParseInt(got["password_expiry_utc"], 10, 64)
	if err != nil {
		t.Fatalf("cached credential without password_expiry_utc: %v", got)
	}
	if d := time.Unix(exp, 0).Sub(at); d != sigv4.Lifetime {
		t.Errorf("cached credential expires %v after signing, want %v", d, sigv4.Lifetime)
	}
}

// TestProactiveAuthNoRoundTrip: on git 2.46 and later a remote configured
// by `git codecommit clone --https` (http.<url>.proactiveAuth, as setup
// writes for the CodeCommit hosts) gets its credential from
// git-credential-codecommit before the first request: git ls-remote makes
// one request per round (info/refs, then the ls-refs POST), none of them
// answered 401.
func TestProactiveAuthNoRoundTrip(t *testing.T) {
	gittest.NeedGit(t, gitexec.ProactiveAuth)
	e := gittest.New(t)
	e.Run("git-codecommit", "clone", "--https", "--profile", "dev", "demo", "work").Must()
	skip := strings.Count(e.Log(), "\n")
	e.GitIn(e.Path("work"), "-c", "protocol.version=2", "ls-remote", "origin").Must()
	var reqs []string
	for _, l := range strings.Split(e.Log(), "\n")[skip:] {
		if strings.Contains(l, "/v1/repos/demo/") {
			reqs = append(reqs, l)
		}
	}
	if len(reqs) != 2 || !strings.Contains(reqs[0], "GET /v1/repos/demo/info/refs?service=git-upload-pack 200") ||
		!strings.Contains(reqs[1], "POST /v1/repos/demo/git-upload-pack 200") {
		t.Fatalf("git ls-remote made these requests, want info/refs and one POST, each answered 200 at once:\n%s", strings.Join(reqs, "\n"))
	}
}
