package filecreds

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/credcache"
	"github.com/gitcodecommit/git-codecommit/internal/credential"
	"github.com/gitcodecommit/git-codecommit/internal/target"
)

// static is what TestResolveStatic compares: the target's profile, region
// and FIPS, with their sources, and the key id.
type static struct {
	Profile       string
	ProfileSource target.ProfileSource
	Region        string
	RegionSource  target.RegionSource
	FIPS          bool
	FIPSSource    target.FIPSSource
	AccessKeyID   string
}

// retrieve resolves profile and region as the helpers do: the one Target,
// then the provider without the SDK; ok is false on credential.ErrNeedsSDK.
func retrieve(t *testing.T, env func(string) string, profile, region string, cache *credcache.Cache, now time.Time) (target.Target, credential.Credentials, bool) {
	t.Helper()
	tg, err := target.Resolve(target.Ref{Profile: profile, Region: region}, env)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Provider{Env: env, Cache: cache, Now: func() time.Time { return now }}.Retrieve(t.Context(), tg)
	if errors.Is(err, credential.ErrNeedsSDK) {
		return tg, c, false
	}
	if err != nil {
		t.Fatalf("Retrieve: %v", err)
	}
	return tg, c, true
}

const keys = "aws_access_key_id = AKIAEXAMPLEKEY000001\naws_secret_access_key = s3cret/+=\n"

func TestResolveStatic(t *testing.T) {
	for _, tc := range []struct {
		name, config, creds string
		env                 map[string]string
		profile, region     string
		ok                  bool
		want                static // the fields compared: profile, region, FIPS and key id, with sources
	}{
		{name: "profile from url", config: "[profile dev]\nregion = eu-west-1\nca_bundle = /x\n", creds: "[dev]\n" + keys, profile: "dev", ok: true,
			want: static{Profile: "dev", ProfileSource: target.ProfileNamed, Region: "eu-west-1", RegionSource: target.RegionProfile, AccessKeyID: "AKIAEXAMPLEKEY000001"}},
		{name: "keys in the config file, fips", config: "[default]\nregion = us-west-2\nuse_fips_endpoint = true\n" + keys, ok: true,
			want: static{Profile: "default", ProfileSource: target.ProfileDefault, Region: "us-west-2", RegionSource: target.RegionProfile, FIPS: true, FIPSSource: target.FIPSProfile, AccessKeyID: "AKIAEXAMPLEKEY000001"}},
		{name: "environment keys, region from url", env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s"}, region: "ap-south-1", ok: true,
			want: static{Profile: "default", ProfileSource: target.ProfileDefault, Region: "ap-south-1", RegionSource: target.RegionGiven, AccessKeyID: "AKIAENV"}},
		{name: "environment keys beat AWS_PROFILE, which gives the region", config: "[profile dev]\nregion = eu-north-1\n", creds: "[dev]\n" + keys, env: map[string]string{"AWS_PROFILE": "dev", "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s"}, ok: true,
			want: static{Profile: "dev", ProfileSource: target.ProfileAWSProfile, Region: "eu-north-1", RegionSource: target.RegionProfile, AccessKeyID: "AKIAENV"}},
		// Issue 13 item 1: the environment's region beats the profile's,
		// as in botocore and aws-sdk-go-v2.
		{name: "AWS_REGION beats the profile's region", config: "[profile dev]\nregion = eu-north-1\n", creds: "[dev]\n" + keys, profile: "dev", env: map[string]string{"AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "us-west-1"}, ok: true,
			want: static{Profile: "dev", ProfileSource: target.ProfileNamed, Region: "us-east-2", RegionSource: target.RegionAWSRegion, AccessKeyID: "AKIAEXAMPLEKEY000001"}},
		{name: "AWS_DEFAULT_REGION beats the profile's region", config: "[profile dev]\nregion = eu-north-1\n", creds: "[dev]\n" + keys, profile: "dev", env: map[string]string{"AWS_DEFAULT_REGION": "US-WEST-1"}, ok: true,
			want: static{Profile: "dev", ProfileSource: target.ProfileNamed, Region: "us-west-1", RegionSource: target.RegionAWSDefaultRegion, AccessKeyID: "AKIAEXAMPLEKEY000001"}},
		// Issue 13 item 2: AWS_DEFAULT_PROFILE beats AWS_PROFILE, as in botocore.
		{name: "AWS_DEFAULT_PROFILE beats AWS_PROFILE", config: "[profile dev]\nregion = eu-north-1\n[profile other]\nregion = us-east-1\n", creds: "[dev]\n" + keys + "[other]\n" + keys, env: map[string]string{"AWS_PROFILE": "other", "AWS_DEFAULT_PROFILE": "dev"}, ok: true,
			want: static{Profile: "dev", ProfileSource: target.ProfileAWSDefaultProfile, Region: "eu-north-1", RegionSource: target.RegionProfile, AccessKeyID: "AKIAEXAMPLEKEY000001"}},
		{name: "environment keys beside an AWS_PROFILE role: left to awscreds", config: "[profile dev]\nregion = us-east-1\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n", creds: "[default]\n" + keys, env: map[string]string{"AWS_PROFILE": "dev", "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s"}},
		{name: "a profile in the URL beats environment keys", creds: "[dev]\n" + keys, profile: "dev", env: map[string]string{"AWS_REGION": "us-east-2", "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s"}, ok: true,
			want: static{Profile: "dev", ProfileSource: target.ProfileNamed, Region: "us-east-2", RegionSource: target.RegionAWSRegion, AccessKeyID: "AKIAEXAMPLEKEY000001"}},
		// Issue 13 item 6: half a key pair in the environment is awscreds'
		// "partial credentials", not the profile's keys.
		{name: "partial environment keys: left to awscreds", config: "[default]\nregion = us-east-1\n", creds: "[default]\n" + keys, env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIAENV"}},
		{name: "partial environment keys, profile in the URL", config: "[profile dev]\nregion = us-east-1\n", creds: "[dev]\n" + keys, profile: "dev", env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIAENV"}, ok: true,
			want: static{Profile: "dev", ProfileSource: target.ProfileNamed, Region: "us-east-1", RegionSource: target.RegionProfile, AccessKeyID: "AKIAEXAMPLEKEY000001"}},
		{name: "role", config: "[profile dev]\nregion = us-east-1\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n", creds: "[default]\n" + keys, profile: "dev"},
		{name: "sso", config: "[profile dev]\nregion = us-east-1\nsso_session = s\n", profile: "dev"},
		{name: "no region", creds: "[dev]\n" + keys, profile: "dev"},
		{name: "missing profile", creds: "[dev]\n" + keys, profile: "other", region: "us-east-1"},
		{name: "no keys: default chain", config: "[default]\nregion = us-east-1\n"},
		{name: "nested setting", config: "[profile dev]\nregion = us-east-1\ns3 =\n  addressing_style = path\n", creds: "[dev]\n" + keys, profile: "dev"},
		{name: "inline comment", config: "[profile dev]\nregion = us-east-1 # home\n", creds: "[dev]\n" + keys, profile: "dev"},
		{name: "quoted value", config: "[profile dev]\nregion = \"us-east-1\"\n", creds: "[dev]\n" + keys, profile: "dev"},
		{name: "keys in both files", config: "[profile dev]\nregion = us-east-1\n" + keys, creds: "[dev]\n" + keys, profile: "dev"},
		{name: "partial keys", config: "[profile dev]\nregion = us-east-1\n", creds: "[dev]\naws_access_key_id = AKIA\n", profile: "dev"},
		{name: "region in the credentials file", creds: "[dev]\n" + keys + "region = us-east-1\n", profile: "dev"},
		{name: "profile default section", config: "[profile default]\nregion = us-east-1\n", creds: "[default]\n" + keys},
		{name: "default in another case in the config file", config: "[default]\nregion = us-east-1\n[DEFAULT]\nregion = us-west-2\n", creds: "[default]\n" + keys},
		{name: "default in another case in the credentials file", config: "[default]\nregion = us-east-1\n", creds: "[default]\n" + keys + "[Default]\n" + keys},
		{name: "a profile section in the credentials file", config: "[default]\nregion = us-east-1\n", creds: "[default]\n" + keys + "[profile  x]\n" + keys},
		{name: "web identity for the default profile", creds: "[default]\n" + keys, env: map[string]string{"AWS_REGION": "us-east-1", "AWS_WEB_IDENTITY_TOKEN_FILE": "/t"}},
		// Issue 13 item 9: session keys written by git codecommit mfa
		// resolve without the SDK until their expiration line.
		{name: "mfa session keys, fresh", config: "[profile dev-mfa]\nregion = us-east-1\n", creds: "[dev-mfa]\n" + keys + "aws_session_token = t\nexpiration = 2026-01-01T12:00:00Z\n", profile: "dev-mfa", ok: true,
			want: static{Profile: "dev-mfa", ProfileSource: target.ProfileNamed, Region: "us-east-1", RegionSource: target.RegionProfile, AccessKeyID: "AKIAEXAMPLEKEY000001"}},
		{name: "mfa session keys, expired: left to awscreds, which says so", config: "[profile dev-mfa]\nregion = us-east-1\n", creds: "[dev-mfa]\n" + keys + "aws_session_token = t\nexpiration = 2025-12-31T23:00:00Z\n", profile: "dev-mfa"},
		{name: "odd fips value", config: "[profile dev]\nregion = us-east-1\nuse_fips_endpoint = yes\n", creds: "[dev]\n" + keys, profile: "dev"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{"HOME": dir}
			for k, v := range tc.env {
				env[k] = v
			}
			for name, text := range map[string]string{"config": tc.config, "credentials": tc.creds} {
				if text == "" {
					continue
				}
				if err := os.MkdirAll(filepath.Join(dir, ".aws"), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, ".aws", name), []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			tg, st, ok := retrieve(t, func(k string) string { return env[k] }, tc.profile, tc.region, nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tc.ok, st)
			}
			if !ok {
				return
			}
			got := static{Profile: tg.Profile, ProfileSource: tg.ProfileSource, Region: tg.Region, RegionSource: tg.RegionSource, FIPS: tg.FIPS, FIPSSource: tg.FIPSSource, AccessKeyID: st.AccessKeyID}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if tc.name == "mfa session keys, fresh" && !st.Expires.Equal(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)) {
				t.Errorf("Expires = %v, want the expiration line", st.Expires)
			}
			if st.SecretAccessKey == "" {
				t.Error("no secret key")
			}
		})
	}
}

// TestCachedCredentialSourceRole: a credential_source role whose credentials
// are fresh in the CLI cache resolves here, described as awscreds describes
// it; anything the SDK would reject or read otherwise is declined.
func TestCachedCredentialSourceRole(t *testing.T) {
	const arn = "arn:aws:iam::111122223333:role/r"
	dir := t.TempDir()
	cache := credcache.ForHome(dir, time.Now, nil)
	key := credcache.Key{RoleARN: arn, SerialNumber: "arn:aws:iam::1:mfa/u"}
	if err := cache.Put(key, credcache.Credentials{AccessKeyID: "ASIACACHED", SecretAccessKey: "s", SessionToken: "t", Expiration: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string { return map[string]string{"HOME": dir}[k] }
	for _, tc := range []struct {
		name, profile string
		ok            bool
	}{
		{"[profile p]\nrole_arn = " + arn + "\ncredential_source = EcsContainer\nmfa_serial = arn:aws:iam::1:mfa/u\nregion = us-east-1\n", "p", true},
		{"[profile p]\nrole_arn = " + arn + "\ncredential_source = ecscontainer\nmfa_serial = arn:aws:iam::1:mfa/u\nregion = us-east-1\n", "p", false},
		{"[profile p]\nrole_arn = " + arn + "\ncredential_source = EcsContainer\nsource_profile = q\nmfa_serial = arn:aws:iam::1:mfa/u\nregion = us-east-1\n[profile q]\n" + keys, "p", false},
		{"[profile p]\nrole_arn = " + arn + "\ncredential_source = Environment\nregion = us-east-1\n", "p", false}, // another cache key: not cached
	} {
		if err := os.WriteFile(filepath.Join(dir, ".aws", "config"), []byte(tc.name), 0o600); err != nil {
			t.Fatal(err)
		}
		_, st, ok := retrieve(t, env, tc.profile, "", cache, time.Now())
		if ok != tc.ok {
			t.Errorf("%q: ok = %v, want %v", tc.name, ok, tc.ok)
			continue
		}
		want := "assume role " + arn + " from EcsContainer [AssumeRole (cached " + key.FileName() + ")]"
		if ok && (st.AccessKeyID != "ASIACACHED" || st.Source != want) {
			t.Errorf("%q: key %s, source %q; want ASIACACHED, %q", tc.name, st.AccessKeyID, st.Source, want)
		}
	}
}

// Issue 17: looking a profile up in a generated config of 3,000 profiles
// copies nothing per section (lookupProfile once copied every section name
// twice): it allocates no more bytes than in a config of one profile.
// Counted, not timed.
func TestLookupDoesNotGrowWithProfiles(t *testing.T) {
	read := func(n int) (cfg, creds *awsfiles.File) {
		dir := t.TempDir()
		var b strings.Builder
		b.WriteString("[profile dev]\nregion = us-east-1\n")
		for i := range n {
			fmt.Fprintf(&b, "[profile acct%06d-AdministratorAccess]\nsso_session = org\nsso_account_id = %012d\nregion = us-east-1\n", i, 100000000000+i)
		}
		for name, text := range map[string]string{"config": b.String(), "credentials": "[dev]\n" + keys} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		l := awsfiles.Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}.Load()
		if l.Err != nil {
			t.Fatal(l.Err)
		}
		return l.Config, l.Credentials
	}
	bytesPerLookup := func(cfg, creds *awsfiles.File) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range 10 {
			if _, found, ok := lookupProfile(cfg, creds, "dev"); !found || !ok {
				t.Fatalf("lookupProfile(dev) = %v, %v", found, ok)
			}
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / 10
	}
	small, big := bytesPerLookup(read(1)), bytesPerLookup(read(3000))
	if big > small+512 {
		t.Errorf("lookupProfile: %d bytes allocated with 3,000 profiles, %d with one; want no more", big, small)
	}
}
