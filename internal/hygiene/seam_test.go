package hygiene_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestHelpersLinkNoSDK guards the seam between the SDK-free half of the
// helpers (package awsfiles: static keys and fresh cached roles) and the
// SDK half (package awscreds, run as git-codecommit): git starts the two
// helpers on every fetch and push, and they must link no AWS SDK package
// and not the local endpoint.
func TestHelpersLinkNoSDK(t *testing.T) {
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
			if strings.HasPrefix(dep, "github.com/aws/") || strings.HasSuffix(dep, "/internal/localserver") ||
				strings.HasSuffix(dep, "/internal/awscreds") {
				t.Errorf("%s links %s", prog, dep)
			}
		}
	}
}
