package credential_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/credential"
	"github.com/gitcodecommit/git-codecommit/internal/filecreds"
	"github.com/gitcodecommit/git-codecommit/internal/target"
)

// Both providers are the seam's.
var _ = []credential.Provider{filecreds.Provider{}, awscreds.Provider{}}

// TestProvidersAgree: given the one Target of a static-keys profile, the
// provider without the SDK (the helpers') and the one with it
// (git-codecommit's) answer the same Credentials: keys, expiry, kind and
// description. For a role profile without a cached session the one without
// the SDK answers ErrNeedsSDK, nothing else.
func TestProvidersAgree(t *testing.T) {
	home := t.TempDir()
	aws := filepath.Join(home, ".aws")
	if err := os.MkdirAll(aws, 0o700); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"config": "[profile dev]\nregion = eu-west-1\n[profile role]\nregion = eu-west-1\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = dev\n",
		"credentials": "[dev]\naws_access_key_id = AKIAEXAMPLEKEY000001\naws_secret_access_key = c2VjcmV0\n" +
			"[mfa]\naws_access_key_id = ASIAEXAMPLEKEY000002\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2999-01-01T00:00:00Z\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(aws, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// The SDK reads the process environment too: keep the developer's out.
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CA_BUNDLE"} {
		t.Setenv(v, "")
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	env := map[string]string{"HOME": home, "AWS_REGION": "us-west-2"}
	getenv := func(k string) string { return env[k] }
	providers := map[string]credential.Provider{
		"filecreds": filecreds.Provider{Env: getenv, Now: time.Now},
		"awscreds":  awscreds.Provider{Options: awscreds.Options{Env: getenv}},
	}
	for _, tc := range []struct {
		profile string
		kind    credential.Kind
		expires time.Time
	}{
		{"dev", credential.KindSharedKeys, time.Time{}},
		{"mfa", credential.KindSharedKeys, time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		tg := resolve(t, tc.profile, getenv)
		if tg.Region != "us-west-2" || tg.RegionSource != target.RegionAWSRegion {
			t.Fatalf("%s: target region %q (%v)", tc.profile, tg.Region, tg.RegionSource)
		}
		got := map[string]credential.Credentials{}
		for name, p := range providers {
			c, err := p.Retrieve(t.Context(), tg)
			if err != nil {
				t.Fatalf("%s: %s: %v", tc.profile, name, err)
			}
			got[name] = c
		}
		if got["filecreds"] != got["awscreds"] {
			t.Errorf("%s: the providers differ:\nfilecreds %+v\nawscreds  %+v", tc.profile, got["filecreds"], got["awscreds"])
		}
		if c := got["filecreds"]; c.Kind != tc.kind || !c.Expires.Equal(tc.expires) || c.SecretAccessKey == "" {
			t.Errorf("%s: kind %v, expires %v; want %v, %v", tc.profile, c.Kind, c.Expires, tc.kind, tc.expires)
		}
		if s, exp := got["filecreds"].Signing(); s.AccessKeyID != got["filecreds"].AccessKeyID || !exp.Equal(tc.expires) {
			t.Errorf("%s: Signing gives %s, %v", tc.profile, s.AccessKeyID, exp)
		}
	}
	// A role without a cached session: the helpers hand it over.
	if _, err := providers["filecreds"].Retrieve(t.Context(), resolve(t, "role", getenv)); !errors.Is(err, credential.ErrNeedsSDK) {
		t.Errorf("role without a cached session: %v, want ErrNeedsSDK", err)
	}
	// No region: both report it, filecreds by handing it over.
	delete(env, "AWS_REGION")
	tg := resolve(t, "mfa", getenv)
	if _, err := providers["filecreds"].Retrieve(t.Context(), tg); !errors.Is(err, credential.ErrNeedsSDK) {
		t.Errorf("no region, filecreds: %v, want ErrNeedsSDK", err)
	}
	if _, err := providers["awscreds"].Retrieve(t.Context(), tg); !errors.As(err, new(*target.NoRegionError)) {
		t.Errorf("no region, awscreds: %v, want *target.NoRegionError", err)
	}
}

func resolve(t *testing.T, profile string, env func(string) string) target.Target {
	t.Helper()
	tg, err := target.Resolve(target.Ref{Profile: profile}, env)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}
