package version_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
	"github.com/gitcodecommit/git-codecommit/internal/version"
)

func TestMain(m *testing.M) { gittest.Main(m) }

func run(t *testing.T, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin"}
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return o.String(), e.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), 0
}

// TestVersionFlag: --version of each program prints its name, release,
// our mark, commit and Go version, exits 0; -h and --help print usage.
func TestVersionFlag(t *testing.T) {
	dir := gittest.Binaries(t)
	for _, prog := range gittest.Programs {
		bin := filepath.Join(dir, prog)
		out, errOut, code := run(t, bin, "--version")
		if code != 0 || errOut != "" || !strings.HasPrefix(out, prog+" ") || !strings.Contains(out, version.Mark) || !strings.Contains(out, runtime.Version()) {
			t.Errorf("%s --version: exit %d, stdout %q, stderr %q", prog, code, out, errOut)
		}
		for _, h := range []string{"-h", "--help"} {
			out, errOut, code := run(t, bin, h)
			if code != 0 || errOut != "" || !strings.Contains(out, "usage: ") {
				t.Errorf("%s %s: exit %d, stdout %q, stderr %q", prog, h, code, out, errOut)
			}
		}
	}
}

// TestHelperUnknownFlag: a wrong flag is echoed as typed, not as Go's
// "flag provided but not defined: -bogus".
func TestHelperUnknownFlag(t *testing.T) {
	_, errOut, code := run(t, filepath.Join(gittest.Binaries(t), "git-credential-codecommit"), "--bogus", "get")
	if code != 2 || !strings.HasPrefix(errOut, "git-credential-codecommit: unknown flag: --bogus; usage: ") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestVersionJSON: git codecommit version --json keeps its schema.
func TestVersionJSON(t *testing.T) {
	out, errOut, code := run(t, filepath.Join(gittest.Binaries(t), "git-codecommit"), "version", "--json")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if v["version"] != float64(1) || v["release"] == "" || v["go"] != runtime.Version() {
		t.Errorf("schema: %v", v)
	}
	for _, k := range []string{"version", "program", "release", "commit", "modified", "go"} {
		if _, ok := v[k]; !ok {
			t.Errorf("no field %q in %s", k, out)
		}
	}
}
