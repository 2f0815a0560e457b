package sshkeys_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

func TestMain(m *testing.M) { gittest.Main(m) }

var keyIDRe = regexp.MustCompile(`APKA[A-Z0-9]{16}`)

// cloneAndPush clones url, commits and pushes, and checks the push arrived.
func cloneAndPush(t *testing.T, e *gittest.Env, url, dir string) {
	t.Helper()
	e.Git("clone", "-q", url, dir).Must()
	e.Commit(dir, "f.txt", dir+"\n")
	e.GitIn(dir, "push", "-q", "origin", "HEAD:main").Must()
	if out := e.Git("ls-remote", url).Must(); !strings.Contains(out, "refs/heads/main") {
		t.Fatalf("ls-remote after push:\n%s", out)
	}
}

func TestSSHSetupGenerateCloneAndPushUndo(t *testing.T) {
	e := gittest.New(t)
	e.UseSSH()
	// A config with global lines, a Host * block and no final newline.
	orig := "# mine\nServerAliveInterval 30\n\nHost *\n  User someoneelse\n  AddKeysToAgent yes"
	if err := os.WriteFile(e.SSHConfig(), []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}

	out := e.Run("git", "codecommit", "ssh", "setup", "--generate").Must()
	id := keyIDRe.FindString(out)
	if id == "" || !strings.Contains(out, "generated a 4096-bit RSA key pair") || !strings.Contains(out, "uploaded") {
		t.Fatalf("setup output:\n%s", out)
	}
	priv := filepath.Join(e.Home, ".ssh", "codecommit_rsa")
	if fi, err := os.Stat(priv); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("private key: %v %v", fi, err)
	}
	cfg, _ := os.ReadFile(e.SSHConfig())
	for _, want := range []string{"Host git-codecommit.*.amazonaws.com 127.0.0.1\n", "  User " + id + "\n", "  IdentityFile " + priv + "\n", "  IdentitiesOnly yes\n", "  Port "} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("~/.ssh/config lacks %q:\n%s", want, cfg)
		}
	}
	if !strings.HasPrefix(string(cfg), "# mine\nServerAliveInterval 30\n\n# git codecommit ssh setup: begin") || !strings.HasSuffix(string(cfg), "Host *\n  User someoneelse\n  AddKeysToAgent yes") {
		t.Errorf("the block is not before the first Host line, or other lines changed:\n%s", cfg)
	}
	if fi, _ := os.Stat(e.SSHConfig()); fi.Mode().Perm() != 0o644 {
		t.Errorf("~/.ssh/config mode %v, want the file's own 0644", fi.Mode().Perm())
	}

	// A second run changes nothing.
	out = e.Run("git", "codecommit", "ssh", "setup", "--generate").Must()
	if !strings.Contains(out, "reusing SSH key "+id) || !strings.Contains(out, "nothing to change") {
		t.Errorf("second run:\n%s", out)
	}
	if again, _ := os.ReadFile(e.SSHConfig()); string(again) != string(cfg) {
		t.Errorf("second run changed ~/.ssh/config:\n%s", again)
	}

	// url --ssh gives the CODE_COMMIT_SSH_ENDPOINT URL; the public host
	// name reaches the same server through the block's HostName/Port.
	url := strings.TrimSpace(e.Run("git", "codecommit", "url", "--ssh", "demo").Must())
	if url != "ssh://"+e.Server.SSHHost()+"/v1/repos/demo" {
		t.Fatalf("url --ssh = %q", url)
	}
	cloneAndPush(t, e, url, e.Path("one"))
	cloneAndPush(t, e, "ssh://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo", e.Path("two"))
	e.Run("git", "codecommit", "clone", "--ssh", "demo", e.Path("three")).Must()
	if got := strings.TrimSpace(e.GitIn(e.Path("three"), "remote", "get-url", "origin").Must()); got != url {
		t.Errorf("clone --ssh remote %q", got)
	}

	if out := e.Run("git", "codecommit", "ssh", "list").Must(); !strings.Contains(out, id) || !strings.Contains(out, "Active") || !strings.Contains(out, "in ~/.ssh/config") {
		t.Errorf("ssh list:\n%s", out)
	}

	// --dry-run --undo changes nothing; --undo restores the file byte for
	// byte and deletes the key it uploaded.
	e.Run("git", "codecommit", "ssh", "setup", "--undo", "--dry-run").Must()
	if again, _ := os.ReadFile(e.SSHConfig()); string(again) != string(cfg) {
		t.Errorf("--dry-run changed ~/.ssh/config")
	}
	out = e.Run("git", "codecommit", "ssh", "setup", "--undo").Must()
	if !strings.Contains(out, "deleted SSH key "+id) {
		t.Errorf("undo output:\n%s", out)
	}
	if got, _ := os.ReadFile(e.SSHConfig()); string(got) != orig {
		t.Errorf("--undo left:\n%q\nwant:\n%q", got, orig)
	}
	if out := e.Run("git", "codecommit", "ssh", "list").Must(); strings.Contains(out, id) {
		t.Errorf("key still listed after --undo:\n%s", out)
	}
	if _, err := os.Stat(priv); err != nil {
		t.Errorf("--undo removed the key pair: %v", err)
	}
}

func TestSSHSetupExistingKey(t *testing.T) {
	e := gittest.New(t)
	e.UseSSH()
	key := filepath.Join(e.Home, ".ssh", "id_rsa")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	out := e.Run("git", "codecommit", "ssh", "setup").Must()
	id := keyIDRe.FindString(out)
	if id == "" {
		t.Fatalf("setup output:\n%s", out)
	}
	cloneAndPush(t, e, "ssh://"+e.Server.SSHHost()+"/v1/repos/demo", e.Path("c"))

	// Deleting the key from IAM and running setup again uploads it anew.
	e.Run("git", "codecommit", "ssh", "delete", id).Must()
	if r := e.Git("ls-remote", "ssh://"+e.Server.SSHHost()+"/v1/repos/demo"); r.Code == 0 || !strings.Contains(r.Stderr, "Permission denied (publickey)") {
		t.Fatalf("ls-remote with a deleted key: %d\n%s", r.Code, r.Stderr)
	}
	out = e.Run("git", "codecommit", "ssh", "setup").Must()
	if id2 := keyIDRe.FindString(out); id2 == "" || id2 == id {
		t.Fatalf("setup after delete:\n%s", out)
	}
	e.Git("ls-remote", "ssh://"+e.Server.SSHHost()+"/v1/repos/demo").Must()

	// The config did not exist: --undo removes it.
	e.Run("git", "codecommit", "ssh", "setup", "--undo").Must()
	if _, err := os.Stat(e.SSHConfig()); !os.IsNotExist(err) {
		t.Errorf("~/.ssh/config after --undo: %v", err)
	}
}

func TestSSHSetupRefusals(t *testing.T) {
	e := gittest.New(t)
	e.UseSSH()
	key := filepath.Join(e.Home, ".ssh", "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	stderr := e.Run("git", "codecommit", "ssh", "setup", "--key", key+".pub").MustFail()
	if strings.Count(strings.TrimSpace(stderr), "\n") > 1 || !strings.Contains(stderr, "ssh-ed25519") || !strings.Contains(stderr, "--generate") {
		t.Errorf("ed25519 key:\n%s", stderr)
	}
	short := filepath.Join(e.Home, ".ssh", "short")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "rsa", "-b", "1024", "-N", "", "-f", short).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	stderr = e.Run("git", "codecommit", "ssh", "setup", "--key", short).MustFail()
	if !strings.Contains(stderr, "1024 bits") {
		t.Errorf("1024-bit key:\n%s", stderr)
	}

	r := e.Run("git", "codecommit", "ssh", "setup", "--generate", "--profile", "role")
	stderr = r.MustFail()
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) > 2 || !strings.Contains(stderr, "SSH keys need an IAM user") || !strings.Contains(stderr, "git codecommit clone --profile role") {
		t.Errorf("role profile:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(e.Home, ".ssh", "codecommit_rsa")); err == nil {
		t.Errorf("a key was generated for a role profile")
	}
	if _, err := os.Stat(e.SSHConfig()); err == nil {
		t.Errorf("~/.ssh/config written for a role profile")
	}
}
