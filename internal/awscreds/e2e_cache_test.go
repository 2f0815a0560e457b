package awscreds_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
	"github.com/gitcodecommit/git-codecommit/internal/localserver"
)

// goldenDir is ../shared/aws-cli-cache-golden beside the module root (files
// written by the real AWS CLI), else the copy in credcache's testdata.
func goldenDir(t *testing.T) (dir, config string) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	shared := filepath.Join(root, "..", "shared", "aws-cli-cache-golden")
	if _, err := os.Stat(filepath.Join(shared, "config")); err == nil {
		return shared, filepath.Join(shared, "config")
	}
	td := filepath.Join(root, "internal", "credcache", "testdata")
	if _, err := os.Stat(filepath.Join(td, "config")); err != nil {
		t.Skip("no AWS CLI golden cache files")
	}
	return filepath.Join(td, "golden"), filepath.Join(td, "config")
}

// goldenProfiles are the golden config's role profiles, the URL each is
// used with, and the file name the AWS CLI gave its entry (see the golden
// README). role-full's own region is eu-west-1; the URL names the local
// endpoint's.
var goldenProfiles = []struct{ profile, url, file string }{
	{"role-plain", "codecommit://role-plain@deploy", "6a9d9ba39800a1773d9a3bd50c4a0db301ff5832.json"},
	{"role-mfa", "codecommit://role-mfa@deploy", "0e2911c0ceabd34fcc525a48ea31c8f1d5bf1e11.json"},
	{"role-full", "codecommit::us-east-1://role-full@cross", "a87eb29972ae2d791d7b60cc0c923762467841f6.json"},
}

// newGoldenEnv serves repositories in the golden roles' accounts and adds
// the golden config's profiles, their source_profile pointed at dev.
func newGoldenEnv(t *testing.T) (*gittest.Env, string) {
	t.Helper()
	dir, config := goldenDir(t)
	e := gittest.New(t, func(c *localserver.Config) {
		c.MFACode = mfaCode
		c.Repos = append(c.Repos, "deploy", "cross")
	})
	e.Faults.SetRepoAccount("deploy", "123456789012")
	e.Faults.SetRepoAccount("cross", "210987654321")
	b, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	e.AppendAWSConfig(strings.ReplaceAll(string(b), "source_profile = base", "source_profile = dev"))
	return e, dir
}

func cacheDir(e *gittest.Env) string { return filepath.Join(e.Home, ".aws", "cli", "cache") }

func cacheEntries(t *testing.T, e *gittest.Env) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(cacheDir(e), "*.json"))
	var names []string
	for _, p := range m {
		names = append(names, filepath.Base(p))
	}
	sort.Strings(names)
	return names
}

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

func keys(v any) []string {
	m, _ := v.(map[string]any)
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// cliExpiration is the Expiration format of the AWS CLI's entries.
var cliExpiration = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`)

func TestCacheSharedWithAWSCLI(t *testing.T) {
	t.Parallel() // its own HOME and server
	e, golden := newGoldenEnv(t)
	prompts := setAskpass(t, e, mfaCode)

	// useAll runs git with every golden profile; in all, there must be one
	// AssumeRole per profile and one prompt per MFA profile.
	useAll := func(phase string) {
		t.Helper()
		for _, g := range goldenProfiles {
			e.Git("ls-remote", g.url).Must()
		}
		if n := assumeRoleCalls(e); n != 3 {
			t.Errorf("%s: AssumeRole calls = %d, want 3 in all", phase, n)
		}
		if n := len(prompts()); n != 2 {
			t.Errorf("%s: MFA prompts = %d, want 2 in all (role-mfa, role-full)", phase, n)
		}
	}

	// We write: the same file names as the AWS CLI, the same shape.
	useAll("empty cache")
	var want []string
	for _, g := range goldenProfiles {
		want = append(want, g.file)
	}
	sort.Strings(want)
	if got := cacheEntries(t, e); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("cache entries %v, want the AWS CLI's names %v", got, want)
	}
	ours := map[string]map[string]any{}
	for _, g := range goldenProfiles {
		path := filepath.Join(cacheDir(e), g.file)
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v %v, want 0600", g.file, fi.Mode().Perm(), err)
		}
		if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), `{"Credentials": {"AccessKeyId": "`) {
			t.Errorf("%s is not laid out like the AWS CLI's (json.dumps separators): %.40s", g.file, b)
		}
		m, cli := readJSON(t, path), readJSON(t, filepath.Join(golden, g.file))
		ours[g.profile] = m
		for _, part := range []string{"Credentials", "AssumedRoleUser"} {
			if a, b := keys(m[part]), keys(cli[part]); strings.Join(a, ",") != strings.Join(b, ",") {
				t.Errorf("%s %s keys %v, the AWS CLI's %v", g.profile, part, a, b)
			}
		}
		for _, k := range keys(m) {
			if _, ok := cli[k]; !ok {
				t.Errorf("%s: key %s is not in the AWS CLI's entry", g.profile, k)
			}
		}
		if exp, _ := m["Credentials"].(map[string]any)["Expiration"].(string); !cliExpiration.MatchString(exp) {
			t.Errorf("%s: Expiration %q is not in the AWS CLI's format", g.profile, exp)
		}
	}
	// role-full sends its RoleSessionName and DurationSeconds (7200); the
	// others send none, so STS's default (the server's 1h) applies.
	if arn := ours["role-full"]["AssumedRoleUser"].(map[string]any)["Arn"].(string); !strings.HasSuffix(arn, "/alice-laptop") {
		t.Errorf("role-full session ARN %s, want role_session_name alice-laptop", arn)
	}
	exp := func(p string) time.Time {
		s := ours[p]["Credentials"].(map[string]any)["Expiration"].(string)
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	if d := exp("role-full").Sub(exp("role-plain")); d < 30*time.Minute {
		t.Errorf("role-full lasts %s longer than role-plain, want about 1h (duration_seconds 7200 vs STS default)", d)
	}

	// We read: the AWS CLI's entries, byte for byte but for fresh
	// credentials the local endpoint knows and an Expiration moved ahead.
	fresh := time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05.000000Z")
	written := map[string][]byte{}
	for _, g := range goldenProfiles {
		b, err := os.ReadFile(filepath.Join(golden, g.file))
		if err != nil {
			t.Fatal(err)
		}
		cli := readJSON(t, filepath.Join(golden, g.file))["Credentials"].(map[string]any)
		our := ours[g.profile]["Credentials"].(map[string]any)
		s := string(b)
		for _, k := range []string{"AccessKeyId", "SecretAccessKey", "SessionToken"} {
			s = strings.Replace(s, `"`+k+`": "`+cli[k].(string)+`"`, `"`+k+`": "`+our[k].(string)+`"`, 1)
		}
		s = strings.Replace(s, `"Expiration": "`+cli["Expiration"].(string)+`"`, `"Expiration": "`+fresh+`"`, 1)
		if s == string(b) {
			t.Fatalf("%s: nothing replaced", g.file)
		}
		written[g.file] = []byte(s)
		if err := os.WriteFile(filepath.Join(cacheDir(e), g.file), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	useAll("the AWS CLI's entries")
	for file, b := range written {
		if got, _ := os.ReadFile(filepath.Join(cacheDir(e), file)); string(got) != string(b) {
			t.Errorf("%s was rewritten", file)
		}
		if !strings.Contains(e.Trace(), "credcache: hit "+filepath.Join(cacheDir(e), file)) {
			t.Errorf("trace shows no hit on %s", file)
		}
	}
}

func TestBotoCacheIsRead(t *testing.T) {
	e, golden := newGoldenEnv(t)
	g := goldenProfiles[0]
	e.Git("ls-remote", g.url).Must() // a valid entry to borrow credentials from
	ours := readJSON(t, filepath.Join(cacheDir(e), g.file))["Credentials"].(map[string]any)
	if err := os.Remove(filepath.Join(cacheDir(e), g.file)); err != nil {
		t.Fatal(err)
	}
	cli := readJSON(t, filepath.Join(golden, g.file))
	c := cli["Credentials"].(map[string]any)
	for _, k := range []string{"AccessKeyId", "SecretAccessKey", "SessionToken"} {
		c[k] = ours[k]
	}
	c["Expiration"] = time.Now().Add(time.Hour).UTC().Format("2006-01-02 15:04:05") + "UTC" // boto3's strftime
	b, _ := json.Marshal(cli)
	boto := filepath.Join(e.Home, ".aws", "boto", "cache")
	if err := os.MkdirAll(boto, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(boto, g.file), b, 0o600); err != nil {
		t.Fatal(err)
	}
	e.Git("ls-remote", g.url).Must()
	if n := assumeRoleCalls(e); n != 1 {
		t.Errorf("AssumeRole calls = %d, want 1: the boto cache entry must be used", n)
	}
	if !strings.Contains(e.Trace(), "credcache: hit "+filepath.Join(boto, g.file)) {
		t.Errorf("trace shows no hit on the boto entry")
	}
}

func TestCacheExpiryMargin(t *testing.T) {
	t.Parallel() // its own HOME and server
	// Credentials that live 10 minutes are inside the 15-minute margin from
	// the start: every command assumes the role again.
	e := gittest.New(t, func(c *localserver.Config) { c.CredentialLifetime = 10 * time.Minute })
	e.Git("ls-remote", "codecommit://role@demo").Must()
	e.Git("ls-remote", "codecommit://role@demo").Must()
	if n := assumeRoleCalls(e); n != 2 {
		t.Errorf("10-minute credentials: AssumeRole calls = %d, want 2", n)
	}
	// 20 minutes: reused.
	e = gittest.New(t, func(c *localserver.Config) { c.CredentialLifetime = 20 * time.Minute })
	e.Git("ls-remote", "codecommit://role@demo").Must()
	e.Git("ls-remote", "codecommit://role@demo").Must()
	if n := assumeRoleCalls(e); n != 1 {
		t.Errorf("20-minute credentials: AssumeRole calls = %d, want 1", n)
	}
}

func TestCorruptCacheEntryIsReplaced(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	e.Git("ls-remote", "codecommit://role@demo").Must()
	names := cacheEntries(t, e)
	if len(names) != 1 {
		t.Fatalf("cache entries %v, want 1", names)
	}
	path := filepath.Join(cacheDir(e), names[0])
	for i, junk := range []string{`{"Credentials": {"AccessKeyId": "AS`, "", `{"Credentials": {"AccessKeyId": 1}}`, "\x00\xff"} {
		if err := os.WriteFile(path, []byte(junk), 0o600); err != nil {
			t.Fatal(err)
		}
		e.Git("ls-remote", "codecommit://role@demo").Must()
		if n := assumeRoleCalls(e); n != 2+i {
			t.Errorf("corrupt entry %q: AssumeRole calls = %d, want %d", junk, n, 2+i)
		}
		readJSON(t, path) // replaced by a valid entry
	}
	e.Git("ls-remote", "codecommit://role@demo").Must()
	if n := assumeRoleCalls(e); n != 5 {
		t.Errorf("the replaced entry was not reused: AssumeRole calls = %d, want 5", n)
	}
}
