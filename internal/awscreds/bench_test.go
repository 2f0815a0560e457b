package awscreds

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gitcodecommit/git-codecommit/internal/target"
)

// BenchmarkResolveStaticProfile is the credential resolution of every git
// command with a static-keys profile: resolve the target, read the shared files, load the SDK
// configuration, retrieve the keys.
func BenchmarkResolveStaticProfile(b *testing.B) {
	home := b.TempDir()
	aws := filepath.Join(home, ".aws")
	if err := os.MkdirAll(aws, 0o700); err != nil {
		b.Fatal(err)
	}
	const key = "AKIAIOSFODNN7EXAMPLE"
	files := map[string]string{
		"config":      "[default]\nregion = us-west-2\n\n[profile bench]\nregion = us-east-1\n",
		"credentials": "[default]\naws_access_key_id = AKIADEFAULTEXAMPLE00\naws_secret_access_key = default\n\n[bench]\naws_access_key_id = " + key + "\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(aws, name), []byte(content), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	// The SDK reads the process environment too: keep the developer's out.
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CA_BUNDLE"} {
		b.Setenv(v, "")
	}
	b.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	env := map[string]string{"HOME": home}
	getenv := func(k string) string { return env[k] }
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		t, err := target.Resolve(target.Ref{Profile: "bench"}, getenv)
		if err != nil {
			b.Fatal(err)
		}
		r, err := Resolve(ctx, Options{Target: t, Env: getenv})
		if err != nil {
			b.Fatal(err)
		}
		if r.Credentials.AccessKeyID != key || r.Region != "us-east-1" {
			b.Fatalf("resolved key %s region %s", r.Credentials.AccessKeyID, r.Region)
		}
	}
}
