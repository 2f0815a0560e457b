package setup_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gitconfig"
	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

func TestMain(m *testing.M) { gittest.Main(m) }

// ours returns the values of ours among the credential.<url>.helper values
// of the global config, for every pattern setup writes.
func ours(t *testing.T, e *gittest.Env) []string {
	t.Helper()
	var out []string
	for _, u := range gitconfig.URLPatterns() {
		r := e.Git("config", "--global", "--get-all", "credential."+u+".helper")
		if r.Code != 0 && r.Code != 1 {
			t.Fatalf("git config: %d %s", r.Code, r.Stderr)
		}
		for _, v := range strings.Split(strings.TrimSuffix(r.Stdout, "\n"), "\n") {
			if gitconfig.IsOurs(v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// TestSetupRunsHelperByPath: git codecommit setup writes a helper value
// that runs git-credential-codecommit by its absolute path, so git starts
// no `git credential-codecommit` wrapper (GIT_TRACE shows the helper started
// directly) and an https ls-remote works with it; a rerun replaces the form
// earlier versions wrote, keeping the user's lines, and --undo removes both
// forms.
func TestSetupRunsHelperByPath(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := gittest.New(t)
	e.Setenv("TMPDIR", t.TempDir())
	helper := filepath.Join(e.Bin, gitconfig.HelperProgram)
	gitconfigPath := filepath.Join(e.Home, ".gitconfig")
	old := "codecommit --profile dev"
	// A config as an earlier version's setup left it, with lines of the user's.
	user := "[user]\n\tname = Me\n[credential]\n\thelper = store\n"
	var b strings.Builder
	b.WriteString(user)
	for _, u := range gitconfig.URLPatterns() {
		b.WriteString("[credential \"" + u + "\"]\n\thelper = \n\thelper = " + old + "\n\tUseHttpPath = true\n")
	}
	if err := os.WriteFile(gitconfigPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	e.Git("codecommit", "setup", "--profile", "dev").Must()
	want := gitconfig.Helper{Path: helper, Profile: "dev"}.String()
	if !strings.HasPrefix(want, "/") {
		t.Fatalf("the test's binaries sit in a directory sh would need quoted: %q", want)
	}
	got := ours(t, e)
	if len(got) != len(gitconfig.URLPatterns()) {
		t.Fatalf("helper values of ours after setup: %q, want one per pattern", got)
	}
	for _, v := range got {
		if v != want {
			t.Errorf("setup wrote %q, want %q", v, want)
		}
	}
	after, err := os.ReadFile(gitconfigPath)
	if err != nil {
		t.Fatal(err)
	}
	// (then, on git 2.46 and later, the proactiveAuth sections, and the protocol's)
	wantFile := strings.ReplaceAll(b.String(), "helper = "+old+"\n", "helper = "+want+"\n")
	if !strings.HasPrefix(string(after), wantFile) {
		t.Errorf("setup did not replace the old form in place keeping every other line:\n%s\nwant:\n%s", after, wantFile)
	}

	// The value setup wrote, applied to the local endpoint's host: the
	// helper runs by its path, never through `git credential-codecommit`.
	traceFile := filepath.Join(t.TempDir(), "git-trace")
	e.Setenv("GIT_TRACE", traceFile)
	key := "credential." + e.Server.URL()
	e.Git("-c", key+".helper=", "-c", key+".helper="+got[0], "-c", key+".UseHttpPath=true", "ls-remote", e.Server.URL()+"/v1/repos/demo").Must()
	e.Unsetenv("GIT_TRACE")
	tr, err := os.ReadFile(traceFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(tr), "run_command: '"+helper+" --profile dev get'") {
		t.Errorf("git did not start %s directly; GIT_TRACE:\n%s", helper, tr)
	}
	if strings.Contains(string(tr), "git credential-codecommit") || strings.Contains(string(tr), "exec: git-credential-codecommit") {
		t.Errorf("git ran the helper through its git wrapper; GIT_TRACE:\n%s", tr)
	}

	// --undo removes both forms (one pattern given the old one back).
	u0 := "credential." + gitconfig.URLPatterns()[0] + ".helper"
	e.Git("config", "--global", "--add", u0, old).Must()
	e.Git("codecommit", "setup", "--undo").Must()
	if got := ours(t, e); len(got) != 0 {
		t.Errorf("after --undo, helper values of ours remain: %q", got)
	}
	undone, err := os.ReadFile(gitconfigPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(undone), user) || strings.Contains(string(undone), "codecommit") {
		t.Errorf("after --undo:\n%s", undone)
	}
}
