// Package filecreds is the credential provider without the AWS SDK, the
// one the two git helpers link: from the shared files and the AWS CLI cache
// alone it resolves keys in the environment, a profile holding static keys
// (and the session keys `git codecommit mfa` writes, until their
// expiration line) and a role assumed with such a source_profile, or from a
// credential_source, whose credentials are still fresh in the cache. For
// anything else it answers credential.ErrNeedsSDK, and the helper hands the
// request to git-codecommit, which resolves it through awscreds.
//
// Its reading is strict: it declines whenever the answer could involve
// anything else (an AssumeRole call, an MFA code, SSO, processes, instance
// metadata, a missing profile or region, a file this reader does not fully
// understand), so that it may decline anything but never differ from
// awscreds (FuzzStaticAgreesWithSDK in package awscreds). Where the target
// goes (profile, region, FIPS) is package target's, never re-derived here.
package filecreds

import (
	"context"
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/credcache"
	"github.com/gitcodecommit/git-codecommit/internal/credential"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/target"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Provider is the credential.Provider without the SDK.
type Provider struct {
	Env   func(string) string              // the process environment
	Cache *credcache.Cache                 // assumed-role credentials shared with the AWS CLI; nil: none
	Now   func() time.Time                 // the clock; nil: time.Now
	Trace func(format string, args ...any) // as awscreds traces: the profile and files, the credentials found; nil: none
}

var _ credential.Provider = Provider{}

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

// Retrieve resolves t's credentials from the shared files and the cache,
// with the rules of awscreds: keys in the environment unless t's profile
// was named; a profile holding keys and plain settings only; or a role
// assumed with such a source_profile, or from a credential_source, whose
// credentials are still fresh in the cache. Anything else, including a
// target without a region, is credential.ErrNeedsSDK; a target whose host
// cannot be resolved is t.Check's error, as awscreds reports it.
func (p Provider) Retrieve(_ context.Context, t target.Target) (credential.Credentials, error) {
	tr := p.Trace
	if tr == nil {
		tr = func(string, ...any) {}
	}
	tr("profile %s (from %s); config %s; credentials %s", t.Profile, t.ProfileSource, t.Files.Config, t.Files.Credentials)
	st, ok := p.resolve(t)
	if !ok {
		return credential.Credentials{}, credential.ErrNeedsSDK
	}
	if err := t.Check(); err != nil {
		return credential.Credentials{}, err
	}
	exp := "never expires"
	if !st.Expires.IsZero() {
		exp = "expires " + st.Expires.UTC().Format(time.RFC3339)
	}
	tr("credentials: key %s, source %s, session token %v, %s", trace.Key(st.AccessKeyID), st.Source, st.SessionToken != "", exp)
	return st, nil
}

func (p Provider) resolve(t target.Target) (st credential.Credentials, ok bool) {
	env := p.Env
	if env == nil {
		env = func(string) string { return "" }
	}
	now := time.Now()
	if p.Now != nil {
		now = p.Now()
	}
	if t.Files.Problem != "" || t.RegionSource == target.RegionNone {
		return st, false
	}
	explicit := t.ProfileSource.Named()
	if t.Loaded.Err != nil || t.Loaded.Config == nil || t.Loaded.Credentials == nil {
		return st, false // unreadable, or a Target not made by target.Resolve: awscreds reports it
	}
	cfg, creds := t.Loaded.Config, t.Loaded.Credentials
	sec, found, ok := lookupProfile(cfg, creds, t.Profile)
	if !ok || !found && t.ProfileSource != target.ProfileDefault {
		return st, false
	}
	if v := sec["use_fips_endpoint"]; v != "" && v != "true" && v != "false" {
		return st, false
	}

	envKeys := env("AWS_ACCESS_KEY_ID") != "" && env("AWS_SECRET_ACCESS_KEY") != ""
	if env("AWS_ACCESS_KEY_ID") != "" && env("AWS_SECRET_ACCESS_KEY") == "" && !explicit {
		return credential.Credentials{}, false // partial credentials: awscreds refuses them, as the AWS CLI does
	}
	switch {
	case envKeys && !explicit && !hasAny(sec, roleKeys):
		// (A role profile beside environment keys is left to awscreds: the
		// SDK rejects some incomplete ones even then.)
		st.AccessKeyID, st.SecretAccessKey, st.SessionToken = env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")
		st.Kind, st.Source = credential.KindEnvironment, "environment variables [EnvConfigCredentials]"
	case sec["role_arn"] != "":
		if envKeys && !explicit || !cachedRole(&st, t.Profile, cfg, creds, sec, p.Cache) {
			return credential.Credentials{}, false
		}
	case sec["aws_access_key_id"] != "" && sec["aws_secret_access_key"] != "" && !hasAny(sec, roleKeys) &&
		!(t.ProfileSource == target.ProfileDefault && env("AWS_WEB_IDENTITY_TOKEN_FILE") != ""):
		st.AccessKeyID, st.SecretAccessKey, st.SessionToken = sec["aws_access_key_id"], sec["aws_secret_access_key"], sec["aws_session_token"]
		if v := sec[awsfiles.ExpirationKey]; v != "" {
			// Session keys written by git codecommit mfa: usable until
			// their expiration line; once expired (or unreadable) awscreds
			// says so.
			exp, ok := creds.SessionExpiry(t.Profile)
			if !ok || !now.Before(exp) {
				return credential.Credentials{}, false
			}
			st.Expires = exp
		}
		st.Kind, st.Source = credential.KindSharedKeys, "static keys in the shared files"
		if st.SessionToken != "" {
			st.Source = "session credentials in the shared files"
		}
		st.Source += " [SharedConfigCredentials: " + t.Files.Credentials + "]"
	default:
		return credential.Credentials{}, false
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
func cachedRole(st *credential.Credentials, profile string, cfg, creds *awsfiles.File, sec map[string]string, cache *credcache.Cache) bool {
	srcName, credSource := sec["source_profile"], sec["credential_source"]
	if cache == nil || (srcName == "") == (credSource == "") || srcName == profile || sec["aws_access_key_id"] != "" || sec["aws_secret_access_key"] != "" {
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
	key, ok := awsfiles.RoleKey(sec)
	if !ok {
		return false
	}
	c, hit := cache.Get(key)
	if !hit {
		return false
	}
	st.AccessKeyID, st.SecretAccessKey, st.SessionToken, st.Expires = c.AccessKeyID, c.SecretAccessKey, c.SessionToken, c.Expiration
	st.Kind, st.Source = credential.KindAssumeRole, "assume role "+key.RoleARN+" from "+from
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
func lookupProfile(cfg, creds *awsfiles.File, profile string) (sec map[string]string, found, ok bool) {
	if profile == "" || strings.ContainsAny(profile, " \t[]#;") {
		return nil, false, false
	}
	// In the config file a profile is [profile NAME], the default one
	// [default]; [profile default] replaces [default], and case variants of
	// "default" are kept apart: leave such files to the SDK.
	if cfg.Has("profile default") || cfg.DefaultInOtherCase() || creds.ProfilePrefixed() || creds.DefaultInOtherCase() {
		return nil, false, false
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
		if !credentialKeys[k] && k != awsfiles.ExpirationKey {
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

// Helper is the credential.Provider the two helpers link: the process's
// environment and clock, and the cache shared with the AWS CLI under HOME.
func Helper(p *proc.Proc, tr *trace.Tracer) credential.Provider {
	return Provider{Env: p.Getenv, Cache: credcache.ForHome(awsfiles.HomeDir(p.Getenv), p.Clock, tr.Printf), Now: p.Clock, Trace: tr.Printf}
}
