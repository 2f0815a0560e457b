package gitexec

import (
	"context"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

// TestConfigEnvWithRealGit checks both configuration routes, GIT_CONFIG_COUNT
// (git 2.31+) and GIT_CONFIG_PARAMETERS (older git), against the git on this
// machine, which reads both: the helper chain comes out reset, then ours.
func TestConfigEnvWithRealGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	helper := `!f() { test "$1" = get || exit 0; cat <&9; }; f`
	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GIT_CONFIG_NOSYSTEM=1"}
	for _, v := range []Version{{2, 20, 0}, {2, 39, 0}} {
		env, err := ConfigEnv(base, v, helperConfig(helper))
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.CommandContext(context.Background(), "git", "config", "--get-all", "credential.helper")
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %v route: %v", v, err)
		}
		if got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n"); !reflect.DeepEqual(got, []string{"", helper}) {
			t.Errorf("git %v route: credential.helper = %q", v, got)
		}
	}
}
