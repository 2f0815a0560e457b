package completion_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

func TestMain(m *testing.M) { gittest.Main(m) }

// gitBashCompletion is git's own bash completion, as Debian installs it.
const gitBashCompletion = "/usr/share/bash-completion/completions/git"

type env struct {
	t    *testing.T
	home string
	vars []string
}

func newEnv(t *testing.T) *env {
	home := t.TempDir()
	e := &env{t: t, home: home, vars: []string{
		"HOME=" + home, "PATH=" + gittest.Binaries(t) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "LANG=C.UTF-8",
	}}
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte("[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n[profile prod]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) run(dir, name string, args ...string) string {
	e.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env, cmd.Dir = e.vars, dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		e.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// script writes git codecommit completion SHELL to a file.
func (e *env) script(shell string) string {
	p := filepath.Join(e.home, "completion."+shell)
	if err := os.WriteFile(p, []byte(e.run(e.home, "git", "codecommit", "completion", shell)), 0o644); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// TestScriptsParse: each generated script is valid for its shell.
func TestScriptsParse(t *testing.T) {
	e := newEnv(t)
	for _, sh := range []string{"bash", "zsh", "fish"} {
		if _, err := exec.LookPath(sh); err != nil {
			t.Logf("%s is not installed: its script is not checked", sh)
			continue
		}
		if out, err := exec.Command(sh, "-n", e.script(sh)).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", sh, err, out)
		}
	}
}

// TestBashThroughGit: git's own bash completion completes `git codecommit`
// through _git_codecommit: commands, flags, profiles and remotes.
func TestBashThroughGit(t *testing.T) {
	if _, err := os.Stat(gitBashCompletion); err != nil {
		t.Skip("git's bash completion is not installed at " + gitBashCompletion)
	}
	e := newEnv(t)
	repo := filepath.Join(e.home, "repo")
	e.run(e.home, "git", "init", "-q", repo)
	e.run(repo, "git", "remote", "add", "upstream", "codecommit://demo")
	driver := `
source ` + gitBashCompletion + `
source "$1"
shift
for line in "$@"; do
	COMP_LINE="$line"; COMP_POINT=${#line}
	read -ra COMP_WORDS <<<"$line"
	[[ "$line" == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	__git_func_wrap __git_main
	echo "$line|$(printf '%s,' "${COMPREPLY[@]}")"
done
`
	cases := map[string]string{
		"git codecommit cl":                     "clone ,",
		"git codecommit clone --prof":           "--profile=,",
		"git codecommit clone --profile de":     "default ,dev ,",
		"git codecommit clone --profile=p":      "prod ,",
		"git codecommit clone --dep":            "--depth=,",
		"git codecommit doctor up":              "upstream ,",
		"git codecommit create x --remote u":    "upstream ,",
		"git codecommit list --region eu-west-": "eu-west-1 ,eu-west-2 ,eu-west-3 ,",
		"git codecommit completion f":           "fish ,",
		"git codecommit help cl":                "clone ,",
	}
	args := []string{"-c", driver, "driver", e.script("bash")}
	for line := range cases {
		args = append(args, line)
	}
	out := e.run(repo, "bash", args...)
	got := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if k, v, ok := strings.Cut(l, "|"); ok {
			got[k] = v
		}
	}
	for line, want := range cases {
		if got[line] != want {
			t.Errorf("%q<TAB> = %q, want %q\n%s", line, got[line], want, out)
		}
	}
}
