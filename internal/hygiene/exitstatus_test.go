package hygiene_test

import (
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// TestGitExitStatusPassesThrough: git's own exit status comes through the
// remote helper unchanged (ls-remote --exit-code exits 2 when no ref
// matches, and 0 when one does).
func TestGitExitStatusPassesThrough(t *testing.T) {
	t.Parallel() // its own HOME, server and temporary directories
	e := gittest.New(t)
	seedRepo(t, e, 1)
	for _, remote := range []string{"codecommit://dev@demo", "codecommit://role@demo"} {
		if r := e.Git("ls-remote", "--exit-code", remote, "refs/heads/nonexistent"); r.Code != 2 {
			t.Errorf("ls-remote --exit-code %s of a missing ref: exit %d, want 2\n%s", remote, r.Code, r.Stderr)
		}
		e.Git("ls-remote", "--exit-code", remote, "refs/heads/main").Must()
	}
}
