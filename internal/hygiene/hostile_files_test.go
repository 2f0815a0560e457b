//go:build unix

package hygiene_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// hostileKinds are the special files every file the toolset reads is tried
// with, and what the one-line error must say about each.
var hostileKinds = []struct{ name, want string }{
	{"/dev/zero", "not a regular file (device)"},
	{"FIFO", "not a regular file (FIFO)"},
	{"directory", "not a regular file (directory)"},
	{"100 MB file", "larger than 4 MiB"},
}

// plantHostile makes path the kind of file named.
func plantHostile(t *testing.T, kind, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	os.Remove(path)
	var err error
	switch kind {
	case "/dev/zero":
		err = os.Symlink("/dev/zero", path)
	case "FIFO":
		err = syscall.Mkfifo(path, 0o600)
	case "directory":
		err = os.Mkdir(path, 0o700)
	case "100 MB file":
		var f *os.File
		if f, err = os.Create(path); err == nil {
			err = f.Truncate(100 << 20) // sparse
			f.Close()
		}
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestHostileFiles points each file a helper reads (the AWS config and
// credentials files, a web identity token file, an IAM Identity Center
// token cache entry) at /dev/zero, a FIFO, a directory and a 100 MB file:
// git fails with one line naming the file and what is wrong, and no Go
// fatal error or goroutine dump (the guard of gittest catches a hang).
func TestHostileFiles(t *testing.T) {
	t.Parallel() // its own HOME, server and temporary directories
	files := []struct {
		name    string
		profile string
		plant   func(e *gittest.Env, dir string) string // returns the path to make hostile
	}{
		{"AWS_CONFIG_FILE", "dev", func(e *gittest.Env, dir string) string {
			p := filepath.Join(dir, "config")
			e.Setenv("AWS_CONFIG_FILE", p)
			return p
		}},
		{"AWS_SHARED_CREDENTIALS_FILE", "dev", func(e *gittest.Env, dir string) string {
			p := filepath.Join(dir, "credentials")
			e.Setenv("AWS_SHARED_CREDENTIALS_FILE", p)
			return p
		}},
		{"web_identity_token_file", "webid", func(e *gittest.Env, dir string) string {
			p := filepath.Join(dir, "token")
			e.AppendAWSConfig("\n[profile webid]\nrole_arn = arn:aws:iam::111122223333:role/demo\nweb_identity_token_file = " + p + "\nregion = us-east-1\n")
			return p
		}},
		{"SSO token cache", "sso", func(e *gittest.Env, dir string) string {
			e.AppendAWSConfig("\n[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = dev\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.example.invalid/start\nsso_region = us-east-1\n")
			e.Setenv("AWS_ENDPOINT_URL_SSO", "https://127.0.0.1:1")
			return awsfiles.SSOTokenPath(e.Home, "corp")
		}},
	}
	for _, f := range files {
		for _, k := range hostileKinds {
			t.Run(f.name+"/"+k.name, func(t *testing.T) {
				e := gittest.New(t)
				path := f.plant(e, t.TempDir())
				plantHostile(t, k.name, path)
				stderr := e.Git("ls-remote", "codecommit://"+f.profile+"@demo").MustFail()
				checkHostileLine(t, stderr, "git-remote-codecommit: ", path+": "+k.want)

				res := e.RunIn(e.Work, "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n",
					"git-credential-codecommit", "--profile", f.profile, "get")
				if res.Code == 0 || strings.Contains(res.Stdout, "password=") {
					t.Fatalf("credential helper answered: exit %d\n%s", res.Code, res.Stdout)
				}
				checkHostileLine(t, res.Stderr, "git-credential-codecommit: ", path+": "+k.want)
			})
		}
	}
}

func checkHostileLine(t *testing.T, stderr, prefix, want string) {
	t.Helper()
	if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "fatal error") || strings.Contains(stderr, "panic") {
		t.Fatalf("Go crash reached the user:\n%s", stderr)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.HasPrefix(l, prefix) {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], want) {
		t.Fatalf("want one %sline with %q, stderr:\n%s", prefix, want, stderr)
	}
}
