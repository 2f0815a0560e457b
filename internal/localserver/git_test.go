package localserver

import (
	"bytes"
	"crypto/rand"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
)

func TestNoAuthIs401(t *testing.T) {
	ts := start(t, Config{})
	if err := ts.CreateRepository("demo", ""); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", ts.URL()+"/v1/repos/demo/info/refs?service=git-upload-pack", nil)
	resp, err := ts.httpClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("status %d, want 401", resp.StatusCode)
	}
	if got := resp.Header.Get("WWW-Authenticate"); got != `Basic realm="CodeCommit"` {
		t.Errorf("WWW-Authenticate = %q", got)
	}
	if resp.Header.Get("Date") == "" {
		t.Error("no Date header")
	}
}

func TestPushCloneLargeAndProtocolV2(t *testing.T) {
	t.Parallel() // its own server and temporary directories
	ts := start(t, Config{})
	if err := ts.CreateRepository("big", "large push"); err != nil {
		t.Fatal(err)
	}
	env := ts.gitEnv()
	work := t.TempDir()
	ts.mustGit(work, env, "init", "-q", "-b", "main")
	data := make([]byte, 5<<20)
	rand.Read(data)
	if err := os.WriteFile(filepath.Join(work, "blob.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	ts.mustGit(work, env, "add", "blob.bin")
	ts.mustGit(work, env, "commit", "-q", "-m", "5 MiB of random data")
	ts.mustGit(work, env, "push", "-q", ts.signedURL(ts.creds(), "big"), "main")
	if ts.spooled.Load() == 0 {
		t.Error("the 5 MiB push did not arrive chunked (nothing spooled)")
	}

	clone := filepath.Join(t.TempDir(), "clone")
	ts.mustGit("", env, "clone", "-q", ts.signedURL(ts.creds(), "big"), clone)
	got, err := os.ReadFile(filepath.Join(clone, "blob.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("cloned blob differs from pushed blob")
	}

	// Protocol v2 ls-remote: the packet trace shows the v2 capability advertisement.
	v2env := append(append([]string{}, env...), "GIT_TRACE_PACKET=1")
	out, stderr, err := ts.git("", v2env, "-c", "protocol.version=2", "ls-remote", ts.signedURL(ts.creds(), "big"))
	if err != nil {
		t.Fatalf("ls-remote: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "refs/heads/main") {
		t.Errorf("ls-remote output lacks main:\n%s", out)
	}
	if !strings.Contains(stderr, "version 2") {
		t.Errorf("protocol v2 not negotiated; trace:\n%.2000s", stderr)
	}

	// Log: one line per request, key masked.
	key := ts.creds().AccessKeyID
	log := ts.log.String()
	if strings.Contains(log, key) || !strings.Contains(log, maskKey(key)) {
		t.Errorf("log should carry only ****%s:\n%s", key[len(key)-4:], log)
	}
	if !strings.Contains(log, "POST /v1/repos/big/git-receive-pack 200") {
		t.Errorf("log lacks the push line:\n%s", log)
	}
}

func TestDefaultBranchFollowsFirstPush(t *testing.T) {
	t.Parallel() // its own server and temporary directories
	ts := start(t, Config{AutoCreate: true})
	env := ts.gitEnv()
	work := t.TempDir()
	ts.mustGit(work, env, "init", "-q", "-b", "trunk")
	ts.mustGit(work, env, "commit", "-q", "--allow-empty", "-m", "first")
	ts.mustGit(work, env, "push", "-q", ts.signedURL(ts.creds(), "auto"), "trunk")
	if b, ok := ts.headBranch("us-east-1", "auto"); !ok || b != "trunk" {
		t.Fatalf("default branch = %q, %v; want trunk", b, ok)
	}
	if md := ts.metadata("us-east-1", "auto"); md.DefaultBranch != "trunk" {
		t.Errorf("metadata default branch = %q", md.DefaultBranch)
	}
}

func TestGitRejections(t *testing.T) {
	other := User{Name: "other", Account: "444455556666"}
	ts := start(t, Config{Users: []User{{Name: "dev"}, other}})
	for _, r := range []string{"demo", "theirs"} {
		if err := ts.CreateRepository(r, ""); err != nil {
			t.Fatal(err)
		}
	}
	c := ts.creds()
	now := time.Now()
	temp := ts.issue("arn:aws:sts::111122223333:assumed-role/r/s", "AROAX:s", "111122223333", time.Hour)
	temp2 := ts.issue("arn:aws:sts::111122223333:assumed-role/r/s2", "AROAY:s2", "111122223333", time.Hour)
	tc := sigv4.Credentials{AccessKeyID: temp.AccessKeyID, SecretAccessKey: temp.SecretAccessKey, SessionToken: temp.SessionToken}

	sign := func(c sigv4.Credentials, region string, t time.Time) (string, string) {
		sg := sigv4.Sign(c, sigv4.Request{Region: region, Host: ts.Host(), Path: "/v1/repos/demo"}, t)
		return sg.Username, sg.Password
	}
	u, p := sign(c, "us-east-1", now)
	pNope := sigv4.Sign(c, sigv4.Request{Region: "us-east-1", Host: ts.Host(), Path: "/v1/repos/nope"}, now).Password
	tests := []struct {
		name       string
		user, pass string
		repo       string
		status     int
		reason     string
	}{
		{"ok", u, p, "demo", 200, ""},
		{"bad name", u, p, "bad%21name", 400, "invalid repository name"},
		{"unknown repo", u, pNope, "nope", 404, "repository nope does not exist"},
		{"unknown key", "AKIAUNKNOWNUNKNOWN00", p, "demo", 403, "unknown access key id ****WN00"},
		{"not a signature", c.AccessKeyID, "hunter2", "demo", 403, "password is not a CodeCommit signature"},
		{"wrong secret", sigv4.Username(c.AccessKeyID, ""), sign2(sign, sigv4.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: "wrong"}, "us-east-1", now), "demo", 403, "signature does not match: check the secret key and the region (server region is us-east-1)"},
		{"wrong region", u, sign2(sign, c, "eu-west-1", now), "demo", 403, "made for region eu-west-1, server region is us-east-1"},
		{"too old", u, sign2(sign, c, "us-east-1", now.Add(-20*time.Minute)), "demo", 403, "more than 15 minutes from server time"},
		{"token with long-term key", sigv4.Username(c.AccessKeyID, temp.SessionToken), p, "demo", 403, "session token was given with long-term access key"},
		{"temp key without token", temp.AccessKeyID, sign2(sign, sigv4.Credentials{AccessKeyID: tc.AccessKeyID, SecretAccessKey: tc.SecretAccessKey}, "us-east-1", now), "demo", 403, "session token missing"},
		{"unknown token", sigv4.Username(temp.AccessKeyID, "bogus/token+="), p, "demo", 403, "session token is not valid"},
		{"someone else's token", sigv4.Username(temp.AccessKeyID, temp2.SessionToken), p, "demo", 403, "session token does not belong to access key"},
		{"temp ok", sigv4.Username(tc.AccessKeyID, tc.SessionToken), sign2(sign, tc, "us-east-1", now), "demo", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := ts.gitGet(tt.user, tt.pass, tt.repo, "git-upload-pack")
			if code != tt.status {
				t.Fatalf("status %d, want %d; body %q", code, tt.status, body)
			}
			if tt.reason != "" && !strings.Contains(body, tt.reason) {
				t.Fatalf("body %q lacks %q", body, tt.reason)
			}
			if code == 403 && (!strings.HasPrefix(body, "forbidden: ") || strings.Count(body, "\n") != 1) {
				t.Errorf("403 body is not one line starting forbidden: %q", body)
			}
			if tt.reason != "" && !strings.Contains(ts.log.String(), tt.reason) {
				t.Errorf("log lacks reason %q", tt.reason)
			}
		})
	}

	t.Run("expired session", func(t *testing.T) {
		ts.Faults().ExpireSessionTokens()
		code, body := ts.signedGet(tc, "us-east-1", time.Now(), "demo", "git-upload-pack")
		if code != 403 || !strings.Contains(body, "session token expired") {
			t.Fatalf("got %d %q", code, body)
		}
	})
	t.Run("clock skew", func(t *testing.T) {
		ts.Faults().SetClockSkew(30 * time.Minute)
		defer ts.Faults().SetClockSkew(0)
		code, body := ts.signedGet(c, "us-east-1", time.Now(), "demo", "git-upload-pack")
		if code != 403 || !strings.Contains(body, "more than 15 minutes") {
			t.Fatalf("got %d %q", code, body)
		}
		// Signing with the server's (skewed) time works.
		if code, body := ts.signedGet(c, "us-east-1", time.Now().Add(30*time.Minute), "demo", "git-upload-pack"); code != 200 {
			t.Fatalf("signing at server time: %d %q", code, body)
		}
	})
	t.Run("deny pull and push", func(t *testing.T) {
		ts.Faults().DenyPull(c.AccessKeyID, "demo")
		code, body := ts.signedGet(c, "us-east-1", time.Now(), "demo", "git-upload-pack")
		if code != 403 || !strings.Contains(body, "codecommit:GitPull") {
			t.Fatalf("pull: %d %q", code, body)
		}
		if code, body := ts.signedGet(c, "us-east-1", time.Now(), "demo", "git-receive-pack"); code != 200 {
			t.Fatalf("push advertisement should pass: %d %q", code, body)
		}
		ts.Faults().DenyPush("*", "demo")
		if code, body := ts.signedGet(c, "us-east-1", time.Now(), "demo", "git-receive-pack"); code != 403 || !strings.Contains(body, "codecommit:GitPush") {
			t.Fatalf("push: %d %q", code, body)
		}
		ts.Faults().Reset()
		if code, body := ts.signedGet(c, "us-east-1", time.Now(), "demo", "git-upload-pack"); code != 200 {
			t.Fatalf("after reset: %d %q", code, body)
		}
	})
	t.Run("repo of another account", func(t *testing.T) {
		ts.Faults().SetRepoAccount("theirs", "444455556666")
		defer ts.Faults().SetRepoAccount("theirs", "")
		code, body := ts.signedGet(c, "us-east-1", time.Now(), "theirs", "git-upload-pack")
		if code != 403 || !strings.Contains(body, "belongs to account 444455556666") {
			t.Fatalf("got %d %q", code, body)
		}
		o := ts.Users()[1]
		oc := sigv4.Credentials{AccessKeyID: o.AccessKeyID, SecretAccessKey: o.SecretAccessKey}
		if code, body := ts.signedGet(oc, "us-east-1", time.Now(), "theirs", "git-upload-pack"); code != 200 {
			t.Fatalf("owner account: %d %q", code, body)
		}
		// Temporary credentials of a role in the owning account get in too.
		x := ts.issue("arn:aws:sts::444455556666:assumed-role/xacct/s", "AROAZ:s", "444455556666", time.Hour)
		xc := sigv4.Credentials{AccessKeyID: x.AccessKeyID, SecretAccessKey: x.SecretAccessKey, SessionToken: x.SessionToken}
		if code, body := ts.signedGet(xc, "us-east-1", time.Now(), "theirs", "git-upload-pack"); code != 200 {
			t.Fatalf("cross-account role: %d %q", code, body)
		}
		if md := ts.metadata("us-east-1", "theirs"); md.AccountID != "444455556666" || !strings.Contains(md.Arn, ":444455556666:theirs") {
			t.Errorf("metadata %+v", md)
		}
	})
}

func sign2(sign func(sigv4.Credentials, string, time.Time) (string, string), c sigv4.Credentials, region string, t time.Time) string {
	_, p := sign(c, region, t)
	return p
}

func TestGitCredentialHelperFlow(t *testing.T) {
	t.Parallel() // its own server and temporary directories
	// git without credentials in the URL gets 401 and asks its helpers; a
	// helper answering with a signed pair gets in.
	ts := start(t, Config{})
	if err := ts.CreateRepository("demo", ""); err != nil {
		t.Fatal(err)
	}
	env := ts.gitEnv()
	url := ts.URL() + "/v1/repos/demo"
	_, stderr, err := ts.git("", env, "ls-remote", url)
	if err == nil || !strings.Contains(ts.log.String(), "401") {
		t.Fatalf("ls-remote without credentials should fail with 401: %v %s", err, stderr)
	}
	sg := sigv4.Sign(ts.creds(), sigv4.Request{Region: ts.Region(), Host: ts.Host(), Path: "/v1/repos/demo"}, time.Now())
	helper := "!f() { echo username=" + sg.Username + "; echo password=" + sg.Password + "; }; f"
	ts.mustGit("", env, "-c", "credential.helper="+helper, "ls-remote", url)
}
