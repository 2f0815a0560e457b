package gittest

import (
	"os/exec"
	"strings"
	"testing"
)

// Helpers are git's two helpers, which git starts on every fetch and push,
// so what they link costs every git command.
var Helpers = []string{"git-remote-codecommit", "git-credential-codecommit"}

// Deps returns the packages command prog (a directory under cmd/) links,
// as go list -deps gives them; without the go command it skips the test.
func Deps(t testing.TB, prog string) []string {
	t.Helper()
	return strings.Fields(GoList(t, "-deps", "github.com/gitcodecommit/git-codecommit/cmd/"+prog))
}

// GoList is the output of `go list args...`; without the go command it
// skips the test.
func GoList(t testing.TB, args ...string) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	out, err := exec.Command(gobin, append([]string{"list"}, args...)...).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}
