package hygiene_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gitconfig"
	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

const userGitconfig = "# mine\n[user]\n\tname = Me\n[credential]\n\thelper = store\n"

// helperValues returns the credential.<url>.helper values of the global
// config for each pattern setup writes, as git reads them.
func helperValues(t *testing.T, e *gittest.Env) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, u := range gitconfig.URLPatterns() {
		r := e.Git("config", "--global", "--get-all", "credential."+u+".helper")
		if r.Code != 0 && r.Code != 1 {
			t.Fatalf("git config: %d %s", r.Code, r.Stderr)
		}
		if r.Stdout != "" {
			out[u] = strings.Split(strings.TrimSuffix(r.Stdout, "\n"), "\n")
		}
	}
	return out
}

func writeGitconfig(t *testing.T, e *gittest.Env, s string) string {
	t.Helper()
	p := filepath.Join(e.Home, ".gitconfig")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestParallelSetup: eight setups at once all succeed (no git config lock
// failure) and end with the file one run writes.
func TestParallelSetup(t *testing.T) {
	t.Parallel() // its own HOME, server and temporary directories
	e := gittest.New(t)
	e.Setenv("TMPDIR", t.TempDir())
	path := writeGitconfig(t, e, userGitconfig)
	var wg sync.WaitGroup
	results := make([]gittest.Result, 8)
	for i := range results {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = e.Run("git-codecommit", "setup", "--global") }()
	}
	wg.Wait()
	for _, r := range results {
		r.Must()
	}
	got := read(t, path)
	writeGitconfig(t, e, userGitconfig)
	e.Run("git-codecommit", "setup", "--global").Must()
	if want := read(t, path); got != want {
		t.Fatalf("after parallel runs:\n%s\nwant (one run):\n%s", got, want)
	}
	if _, err := os.Stat(path + ".lock"); err == nil {
		t.Error("a lock file was left behind")
	}
}

// TestSetupKilledMidway: setup killed (SIGKILL) before git commands spread
// over its run leaves the global config either as it was or fully set up, never a
// helper reset without our helper, and the next setup succeeds.
func TestSetupKilledMidway(t *testing.T) {
	t.Parallel() // its own HOME, server and temporary directories
	e := gittest.New(t)
	e.Setenv("TMPDIR", t.TempDir())
	realGit, err := exec.LookPath("git")
	if err != nil {
		t.Fatal(err)
	}
	wrap := t.TempDir()
	count := filepath.Join(wrap, "count")
	script := "#!/bin/sh\nn=$(cat " + count + " 2>/dev/null || echo 0)\nn=$((n+1))\necho $n > " + count +
		"\nif [ \"$n\" = \"$KILL_AT\" ]; then kill -9 $PPID; exit 1; fi\nexec " + realGit + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(wrap, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	path := writeGitconfig(t, e, userGitconfig)
	e.Run("git-codecommit", "setup", "--global").Must()
	done := read(t, path)
	pathEnv := e.Getenv("PATH")
	// Kill points spread over the whole run (each one costs a run).
	for kill := 1; ; kill += 1 + kill/3 {
		writeGitconfig(t, e, userGitconfig)
		os.Remove(count)
		e.Setenv("KILL_AT", fmt.Sprint(kill))
		e.Setenv("PATH", wrap+string(os.PathListSeparator)+pathEnv)
		r := e.Run("git-codecommit", "setup", "--global")
		e.Setenv("PATH", pathEnv)
		got := read(t, path)
		if got != userGitconfig && got != done {
			t.Fatalf("killed before git command %d: the config is neither as it was nor set up:\n%s", kill, got)
		}
		if r.Code == 0 {
			if kill < 3 {
				t.Fatalf("setup was never killed (exit 0 at %d)", kill)
			}
			break
		}
		if kill == 1 {
			e.Run("git-codecommit", "setup", "--global").Must()
			if got := read(t, path); got != done {
				t.Fatalf("setup after a kill at %d:\n%s", kill, got)
			}
		}
	}
	if vals := helperValues(t, e); len(vals) != len(gitconfig.URLPatterns()) {
		t.Fatalf("helpers after the last run: %q", vals)
	}
}

// TestSetupProfileNames: setup takes the profile names the credential
// helper takes (any name the AWS files can hold), and the helper line it
// writes works end to end, quoted where git's shell would read it. A profile that does not exist is
// refused as clone refuses it, and --local outside a repository is one line.
func TestSetupProfileNames(t *testing.T) {
	t.Parallel() // its own HOME, server and temporary directories
	e := gittest.New(t)
	e.Setenv("TMPDIR", t.TempDir())
	seedRepo(t, e, 1)
	dev := e.Server.Users()[0]
	path := writeGitconfig(t, e, userGitconfig)
	url := "https://" + e.Server.Host() + "/v1/repos/demo"
	for _, name := range []string{"team@x", "org/dev", "dev.2+a=b,c", "it's a $(touch pwned) `x`"} {
		e.AppendAWSCredentials("[" + name + "]\naws_access_key_id = " + dev.AccessKeyID + "\naws_secret_access_key = " + dev.SecretAccessKey)
		e.AppendAWSConfig("[profile " + name + "]\nregion = us-east-1")
		r := e.Run("git-codecommit", "setup", "--global", "--profile", name)
		helper := e.RunIn(e.Work, "protocol=https\nhost="+e.Server.Host()+"\npath=v1/repos/demo\n\n", "git-credential-codecommit", "--profile", name, "get")
		if r.Code != 0 {
			// Every one of these is a valid AWS profile name (package names).
			t.Errorf("%s: setup refused it:\n%s", name, r.Stderr)
			continue
		}
		if helper.Code != 0 {
			t.Errorf("%s: setup wrote a profile the helper refuses:\n%s", name, helper.Stderr)
		}
		// The value setup wrote, applied to the local endpoint's host.
		vals := helperValues(t, e)[gitconfig.URLPatterns()[0]]
		value := vals[len(vals)-1]
		if h, ok := gitconfig.ParseHelper(value); !ok || h.Profile != name {
			t.Errorf("%s: setup wrote %q", name, value)
		}
		key := "credential.https://" + e.Server.Host()
		e.Git("-c", key+".helper=", "-c", key+".helper="+value, "-c", key+".UseHttpPath=true", "ls-remote", url).Must()
	}

	if _, err := os.Stat(filepath.Join(e.Work, "pwned")); err == nil {
		t.Error("the shell ran a command from a profile name")
	}
	writeGitconfig(t, e, userGitconfig)
	stderr := e.Run("git-codecommit", "setup", "--global", "--profile", "nosuch").MustFail()
	if !strings.Contains(stderr, `profile "nosuch" not found`) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("--profile nosuch:\n%s", stderr)
	}
	stderr = e.Run("git-codecommit", "setup", "--local").MustFail()
	if !strings.Contains(stderr, "setup --local: not inside a git repository") || strings.Contains(stderr, "rev-parse") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("--local outside a repository:\n%s", stderr)
	}
	if read(t, path) != userGitconfig {
		t.Error("a refused setup changed the config")
	}
}
