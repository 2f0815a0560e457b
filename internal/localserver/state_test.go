package localserver

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
)

func TestPersistentServerLocksAndKeepsState(t *testing.T) {
	t.Parallel() // its own server and temporary directories
	root := t.TempDir()
	cfg := Config{Dir: filepath.Join(root, "repos"), CertDir: filepath.Join(root, "state"), Persist: true, Repos: []string{"demo"}}
	s1, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s1.Close()

	// A second server on the same directory refuses, naming the first.
	if s, err := Start(context.Background(), cfg); err == nil {
		s.Close()
		t.Fatal("a second server started on the same directory")
	} else if !errors.Is(err, ErrDirInUse) || !strings.Contains(err.Error(), s1.URL()) || strings.Contains(err.Error(), "\n") {
		t.Errorf("second server: %v; want one line naming %s", err, s1.URL())
	}

	ts := &testServer{Server: s1, t: t, log: &syncBuffer{}}
	env := ts.gitEnv()
	work := t.TempDir()
	ts.mustGit(work, env, "init", "-q", "-b", "main")
	ts.mustGit(work, env, "commit", "-q", "--allow-empty", "-m", "x")
	ts.mustGit(work, env, "push", "-q", ts.signedURL(ts.creds(), "demo"), "main")
	clone := filepath.Join(t.TempDir(), "clone")
	ts.mustGit("", env, "clone", "-q", ts.signedURL(ts.creds(), "demo"), clone)
	sess, err := s1.IssueSession(s1.Users()[0].AccessKeyID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	u0 := s1.Users()[0]
	cr, err := ts.iamClient(u0.AccessKeyID, u0.SecretAccessKey, "").CreateServiceSpecificCredential(context.Background(), &iam.CreateServiceSpecificCredentialInput{UserName: aws.String(u0.Name), ServiceName: aws.String(CodeCommitService)})
	if err != nil {
		t.Fatal(err)
	}
	gitUser, gitPass := aws.ToString(cr.ServiceSpecificCredential.ServiceUserName), aws.ToString(cr.ServiceSpecificCredential.ServicePassword)
	ca1, _ := os.ReadFile(s1.CAFile())
	host, sshHost, hostKey, user := s1.Host(), s1.SSHHost(), s1.SSHHostKey(), s1.Users()[0]
	s1.Close()

	s2, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	ca2, _ := os.ReadFile(s2.CAFile())
	if s2.Host() != host || s2.SSHHost() != sshHost || s2.SSHHostKey() != hostKey || string(ca2) != string(ca1) {
		t.Errorf("restart changed host %s->%s, ssh %s->%s, host key or CA (same: %v)", host, s2.Host(), sshHost, s2.SSHHost(), string(ca2) == string(ca1))
	}
	if u := s2.Users()[0]; u.AccessKeyID != user.AccessKeyID || u.SecretAccessKey != user.SecretAccessKey {
		t.Errorf("restart changed the user's keys")
	}
	// Yesterday's clone fetches with the same CA file; yesterday's
	// session still signs.
	ts2 := &testServer{Server: s2, t: t, log: &syncBuffer{}}
	ts2.mustGit(clone, env, "fetch", "-q", ts2.signedURL(ts2.creds(), "demo"))
	tc := sigv4.Credentials{AccessKeyID: sess.AccessKeyID, SecretAccessKey: sess.SecretAccessKey, SessionToken: sess.SessionToken}
	if code, body := ts2.signedGet(tc, "us-east-1", time.Now(), "demo", "git-upload-pack"); code != 200 {
		t.Errorf("last run's session: %d %q", code, body)
	}
	if code, body := ts2.gitGet(gitUser, gitPass, "demo", "git-upload-pack"); code != 200 {
		t.Errorf("last run's Git credentials: %d %q", code, body)
	}
}
