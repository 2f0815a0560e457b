package awscreds

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/target"
)

// TestEnvironmentKeysBeatAWSProfile: with keys in the environment, a role
// profile chosen by AWS_PROFILE gives the region only (as in the AWS CLI);
// named explicitly, its role is assumed.
func TestEnvironmentKeysBeatAWSProfile(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	text := "[profile role]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = base\nregion = eu-west-1\n" +
		"[profile base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n"
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": dir, "AWS_CONFIG_FILE": cfg, "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_PROFILE": "role", "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "e"}
	o := Options{Env: func(k string) string { return env[k] }}
	r, err := Resolve(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if r.Credentials.AccessKeyID != "AKIAENV" || r.RoleARN != "" || !strings.HasPrefix(r.Source, "environment variables") ||
		r.Profile != "role" || r.ProfileSource != target.ProfileAWSProfile || r.Region != "eu-west-1" ||
		r.Shadowed != "assume role arn:aws:iam::111122223333:role/r from profile base" {
		t.Errorf("AWS_PROFILE=role with environment keys: key %s, role %q, source %q, profile %s (%s), region %s, set aside %q",
			r.Credentials.AccessKeyID, r.RoleARN, r.Source, r.Profile, r.ProfileSource, r.Region, r.Shadowed)
	}
	o.Target = named(o, "role")
	r, err = Setup(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if r.RoleARN == "" || r.Source != "assume role arn:aws:iam::111122223333:role/r from profile base" || r.Shadowed != "" {
		t.Errorf("profile role named explicitly: role %q, source %q, set aside %q", r.RoleARN, r.Source, r.Shadowed)
	}
	// A profile with only a region sets nothing aside.
	if err := os.WriteFile(cfg, []byte("[profile role]\nregion = eu-west-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o.Target = target.Target{}
	if r, err = Setup(context.Background(), o); err != nil || r.Shadowed != "" {
		t.Errorf("region-only profile: %v, set aside %q", err, r.Shadowed)
	}
}
