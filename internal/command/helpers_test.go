package command_test

import (
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// TestHelpersLinkNoFlagLibrary: the command framework and its flag library
// stay out of git's two helpers, which git starts on every operation.
func TestHelpersLinkNoFlagLibrary(t *testing.T) {
	for _, prog := range gittest.Helpers {
		for _, dep := range gittest.Deps(t, prog) {
			if dep == "github.com/spf13/pflag" || strings.HasSuffix(dep, "/internal/command") {
				t.Errorf("%s links %s", prog, dep)
			}
		}
	}
}
