package repoapi

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/localserver"
)

// env starts a local endpoint with a repository "demo" and resolves its
// default profile.
func env(t *testing.T) (*localserver.Server, *awscreds.Result) {
	t.Helper()
	s, err := localserver.Start(t.Context(), localserver.Config{Dir: t.TempDir(), Repos: []string{"demo"}, CertDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	home := t.TempDir()
	vars := map[string]string{"HOME": home}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"} {
		t.Setenv(k, "") // the SDK reads the process environment too
	}
	for _, kv := range s.ClientEnv() {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
		t.Setenv(k, v)
	}
	r, err := awscreds.Resolve(t.Context(), awscreds.Options{Env: func(k string) string { return vars[k] }})
	if err != nil {
		t.Fatal(err)
	}
	return s, r
}

func TestRepositoryOperations(t *testing.T) {
	s, r := env(t)
	ctx := t.Context()
	created, err := Create(ctx, r, "tools", "the tools")
	if err != nil {
		t.Fatal(err)
	}
	if created.Name != "tools" || created.Description != "the tools" || created.ID == "" || created.Account != s.Account() {
		t.Errorf("created %+v", created)
	}
	if want := fmt.Sprintf("arn:aws:codecommit:%s:%s:tools", s.Region(), s.Account()); created.ARN != want || created.Region() != s.Region() {
		t.Errorf("ARN %q region %q, want %q", created.ARN, created.Region(), want)
	}
	var exists *awscreds.RepositoryNameExistsError
	if _, err := Create(ctx, r, "tools", ""); !errors.As(err, &exists) || exists.Name != "tools" || exists.Hint() == "" {
		t.Errorf("create again: %v, want RepositoryNameExistsError", err)
	}
	got, err := Get(ctx, r, "tools")
	if err != nil || got.ID != created.ID || !strings.HasSuffix(got.CloneURLHTTP, "/v1/repos/tools") {
		t.Errorf("get: %+v, %v", got, err)
	}
	list, err := List(ctx, r)
	if err != nil || len(list) != 2 || list[0].Name != "demo" || list[1].Name != "tools" {
		t.Errorf("list: %+v, %v", list, err)
	}
	id, err := Delete(ctx, r, "tools")
	if err != nil || id != created.ID {
		t.Errorf("delete: %q, %v; want id %s", id, err, created.ID)
	}
	var missing *awscreds.RepositoryDoesNotExistError
	if _, err := Get(ctx, r, "tools"); !errors.As(err, &missing) || missing.Region != s.Region() {
		t.Errorf("get deleted: %v, want RepositoryDoesNotExistError", err)
	}
	if _, err := Delete(ctx, r, "tools"); !errors.As(err, &missing) {
		t.Errorf("delete deleted: %v, want RepositoryDoesNotExistError", err)
	}
}

func TestUnknownKey(t *testing.T) {
	s, _ := env(t)
	cred := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(cred, []byte("[default]\naws_access_key_id = AKIAUNKNOWNUNKNOWN12\naws_secret_access_key = wrong\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"HOME": t.TempDir(), "AWS_SHARED_CREDENTIALS_FILE": cred, "AWS_REGION": s.Region()}
	r, err := awscreds.Resolve(t.Context(), awscreds.Options{Env: func(k string) string { return vars[k] }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Get(t.Context(), r, "demo")
	var bad *awscreds.InvalidCredentialsError
	if !errors.As(err, &bad) || bad.WrongSecret() || bad.Code != "UnrecognizedClientException" {
		t.Fatalf("unknown key: %v, want InvalidCredentialsError (UnrecognizedClientException)", err)
	}
}
