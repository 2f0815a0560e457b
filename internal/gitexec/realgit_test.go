package gitexec

import (
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestConfigEnvWithRealGit checks both configuration routes against the git
// on this machine: GIT_CONFIG_PARAMETERS alone (what git before 2.31 reads)
// and both together (what later git reads): either way the helper chain
// comes out reset, then ours.
func TestConfigEnvWithRealGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	helper := `!f() { test "$1" = get || exit 0; cat <&9; }; f`
	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GIT_CONFIG_NOSYSTEM=1"}
	both, err := ConfigEnv(base, []KV{{"credential.helper", ""}, {"credential.helper", helper}})
	if err != nil {
		t.Fatal(err)
	}
	var paramsOnly []string
	for _, kv := range both {
		if !strings.HasPrefix(kv, "GIT_CONFIG_COUNT=") && !strings.HasPrefix(kv, "GIT_CONFIG_KEY_") && !strings.HasPrefix(kv, "GIT_CONFIG_VALUE_") {
			paramsOnly = append(paramsOnly, kv)
		}
	}
	for v, env := range map[string][]string{"parameters only": paramsOnly, "both": both} {
		cmd := exec.CommandContext(context.Background(), "git", "config", "--get-all", "credential.helper")
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %v route: %v", v, err)
		}
		// git's rule: an empty value resets the list of helpers.
		all := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		var chain []string
		for _, h := range all {
			if h == "" {
				chain = nil
				continue
			}
			chain = append(chain, h)
		}
		if all[0] != "" || !reflect.DeepEqual(chain, []string{helper}) {
			t.Errorf("%s: credential.helper values %q give the chain %q", v, all, chain)
		}
	}
}

// TestHeaderConfigWithRealGit: git reads the header configuration as one
// http.extraHeader whose Basic credential decodes to the username and
// password as given, session token characters included.
func TestHeaderConfigWithRealGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	c := Credential{Username: "ASIAEXAMPLE%Fwo/dGV+zdA==", Password: "20260101T000000Z0123abcd"}
	f := filepath.Join(t.TempDir(), "header")
	if err := os.WriteFile(f, c.HeaderConfig(), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(context.Background(), "git", "config", "--file", f, "--get-all", "http.extraHeader")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GIT_CONFIG_NOSYSTEM=1"}
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	v, ok := strings.CutPrefix(strings.TrimSuffix(string(out), "\n"), "Authorization: Basic ")
	if !ok || strings.Contains(v, "\n") {
		t.Fatalf("http.extraHeader = %q, want one Authorization: Basic header", out)
	}
	dec, err := base64.StdEncoding.DecodeString(v)
	if err != nil || string(dec) != c.Username+":"+c.Password {
		t.Fatalf("Basic credential decodes to %q (%v), want %q", dec, err, c.Username+":"+c.Password)
	}
}
