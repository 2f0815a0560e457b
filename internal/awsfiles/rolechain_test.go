package awsfiles

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/credcache"
)

func TestRoleChainKeys(t *testing.T) {
	dir := t.TempDir()
	f := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	cfg := "[profile top]\nrole_arn = arn:aws:iam::1:role/top\nsource_profile = mid\nduration_seconds = 3600\n" +
		"[profile mid]\nrole_arn = arn:aws:iam::1:role/mid\nsource_profile = keys\nmfa_serial = arn:aws:iam::1:mfa/u\n" +
		"[profile loop]\nrole_arn = arn:aws:iam::1:role/loop\nsource_profile = loop\n"
	if err := os.WriteFile(f.Config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.Credentials, []byte("[keys]\naws_access_key_id = AKIA1\naws_secret_access_key = s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for profile, want := range map[string][]credcache.Key{
		"top":  {{RoleARN: "arn:aws:iam::1:role/top", DurationSeconds: 3600}, {RoleARN: "arn:aws:iam::1:role/mid", SerialNumber: "arn:aws:iam::1:mfa/u"}},
		"keys": nil,
		"loop": {{RoleARN: "arn:aws:iam::1:role/loop"}},
	} {
		got, err := RoleChainKeys(f, profile)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v %v, want %v", profile, got, err, want)
		}
	}
	if _, err := RoleChainKeys(f, "nosuch"); err == nil {
		t.Error("a missing profile is not an error")
	}
}
