package awscreds

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/localserver"
	"github.com/gitcodecommit/git-codecommit/internal/localserver/faults"
	"github.com/gitcodecommit/git-codecommit/internal/target"
)

// apiEnv starts a local endpoint and returns Options for its AWS files.
func apiEnv(t *testing.T) (*localserver.Server, Options) {
	t.Helper()
	s, err := localserver.Start(t.Context(), localserver.Config{Dir: t.TempDir(), Repos: []string{"demo"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	dir := t.TempDir()
	cfgFile, credFile, err := s.WriteAWSFiles(filepath.Join(dir, ".aws"))
	if err != nil {
		t.Fatal(err)
	}
	// The SDK reads these from the process environment.
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_ENDPOINT_URL_STS", s.URL())
	t.Setenv("AWS_ENDPOINT_URL_CODECOMMIT", s.URL())
	t.Setenv("AWS_CA_BUNDLE", s.CAFile())
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	env := map[string]string{"HOME": dir, "AWS_CONFIG_FILE": cfgFile, "AWS_SHARED_CREDENTIALS_FILE": credFile}
	return s, Options{Env: func(k string) string { return env[k] }}
}

func resolve(t *testing.T, o Options) *Result {
	t.Helper()
	r, err := Resolve(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCallerIdentity(t *testing.T) {
	s, o := apiEnv(t)
	id, err := resolve(t, o).CallerIdentity(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if id.Account != s.Account() || id.ARN != s.Users()[0].ARN {
		t.Errorf("identity %+v, want account %s arn %s", id, s.Account(), s.Users()[0].ARN)
	}
}

func TestAPIWrongSecretAndUnknownKey(t *testing.T) {
	s, o := apiEnv(t)
	key := s.Users()[0].AccessKeyID
	cred := o.Env("AWS_SHARED_CREDENTIALS_FILE")
	write := func(id, secret string) {
		t.Helper()
		if err := os.WriteFile(cred, []byte("[default]\naws_access_key_id = "+id+"\naws_secret_access_key = "+secret+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(key, "wrongwrongwrongwrongwrongwrongwrongwrong")
	_, err := resolve(t, o).CallerIdentity(t.Context())
	var bad *InvalidCredentialsError
	if !errors.As(err, &bad) || !bad.WrongSecret() {
		t.Fatalf("wrong secret: %v, want InvalidCredentialsError with WrongSecret", err)
	}
	if strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), key[len(key)-4:]) {
		t.Errorf("error %q must show the key only as its last four characters", err)
	}
	write("AKIAUNKNOWNUNKNOWN12", "wrongwrongwrongwrongwrongwrongwrongwrong")
	_, err = resolve(t, o).CallerIdentity(t.Context())
	if !errors.As(err, &bad) || bad.WrongSecret() {
		t.Fatalf("unknown key: %v, want InvalidCredentialsError without WrongSecret", err)
	}
}

func TestAPIExpiredSession(t *testing.T) {
	s, o := apiEnv(t)
	sess, err := s.IssueSession(s.Users()[0].AccessKeyID, 0)
	if err != nil {
		t.Fatal(err)
	}
	cred := o.Env("AWS_SHARED_CREDENTIALS_FILE")
	text := fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n", sess.AccessKeyID, sess.SecretAccessKey, sess.SessionToken)
	if err := os.WriteFile(cred, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	r := resolve(t, o)
	if _, err := r.CallerIdentity(t.Context()); err != nil {
		t.Fatalf("fresh session: %v", err)
	}
	f := faults.New(s)
	s.SetHooks(f)
	f.ExpireSessionTokens()
	_, err = r.CallerIdentity(t.Context())
	var exp *ExpiredTokenError
	if !errors.As(err, &exp) || exp.Profile != "default" {
		t.Fatalf("expired session: %v, want ExpiredTokenError", err)
	}
	if strings.Contains(err.Error()+exp.Hint(), sess.SessionToken) || strings.Contains(err.Error(), sess.SecretAccessKey) {
		t.Error("error carries a secret")
	}
}

func TestAPIErrorMapping(t *testing.T) {
	r := &Result{Target: target.Target{Profile: "p", Region: "eu-west-1"}}
	for code, want := range map[string]any{
		"AccessDeniedException":           &AccessDeniedError{},
		"AccessDenied":                    &AccessDeniedError{},
		"RepositoryDoesNotExistException": &RepositoryDoesNotExistError{},
		"RepositoryNameExistsException":   &RepositoryNameExistsError{},
		"UnrecognizedClientException":     &InvalidCredentialsError{},
		"InvalidSignatureException":       &InvalidCredentialsError{},
		"ExpiredTokenException":           &ExpiredTokenError{},
		"ThrottlingException":             &APIError{},
	} {
		err := r.APIError(context.Background(), "codecommit:GetRepository", "demo", &smithy.GenericAPIError{Code: code, Message: "m"})
		if fmt.Sprintf("%T", err) != fmt.Sprintf("%T", want) {
			t.Errorf("%s: %T, want %T", code, err, want)
		}
		if failure.Hint(err) == "" {
			t.Errorf("%s: no hint", code)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.APIError(ctx, "op", "", errors.New("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
