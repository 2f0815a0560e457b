package awscreds_test

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
	"github.com/gitcodecommit/git-codecommit/internal/localserver"
)

const ssoConfig = `[profile sso-new]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = developer
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.example.invalid/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile sso-legacy]
sso_start_url = https://legacy.example.invalid/start
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = developer
region = us-east-1

[profile login]
login_session = arn:aws:iam::111122223333:user/dev
region = us-east-1
`

// newSSOEnv adds IAM Identity Center and `aws login` profiles and points
// every endpoint they could call at a closed local port: nothing leaves the
// machine.
func newSSOEnv(t *testing.T) *gittest.Env {
	t.Helper()
	e := gittest.New(t)
	e.AppendAWSConfig(ssoConfig)
	for _, v := range []string{"AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC", "AWS_ENDPOINT_URL_SIGNIN"} {
		e.Setenv(v, "https://127.0.0.1:1")
	}
	return e
}

func TestSSOSessionExpired(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newSSOEnv(t)
	for _, tc := range []struct{ name, profile, token, want string }{
		{"missing sso_session token", "sso-new", "", "the SSO session for profile sso-new has expired: run aws sso login --profile sso-new"},
		{"missing legacy token", "sso-legacy", "", "the SSO session for profile sso-legacy has expired: run aws sso login --profile sso-legacy"},
		{"expired sso_session token", "sso-new", "corp", "the SSO session for profile sso-new has expired: run aws sso login --profile sso-new"},
		{"expired legacy token", "sso-legacy", "https://legacy.example.invalid/start", "the SSO session for profile sso-legacy has expired: run aws sso login --profile sso-legacy"},
		{"missing login token", "login", "", "the login session for profile login has expired: run aws login --profile login"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.token != "" {
				gittest.WriteSSOToken(t, e.Home, tc.token, time.Now().Add(-time.Hour))
			}
			stderr := e.Git("ls-remote", "codecommit://"+tc.profile+"@demo").MustFail()
			oneLine(t, stderr, tc.want)
			// Our line ends with the fix; git 2.47 adds a line of its
			// own after it ("fatal: remote helper 'codecommit' aborted
			// session"), older git does not.
			for _, l := range strings.Split(stderr, "\n") {
				if strings.HasPrefix(l, "git-remote-codecommit: ") && !strings.HasSuffix(l, tc.want) {
					t.Errorf("message does not end with the fix:\n%s", stderr)
				}
			}
		})
	}
	if n := len(e.Server.STSCalls()); n != 0 {
		t.Errorf("STS calls %v", e.Server.STSCalls())
	}
}

// TestSSOValidToken serves IAM Identity Center's GetRoleCredentials locally
// and checks that a valid cached token is used for it.
func TestSSOValidToken(t *testing.T) {
	e := newSSOEnv(t)
	u := e.Server.Users()[0]
	var calls atomic.Int32
	portal := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/federation/credentials" || r.Header.Get("x-amz-sso_bearer_token") != gittest.SSOToken ||
			r.URL.Query().Get("account_id") != "111122223333" || r.URL.Query().Get("role_name") != "developer" {
			http.Error(w, `{"message":"bad request"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"roleCredentials":{"accessKeyId":%q,"secretAccessKey":%q,"sessionToken":"","expiration":%d}}`,
			u.AccessKeyID, u.SecretAccessKey, time.Now().Add(time.Hour).UnixMilli())
	}))
	defer portal.Close()
	ca, err := os.ReadFile(e.Server.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(t.TempDir(), "bundle.pem")
	ca = append(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: portal.Certificate().Raw})...)
	if err := os.WriteFile(bundle, ca, 0o600); err != nil {
		t.Fatal(err)
	}
	e.Setenv("AWS_CA_BUNDLE", bundle)
	e.Setenv("AWS_ENDPOINT_URL_SSO", portal.URL)

	gittest.WriteSSOToken(t, e.Home, "corp", time.Now().Add(time.Hour))
	e.Git("ls-remote", "codecommit://sso-new@demo").Must()
	gittest.WriteSSOToken(t, e.Home, "https://legacy.example.invalid/start", time.Now().Add(time.Hour))
	e.Git("ls-remote", "codecommit://sso-legacy@demo").Must()
	if n := calls.Load(); n != 2 {
		t.Errorf("GetRoleCredentials calls = %d, want 2", n)
	}
}

func TestWebIdentity(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t, func(c *localserver.Config) { c.WebIdentityTokens = []string{"fixture-oidc-token"} })
	tok := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tok, []byte("fixture-oidc-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.AppendAWSConfig("[profile webid]\nrole_arn = " + demoRole + "\nweb_identity_token_file = " + tok + "\nregion = us-east-1\n")
	e.Git("ls-remote", "codecommit://webid@demo").Must()
	if n := e.Server.STSCalls()["AssumeRoleWithWebIdentity"]; n != 1 {
		t.Errorf("AssumeRoleWithWebIdentity calls = %d, want 1", n)
	}
	// Issue 13 item 7: cached as the AWS CLI caches it, same key (the role
	// ARN; a generated session name is left out), same file.
	sum := sha1.Sum([]byte(`{"RoleArn": "` + demoRole + `"}`))
	entry := filepath.Join(e.Home, ".aws", "cli", "cache", hex.EncodeToString(sum[:])+".json")
	if _, err := os.Stat(entry); err != nil {
		t.Errorf("no CLI cache entry for the web identity role: %v", err)
	}
	e.Git("ls-remote", "codecommit://webid@demo").Must()
	if n := e.Server.STSCalls()["AssumeRoleWithWebIdentity"]; n != 1 {
		t.Errorf("AssumeRoleWithWebIdentity calls = %d after a cached run, want 1", n)
	}
	if err := os.Remove(entry); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tok, []byte("a-stale-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	stderr := e.Git("ls-remote", "codecommit://webid@demo").MustFail()
	oneLine(t, stderr, `profile "webid"`, "InvalidIdentityToken")
}

func TestCredentialProcessNeverReadsGitsStdin(t *testing.T) {
	e := gittest.New(t)
	u := e.Server.Users()[0]
	dir := t.TempDir()
	log := filepath.Join(dir, "stdin.log")
	script := filepath.Join(dir, "creds")
	body := fmt.Sprintf(`#!/bin/bash
if IFS= read -r -t 10 line; then echo "read:$line" >> '%s'; else echo "eof:$?:$line" >> '%s'; fi
printf '{"Version": 1, "AccessKeyId": "%%s", "SecretAccessKey": "%%s"}\n' '%s' '%s'
`, log, log, u.AccessKeyID, u.SecretAccessKey)
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	e.AppendAWSConfig("[profile proc]\ncredential_process = " + script + "\nregion = us-east-1\n")
	e.Git("ls-remote", "codecommit://proc@demo").Must()
	got, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "eof:1:\n" {
		t.Errorf("credential_process saw %q on stdin, want immediate EOF", got)
	}
}

// TestSSOPortalUnreachable: a valid token and an unreachable portal is not
// an expired session.
func TestSSOPortalUnreachable(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newSSOEnv(t)
	gittest.WriteSSOToken(t, e.Home, "corp", time.Now().Add(time.Hour))
	stderr := e.Git("ls-remote", "codecommit://sso-new@demo").MustFail()
	oneLine(t, stderr, `profile "sso-new"`, "IAM Identity Center")
	if strings.Contains(stderr, "expired") {
		t.Errorf("an unreachable portal reported as an expired session:\n%s", stderr)
	}
}
