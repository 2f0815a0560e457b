package setup

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gitconfig"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

const (
	keyCom = "credential.https://git-codecommit.*.amazonaws.com.helper"
	keyCN  = "credential.https://git-codecommit.*.amazonaws.com.cn.helper"
)

type testEnv struct {
	home, bin string
	env       []string
	r         gitexec.Exec
	r2        gitexec.Runner // when set, what run runs git with
}

func (e *testEnv) lookup(k string) string {
	for _, kv := range e.env {
		if key, v, ok := strings.Cut(kv, "="); ok && key == k {
			return v
		}
	}
	return ""
}

func (e *testEnv) gitconfig() string { return filepath.Join(e.home, ".gitconfig") }

// newEnv gives git a fresh HOME, no system config and no prompts.
func newEnv(t *testing.T) *testEnv {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	home := t.TempDir()
	bin := filepath.Join(home, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0",
		"TMPDIR=" + t.TempDir(),
		"LC_ALL=C",
	}
	return &testEnv{home: home, bin: bin, env: env, r: gitexec.Exec{Proc: &proc.Proc{Environ: env, Git: "git"}, Dir: home}}
}

func (e *testEnv) run(t *testing.T, o Options) string {
	t.Helper()
	var out bytes.Buffer
	o.Out, o.Env = &out, e.lookup
	var r gitexec.Runner = e.r
	if e.r2 != nil {
		r = e.r2
	}
	if err := Run(context.Background(), r, o); err != nil {
		t.Fatalf("Run(%+v): %v\noutput:\n%s", o, err, out.String())
	}
	return out.String()
}

func (e *testEnv) getAll(t *testing.T, scope []string, key string) []string {
	t.Helper()
	c := &gitconfig.Editor{Runner: e.r, Scope: scope}
	v, err := c.GetAll(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func readOrNil(t *testing.T, p string) ([]byte, bool) {
	t.Helper()
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return b, true
}

func TestSetupIdempotentAndContent(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t)
	out := e.run(t, Options{})
	if !strings.Contains(out, "set "+keyCom+` ""`) || !strings.Contains(out, "set "+keyCom+` "codecommit"`) {
		t.Errorf("output does not list changes:\n%s", out)
	}
	first, _ := readOrNil(t, e.gitconfig())
	proactive, err := gitconfig.GitHas(context.Background(), e.r, gitexec.ProactiveAuth)
	if err != nil {
		t.Fatal(err)
	}
	want := ""
	for _, u := range []string{
		"https://git-codecommit.*.amazonaws.com", "https://git-codecommit-fips.*.amazonaws.com",
		"https://git-codecommit.*.amazonaws.com.cn", "https://git-codecommit-fips.*.amazonaws.com.cn",
		"https://*.git-codecommit.*.vpce.amazonaws.com", "https://*.git-codecommit-fips.*.vpce.amazonaws.com",
		"https://*.git-codecommit.*.vpce.amazonaws.com.cn", "https://*.git-codecommit-fips.*.vpce.amazonaws.com.cn",
	} {
		want += "[credential \"" + u + "\"]\n\thelper = \n\thelper = codecommit\n\tUseHttpPath = true\n"
		if proactive {
			want += "[http \"" + u + "\"]\n\tproactiveAuth = basic\n"
		}
	}
	want += "[protocol \"codecommit\"]\n\tallow = always\n"
	if string(first) != want {
		t.Fatalf("config:\n%s\nwant:\n%s", first, want)
	}
	out = e.run(t, Options{Scope: "global"})
	if !strings.Contains(out, "already configured") {
		t.Errorf("second run output: %q", out)
	}
	second, _ := readOrNil(t, e.gitconfig())
	if !bytes.Equal(first, second) {
		t.Fatalf("second run changed the file:\n%s", second)
	}
}

func TestSetupUndoRestoresOriginal(t *testing.T) {
	t.Parallel() // its own HOME and server
	cases := map[string]*string{
		"absent": nil,
		"empty":  ptr(""),
		"unrelated content and comments": ptr("# my settings\n[user]\n\tname = A User ; trailing comment\n\temail = a@example.com\n\n" +
			"[credential]\n\thelper = store\n; another comment\n[credential \"https://example.com\"]\n\tusername = me\n"),
		"user helper in our section":     ptr("[user]\n\tname = X\n[credential \"https://git-codecommit.*.amazonaws.com\"]\n\t# mine\n\thelper = foo\n\tusername = bob\n[core]\n\tautocrlf = false\n"),
		"user settings in both sections": ptr("[credential \"https://git-codecommit.*.amazonaws.com.cn\"]\n\thelper = foo\n[credential \"https://git-codecommit.*.amazonaws.com\"]\n\tusername = bob\n"),
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			if content != nil {
				if err := os.WriteFile(e.gitconfig(), []byte(*content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			e.run(t, Options{Profile: "dev"})
			mid, _ := readOrNil(t, e.gitconfig())
			if !bytes.Contains(mid, []byte("helper = codecommit --profile dev")) {
				t.Fatalf("setup did not configure:\n%s", mid)
			}
			out := e.run(t, Options{Undo: true})
			if !strings.Contains(out, "unset "+keyCom+` "codecommit --profile dev"`) {
				t.Errorf("undo output: %s", out)
			}
			got, exists := readOrNil(t, e.gitconfig())
			if content == nil {
				// Documented: a file created by setup is left empty.
				if exists && len(got) != 0 {
					t.Fatalf("undo left content in a formerly absent file:\n%s", got)
				}
				return
			}
			if string(got) != *content {
				t.Fatalf("undo did not restore the file\ngot:\n%s\nwant:\n%s", got, *content)
			}
			if out := e.run(t, Options{Undo: true}); !strings.Contains(out, "nothing to undo") {
				t.Errorf("second undo: %q", out)
			}
		})
	}
}

func ptr(s string) *string { return &s }

func TestUserHelpersComeFirst(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t)
	scope := []string{"--global"}
	if _, err := e.r.Git(context.Background(), "config", "--global", "--add", keyCom, "foo"); err != nil {
		t.Fatal(err)
	}
	e.run(t, Options{})
	// The user adds another helper after ours; a re-run moves ours last.
	if _, err := e.r.Git(context.Background(), "config", "--global", "--add", keyCom, "bar"); err != nil {
		t.Fatal(err)
	}
	e.run(t, Options{})
	if got, want := e.getAll(t, scope, keyCom), []string{"foo", "bar", "", "codecommit"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q want %q", got, want)
	}
	e.run(t, Options{Undo: true})
	if got, want := e.getAll(t, scope, keyCom), []string{"foo", "bar"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after undo got %q want %q", got, want)
	}
}

func TestUserOwnEmptyResetIsKept(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t)
	scope := []string{"--global"}
	for _, v := range []string{"", "foo"} {
		if _, err := e.r.Git(context.Background(), "config", "--global", "--add", keyCom, v); err != nil {
			t.Fatal(err)
		}
	}
	e.run(t, Options{Profile: "a"})
	if got, want := e.getAll(t, scope, keyCom), []string{"", "foo", "", "codecommit --profile a"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q want %q", got, want)
	}
	e.run(t, Options{Profile: "b"})
	if got, want := e.getAll(t, scope, keyCom), []string{"", "foo", "", "codecommit --profile b"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q want %q", got, want)
	}
	e.run(t, Options{Undo: true})
	if got, want := e.getAll(t, scope, keyCom), []string{"", "foo"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after undo got %q want %q", got, want)
	}
}

func TestProfileChangeReplaces(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t)
	e.run(t, Options{Profile: "one"})
	out := e.run(t, Options{Profile: "two"})
	if !strings.Contains(out, `unset `+keyCom+` "codecommit --profile one"`) {
		t.Errorf("output: %s", out)
	}
	for _, k := range []string{keyCom, keyCN} {
		if got, want := e.getAll(t, []string{"--global"}, k), []string{"", "codecommit --profile two"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: got %q want %q", k, got, want)
		}
	}
	e.run(t, Options{})
	if got, want := e.getAll(t, []string{"--global"}, keyCom), []string{"", "codecommit"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q want %q", got, want)
	}
}

func TestDryRun(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t)
	out := e.run(t, Options{DryRun: true, Profile: "p"})
	if _, exists := readOrNil(t, e.gitconfig()); exists {
		t.Fatal("dry run created the config file")
	}
	for _, want := range []string{"+[credential \"https://git-codecommit.*.amazonaws.com\"]\n", "+\thelper = \n", "+\thelper = codecommit --profile p\n", "+\tallow = always\n", "would set " + keyCom} {
		if !strings.Contains(out, want) {
			t.Errorf("dry-run output lacks %q:\n%s", want, out)
		}
	}
	orig := "# keep\n[user]\n\tname = X\n"
	if err := os.WriteFile(e.gitconfig(), []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	e.run(t, Options{})
	mid, _ := readOrNil(t, e.gitconfig())
	out = e.run(t, Options{DryRun: true, Undo: true})
	if got, _ := readOrNil(t, e.gitconfig()); !bytes.Equal(got, mid) {
		t.Fatal("dry-run undo modified the file")
	}
	if !strings.Contains(out, "-\thelper = codecommit\n") || strings.Contains(out, "-\tname = X") {
		t.Errorf("dry-run undo output:\n%s", out)
	}
	if out := e.run(t, Options{DryRun: true}); !strings.Contains(out, "already configured") {
		t.Errorf("dry run on configured file: %q", out)
	}
}

func TestFileScopeAndXDG(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t)
	f := filepath.Join(e.home, "custom.cfg")
	e.run(t, Options{File: f})
	if got := e.getAll(t, []string{"--file", f}, keyCN); len(got) != 2 {
		t.Fatalf("file scope: %q", got)
	}
	if _, exists := readOrNil(t, e.gitconfig()); exists {
		t.Fatal("file scope wrote the global config")
	}
	// git's rule: the XDG file is used when it exists and ~/.gitconfig does not.
	xdg := filepath.Join(e.home, ".config", "git", "config")
	if err := os.MkdirAll(filepath.Dir(xdg), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(xdg, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := configPath(context.Background(), e.r, Options{Scope: "global", Env: e.lookup})
	if err != nil || p != xdg {
		t.Fatalf("configPath = %q, %v; want %q", p, err, xdg)
	}
	out := e.run(t, Options{DryRun: true})
	if !strings.Contains(out, "--- "+xdg) {
		t.Fatalf("dry run did not target the XDG file:\n%s", out)
	}
}

// configureLocal configures the repository r works in for remote url as
// clone --https does (gitconfig.NewLocal, then Write).
func configureLocal(ctx context.Context, r gitexec.Runner, url, profile, region string) error {
	l, err := gitconfig.NewLocal(ctx, r, url, gitconfig.Helper{Profile: profile, Region: region})
	if err != nil {
		return err
	}
	return l.Write(ctx, r)
}

func TestLocalScopeAndConfigureLocalRepo(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t)
	repo := filepath.Join(e.home, "repo")
	if _, err := e.r.Git(context.Background(), "init", "-q", repo); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(repo, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{repo, sub} {
		r := gitexec.Exec{Proc: &proc.Proc{Environ: e.env, Git: "git"}, Dir: dir}
		p, err := configPath(context.Background(), r, Options{Scope: "local", Env: e.lookup})
		if err != nil || p != filepath.Join(repo, ".git", "config") {
			t.Fatalf("local config path from %s = %q, %v", dir, p, err)
		}
	}
	r := gitexec.Exec{Proc: &proc.Proc{Environ: e.env, Git: "git"}, Dir: repo}
	url := "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo"
	ctx := context.Background()
	if err := configureLocal(ctx, r, url, "dev", "us-east-1"); err != nil {
		t.Fatal(err)
	}
	before, _ := readOrNil(t, filepath.Join(repo, ".git", "config"))
	if err := configureLocal(ctx, r, url, "dev", "us-east-1"); err != nil {
		t.Fatal(err)
	}
	after, _ := readOrNil(t, filepath.Join(repo, ".git", "config"))
	if !bytes.Equal(before, after) {
		t.Fatal("ConfigureLocalRepo is not idempotent")
	}
	if err := configureLocal(ctx, r, url, "prod", ""); err != nil {
		t.Fatal(err)
	}
	c := &gitconfig.Editor{Runner: r, Scope: []string{"--local"}}
	got, err := c.GetAll(ctx, "credential."+url+".helper")
	if err != nil || !reflect.DeepEqual(got, []string{"", "codecommit --profile prod"}) {
		t.Fatalf("local helpers %q, %v", got, err)
	}
	if got, _ := c.GetAll(ctx, "credential."+url+".usehttppath"); !reflect.DeepEqual(got, []string{"true"}) {
		t.Fatalf("UseHttpPath %q", got)
	}
	for _, bad := range [][3]string{{url, "a\nb", ""}, {url, "x[y", ""}, {url, "", "us-east-1;rm"}, {"ssh://h/x", "", ""}, {url + "\n", "", ""}} {
		if err := configureLocal(ctx, r, bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("configureLocal(%q) accepted", bad)
		}
	}
	// setup --local edits only the repository's config.
	lr := &testEnv{home: e.home, env: e.env, r: r}
	lr.run(t, Options{Scope: "local"})
	if got := lr.getAll(t, []string{"--local"}, keyCom); len(got) != 2 {
		t.Fatalf("--local: %q", got)
	}
	if _, exists := readOrNil(t, e.gitconfig()); exists {
		t.Fatal("--local wrote the global config")
	}
}

func TestValidation(t *testing.T) {
	// The helper's rule (package names): any name the AWS files can hold,
	// quoted in the helper line where the shell would interpret it.
	for _, p := range []string{"", "default", "my-profile", "a.b_c@d+e=f,g:h/i", "a b", `a"b`, "a'b", "a;b", "$(x)", "a`b", "-x"} {
		if err := (gitconfig.Helper{Profile: p}).Validate(); err != nil {
			t.Errorf("ValidateProfile(%q) = %v", p, err)
		}
	}
	for _, p := range []string{"a\nb", "a[b", " a", "a\x1b"} {
		if err := (gitconfig.Helper{Profile: p}).Validate(); err == nil {
			t.Errorf("ValidateProfile(%q) accepted", p)
		}
	}
	if (gitconfig.Helper{}).String() != "codecommit" || (gitconfig.Helper{Profile: "p"}).String() != "codecommit --profile p" {
		t.Error("Helper.String")
	}
	ctx := context.Background()
	for _, o := range []Options{{Profile: "a\nb"}, {Scope: "nope"}, {Scope: "file"}, {Scope: "global", File: "x"}} {
		if err := Run(ctx, gitexec.Exec{Proc: &proc.Proc{}}, o); err == nil {
			t.Errorf("Run(%+v) accepted", o)
		}
	}
}

// versionRunner answers `git version` with a version of its own and runs
// every other command with real git.
type versionRunner struct {
	gitexec.Runner
	version string
}

func (r versionRunner) Git(ctx context.Context, args ...string) (string, error) {
	if len(args) == 1 && args[0] == "version" {
		return "git version " + r.version + "\n", nil
	}
	return r.Runner.Git(ctx, args...)
}

// TestProactiveAuthByVersion: on git 2.46 and later setup also writes
// http.<url>.proactiveAuth = basic for each CodeCommit pattern (no 401
// round trip), before that it does not (git would ignore it), and --undo
// removes it whatever the version. clone --https does the same for its URL.
func TestProactiveAuthByVersion(t *testing.T) {
	t.Parallel() // its own HOME and server
	for _, c := range []struct {
		version string
		want    bool
	}{{"2.45.2", false}, {"2.46.0", true}, {"2.47.3", true}, {"3.0.0", true}} {
		t.Run(c.version, func(t *testing.T) {
			e := newEnv(t)
			e.r2 = versionRunner{e.r, c.version}
			out := e.run(t, Options{})
			got, _ := readOrNil(t, e.gitconfig())
			want := ""
			for _, u := range gitconfig.URLPatterns() {
				want += "[credential \"" + u + "\"]\n\thelper = \n\thelper = codecommit\n\tUseHttpPath = true\n"
				if c.want {
					want += "[http \"" + u + "\"]\n\tproactiveAuth = basic\n"
				}
			}
			want += "[protocol \"codecommit\"]\n\tallow = always\n"
			if string(got) != want {
				t.Fatalf("config:\n%s\nwant:\n%s", got, want)
			}
			if c.want != strings.Contains(out, "set http.https://git-codecommit.*.amazonaws.com.proactiveAuth basic\n") {
				t.Errorf("output:\n%s", out)
			}
			if out := e.run(t, Options{}); !strings.Contains(out, "already configured") {
				t.Errorf("second run: %q", out)
			}
			// --undo removes it even when the git in use is older.
			e.r2 = versionRunner{e.r, "2.30.2"}
			e.run(t, Options{Undo: true})
			if after, _ := readOrNil(t, e.gitconfig()); len(after) != 0 {
				t.Errorf("after --undo: %q", after)
			}

			repo := filepath.Join(e.home, "repo")
			if _, err := e.r.Git(context.Background(), "init", "-q", repo); err != nil {
				t.Fatal(err)
			}
			const url = "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo"
			if err := configureLocal(context.Background(), versionRunner{gitexec.Exec{Proc: &proc.Proc{Environ: e.env, Git: "git"}, Dir: repo}, c.version}, url, "dev", ""); err != nil {
				t.Fatal(err)
			}
			local := e.getAll(t, []string{"--file", filepath.Join(repo, ".git", "config")}, "http."+url+".proactiveAuth")
			if c.want != (len(local) == 1 && local[0] == "basic") {
				t.Errorf("clone --https config http.%s.proactiveAuth = %q", url, local)
			}
		})
	}
}

// commit replaces nothing when another git wrote the file after setup read
// it, and leaves no lock behind.
func TestCommitRefusesAChangedFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(p, []byte("[user]\n\tname = Other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := commit(context.Background(), p, []byte("[user]\n\tname = Before\n"), []byte("ours\n"), 0o644)
	if !errors.Is(err, errChanged) {
		t.Fatalf("commit over a changed file: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "[user]\n\tname = Other\n" {
		t.Fatalf("the other git's change was lost: %q", b)
	}
	if _, err := os.Stat(p + ".lock"); err == nil {
		t.Fatal("lock left behind")
	}
	if err := commit(context.Background(), p, []byte("[user]\n\tname = Other\n"), []byte("ours\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "ours\n" {
		t.Fatalf("not written: %q", b)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
}
