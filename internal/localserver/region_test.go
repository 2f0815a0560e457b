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
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	cctypes "github.com/aws/aws-sdk-go-v2/service/codecommit/types"

	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
)

// signedURLIn is signedURL with the signature scoped to region.
func (ts *testServer) signedURLIn(region, repo string) string {
	sg := sigv4.Sign(ts.creds(), sigv4.Request{Region: region, Host: ts.Host(), Path: "/v1/repos/" + repo}, time.Now())
	return "https://" + sigv4.QuoteUsername(sg.Username) + ":" + sg.Password + "@" + ts.Host() + "/v1/repos/" + repo
}

func TestRepositoriesPerRegion(t *testing.T) {
	t.Parallel() // its own server and temporary directories
	ts := start(t, Config{})
	ctx := context.Background()
	u := ts.Users()[0]
	eu := codecommit.NewFromConfig(ts.awsConfig("eu-west-1", u.AccessKeyID, u.SecretAccessKey, ""))
	us := codecommit.NewFromConfig(ts.awsConfig("us-east-1", u.AccessKeyID, u.SecretAccessKey, ""))

	out, err := eu.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("x1")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.RepositoryMetadata.Arn); got != "arn:aws:codecommit:eu-west-1:111122223333:x1" {
		t.Errorf("ARN %s", got)
	}
	if _, err := os.Stat(filepath.Join(ts.Dir(), "@eu-west-1", "x1", "HEAD")); err != nil {
		t.Errorf("x1 is not kept under eu-west-1: %v", err)
	}
	// Seen from us-east-1, x1 shows its own region (one endpoint serves
	// them all, so the mismatch can be told).
	g, err := us.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String("x1")})
	if err != nil || aws.ToString(g.RepositoryMetadata.Arn) != "arn:aws:codecommit:eu-west-1:111122223333:x1" {
		t.Errorf("x1 from us-east-1: %v %+v", err, g)
	}
	_, err = us.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String("nowhere")})
	var missing *cctypes.RepositoryDoesNotExistException
	if !errors.As(err, &missing) {
		t.Errorf("missing repository: %v", err)
	}
	if _, err := us.DeleteRepository(ctx, &codecommit.DeleteRepositoryInput{RepositoryName: aws.String("x1")}); err != nil || !ts.repoExists("eu-west-1", "x1") {
		t.Errorf("a delete in us-east-1 reached x1 in eu-west-1: %v", err)
	}
	if _, err := us.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("home")}); err != nil {
		t.Fatal(err)
	}
	for c, want := range map[*codecommit.Client]string{eu: "x1", us: "home"} {
		l, err := c.ListRepositories(ctx, &codecommit.ListRepositoriesInput{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range l.Repositories {
			got = append(got, aws.ToString(r.RepositoryName))
		}
		if strings.Join(got, ",") != want {
			t.Errorf("list in %s = %v, want %s", c.Options().Region, got, want)
		}
	}

	// git signed for eu-west-1 reaches x1; signed for us-east-1 it does not.
	env := ts.gitEnv()
	work := t.TempDir()
	ts.mustGit(work, env, "init", "-q", "-b", "main")
	ts.mustGit(work, env, "commit", "-q", "--allow-empty", "-m", "x")
	ts.mustGit(work, env, "push", "-q", ts.signedURLIn("eu-west-1", "x1"), "main")
	ts.mustGit("", env, "clone", "-q", ts.signedURLIn("eu-west-1", "x1"), filepath.Join(t.TempDir(), "c"))
	if _, stderr, err := ts.git("", env, "ls-remote", ts.signedURLIn("us-east-1", "x1")); err == nil || !strings.Contains(stderr, "repository x1 does not exist (it is in region eu-west-1)") {
		t.Errorf("x1 reached with a us-east-1 signature: %v %s", err, stderr)
	}
	g, err = eu.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String("x1")})
	if err != nil || aws.ToString(g.RepositoryMetadata.DefaultBranch) != "main" {
		t.Errorf("after push: %v %+v", err, g)
	}
}

func TestAutoCreateOnlyOnPush(t *testing.T) {
	t.Parallel() // its own server and temporary directories
	ts := start(t, Config{AutoCreate: true})
	env := ts.gitEnv()
	if _, _, err := ts.git("", env, "ls-remote", ts.signedURL(ts.creds(), "typo")); err == nil {
		t.Error("ls-remote of a missing repository succeeded")
	}
	if _, _, err := ts.git("", env, "clone", "-q", ts.signedURL(ts.creds(), "typo2"), filepath.Join(t.TempDir(), "c")); err == nil {
		t.Error("clone of a missing repository succeeded")
	}
	for _, n := range []string{"typo", "typo2"} {
		if ts.repoExists("us-east-1", n) {
			t.Errorf("a read created %s", n)
		}
	}
	work := t.TempDir()
	ts.mustGit(work, env, "init", "-q", "-b", "main")
	ts.mustGit(work, env, "commit", "-q", "--allow-empty", "-m", "x")
	ts.mustGit(work, env, "push", "-q", ts.signedURL(ts.creds(), "fresh"), "main")
	ts.mustGit(work, env, "push", "-q", ts.signedURLIn("eu-west-2", "abroad"), "main")
	if !ts.repoExists("us-east-1", "fresh") || !ts.repoExists("eu-west-2", "abroad") {
		t.Error("a push did not create its repository in its region")
	}
}
