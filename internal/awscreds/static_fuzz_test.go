package awscreds

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/gitcodecommit/git-codecommit/internal/credcache"
	"github.com/gitcodecommit/git-codecommit/internal/credential"
	"github.com/gitcodecommit/git-codecommit/internal/filecreds"
	"github.com/gitcodecommit/git-codecommit/internal/target"
)

const roleARN = "arn:aws:iam::111122223333:role/r"

// FuzzStaticAgreesWithSDK: the two credential.Providers given the one
// Target. Whenever filecreds.Provider (the helpers' resolution without the
// SDK) answers, Provider (through the SDK) must answer the same: keys,
// expiry, source kind and description. filecreds may decline anything
// (credential.ErrNeedsSDK); it may never differ. And the Target's reading of
// the profile's region and use_fips_endpoint (target.Resolve, through
// awsfiles) is the SDK's. The environment is generated too: AWS_PROFILE,
// AWS_DEFAULT_PROFILE, AWS_REGION, AWS_DEFAULT_REGION, keys, FIPS and web
// identity, against the URL's profile and region.
func FuzzStaticAgreesWithSDK(f *testing.F) {
	dir := f.TempDir()
	cfgFile, credFile := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	f.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	f.Setenv("AWS_ENDPOINT_URL_STS", "https://127.0.0.1:1")
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"} {
		f.Setenv(k, "")
	}
	cache := credcache.ForHome(dir, time.Now, nil)
	for _, k := range []credcache.Key{{RoleARN: roleARN}, {RoleARN: roleARN, DurationSeconds: 1800}, {RoleARN: roleARN, SerialNumber: "arn:aws:iam::1:mfa/u", RoleSessionName: "s"}} {
		if err := cache.Put(k, credcache.Credentials{AccessKeyID: "ASIACACHED", SecretAccessKey: "cached", SessionToken: "cachedtoken", Expiration: time.Now().Add(24 * time.Hour)}); err != nil {
			f.Fatal(err)
		}
	}
	keys := "aws_access_key_id = AKIAEXAMPLEKEY000001\naws_secret_access_key = c2VjcmV0/c2VjcmV0+c2VjcmV0=\n"
	for _, s := range [][2]string{
		{"[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\nca_bundle = /tmp/ca.pem\n", "[default]\n" + keys + "[dev]\n" + keys + "aws_session_token = tok/en+=\n"},
		{"[profile dev]\nregion = us-west-2\nuse_fips_endpoint = true\n" + keys, ""},
		{"[profile dev]\r\nregion = us-west-2\r\n# comment\r\n; other\r\n", "[dev]\r\n" + keys},
		{"[profile dev]\nregion = us-west-2 # comment\n", "[dev]\n" + keys},
		{"[profile dev]\nregion = 'us-west-2'\n", "[dev]\n" + keys},
		{"[profile default]\nregion = eu-west-1\n[default]\nregion = us-east-1\n", "[default]\n" + keys},
		{"[Default]\nregion = eu-west-1\n", "[default]\n" + keys},
		{"[profile dev]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n", "[default]\n" + keys},
		{"[profile dev]\ns3 =\n  max_concurrent_requests = 2\nregion = us-east-1\n", "[dev]\n" + keys},
		{"[profile dev]\nregion: us-east-1\n", "[dev]\n" + keys},
		{"[profile   dev ]\nregion = us-east-1\n[ profile dev]\nregion = us-west-1\n", "[dev]\naws_access_key_id = A\n"},
		{"", "[dev]\n" + keys + "region = ap-south-1\n"},
		{"[dev]\nregion = us-east-1\n", "[profile dev]\n" + keys},
		{"[profile dev]\nregion = eu-west-1\nrole_arn = " + roleARN + "\nsource_profile = default\n", "[default]\n" + keys},
		{"[profile dev]\nrole_arn = " + roleARN + "\nsource_profile = src\nduration_seconds = 1800\n[profile src]\nregion = us-east-1\n" + keys, ""},
		{"[profile dev]\nrole_arn = " + roleARN + "\nsource_profile = default\nmfa_serial = arn:aws:iam::1:mfa/u\nrole_session_name = s\n", "[default]\n" + keys},
		{"[profile dev]\nrole_arn = " + roleARN + "\nsource_profile = dev\n" + keys, ""},
		{"[default]\nrole_arn = " + roleARN + "\nsource_profile = src\n[profile src]\n" + keys, ""},
		{"[profile dev]\nrole_arn = " + roleARN + "\ncredential_source = Environment\nregion = us-east-1\n", ""},
		{"[profile dev]\nrole_arn = " + roleARN + "\ncredential_source = EcsContainer\nmfa_serial = arn:aws:iam::1:mfa/u\nrole_session_name = s\n", ""},
		{"[profile dev]\nrole_arn = " + roleARN + "\ncredential_source = Ec2InstanceMetadata\nsource_profile = default\n", "[default]\n" + keys},
		{"[profile dev]\nrole_arn = " + roleARN + "\ncredential_source = ec2instancemetadata\nduration_seconds = 1800\n", ""},
		{"[profile dev]\nregion = us-east-1\n", "[dev]\n" + keys + "aws_session_token = t\nexpiration = 2999-01-01T00:00:00Z\n"},
		{"[profile dev]\nregion = us-east-1\n", "[dev]\n" + keys + "aws_session_token = t\nexpiration = 2001-01-01T00:00:00Z\n"},
		{"[profile dev]\nregion = us-east-1\n", "[dev]\n" + keys + "aws_session_token = t\nexpiration = soon\n"},
		{"[profile p:q]\nregion = us-east-1\n", "[p:q]\n" + keys},
		{"[profile dev]\nregion = US-EAST-1\n", "[dev]\n" + keys},
		// Indented lines as the SDK reads them: a continued value, a
		// setting of its own after a value, a line it ignores.
		{"[profile dev]\r\nregion = us-west-2\r\n\n comment\r#; other\r\n", "[dev]\r\n" + keys},
		{"[profile dev]\noutput = json\n  region = 'eu-west-1' # c\n  use_fips_endpoint = true\n", "[dev]\n" + keys},
		{"[profile dev]\n  comment\nregion = us-east-1\ns3 =\n  region = x\n", "[dev]\n" + keys + "  region = ap-south-1\n"},
	} {
		for sel := range 4 {
			f.Add(s[0], s[1], uint8(sel*37), "", "", "")
		}
	}
	// The region and profile variables as generated values: with the
	// URL's and the profile's, every order of precedence is tried.
	for _, v := range [][3]string{
		{"", "sa-east-1", ""}, {"ap-south-1", "sa-east-1", ""}, {"", "EU-WEST-3", "dev"}, {"", "", "default"},
		{"", "sa-east-1", "nope"}, {"", "", "p:q"}, {"", "", "dev\n"}, {"", "not a region", ""}, {"us-gov-west-1", "", " dev"},
	} {
		for sel := range 4 {
			f.Add("[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n[profile p:q]\n", "[default]\n"+keys+"[dev]\n"+keys+"[p:q]\n"+keys, uint8(sel*37), v[0], v[1], v[2])
		}
	}
	f.Fuzz(func(t *testing.T, cfgText, credText string, sel uint8, awsRegion, awsDefaultRegion, awsDefaultProfile string) {
		if err := os.WriteFile(cfgFile, []byte(cfgText), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(credFile, []byte(credText), 0o600); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"HOME": dir, "AWS_CONFIG_FILE": cfgFile, "AWS_SHARED_CREDENTIALS_FILE": credFile}
		profile, region := "", ""
		switch sel & 3 {
		case 1:
			profile = "dev"
		case 2:
			profile = "default"
		case 3:
			env["AWS_PROFILE"] = "dev"
		}
		if sel&4 != 0 {
			region = "us-west-1"
		}
		if sel&8 != 0 {
			env["AWS_REGION"] = "ca-central-1"
			if sel&4 != 0 {
				env["AWS_REGION"], env["AWS_DEFAULT_PROFILE"] = "", "dev" // AWS_DEFAULT_PROFILE beats AWS_PROFILE
			}
		}
		if sel&16 != 0 {
			env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = "AKIAENVIRONMENT00001", "envsecret"
		}
		if sel&32 != 0 {
			env["AWS_SESSION_TOKEN"] = "envtoken"
		}
		if sel&64 != 0 {
			env["AWS_USE_FIPS_ENDPOINT"] = "true"
		}
		if sel&128 != 0 {
			env["AWS_WEB_IDENTITY_TOKEN_FILE"] = filepath.Join(dir, "token")
		}
		for k, v := range map[string]string{"AWS_REGION": awsRegion, "AWS_DEFAULT_REGION": awsDefaultRegion, "AWS_DEFAULT_PROFILE": awsDefaultProfile} {
			if v != "" {
				env[k] = v
			}
		}
		getenv := func(k string) string { return env[k] }
		tg, err := target.Resolve(target.Ref{Profile: profile, Region: region}, getenv)
		if err != nil {
			return // a profile variable holding no valid name: both refuse it alike, before either provider
		}
		if tg.Files.Check() == nil {
			sc, err := config.LoadSharedConfigProfile(t.Context(), tg.Profile, func(o *config.LoadSharedConfigOptions) {
				o.ConfigFiles, o.CredentialsFiles = []string{cfgFile}, []string{credFile}
			})
			s := tg.Loaded.ProfileSettings(tg.Profile)
			if err == nil && (s.Region != sc.Region || s.FIPS != (sc.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled)) {
				t.Fatalf("profile %s: awsfiles reads region %q, fips %v; the SDK region %q, fips %v", tg.Profile, s.Region, s.FIPS, sc.Region, sc.UseFIPSEndpoint)
			}
		}
		fc, ferr := filecreds.Provider{Env: getenv, Cache: cache, Now: time.Now}.Retrieve(t.Context(), tg)
		if errors.Is(ferr, credential.ErrNeedsSDK) {
			return
		}
		sc, serr := Provider{Options{Env: getenv, Cache: cache}}.Retrieve(t.Context(), tg)
		switch {
		case ferr != nil && (serr == nil || serr.Error() != ferr.Error()):
			t.Fatalf("filecreds failed: %v; awscreds: %v", ferr, serr)
		case ferr != nil:
			return
		case serr != nil:
			t.Fatalf("filecreds answered %+v; awscreds failed: %v", fc, serr)
		case fc != sc:
			t.Fatalf("filecreds answered\n%+v\nawscreds answered\n%+v", fc, sc)
		}
	})
}
