package command

import (
	"os/exec"
	"strings"
	"testing"
)

// TestHelpersLinkNoFlagLibrary: the command framework and its flag library
// stay out of git's two helpers, which git starts on every operation.
func TestHelpersLinkNoFlagLibrary(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	for _, prog := range []string{"git-remote-codecommit", "git-credential-codecommit"} {
		out, err := exec.Command(gobin, "list", "-deps", "../../cmd/"+prog).Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == "github.com/spf13/pflag" || strings.HasSuffix(dep, "/internal/command") {
				t.Errorf("%s links %s", prog, dep)
			}
		}
	}
}
