package gittest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
)

// SSOToken is the access token WriteSSOToken caches; a fake portal checks
// it in the x-amz-sso_bearer_token header.
const SSOToken = "fixture-access-token"

// WriteSSOToken writes the IAM Identity Center token cache entry for key
// (an sso_session name or a legacy start URL) under home
// (awsfiles.SSOTokenPath), valid until expires, for
// the start URL https://corp.example.invalid/start in us-east-1.
func WriteSSOToken(t testing.TB, home, key string, expires time.Time) {
	t.Helper()
	p := awsfiles.SSOTokenPath(home, key)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]string{"accessToken": SSOToken, "expiresAt": expires.UTC().Format(time.RFC3339), "region": "us-east-1", "startUrl": "https://corp.example.invalid/start"})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
