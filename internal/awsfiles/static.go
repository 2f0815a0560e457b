package awsfiles

import (
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/credcache"
	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
	"github.com/gitcodecommit/git-codecommit/internal/target"
)

// Static is a profile resolved to static keys, described as awscreds
// describes it.
type Static struct {
	Profile       string
	ProfileSource target.ProfileSource
	Region        string
	RegionSource  target.RegionSource
	FIPS          bool
	FIPSSource    target.FIPSSource
	Files         Files

	AccessKeyID, SecretAccessKey, SessionToken string
	Expires                                    time.Time // zero: never
	Source                                     string    // e.g. "static keys in the shared files [SharedConfigCredentials: FILE]"
}

// SigningCredentials returns st's keys for sigv4 and when they expire (zero:
// never), as awscreds.Result.SigningCredentials does.
func (st Static) SigningCredentials() (sigv4.Credentials, time.Time) {
	return sigv4.Credentials{AccessKeyID: st.AccessKeyID, SecretAccessKey: st.SecretAccessKey, SessionToken: st.SessionToken}, st.Expires
}

// plainKeys are the settings a static profile may hold besides its keys:
// none of them changes where credentials come from.
var plainKeys = map[string]bool{
	"region": true, "output": true, "ca_bundle": true, "use_fips_endpoint": true,
	"aws_account_id": true, "max_attempts": true, "retry_mode": true, "parameter_validation": true,
	"cli_pager": true, "cli_history": true, "cli_timestamp_format": true, "cli_binary_format": true,
	"cli_auto_prompt": true, "cli_follow_urlparam": true,
}

// roleKeys are the settings of a role assumed with a source_profile's keys
// or from a credential_source.
var roleKeys = map[string]bool{"role_arn": true, "source_profile": true, "credential_source": true, "role_session_name": true, "external_id": true, "mfa_serial": true, "duration_seconds": true}

// credentialSources are the credential_source values the SDK knows.
var credentialSources = map[string]bool{"Environment": true, "Ec2InstanceMetadata": true, "EcsContainer": true}

// credentialKeys are the keys of static credentials.
var credentialKeys = map[string]bool{"aws_access_key_id": true, "aws_secret_access_key": true, "aws_session_token": true}

// ResolveStatic resolves the profile and region a git command asked for
// (from its URL, or "") from local files alone, with the precedence of
// awscreds.Setup: keys in the environment unless the URL named a profile; a
// profile holding keys and plain settings only; or a role assumed with such
// a source_profile, or from a credential_source, whose credentials are
// still fresh in cache (nil: no cache). ok is false whenever the answer
// could involve anything else (an AssumeRole call, an MFA code, SSO,
// processes, instance metadata, a missing profile or region, a file this
// strict reader does not fully understand): the caller then resolves
// through awscreds, which also gives the errors.
func ResolveStatic(env func(string) string, profile, region string, cache *credcache.Cache, now time.Time) (st Static, ok bool) {
	st.Files = FilesFor(env)
	if st.Files.Problem != "" {
		return Static{}, false
	}
	var err error
	st.Profile, st.ProfileSource, err = target.CheckedProfile(profile, env)
	if err != nil {
		return Static{}, false
	}
	explicit := st.ProfileSource.Named()
	cfg, err := Read(st.Files.Config)
	if err != nil {
		return Static{}, false
	}
	creds, err := Read(st.Files.Credentials)
	if err != nil {
		return Static{}, false
	}
	sec, found, ok := lookupProfile(cfg, creds, st.Profile)
	if !ok || !found && st.ProfileSource != target.ProfileDefault {
		return Static{}, false
	}
	if st.Region, st.RegionSource = target.Region(region, env, sec["region"]); st.RegionSource == target.RegionNone {
		return Static{}, false
	}
	if v := sec["use_fips_endpoint"]; v != "" && v != "true" && v != "false" {
		return Static{}, false
	}
	st.FIPS, st.FIPSSource = target.FIPS(env, sec["use_fips_endpoint"] == "true")

	envKeys := env("AWS_ACCESS_KEY_ID") != "" && env("AWS_SECRET_ACCESS_KEY") != ""
	if env("AWS_ACCESS_KEY_ID") != "" && env("AWS_SECRET_ACCESS_KEY") == "" && !explicit {
		return Static{}, false // partial credentials: awscreds refuses them, as the AWS CLI does
	}
	switch {
	case envKeys && !explicit && !hasAny(sec, roleKeys):
		// (A role profile beside environment keys is left to awscreds: the
		// SDK rejects some incomplete ones even then.)
		st.AccessKeyID, st.SecretAccessKey, st.SessionToken = env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")
		st.Source = "environment variables [EnvConfigCredentials]"
	case sec["role_arn"] != "":
		if envKeys && !explicit || !cachedRole(&st, cfg, creds, sec, cache) {
			return Static{}, false
		}
	case sec["aws_access_key_id"] != "" && sec["aws_secret_access_key"] != "" && !hasAny(sec, roleKeys) &&
		!(st.ProfileSource == target.ProfileDefault && env("AWS_WEB_IDENTITY_TOKEN_FILE") != ""):
		st.AccessKeyID, st.SecretAccessKey, st.SessionToken = sec["aws_access_key_id"], sec["aws_secret_access_key"], sec["aws_session_token"]
		if v := sec[ExpirationKey]; v != "" {
			// Session keys written by git codecommit mfa: usable until
			// their expiration line; once expired (or unreadable) awscreds
			// says so.
			exp, ok := sessionExpiry(creds, st.Profile)
			if !ok || !now.Before(exp) {
				return Static{}, false
			}
			st.Expires = exp
		}
		st.Source = "static keys in the shared files"
		if st.SessionToken != "" {
			st.Source = "session credentials in the shared files"
		}
		st.Source += " [SharedConfigCredentials: " + st.Files.Credentials + "]"
	default:
		return Static{}, false
	}
	return st, true
}

func hasAny(sec map[string]string, keys map[string]bool) bool {
	for k := range sec {
		if keys[k] {
			return true
		}
	}
	return false
}

// cachedRole fills st with the cached credentials of the role sec assumes,
// if sec is a role with a source_profile of plain keys or with a
// credential_source, and cache holds them fresh.
func cachedRole(st *Static, cfg, creds *File, sec map[string]string, cache *credcache.Cache) bool {
	srcName, credSource := sec["source_profile"], sec["credential_source"]
	if cache == nil || (srcName == "") == (credSource == "") || srcName == st.Profile || sec["aws_access_key_id"] != "" || sec["aws_secret_access_key"] != "" {
		return false
	}
	from := "profile " + srcName
	if credSource != "" {
		if !credentialSources[credSource] {
			return false
		}
		from = credSource
	} else {
		src, found, ok := lookupProfile(cfg, creds, srcName)
		if !ok || !found || hasAny(src, roleKeys) || src["aws_access_key_id"] == "" || src["aws_secret_access_key"] == "" {
			return false
		}
	}
	key, ok := RoleKey(sec)
	if !ok {
		return false
	}
	c, hit := cache.Get(key)
	if !hit {
		return false
	}
	st.AccessKeyID, st.SecretAccessKey, st.SessionToken, st.Expires = c.AccessKeyID, c.SecretAccessKey, c.SessionToken, c.Expiration
	st.Source = "assume role " + key.RoleARN + " from " + from
	if key.SerialNumber != "" && credSource == "" {
		st.Source += " with MFA"
	}
	st.Source += " [AssumeRole (cached " + key.FileName() + ")]"
	return true
}

// lookupProfile returns the settings of profile across both files, merged
// as the SDK merges them for the cases it accepts: found is false if neither
// file defines it; ok is false if the files hold anything that would make
// the SDK's reading differ from this one's, or the profile anything beyond
// keys and plain settings.
func lookupProfile(cfg, creds *File, profile string) (sec map[string]string, found, ok bool) {
	if profile == "" || strings.ContainsAny(profile, " \t[]#;") {
		return nil, false, false
	}
	// In the config file a profile is [profile NAME], the default one
	// [default]; [profile default] replaces [default], and case variants of
	// "default" are kept apart: leave such files to the SDK.
	for _, name := range cfg.Names() {
		if name == "profile default" || name != "default" && strings.EqualFold(name, "default") {
			return nil, false, false
		}
	}
	for _, name := range creds.Names() {
		if strings.HasPrefix(name, "profile ") || name != "default" && strings.EqualFold(name, "default") {
			return nil, false, false
		}
	}
	cname := "profile " + profile
	if profile == "default" {
		cname = "default"
	}
	if !cfg.Plain(cname) || !creds.Plain(profile) {
		return nil, false, false
	}
	fromCfg, inCfg := cfg.Map(cname)
	fromCreds, inCreds := creds.Map(profile)
	sec = map[string]string{}
	for k, v := range fromCfg {
		if !plainKeys[k] && !credentialKeys[k] && !roleKeys[k] {
			return nil, false, false
		}
		sec[k] = v
	}
	for k, v := range fromCreds {
		if !credentialKeys[k] && k != ExpirationKey {
			return nil, false, false // the SDK's merge rules for other keys are its own
		}
		if _, dup := sec[k]; dup {
			return nil, false, false
		}
		sec[k] = v
	}
	for _, s := range []map[string]string{fromCfg, fromCreds} {
		if (s["aws_access_key_id"] == "") != (s["aws_secret_access_key"] == "") {
			return nil, false, false // partial keys: the SDK's error
		}
	}
	return sec, inCfg || inCreds, true
}
