package gittest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// UseSSH prepares e for git over SSH and the IAM API against its server:
// AWS_ENDPOINT_URL_IAM and CODE_COMMIT_SSH_ENDPOINT point at it, the
// server's host key is in HOME/.ssh/known_hosts, and GIT_SSH_COMMAND runs
// the real OpenSSH client with HOME/.ssh/config (ssh itself reads the
// password database's home, not HOME), that known_hosts file,
// StrictHostKeyChecking=yes and BatchMode. It skips the test, saying so,
// where ssh or ssh-keygen is missing.
func (e *Env) UseSSH() {
	e.T.Helper()
	for _, p := range []string{"ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(p); err != nil {
			e.T.Skipf("%s not found: this test needs the OpenSSH client (ssh, ssh-keygen)", p)
		}
	}
	dir := filepath.Join(e.Home, ".ssh")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		e.T.Fatal(err)
	}
	known := filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(known, []byte(e.Server.KnownHostsLine()+"\n"), 0o600); err != nil {
		e.T.Fatal(err)
	}
	e.Setenv("AWS_ENDPOINT_URL_IAM", e.Server.URL())
	e.Setenv("CODE_COMMIT_SSH_ENDPOINT", e.Server.SSHHost())
	e.Setenv("GIT_SSH_COMMAND", strings.Join([]string{"ssh", "-F", e.SSHConfig(), "-o", "UserKnownHostsFile=" + known,
		"-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes"}, " "))
}

// SSHConfig is HOME/.ssh/config.
func (e *Env) SSHConfig() string { return filepath.Join(e.Home, ".ssh", "config") }
