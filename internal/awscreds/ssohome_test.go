package awscreds

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// TestSSOTokenCacheInTheToolsetsHome: the SDK's own lookup of the IAM
// Identity Center token cache (~/.aws/sso/cache) uses the home the toolset
// uses for every AWS file (awsfiles.HomeDir: HOME when absolute, else the
// password database), never a relative HOME, so never the working
// directory.
func TestSSOTokenCacheInTheToolsetsHome(t *testing.T) {
	var calls atomic.Int32
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"roleCredentials":{"accessKeyId":"ASIAPORTAL0000000001","secretAccessKey":"s","sessionToken":"t","expiration":%d}}`, time.Now().Add(time.Hour).UnixMilli())
	}))
	defer portal.Close()
	session := fmt.Sprintf("corp-%d", time.Now().UnixNano()) // no such token in any real home
	config := "[profile corp]\nsso_session = " + session + "\nsso_account_id = 111122223333\nsso_role_name = dev\nregion = us-east-1\n" +
		"[sso-session " + session + "]\nsso_start_url = https://corp.example.invalid/start\nsso_region = us-east-1\n"
	setup := func(t *testing.T, env map[string]string) Options {
		dir := t.TempDir()
		cfg := filepath.Join(dir, "config")
		if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
		env["AWS_CONFIG_FILE"], env["AWS_SHARED_CREDENTIALS_FILE"] = cfg, filepath.Join(dir, "credentials")
		t.Setenv("AWS_ENDPOINT_URL_SSO", portal.URL)
		t.Setenv("AWS_MAX_ATTEMPTS", "1")
		// The SDK reads HOME from the process environment.
		t.Setenv("HOME", env["HOME"])
		if env["HOME"] == "" {
			os.Unsetenv("HOME")
		}
		o := Options{Env: func(k string) string { return env[k] }}
		o.Target = named(o, "corp")
		return o
	}

	t.Run("relative HOME", func(t *testing.T) {
		// A work tree holding rel/.aws/sso/cache/TOKEN: never read.
		wd := t.TempDir()
		t.Chdir(wd)
		gittest.WriteSSOToken(t, filepath.Join(wd, "rel"), session, time.Now().Add(time.Hour))
		o := setup(t, map[string]string{"HOME": "rel"})
		calls.Store(0)
		_, err := Resolve(context.Background(), o)
		var se *SessionExpiredError
		if !errors.As(err, &se) || calls.Load() != 0 {
			t.Fatalf("the token under the working directory was used: %d portal calls, %T %v", calls.Load(), err, err)
		}
	})
	t.Run("HOME unset", func(t *testing.T) {
		// The toolset's home without HOME (awsfiles.HomeDir): here
		// USERPROFILE, which the password database would give otherwise.
		home := t.TempDir()
		gittest.WriteSSOToken(t, home, session, time.Now().Add(time.Hour))
		o := setup(t, map[string]string{"USERPROFILE": home})
		calls.Store(0)
		r, err := Resolve(context.Background(), o)
		if err != nil || calls.Load() != 1 || r.Credentials.AccessKeyID != "ASIAPORTAL0000000001" {
			t.Fatalf("the token in the toolset's home was not used: %d portal calls, %v", calls.Load(), err)
		}
	})
}

// TestLoginTokenCacheNeverRelative: the SDK takes the aws login token
// cache from HOME as it is and offers no option to name it, so with a
// relative HOME a login profile is refused in one line rather than read a
// token from the working directory.
func TestLoginTokenCacheNeverRelative(t *testing.T) {
	wd := t.TempDir()
	t.Chdir(wd)
	session := "arn:aws:iam::111122223333:user/dev"
	sum := sha256.Sum256([]byte(session))
	dir := filepath.Join(wd, "rel", ".aws", "login", "cache")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, hex.EncodeToString(sum[:])+".json"), []byte(`{"accessToken":{"accessKeyId":"AKIAWORKTREE00000001"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(cfg, []byte("[profile me]\nlogin_session = "+session+"\nregion = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": "rel", "AWS_CONFIG_FILE": cfg, "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(wd, "nocreds")}
	t.Setenv("HOME", "rel")
	t.Setenv("AWS_LOGIN_CACHE_DIRECTORY", "")
	t.Setenv("AWS_ENDPOINT_URL_SIGNIN", "https://127.0.0.1:1")
	o := Options{Env: func(k string) string { return env[k] }}
	o.Target = named(o, "me")
	_, err := Resolve(context.Background(), o)
	var rc *RelativeCacheError
	if !errors.As(err, &rc) || rc.Profile != "me" {
		t.Fatalf("want the relative login cache refused, got %T %v", err, err)
	}
}
