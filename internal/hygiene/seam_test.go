package hygiene_test

import (
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// TestHelpersLinkNoSDK guards the seam between the SDK-free half of the
// helpers (package awsfiles: static keys and fresh cached roles) and the
// SDK half (package awscreds, run as git-codecommit): git starts the two
// helpers on every fetch and push, and they must link no AWS SDK package
// and not the local endpoint.
func TestHelpersLinkNoSDK(t *testing.T) {
	for _, prog := range gittest.Helpers {
		for _, dep := range gittest.Deps(t, prog) {
			if strings.HasPrefix(dep, "github.com/aws/") || strings.HasSuffix(dep, "/internal/localserver") ||
				strings.HasSuffix(dep, "/internal/awscreds") {
				t.Errorf("%s links %s", prog, dep)
			}
		}
	}
}
