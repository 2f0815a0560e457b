package hygiene_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// TestHelpersLinkNoSDK guards the named credential seam (package
// credential): git starts the two helpers on every fetch and push, so they
// take their credentials through it from the provider without the SDK
// (package filecreds) and must link no AWS SDK package, not awscreds (the
// provider with it, run as git-codecommit) and not the local endpoint.
func TestHelpersLinkNoSDK(t *testing.T) {
	const mod = "github.com/gitcodecommit/git-codecommit/internal/"
	for _, prog := range gittest.Helpers {
		deps := gittest.Deps(t, prog)
		for _, dep := range deps {
			if strings.HasPrefix(dep, "github.com/aws/") || dep == mod+"localserver" || strings.HasPrefix(dep, mod+"localserver/") ||
				dep == mod+"awscreds" || strings.HasPrefix(dep, mod+"awscreds/") {
				t.Errorf("%s links %s", prog, dep)
			}
		}
		for _, want := range []string{mod + "credential", mod + "filecreds", mod + "target"} {
			if !slices.Contains(deps, want) {
				t.Errorf("%s does not go through %s", prog, want)
			}
		}
	}
}
