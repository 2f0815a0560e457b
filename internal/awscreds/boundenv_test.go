package awscreds

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/credential"
)

// boundEnv is used by tests built on every platform (session_cause_test.go),
// so it lives apart from the Unix-only bounds tests.

// boundEnv writes config and returns Options over a fresh HOME, with the
// given bounds made short: the tests check that each source ends with a
// *TimeoutError naming it, not how long that takes.
func boundEnv(t *testing.T, config string, extra map[string]string) Options {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": dir, "AWS_CONFIG_FILE": cfg, "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials")}
	for k, v := range extra {
		env[k] = v
	}
	short := 300 * time.Millisecond
	return Options{
		Env:    func(k string) string { return env[k] },
		Bounds: map[credential.Kind]time.Duration{credential.KindContainer: short, credential.KindInstanceMetadata: short, credential.KindSTS: short, credential.KindProcess: short, credential.KindSSO: short, credential.KindWebIdentity: short, credential.KindLogin: short},
	}
}
