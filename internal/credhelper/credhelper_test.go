package credhelper_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
)

const helper = "git-credential-codecommit"

// answer parses the helper's key=value output.
func answer(t *testing.T, out string) map[string]string {
	t.Helper()
	if strings.Contains(out, "\r") {
		t.Errorf("output has a CR: %q", out)
	}
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if l == "" {
			continue
		}
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			t.Fatalf("output line without '=': %q", l)
		}
		m[k] = v
	}
	return m
}

// checkSigned checks that ans is the dev user's signature of /v1/repos/REPO
// on host, scoped to region.
func checkSigned(t *testing.T, e *gittest.Env, ans map[string]string, host, repo, region string) {
	t.Helper()
	u := e.Server.Users()[0]
	if ans["username"] != u.AccessKeyID {
		t.Fatalf("username %q, want the dev access key", ans["username"])
	}
	at, _, err := sigv4.ParsePassword(ans["password"])
	if err != nil {
		t.Fatalf("password: %v", err)
	}
	want := sigv4.Sign(sigv4.Credentials{AccessKeyID: u.AccessKeyID, SecretAccessKey: u.SecretAccessKey}, sigv4.Request{Region: region, Host: host, Path: "/v1/repos/" + repo}, at)
	if ans["password"] != want.Password {
		t.Errorf("password is not the signature of %s/v1/repos/%s in %s", host, repo, region)
	}
	exp, err := strconv.ParseInt(ans["password_expiry_utc"], 10, 64)
	if err != nil {
		t.Fatalf("password_expiry_utc %q: %v", ans["password_expiry_utc"], err)
	}
	if got := time.Unix(exp, 0).Sub(at); got != 15*time.Minute {
		t.Errorf("password expires %v after signing, want 15m", got)
	}
}

func TestHostTable(t *testing.T) {
	e := gittest.New(t)
	for _, c := range []struct {
		name, host, region string // region "" means no answer
	}{
		{"plain", "git-codecommit.eu-west-1.amazonaws.com", "eu-west-1"},
		{"port", "git-codecommit.eu-west-1.amazonaws.com:443", "eu-west-1"},
		{"fips", "git-codecommit-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
		{"china", "git-codecommit.cn-north-1.amazonaws.com.cn", "cn-north-1"},
		{"vpce", "vpce-0123456789abcdef0-abcdefgh.git-codecommit.ap-southeast-2.vpce.amazonaws.com", "ap-southeast-2"},
		{"vpce-fips", "vpce-0123456789abcdef0-abcdefgh.git-codecommit-fips.ca-central-1.vpce.amazonaws.com", "ca-central-1"},
		{"endpoint", e.Server.Host(), e.Server.Region()},
		{"github", "github.com", ""},
		{"lookalike", "git-codecommit.us-east-1.amazonaws.com.evil.example", ""},
		{"s3", "s3.us-east-1.amazonaws.com", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := "capability[]=authtype\nprotocol=https\nhost=" + c.host + "\npath=v1/repos/demo\nwwwauth[]=Basic realm=\"x\"\n\n"
			out := e.RunIn(e.Work, in, helper, "--profile", "dev", "get").Must()
			if c.region == "" {
				if out != "" {
					t.Fatalf("answered for a foreign host: %q", out)
				}
				return
			}
			// Signed for the host as curl sends it: :443 left out (issue 13 item 5).
			checkSigned(t, e, answer(t, out), strings.TrimSuffix(c.host, ":443"), "demo", c.region)
		})
	}
	t.Run("http", func(t *testing.T) {
		out := e.RunIn(e.Work, "protocol=http\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/repos/demo\n", helper, "get").Must()
		if out != "" {
			t.Fatalf("answered over http: %q", out)
		}
	})
	t.Run("url-attribute", func(t *testing.T) {
		out := e.RunIn(e.Work, "url=https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo/\n", helper, "get", "--profile", "dev").Must()
		checkSigned(t, e, answer(t, out), "git-codecommit.eu-west-1.amazonaws.com", "demo", "eu-west-1")
	})
	t.Run("ignore-host-check", func(t *testing.T) {
		in := "protocol=https\nhost=codecommit.internal.example:8443\npath=v1/repos/demo\n"
		if out := e.RunIn(e.Work, in, helper, "--region", "eu-central-1", "get").Must(); out != "" {
			t.Fatalf("answered for a foreign host without --ignore-host-check: %q", out)
		}
		out := e.RunIn(e.Work, in, helper, "--ignore-host-check", "--region", "eu-central-1", "get").Must()
		checkSigned(t, e, answer(t, out), "codecommit.internal.example:8443", "demo", "eu-central-1")
	})
	t.Run("aws-cli-test-input", func(t *testing.T) {
		// The AWS CLI helper's test request: a path with a leading "/".
		out := e.RunIn(e.Work, "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=/v1/repos/myrepo\n\n", helper, "--profile", "dev", "get").Must()
		checkSigned(t, e, answer(t, out), "git-codecommit.us-east-1.amazonaws.com", "myrepo", "us-east-1")
	})
	t.Run("region-flag-for-endpoint", func(t *testing.T) {
		out := e.RunIn(e.Work, "protocol=https\nhost="+e.Server.Host()+"\npath=v1/repos/demo\n", helper, "--region", "sa-east-1", "get").Must()
		checkSigned(t, e, answer(t, out), e.Server.Host(), "demo", "sa-east-1")
	})
}

// oneLine checks a failure: non-zero exit, nothing but quit=1 (or nothing)
// on stdout, one line on stderr containing want.
func oneLine(t *testing.T, r gittest.Result, stdout, want string) {
	t.Helper()
	stderr := r.MustFail()
	if r.Stdout != stdout {
		t.Errorf("stdout %q, want %q", r.Stdout, stdout)
	}
	if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, helper+": ") || !strings.Contains(stderr, want) {
		t.Errorf("stderr %q: want one line with %q", stderr, want)
	}
	if strings.Contains(stderr, "panic") || strings.Contains(stderr, "internal error") {
		t.Errorf("crashed: %q", stderr)
	}
}

func TestFailures(t *testing.T) {
	e := gittest.New(t)
	host := "host=git-codecommit.us-east-1.amazonaws.com\n"
	oneLine(t, e.RunIn(e.Work, "protocol=https\n"+host+"\n", helper, "get"), "quit=1\n",
		"git did not send the repository path; run 'git config --global credential.UseHttpPath true' (or git codecommit setup)")
	oneLine(t, e.RunIn(e.Work, "protocol=https\n"+host+"path=demo.git\n", helper, "get"), "quit=1\n", "is not a CodeCommit repository path")
	oneLine(t, e.RunIn(e.Work, "protocol=https\n"+host+"path=v1/repos/demo\n", helper, "--profile", "nope", "get"), "quit=1\n", `"nope"`)
	oneLine(t, e.RunIn(e.Work, "protocol=https\n"+host+"path=v1/repos/demo\n", helper, "--profile", "dev", "--bogus", "get"), "", "bogus")
	oneLine(t, e.RunIn(e.Work, "", helper, "--profile", "dev"), "", "action")
	oneLine(t, e.RunIn(e.Work, "", helper, "--region", "Mars", "get"), "", "--region")

	for name, in := range map[string]string{
		"no-equals": "protocol=https\n" + host + "garbage\n",
		"nul":       "protocol=https\nhost=git-codecommit.us-east-1.amazon\x00aws.com\npath=v1/repos/demo\n",
		"1MB-line":  "protocol=https\n" + host + "path=" + strings.Repeat("a", 1<<20) + "\n",
		"1MB-noeol": strings.Repeat("x", 1<<20),
	} {
		t.Run(name, func(t *testing.T) {
			oneLine(t, e.RunIn(e.Work, in, helper, "get"), "", "reading git's credential request")
		})
	}
}

func TestStoreErase(t *testing.T) {
	e := gittest.New(t)
	in := "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\nusername=AKIA\npassword=secret\n\n"
	for _, action := range []string{"store", "erase", "some-future-action"} {
		r := e.RunIn(e.Work, in, helper, "--profile", "dev", action)
		if r.Must() != "" || r.Stderr != "" {
			t.Errorf("%s: stdout %q stderr %q", action, r.Stdout, r.Stderr)
		}
	}
	if strings.Contains(e.Trace(), "secret") {
		t.Error("trace holds the password")
	}
}

// TestHTTPSRemote is the IDE flow: after `git codecommit setup --global`,
// a plain https remote clones and pushes through the credential helper,
// and a global store helper never sees a CodeCommit password while it
// still serves other hosts.
func TestHTTPSRemote(t *testing.T) {
	e := gittest.New(t)
	store := filepath.Join(e.Home, "git-credentials")
	e.Git("config", "--global", "credential.helper", "store --file="+store).Must()
	out := e.Run("git-codecommit", "setup", "--global", "--profile", "dev").Must()
	if !strings.Contains(out, "credential.https://git-codecommit.*.amazonaws.com.helper") {
		t.Fatalf("setup output:\n%s", out)
	}
	// The local endpoint is not a *.amazonaws.com host: give it the same
	// configuration setup gives those.
	url := "https://" + e.Server.Host()
	e.Git("config", "--global", "--add", "credential."+url+".helper", "").Must()
	e.Git("config", "--global", "--add", "credential."+url+".helper", "codecommit --profile dev").Must()
	e.Git("config", "--global", "credential."+url+".UseHttpPath", "true").Must()

	e.Git("clone", "-q", url+"/v1/repos/demo", "demo").Must()
	dir := e.Path("demo")
	e.Commit(dir, "a.txt", "hello\n")
	e.GitIn(dir, "push", "-q", "origin", "HEAD:main").Must()
	e.Git("clone", "-q", url+"/v1/repos/demo", "again").Must()
	if b, err := os.ReadFile(e.Path("again", "a.txt")); err != nil || string(b) != "hello\n" {
		t.Fatalf("pushed file not in a fresh clone: %q %v", b, err)
	}
	b, _ := os.ReadFile(store)
	if strings.Contains(string(b), e.Server.Host()) || strings.Contains(string(b), "amazonaws") {
		t.Fatalf("the store helper saved a CodeCommit password:\n%s", b)
	}
	e.RunIn(e.Work, "protocol=https\nhost=example.com\nusername=me\npassword=other-secret\n\n", "git", "credential", "approve").Must()
	if b, _ := os.ReadFile(store); !strings.Contains(string(b), "other-secret@example.com") {
		t.Fatalf("the store helper no longer serves other hosts:\n%s", b)
	}
}

// TestRoleProfile signs with assumed-role credentials: the username carries
// the session token and git accepts the answer.
func TestRoleProfile(t *testing.T) {
	e := gittest.New(t)
	out := e.RunIn(e.Work, "protocol=https\nhost="+e.Server.Host()+"\npath=v1/repos/demo\n", helper, "--profile", "role", "get").Must()
	ans := answer(t, out)
	if !strings.Contains(ans["username"], "%") {
		t.Fatalf("username %q has no session token", ans["username"])
	}
	url := "https://" + e.Server.Host() + "/v1/repos/demo"
	e.Git("-c", "credential.helper=codecommit --profile role", "-c", "credential.UseHttpPath=true", "ls-remote", url).Must()
	if e.Server.STSCalls()["AssumeRole"] != 1 {
		t.Errorf("STS calls %v: want one AssumeRole (the second use is cached)", e.Server.STSCalls())
	}
}

// TestWrongProfileThroughGit: git stops after the helper's one line
// instead of asking for a username.
func TestWrongProfileThroughGit(t *testing.T) {
	e := gittest.New(t)
	url := "https://" + e.Server.Host() + "/v1/repos/demo"
	stderr := e.Git("-c", "credential.helper=codecommit --profile nope", "-c", "credential.UseHttpPath=true", "ls-remote", url).MustFail()
	if !strings.Contains(stderr, helper+`: `) || !strings.Contains(stderr, "told us to quit") || strings.Contains(stderr, "Username") {
		t.Fatalf("stderr:\n%s", stderr)
	}
}

// TestSetupCommand: `git codecommit setup` twice leaves the file
// byte-identical, and --undo restores it exactly.
func TestSetupCommand(t *testing.T) {
	e := gittest.New(t)
	cfg := filepath.Join(e.Home, ".gitconfig")
	e.Git("config", "--global", "credential.helper", "store").Must()
	before, _ := os.ReadFile(cfg)
	// The helper by the path beside git-codecommit (no git wrapper).
	if out := e.Run("git-codecommit", "setup", "--dry-run").Must(); !strings.Contains(out, "+\thelper = "+filepath.Join(e.Bin, helper)+"\n") {
		t.Fatalf("dry run:\n%s", out)
	}
	if after, _ := os.ReadFile(cfg); string(after) != string(before) {
		t.Fatal("--dry-run wrote the file")
	}
	e.Run("git-codecommit", "setup").Must()
	once, _ := os.ReadFile(cfg)
	if out := e.Run("git-codecommit", "setup", "--global").Must(); !strings.HasPrefix(out, "already configured") {
		t.Errorf("second run: %q", out)
	}
	if twice, _ := os.ReadFile(cfg); string(twice) != string(once) {
		t.Errorf("second run changed the file:\n%s\n---\n%s", once, twice)
	}
	e.Run("git-codecommit", "setup", "--undo").Must()
	if after, _ := os.ReadFile(cfg); string(after) != string(before) {
		t.Errorf("undo: %q, want %q", after, before)
	}
	// "a b" is a name the AWS files can hold: looked up, not found, exit 1.
	if r := e.Run("git-codecommit", "setup", "--profile", "a b"); r.Code != 1 || strings.Count(r.Stderr, "\n") != 1 || !strings.Contains(r.Stderr, `"a b" not found`) {
		t.Errorf(`setup --profile "a b": exit %d, stderr %q`, r.Code, r.Stderr)
	}
	for _, args := range [][]string{{"--global", "--local"}, {"--profile", "a]b"}, {"extra"}} {
		r := e.Run("git-codecommit", append([]string{"setup"}, args...)...)
		if r.Code != 2 || strings.Count(r.Stderr, "\n") != 1 {
			t.Errorf("setup %q: exit %d, stderr %q", args, r.Code, r.Stderr)
		}
	}
}

// TestSDKOnlyWhenNeeded: static keys and a fresh cached role are answered
// by the helper itself; only a role's first use runs git-codecommit (the
// SDK), and the answers are the same either way.
func TestSDKOnlyWhenNeeded(t *testing.T) {
	e := gittest.New(t)
	req := "protocol=https\nhost=" + e.Server.Host() + "\npath=v1/repos/demo\n"
	sdkRuns := func() int { return strings.Count(e.Trace(), "resolving through the AWS SDK") }
	checkSigned(t, e, answer(t, e.RunIn(e.Work, req, helper, "--profile", "dev", "get").Must()), e.Server.Host(), "demo", "us-east-1")
	if n := sdkRuns(); n != 0 {
		t.Errorf("static keys ran the SDK %d times", n)
	}
	for i := range 2 {
		ans := answer(t, e.RunIn(e.Work, req, helper, "--profile", "role", "get").Must())
		if !strings.Contains(ans["username"], "%") || ans["password_expiry_utc"] == "" {
			t.Errorf("role answer %d: %v", i, ans)
		}
	}
	if n := sdkRuns(); n != 1 {
		t.Errorf("two role requests ran the SDK %d times, want 1 (then the cache)", n)
	}
}

// TestRoleWithoutGitCodecommit: installed alone, the helper still answers
// for static keys, and for a role says in one line what to install.
func TestRoleWithoutGitCodecommit(t *testing.T) {
	e := gittest.New(t)
	alone := e.Alone(helper)
	e.Setenv("PATH", alone+string(os.PathListSeparator)+"/usr/bin:/bin")
	req := "protocol=https\nhost=" + e.Server.Host() + "\npath=v1/repos/demo\n"
	checkSigned(t, e, answer(t, e.RunIn(e.Work, req, filepath.Join(alone, helper), "--profile", "dev", "get").Must()), e.Server.Host(), "demo", "us-east-1")
	r := e.RunIn(e.Work, req, filepath.Join(alone, helper), "--profile", "role", "get")
	oneLine(t, r, "quit=1\n", "git-codecommit is not installed beside git-credential-codecommit")
}
