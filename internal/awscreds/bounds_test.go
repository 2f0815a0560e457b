//go:build unix

package awscreds

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/credential"
	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// wantTimeout checks err is a one-line *TimeoutError of source k.
func wantTimeout(t *testing.T, err error, k credential.Kind, words ...string) {
	t.Helper()
	var te *TimeoutError
	if !errors.As(err, &te) || te.Source != k {
		t.Fatalf("want a timeout of the %s, got %T %v", k, err, err)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		t.Errorf("not one line: %q", msg)
	}
	for _, w := range append(words, k.String(), "no answer within") {
		if !strings.Contains(msg, w) {
			t.Errorf("message lacks %q: %s", w, msg)
		}
	}
}

func TestContainerEndpointThatNeverAnswers(t *testing.T) {
	addr, _ := gittest.HangingServer(t)
	uri := "http://" + addr + "/creds"
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri) // the SDK reads the process environment
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for name, cfg := range map[string]string{
		"default chain":     "[default]\nregion = us-east-1\n",
		"credential_source": "[default]\nregion = us-east-1\nrole_arn = arn:aws:iam::111122223333:role/r\ncredential_source = EcsContainer\n",
	} {
		t.Run(name, func(t *testing.T) {
			o := boundEnv(t, cfg, map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": uri})
			_, err := Resolve(context.Background(), o)
			wantTimeout(t, err, credential.KindContainer, uri)
		})
	}
}

func TestMetadataServiceThatNeverAnswers(t *testing.T) {
	addr, conns := gittest.HangingServer(t)
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://"+addr)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "false")
	o := boundEnv(t, "[default]\nregion = us-east-1\nrole_arn = arn:aws:iam::111122223333:role/r\ncredential_source = Ec2InstanceMetadata\n", nil)
	o.Bounds[credential.KindInstanceMetadata] = DefaultBounds[credential.KindInstanceMetadata]
	_, err := Resolve(context.Background(), o)
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "credential_source Ec2InstanceMetadata") && !strings.Contains(err.Error(), credential.KindInstanceMetadata.String()) {
		t.Fatalf("want one line naming the metadata service, got %v", err)
	}
	// The source credentials are fetched once, not once per STS attempt:
	// the token request, and the IMDSv1 fallback's request.
	t.Logf("%d connections", conns.Load())
	if n := conns.Load(); n > 3 {
		t.Errorf("%d connections to the metadata service for one git command", n)
	}
}

func TestSTSThatNeverAnswers(t *testing.T) {
	addr, _ := gittest.HangingServer(t)
	t.Setenv("AWS_ENDPOINT_URL_STS", "http://"+addr)
	o := boundEnv(t, "[profile base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n[default]\nregion = us-east-1\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = base\n", nil)
	_, err := Resolve(context.Background(), o)
	wantTimeout(t, err, credential.KindSTS, "AssumeRole arn:aws:iam::111122223333:role/r")
}

func TestCredentialProcessThatNeverExits(t *testing.T) {
	t.Parallel() // waits out a bound: let the package's other tests run meanwhile
	for name, cfg := range map[string]string{
		"direct":         "[default]\nregion = us-east-1\ncredential_process = SCRIPT\n",
		"source_profile": "[profile src]\ncredential_process = SCRIPT\n[default]\nregion = us-east-1\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = src\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // each its own script and pid file
			dir := t.TempDir()
			pidFile := filepath.Join(dir, "grandchild.pid")
			script := filepath.Join(dir, "creds")
			// A shell that starts a grandchild and waits for it: killing the
			// shell alone would leave the grandchild running and holding the
			// pipe.
			body := "#!/bin/sh\nsleep 300 &\necho $! > " + pidFile + "\nwait\n"
			if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
				t.Fatal(err)
			}
			o := boundEnv(t, strings.ReplaceAll(cfg, "SCRIPT", script), nil)
			// Long enough for the shell to start its grandchild and write
			// its pid on a loaded machine: what is checked is that the
			// bound ends the process and its group, not how soon.
			o.Bounds[credential.KindProcess] = 5 * time.Second
			_, err := Resolve(context.Background(), o)
			wantTimeout(t, err, credential.KindProcess)
			b, rerr := os.ReadFile(pidFile)
			if rerr != nil {
				t.Fatal(rerr)
			}
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			deadline := time.Now().Add(30 * time.Second) // hang guard for the reaper, not a time limit
			for syscall.Kill(pid, 0) == nil {
				if time.Now().After(deadline) {
					syscall.Kill(pid, syscall.SIGKILL)
					t.Fatalf("the credential_process's child %d outlived it", pid)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

func TestCredentialProcessOutputCapped(t *testing.T) {
	o := boundEnv(t, "[default]\nregion = us-east-1\ncredential_process = yes\n", nil)
	o.Bounds[credential.KindProcess] = time.Minute
	_, err := Resolve(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "larger than 64 KiB") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("want the output cap, got %v", err)
	}
}

// TestProcessBeforeConfigKeys: with static keys and credential_process in
// the config file, botocore runs the process; keys in the credentials file
// come before it.
func TestProcessBeforeConfigKeys(t *testing.T) {
	proc := `printf '{"Version": 1, "AccessKeyId": "AKIAPROC", "SecretAccessKey": "p"}'`
	o := boundEnv(t, "[default]\nregion = us-east-1\naws_access_key_id = AKIACONFIG\naws_secret_access_key = c\ncredential_process = "+proc+"\n", nil)
	r, err := Resolve(context.Background(), o)
	if err != nil || r.Credentials.AccessKeyID != "AKIAPROC" || r.Kind != credential.KindProcess {
		t.Fatalf("keys and credential_process in config: %v, key %s", err, r.Credentials.AccessKeyID)
	}
	creds := o.Env("AWS_SHARED_CREDENTIALS_FILE")
	if err := os.WriteFile(creds, []byte("[default]\naws_access_key_id = AKIACREDS\naws_secret_access_key = k\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err = Resolve(context.Background(), o)
	if err != nil || r.Credentials.AccessKeyID != "AKIACREDS" {
		t.Fatalf("keys in credentials file: %v, key %v", err, r)
	}
}

// TestPartialEnvironmentKeys: AWS_ACCESS_KEY_ID without its secret is
// refused, as the AWS CLI refuses it, unless a profile is named.
func TestPartialEnvironmentKeys(t *testing.T) {
	o := boundEnv(t, "[default]\nregion = us-east-1\naws_access_key_id = AKIACONFIG\naws_secret_access_key = c\n", map[string]string{"AWS_ACCESS_KEY_ID": "AKIAENV"})
	_, err := Resolve(context.Background(), o)
	var pe *PartialCredentialsError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "partial credentials") {
		t.Fatalf("want partial credentials, got %v", err)
	}
	o.Target = named(o, "default")
	if r, err := Resolve(context.Background(), o); err != nil || r.Credentials.AccessKeyID != "AKIACONFIG" {
		t.Fatalf("named profile: %v", err)
	}
}

// TestDefaultChainKeepsTheCause: a container endpoint's 403 and a metadata
// service's 500 are reported as such, not as "no AWS credentials".
func TestDefaultChainKeepsTheCause(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/creds" {
			http.Error(w, `{"message":"denied"}`, http.StatusForbidden)
			return
		}
		http.Error(w, "broken", http.StatusInternalServerError)
	}))
	defer srv.Close()
	t.Run("container 403", func(t *testing.T) {
		t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", srv.URL+"/creds")
		t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
		o := boundEnv(t, "[default]\nregion = us-east-1\n", map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds"})
		_, err := Resolve(context.Background(), o)
		var ne *NoCredentialsError
		if err == nil || errors.As(err, &ne) || !strings.Contains(err.Error(), "HTTP 403") || !strings.Contains(err.Error(), srv.URL+"/creds") {
			t.Fatalf("want the endpoint's 403, got %v", err)
		}
	})
	t.Run("metadata 500", func(t *testing.T) {
		t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", srv.URL)
		t.Setenv("AWS_EC2_METADATA_DISABLED", "false")
		o := boundEnv(t, "[default]\nregion = us-east-1\n", nil)
		_, err := Resolve(context.Background(), o)
		var ne *NoCredentialsError
		if err == nil || errors.As(err, &ne) || !strings.Contains(err.Error(), "500") || !strings.Contains(err.Error(), credential.KindInstanceMetadata.String()) {
			t.Fatalf("want the metadata service's 500, got %v", err)
		}
	})
}

// TestRoleOnExpiredSSOProfile: a role whose source_profile is an IAM
// Identity Center profile without a valid token says to log in to that
// profile, as the direct profile does.
func TestRoleOnExpiredSSOProfile(t *testing.T) {
	o := boundEnv(t, "[profile corp]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = dev\nregion = us-east-1\n"+
		"[sso-session corp]\nsso_start_url = https://corp.example.invalid/start\nsso_region = us-east-1\n"+
		"[profile role]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = corp\nregion = us-east-1\n", nil)
	t.Setenv("HOME", o.Env("HOME")) // the SDK finds the SSO token cache under the process's HOME
	o.Target = named(o, "role")
	_, err := Resolve(context.Background(), o)
	var se *SessionExpiredError
	if !errors.As(err, &se) || se.Hint() != "run aws sso login --profile corp" {
		t.Fatalf("want an expired session of profile corp, got %T %v", err, err)
	}
}

// TestRoleOnLoginProfile: a role whose source_profile is an `aws login`
// profile resolves through that profile's login session; without a token it
// says to log in to that profile (issue 13 item 8).
func TestRoleOnLoginProfile(t *testing.T) {
	o := boundEnv(t, "[profile me]\nlogin_session = arn:aws:iam::111122223333:user/dev\nregion = us-east-1\n"+
		"[profile role]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = me\nregion = us-east-1\n", nil)
	t.Setenv("HOME", o.Env("HOME"))
	t.Setenv("AWS_ENDPOINT_URL_SIGNIN", "https://127.0.0.1:1")
	o.Target = named(o, "role")
	_, err := Resolve(context.Background(), o)
	var se *SessionExpiredError
	if !errors.As(err, &se) || !se.Login || se.Hint() != "run aws login --profile me" {
		t.Fatalf("want an expired login session of profile me, got %T %v", err, err)
	}
}

// TestSSOPortalThatNeverAnswers: IAM Identity Center's portal accepting and
// never answering ends in the SSO bound, naming the source.
func TestSSOPortalThatNeverAnswers(t *testing.T) {
	addr, _ := gittest.HangingServer(t)
	o := boundEnv(t, "[profile corp]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = dev\nregion = us-east-1\n"+
		"[sso-session corp]\nsso_start_url = https://corp.example.invalid/start\nsso_region = us-east-1\n", nil)
	home := o.Env("HOME")
	t.Setenv("HOME", home)
	t.Setenv("AWS_ENDPOINT_URL_SSO", "http://"+addr)
	gittest.WriteSSOToken(t, home, "corp", time.Now().Add(time.Hour))
	o.Target = named(o, "corp")
	_, err := Resolve(context.Background(), o)
	wantTimeout(t, err, credential.KindSSO)
}
