package remotehelper_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

func TestCloneFetchPushLsRemote(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	e.Git("clone", "-q", "codecommit://dev@demo", "one").Must()
	one := e.Path("one")
	e.Commit(one, "a.txt", "hello\n")
	e.GitIn(one, "push", "-q", "origin", "main").Must()

	e.Git("clone", "-q", "codecommit://dev@demo", "two").Must()
	two := e.Path("two")
	if b, err := os.ReadFile(filepath.Join(two, "a.txt")); err != nil || string(b) != "hello\n" {
		t.Fatalf("second clone: %q %v", b, err)
	}
	e.Commit(two, "b.txt", "world\n")
	e.GitIn(two, "push", "-q").Must()

	e.GitIn(one, "fetch", "-q").Must()
	head2 := strings.TrimSpace(e.GitIn(two, "rev-parse", "HEAD").Must())
	if got := strings.TrimSpace(e.GitIn(one, "rev-parse", "origin/main").Must()); got != head2 {
		t.Fatalf("fetch: origin/main %s, want %s", got, head2)
	}
	out := e.Git("ls-remote", "codecommit://dev@demo").Must()
	if !strings.Contains(out, head2+"\trefs/heads/main") {
		t.Fatalf("ls-remote:\n%s", out)
	}
	if !strings.Contains(e.Trace(), `canonical request "GIT\n/v1/repos/demo\n\nhost:`+e.Server.Host()) {
		t.Errorf("trace lacks the canonical request:\n%s", e.Trace())
	}
}

func TestRoleProfileAndRegionInURL(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	e.Git("clone", "-q", "codecommit::us-east-1://role@demo", "r").Must()
	e.Commit(e.Path("r"), "f", "x")
	e.GitIn(e.Path("r"), "push", "-q", "origin", "main").Must()
	if n := e.Server.STSCalls()["AssumeRole"]; n != 1 {
		t.Errorf("AssumeRole calls = %d, want 1 (the second command must use the cache)", n)
	}
	tr := e.Trace()
	for _, want := range []string{"region us-east-1 (from url)", "assume role " + e.Server.DemoRoleARN()} {
		if !strings.Contains(tr, want) {
			t.Errorf("trace lacks %q", want)
		}
	}
}

func TestDefaultProfileAndAWSProfile(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	e.Git("ls-remote", "codecommit://demo").Must()
	if !strings.Contains(e.Trace(), "profile default (from default)") {
		t.Errorf("default profile not used:\n%s", e.Trace())
	}
	e.Setenv("AWS_PROFILE", "dev")
	e.Git("ls-remote", "codecommit://demo").Must()
	if !strings.Contains(e.Trace(), "profile dev (from AWS_PROFILE)") {
		t.Errorf("AWS_PROFILE not honoured:\n%s", e.Trace())
	}
	e.Setenv("AWS_PROFILE", "nope")
	if stderr := e.Git("ls-remote", "codecommit://demo").MustFail(); !strings.Contains(stderr, `profile "nope" not found`) {
		t.Errorf("AWS_PROFILE=nope: %s", stderr)
	}
}

// TestEnvironmentKeysBeatAWSProfile: as in the AWS CLI, AWS's Python helper
// and the SDK, keys in the environment win over a profile from AWS_PROFILE
// (which still gives the region), and lose to a profile in the URL.
func TestEnvironmentKeysBeatAWSProfile(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	u := e.Server.Users()[0]
	e.Setenv("AWS_ACCESS_KEY_ID", u.AccessKeyID)
	e.Setenv("AWS_SECRET_ACCESS_KEY", u.SecretAccessKey)
	e.Setenv("AWS_PROFILE", "role")
	e.Git("ls-remote", "codecommit://demo").Must()
	if n := e.Server.STSCalls()["AssumeRole"]; n != 0 || !strings.Contains(e.Trace(), "source environment variables") {
		t.Errorf("AWS_PROFILE=role with environment keys: %d AssumeRole calls, want 0 and the environment's keys:\n%s", n, e.Trace())
	}
	e.Git("ls-remote", "codecommit://role@demo").Must()
	if n := e.Server.STSCalls()["AssumeRole"]; n != 1 {
		t.Errorf("codecommit://role@demo with environment keys: %d AssumeRole calls, want 1 (the URL's profile wins)", n)
	}
}

func TestEnvironmentOnlyCredentials(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	u := e.Server.Users()[0]
	if err := os.RemoveAll(filepath.Join(e.Home, ".aws")); err != nil {
		t.Fatal(err)
	}
	e.Setenv("AWS_ACCESS_KEY_ID", u.AccessKeyID)
	e.Setenv("AWS_SECRET_ACCESS_KEY", u.SecretAccessKey)
	e.Setenv("AWS_DEFAULT_REGION", "us-east-1")
	e.Git("ls-remote", "codecommit://demo").Must()
	tr := e.Trace()
	if !strings.Contains(tr, "environment variables") || !strings.Contains(tr, "region us-east-1 (from AWS_DEFAULT_REGION)") {
		t.Errorf("trace:\n%s", tr)
	}
	// AWS_REGION wins over AWS_DEFAULT_REGION.
	e.Setenv("AWS_REGION", "eu-west-1")
	stderr := e.Git("ls-remote", "codecommit://demo").MustFail()
	if !strings.Contains(stderr, "region") {
		t.Errorf("signature for eu-west-1 against a us-east-1 endpoint: %s", stderr)
	}
}

func TestLargePush(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	e.Git("clone", "-q", "codecommit://dev@demo", "big").Must()
	data := make([]byte, 5<<20)
	rand.Read(data)
	if err := os.WriteFile(e.Path("big", "blob.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	e.GitIn(e.Path("big"), "add", "blob.bin").Must()
	e.GitIn(e.Path("big"), "commit", "-q", "-m", "5 MiB").Must()
	e.GitIn(e.Path("big"), "push", "-q", "origin", "main").Must()
	e.Git("clone", "-q", "codecommit://dev@demo", "back").Must()
	got, err := os.ReadFile(e.Path("back", "blob.bin"))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("5 MiB blob did not survive the round trip (%d bytes, %v)", len(got), err)
	}
}

func TestWrongSecretShowsReason(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	e.AppendAWSCredentials("[bad]\naws_access_key_id = " + e.Server.Users()[0].AccessKeyID + "\naws_secret_access_key = wrongwrongwrongwrongwrongwrongwrongwrong\n")
	e.AppendAWSConfig("[profile bad]\nregion = us-east-1\n")
	stderr := e.Git("ls-remote", "codecommit://bad@demo").MustFail()
	if !strings.Contains(stderr, "403") || !strings.Contains(stderr, "signature does not match") {
		t.Fatalf("stderr does not show the 403 and its reason:\n%s", stderr)
	}
	if strings.Contains(stderr, "wrongwrong") {
		t.Fatalf("stderr shows the secret:\n%s", stderr)
	}
}

func TestUnknownProfile(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	stderr := e.Git("ls-remote", "codecommit://nope@demo").MustFail()
	for _, want := range []string{`git-remote-codecommit: profile "nope" not found`, "available: default, dev, role", "aws configure --profile nope"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestNoRegion(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	u := e.Server.Users()[0]
	e.AppendAWSCredentials("[noregion]\naws_access_key_id = " + u.AccessKeyID + "\naws_secret_access_key = " + u.SecretAccessKey + "\n")
	stderr := e.Git("ls-remote", "codecommit://noregion@demo").MustFail()
	if !strings.Contains(stderr, `no region for profile "noregion"`) || !strings.Contains(stderr, "codecommit::REGION://noregion@REPO") {
		t.Fatalf("stderr:\n%s", stderr)
	}
	e.Git("ls-remote", "codecommit::us-east-1://noregion@demo").Must()
	e.Setenv("AWS_REGION", "us-east-1")
	e.Git("ls-remote", "codecommit://noregion@demo").Must()
}

// TestNoCredentialsFailsFast points the EC2 metadata probe at a local
// listener that never answers: the helper must give up by itself.
func TestNoCredentialsFailsFast(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold the connection open, say nothing
		}
	}()
	os.RemoveAll(filepath.Join(e.Home, ".aws"))
	e.Unsetenv("AWS_EC2_METADATA_DISABLED")
	e.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://"+ln.Addr().String())
	e.Setenv("AWS_REGION", "us-east-1")
	stderr := e.Git("ls-remote", "codecommit://demo").MustFail()
	if !strings.Contains(stderr, `git-remote-codecommit: no AWS credentials found for profile "default"`) || !strings.Contains(stderr, "aws configure") {
		t.Fatalf("stderr:\n%s", stderr)
	}
	if n := strings.Count(stderr, "git-remote-codecommit:"); n != 1 {
		t.Errorf("want one line from the helper, got %d:\n%s", n, stderr)
	}
}

func TestMalformedURLs(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	for url, want := range map[string]string{
		"codecommit://dev@demo/extra":   "path",
		"codecommit://dev@de mo":        "contains a space",
		"codecommit::bad_region://demo": "region",
		"codecommit://https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo": "codecommit::eu-west-1://demo",
	} {
		stderr := e.Git("ls-remote", url).MustFail()
		if !strings.Contains(stderr, "git-remote-codecommit: ") || !strings.Contains(stderr, want) {
			t.Errorf("%s: stderr lacks %q:\n%s", url, want, stderr)
		}
	}
	r := e.Run("git-remote-codecommit", "only-one")
	if r.Code == 0 || !strings.Contains(r.Stderr, "expected 2") || r.Stdout != "" {
		t.Errorf("one argument: code %d stdout %q stderr %q", r.Code, r.Stdout, r.Stderr)
	}
}

func TestFIPS(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	e.Unsetenv("CODE_COMMIT_ENDPOINT") // resolution fails before any network
	e.Setenv("AWS_USE_FIPS_ENDPOINT", "true")
	stderr := e.Git("ls-remote", "codecommit::eu-west-1://dev@demo").MustFail()
	if !strings.Contains(stderr, "FIPS") || !strings.Contains(stderr, "us-east-1") {
		t.Fatalf("stderr:\n%s", stderr)
	}
}

// TestStoreHelperNeverSeesPassword: a global credential.helper=store must
// not receive the signed password, which the helper chain reset keeps from it.
func TestStoreHelperNeverSeesPassword(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	e.Git("config", "--global", "credential.helper", "store").Must()
	e.Git("clone", "-q", "codecommit://dev@demo", "c").Must()
	e.Commit(e.Path("c"), "f", "x")
	e.GitIn(e.Path("c"), "push", "-q", "origin", "main").Must()
	b, err := os.ReadFile(filepath.Join(e.Home, ".git-credentials"))
	if err == nil && strings.Contains(string(b), e.Server.Host()) {
		t.Fatalf("store helper saved the CodeCommit password:\n%s", b)
	}
}

func TestGitExitStatusPassesThrough(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	r := e.Git("ls-remote", "--exit-code", "codecommit://dev@demo", "refs/heads/nonexistent")
	if r.Code != 2 {
		t.Fatalf("exit code %d, want git's 2\n%s", r.Code, r.Stderr)
	}
}

// TestCredentialSourceEnvironment: a role whose source credentials come from
// the environment (credential_source = Environment).
func TestCredentialSourceEnvironment(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	u := e.Server.Users()[0]
	e.AppendAWSConfig("[profile envrole]\nrole_arn = " + e.Server.DemoRoleARN() + "\ncredential_source = Environment\nregion = us-east-1\n")
	e.Setenv("AWS_ACCESS_KEY_ID", u.AccessKeyID)
	e.Setenv("AWS_SECRET_ACCESS_KEY", u.SecretAccessKey)
	e.Git("ls-remote", "codecommit://envrole@demo").Must()
	e.Git("ls-remote", "codecommit://envrole@demo").Must()
	if n := e.Server.STSCalls()["AssumeRole"]; n != 1 {
		t.Errorf("AssumeRole calls over two commands = %d, want 1 (the second from the shared cache)", n)
	}
	if !strings.Contains(e.Trace(), "session token true") {
		t.Errorf("role credentials not used:\n%s", e.Trace())
	}
	assertCLICacheEntry(t, e, e.Server.DemoRoleARN())
	if n := strings.Count(e.Trace(), "resolving through the AWS SDK"); n != 1 {
		t.Errorf("the SDK ran for %d of two commands, want only the first (the second is served from the cache without it)", n)
	}
}

// TestCredentialSourceEcsContainer: a role whose source credentials come
// from the container credentials endpoint. The AWS CLI caches such roles
// like any other, so a second command asks neither STS nor the endpoint,
// and a failing endpoint gives one line.
func TestCredentialSourceEcsContainer(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	u := e.Server.Users()[0]
	var hits atomic.Int32
	fail := atomic.Bool{}
	ecs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if fail.Load() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"code":"InvalidTaskRole","message":"the task has no role"}`)
			return
		}
		fmt.Fprintf(w, `{"AccessKeyId":%q,"SecretAccessKey":%q,"Expiration":%q}`,
			u.AccessKeyID, u.SecretAccessKey, time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	}))
	defer ecs.Close()
	e.AppendAWSConfig("[profile ecsrole]\nrole_arn = " + e.Server.DemoRoleARN() + "\ncredential_source = EcsContainer\nregion = us-east-1\n")
	e.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", ecs.URL+"/creds")
	e.Git("ls-remote", "codecommit://ecsrole@demo").Must()
	e.Git("ls-remote", "codecommit://ecsrole@demo").Must()
	if n, h := e.Server.STSCalls()["AssumeRole"], hits.Load(); n != 1 || h != 1 {
		t.Errorf("over two commands: %d AssumeRole calls and %d container endpoint requests, want 1 and 1", n, h)
	}
	assertCLICacheEntry(t, e, e.Server.DemoRoleARN())

	os.RemoveAll(filepath.Join(e.Home, ".aws", "cli", "cache"))
	fail.Store(true)
	stderr := e.Git("ls-remote", "codecommit://ecsrole@demo").MustFail()
	if n := strings.Count(stderr, "git-remote-codecommit:"); n != 1 ||
		!strings.Contains(stderr, `profile "ecsrole" from credential_source EcsContainer: InvalidTaskRole: the task has no role;`) {
		t.Errorf("want one line from the helper naming the profile, the source and the endpoint's error:\n%s", stderr)
	}
}

// assertCLICacheEntry checks that the role's credentials sit in the AWS
// CLI's cache under the CLI's name for a role with no other options.
func assertCLICacheEntry(t *testing.T, e *gittest.Env, roleARN string) {
	t.Helper()
	sum := sha1.Sum([]byte(`{"RoleArn": "` + roleARN + `"}`))
	p := filepath.Join(e.Home, ".aws", "cli", "cache", hex.EncodeToString(sum[:])+".json")
	if _, err := os.Stat(p); err != nil {
		t.Errorf("no CLI cache entry: %v", err)
	}
}

// gitStatuses counts the server's responses to git requests by status code.
func gitStatuses(log string) map[string]int {
	n := map[string]int{}
	for _, l := range strings.Split(log, "\n") {
		f := strings.Fields(strings.TrimPrefix(l, "localserver: "))
		if len(f) >= 3 && strings.HasPrefix(f[1], "/v1/repos/") {
			n[f[2]]++
		}
	}
	return n
}

// TestCredentialGoesWithFirstRequest: git sends the signed credential with
// its first request (the header configuration), so the server never
// answers 401 and no credential helper runs.
func TestCredentialGoesWithFirstRequest(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	e.Git("ls-remote", "codecommit://dev@demo").Must()
	e.Git("clone", "-q", "codecommit://role@demo", "c").Must()
	e.Commit(e.Path("c"), "f", "x")
	e.GitIn(e.Path("c"), "push", "-q", "origin", "main").Must()
	n := gitStatuses(e.Log())
	if n["401"] != 0 || n["200"] < 5 {
		t.Fatalf("git requests by status %v, want no 401 and at least 5 200s:\n%s", n, e.Log())
	}
}

// TestCredentialHelperWhenHeaderUnread: when something has read the
// header configuration before git remote-https (here a wrapper that drains
// it, as a git reading its configuration early would), git gets a 401 and
// git-credential-codecommit, configured for the endpoint only, signs again.
func TestCredentialHelperWhenHeaderUnread(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	execPath := strings.TrimSpace(e.Git("--exec-path").Must())
	dir := e.Path("exec-path")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	wrapper := "#!/bin/sh\n" +
		`p=$(printf '%s\n' "$GIT_CONFIG_PARAMETERS" | sed -n "s/.*'include.path=\([^']*\)'.*/\1/p")` + "\n" +
		`test -n "$p" || { echo "wrapper: no include.path in GIT_CONFIG_PARAMETERS" >&2; exit 3; }` + "\n" +
		`cat "$p" >/dev/null` + "\n" +
		"exec '" + filepath.Join(execPath, "git-remote-https") + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "git-remote-https"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	e.Setenv("GIT_EXEC_PATH", dir)
	gitTrace := filepath.Join(t.TempDir(), "git-trace")
	e.Setenv("GIT_TRACE", gitTrace)
	e.Git("ls-remote", "codecommit://dev@demo").Must()
	if n := gitStatuses(e.Log()); n["401"] != 1 || n["200"] != 2 {
		t.Fatalf("git requests by status %v, want one 401 then two 200s:\n%s", n, e.Log())
	}
	// The helper line is gitconfig's, by the path of the helper installed
	// beside git-remote-codecommit: git starts it without its git wrapper.
	helper := filepath.Join(e.Bin, "git-credential-codecommit")
	if !strings.Contains(e.Trace(), `credential helper "`+helper+" --profile dev") {
		t.Errorf("the fallback helper is not %s by path:\n%s", helper, e.Trace())
	}
	if b, _ := os.ReadFile(gitTrace); !strings.Contains(string(b), "run_command: '"+helper+" --profile dev") || strings.Contains(string(b), "git credential-codecommit") {
		t.Errorf("git did not start %s directly:\n%s", helper, b)
	}
}

// TestStaticKeysStayInTheHelper: static keys and a role whose credentials
// are fresh in the shared cache resolve in git-remote-codecommit itself; a
// role to assume goes to git-codecommit (the AWS SDK).
func TestStaticKeysStayInTheHelper(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	const viaSDK = "resolving through the AWS SDK"
	trace := func() string {
		t.Helper()
		tr := e.Trace()
		if err := os.WriteFile(e.TraceFile, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		return tr
	}
	e.Git("ls-remote", "codecommit://dev@demo").Must()
	if tr := trace(); strings.Contains(tr, viaSDK) || !strings.Contains(tr, "source static keys in the shared files") {
		t.Fatalf("static keys: trace\n%s", tr)
	}
	e.Git("ls-remote", "codecommit://role@demo").Must()
	if tr := trace(); !strings.Contains(tr, viaSDK) || !strings.Contains(tr, "sts AssumeRole "+e.Server.DemoRoleARN()) {
		t.Fatalf("role, cache cold: trace\n%s", tr)
	}
	e.Git("ls-remote", "codecommit://role@demo").Must()
	if tr := trace(); strings.Contains(tr, viaSDK) || !strings.Contains(tr, "assume role "+e.Server.DemoRoleARN()+" from profile dev [AssumeRole (cached ") {
		t.Fatalf("role, cache warm: trace\n%s", tr)
	}
	if n := e.Server.STSCalls()["AssumeRole"]; n != 1 {
		t.Errorf("AssumeRole calls = %d, want 1", n)
	}
}

// TestRoleWithoutGitCodecommit: a git-remote-codecommit installed alone
// still serves static keys, and for a role says what is missing.
func TestRoleWithoutGitCodecommit(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	alone := e.Alone("git-remote-codecommit")
	e.Setenv("PATH", alone+string(os.PathListSeparator)+os.Getenv("PATH"))
	e.Git("ls-remote", "codecommit://dev@demo").Must()
	stderr := e.Git("ls-remote", "codecommit://role@demo").MustFail()
	if !strings.Contains(stderr, "git-codecommit is not installed beside git-remote-codecommit") || strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
		t.Fatalf("stderr:\n%s", stderr)
	}
}

// TestRegionAndProfileOrder: issue 13 items 1 and 2, with real git. The
// environment's region beats the profile's (a signature for eu-west-1 is
// refused by the us-east-1 endpoint), and AWS_DEFAULT_PROFILE beats
// AWS_PROFILE, as in botocore; the trace says which variable won.
func TestRegionAndProfileOrder(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	e.Setenv("AWS_PROFILE", "no-such-profile")
	e.Setenv("AWS_DEFAULT_PROFILE", "dev")
	e.Git("ls-remote", "codecommit://demo").Must()
	if tr := e.Trace(); !strings.Contains(tr, "profile dev (from AWS_DEFAULT_PROFILE)") {
		t.Errorf("AWS_DEFAULT_PROFILE should win over AWS_PROFILE; trace:\n%s", tr)
	}
	e.Setenv("AWS_REGION", "eu-west-1")
	stderr := e.Git("ls-remote", "codecommit://dev@demo").MustFail()
	if !strings.Contains(stderr, "region") {
		t.Errorf("AWS_REGION=eu-west-1 should win over the profile's us-east-1: %s", stderr)
	}
	if tr := e.Trace(); !strings.Contains(tr, "region eu-west-1 (from AWS_REGION)") {
		t.Errorf("trace:\n%s", tr)
	}
	// The URL's region beats them all, in any case.
	e.Git("ls-remote", "codecommit::US-EAST-1://dev@demo").Must()
}

// TestNoHomeReadsNothingFromTheWorkTree: issue 12 item 3. With HOME unset,
// empty or relative (env -i, cron, service managers), a work tree's
// .aws/config (whose credential_process would touch a marker) is never
// read, and nothing is written into the work tree.
func TestNoHomeReadsNothingFromTheWorkTree(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	wt := e.Path("wt")
	e.Git("init", "-q", wt).Must()
	marker := filepath.Join(wt, "pwned")
	if err := os.MkdirAll(filepath.Join(wt, ".aws"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := "[default]\nregion = us-east-1\ncredential_process = sh -c 'touch " + marker + "'\n" +
		"[profile dev]\nregion = us-east-1\ncredential_process = sh -c 'touch " + marker + "'\n"
	if err := os.WriteFile(filepath.Join(wt, ".aws", "config"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	e.Unsetenv("AWS_CONFIG_FILE")
	e.Unsetenv("AWS_SHARED_CREDENTIALS_FILE")
	for _, home := range []string{"unset", "", "."} {
		if home == "unset" {
			e.Unsetenv("HOME")
		} else {
			e.Setenv("HOME", home)
		}
		e.GitIn(wt, "ls-remote", "codecommit://demo")
		e.GitIn(wt, "ls-remote", "codecommit://dev@demo")
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("HOME %q: the work tree's credential_process ran", home)
		}
		entries, _ := os.ReadDir(filepath.Join(wt, ".aws"))
		if len(entries) != 1 {
			t.Fatalf("HOME %q: files written into the work tree's .aws: %v", home, entries)
		}
	}
}

// TestSourceProfileErrors: issue 13 items 10, 11 and 14 with real git. A
// missing source profile is named, a loop is shown as its chain, a broken
// config names its file and line; doctor gives the same cause and never
// suggests itself as the fix.
func TestSourceProfileErrors(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	role := "role_arn = arn:aws:iam::111122223333:role/r\nregion = us-east-1\n"
	e.AppendAWSConfig("[profile orphan]\n" + role + "source_profile = gone\n" +
		"[profile loopa]\n" + role + "source_profile = loopb\n[profile loopb]\n" + role + "source_profile = loopa\n")
	for url, want := range map[string]string{
		"codecommit://orphan@demo": `profile "orphan" has source_profile = gone, but profile "gone" does not exist`,
		"codecommit://loopa@demo":  "circular source_profile: loopa -> loopb -> loopa",
	} {
		stderr := e.Git("ls-remote", url).MustFail()
		if !strings.Contains(stderr, want) {
			t.Errorf("%s: %s", url, stderr)
		}
		out := e.Run("git", "codecommit", "doctor", "--json", url).Stdout
		if !strings.Contains(out, strings.ReplaceAll(want, `"`, `\"`)) || strings.Contains(out, `"fix":"run 'git codecommit doctor`) || strings.Contains(out, `git codecommit doctor'"`) {
			t.Errorf("doctor %s:\n%s", url, out)
		}
	}
	cfg := filepath.Join(e.Home, ".aws", "config")
	text, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, append([]byte("[default\n"), text...), 0o600); err != nil {
		t.Fatal(err)
	}
	stderr := e.Git("ls-remote", "codecommit://dev@demo").MustFail()
	if !strings.Contains(stderr, cfg+` line 1: section header "[default" has no closing "]"`) {
		t.Errorf("broken config: %s", stderr)
	}
}

// TestMalformedProfileVariable: AWS_PROFILE or AWS_DEFAULT_PROFILE holding
// no valid profile name (a newline, a control character, brackets) fails
// in one line naming the variable and what is wrong with it, as with
// `git codecommit` commands; the AWS CLI says only "The config profile
// (dev<newline>x) could not be found", on two lines.
func TestMalformedProfileVariable(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	for _, tc := range []struct{ variable, value, why string }{
		{"AWS_PROFILE", "dev\nx", `control character '\n'`},
		{"AWS_DEFAULT_PROFILE", "dev\x1b[31m", `control character '\x1b'`},
		{"AWS_PROFILE", "[dev]", `contains '['`},
		{"AWS_DEFAULT_PROFILE", " dev", "whitespace"},
	} {
		t.Run(tc.variable, func(t *testing.T) {
			e.Setenv(tc.variable, tc.value)
			defer e.Unsetenv(tc.variable)
			stderr := e.Git("ls-remote", "codecommit://demo").MustFail()
			var lines []string
			for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
				if strings.HasPrefix(l, "git-remote-codecommit: ") {
					lines = append(lines, l)
				}
			}
			if len(lines) != 1 || strings.Contains(stderr, "\x1b") {
				t.Fatalf("want one git-remote-codecommit line, escaped; stderr:\n%q", stderr)
			}
			for _, w := range []string{tc.variable, tc.why, "unset " + tc.variable} {
				if !strings.Contains(lines[0], w) {
					t.Errorf("message lacks %q:\n%s", w, lines[0])
				}
			}
			r := e.Run("git", "codecommit", "list")
			if r.Code == 0 || !strings.Contains(r.Stderr, tc.variable) || strings.Count(strings.TrimSpace(r.Stderr), "\n") != 0 {
				t.Errorf("git codecommit list: exit %d\n%s", r.Code, r.Stderr)
			}
		})
	}
}
