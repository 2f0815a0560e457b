package setup

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

const fakeHelper = `#!/bin/sh
echo "$*" >> "$HOME/helper-argv"
cat > /dev/null
for action; do :; done # git passes the action last
if [ "$action" = get ]; then
	printf 'username=u\npassword=p\n'
fi
`

// credential runs "git credential <action>" with input on stdin.
func (e *testEnv) credential(t *testing.T, action, input string) string {
	t.Helper()
	cmd := exec.Command("git", "credential", action)
	cmd.Env, cmd.Dir = e.env, e.home
	cmd.Stdin = strings.NewReader(input)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("git credential %s: %v\nstderr:\n%s", action, err, stderr.String())
	}
	return stdout.String()
}

// TestGitCredentialMachinery checks the property setup exists for: with
// a global store helper, git never stores or reads CodeCommit passwords
// through it, but still does for other hosts, and git reaches our helper.
func TestGitCredentialMachinery(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t)
	if err := os.WriteFile(filepath.Join(e.bin, "git-credential-codecommit"), []byte(fakeHelper), 0o755); err != nil {
		t.Fatal(err)
	}
	store := filepath.Join(e.home, "store")
	// A stale CodeCommit entry in the store must never be returned.
	if err := os.WriteFile(store, []byte("https://u:fromstore@git-codecommit.us-east-1.amazonaws.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := e.r.Git(context.Background(), "config", "--global", "credential.helper", "store --file="+store); err != nil {
		t.Fatal(err)
	}
	// Control: without setup, the store helper does keep CodeCommit passwords.
	e.credential(t, "approve", "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\nusername=u\npassword=pre-setup\n\n")
	if b, _ := os.ReadFile(store); !bytes.Contains(b, []byte("pre-setup")) {
		t.Fatalf("control failed: store did not save:\n%s", b)
	}
	e.run(t, Options{Profile: "dev"})

	cc := "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n"
	e.credential(t, "approve", cc+"username=u\npassword=secret-cc\n\n")
	if b, _ := os.ReadFile(store); bytes.Contains(b, []byte("secret-cc")) {
		t.Fatalf("store helper saw the CodeCommit password:\n%s", b)
	}
	e.credential(t, "approve", "protocol=https\nhost=example.com\nusername=me\npassword=secret-ex\n\n")
	if b, _ := os.ReadFile(store); !bytes.Contains(b, []byte("https://me:secret-ex@example.com")) {
		t.Fatalf("store helper no longer works for other hosts:\n%s", b)
	}

	out := e.credential(t, "fill", cc+"\n")
	if !strings.Contains(out, "username=u\n") || !strings.Contains(out, "password=p\n") {
		t.Fatalf("fill did not use our helper:\n%s", out)
	}
	if !strings.Contains(out, "path=v1/repos/demo\n") {
		t.Errorf("UseHttpPath not in effect:\n%s", out)
	}
	argv, err := os.ReadFile(filepath.Join(e.home, "helper-argv"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(argv), "--profile dev store\n--profile dev get\n"; got != want {
		t.Fatalf("helper argv log %q, want %q", got, want)
	}
	// China partition too.
	out = e.credential(t, "fill", "protocol=https\nhost=git-codecommit.cn-north-1.amazonaws.com.cn\npath=v1/repos/x\n\n")
	if !strings.Contains(out, "password=p\n") {
		t.Fatalf("fill for .com.cn did not use our helper:\n%s", out)
	}
}

// TestConfigureLocalRepoMachinery checks that the per-remote local
// configuration written for "clone --https" takes over from a global
// store helper for exactly that remote.
func TestConfigureLocalRepoMachinery(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t)
	if err := os.WriteFile(filepath.Join(e.bin, "git-credential-codecommit"), []byte(fakeHelper), 0o755); err != nil {
		t.Fatal(err)
	}
	store := filepath.Join(e.home, "store")
	ctx := context.Background()
	if _, err := e.r.Git(ctx, "config", "--global", "credential.helper", "store --file="+store); err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join(e.home, "repo")
	if _, err := e.r.Git(ctx, "init", "-q", repo); err != nil {
		t.Fatal(err)
	}
	url := "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo"
	if err := configureLocal(ctx, gitexec.Exec{Proc: &proc.Proc{Environ: e.env, Git: "git"}, Dir: repo}, url, "prod", "us-east-1"); err != nil {
		t.Fatal(err)
	}
	in := &testEnv{home: repo, env: e.env}
	out := in.credential(t, "fill", "url="+url+"\n\n")
	if !strings.Contains(out, "password=p\n") {
		t.Fatalf("fill did not use our helper:\n%s", out)
	}
	in.credential(t, "approve", "url="+url+"\nusername=u\npassword=secret-local\n\n")
	if b, _ := os.ReadFile(store); bytes.Contains(b, []byte("secret-local")) {
		t.Fatalf("store helper saw the password:\n%s", b)
	}
	argv, _ := os.ReadFile(filepath.Join(e.home, "helper-argv"))
	if got, want := string(argv), "--profile prod --region us-east-1 get\n--profile prod --region us-east-1 store\n"; got != want {
		t.Fatalf("helper argv %q, want %q", got, want)
	}
}

// TestEveryHostFormIsOurs: for each host form the credential helper answers
// (regular, FIPS, China, VPC endpoint, FIPS VPC endpoint), git asks our
// helper and a global store helper never saves nor answers.
func TestEveryHostFormIsOurs(t *testing.T) {
	t.Parallel() // its own HOME and server
	e := newEnv(t)
	if err := os.WriteFile(filepath.Join(e.bin, "git-credential-codecommit"), []byte(fakeHelper), 0o755); err != nil {
		t.Fatal(err)
	}
	store := filepath.Join(e.home, "store")
	if _, err := e.r.Git(context.Background(), "config", "--global", "credential.helper", "store --file="+store); err != nil {
		t.Fatal(err)
	}
	e.run(t, Options{})
	for _, host := range []string{
		"git-codecommit.us-east-1.amazonaws.com",
		"git-codecommit-fips.us-gov-west-1.amazonaws.com",
		"git-codecommit.cn-north-1.amazonaws.com.cn",
		"vpce-0123456789abcdef0-abcdefgh.git-codecommit.eu-west-1.vpce.amazonaws.com",
		"vpce-0123456789abcdef0-abcdefgh-eu-west-1a.git-codecommit.eu-west-1.vpce.amazonaws.com",
		"vpce-0123456789abcdef0-abcdefgh.git-codecommit-fips.us-east-2.vpce.amazonaws.com",
		"vpce-0123456789abcdef0-abcdefgh.git-codecommit.cn-north-1.vpce.amazonaws.com.cn",
	} {
		os.Remove(filepath.Join(e.home, "helper-argv"))
		req := "protocol=https\nhost=" + host + "\npath=v1/repos/demo\n"
		e.credential(t, "approve", req+"username=u\npassword=secret-"+host+"\n\n")
		if b, _ := os.ReadFile(store); bytes.Contains(b, []byte(host)) {
			t.Errorf("%s: the store helper saved the password:\n%s", host, b)
		}
		out := e.credential(t, "fill", req+"\n")
		if !strings.Contains(out, "password=p\n") || !strings.Contains(out, "path=v1/repos/demo\n") {
			t.Errorf("%s: fill did not use our helper with the path:\n%s", host, out)
		}
		if argv, _ := os.ReadFile(filepath.Join(e.home, "helper-argv")); string(argv) != "store\nget\n" {
			t.Errorf("%s: helper argv %q", host, argv)
		}
	}
}
