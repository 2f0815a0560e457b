// Package mfa is `git codecommit mfa`: it turns an MFA code into temporary
// credentials that git (and the AWS CLI) use until they expire, so that no
// later git command has to ask.
//
// Scope: for a profile of an IAM user (static keys), the documented MFA
// session-token flow in one step: STS GetSessionToken with the device's
// serial and code, then the session credentials written under a target
// profile of the shared credentials file (package credfile: every other byte
// kept, atomic, mode 0600). For a role profile (role_arn, with or without
// mfa_serial) it assumes the role once, asking for the code if needed, and
// leaves the credentials in the cache shared with the AWS CLI
// (~/.aws/cli/cache), where git and aws find them. It prints the expiry and
// the codecommit:// URL to use.
package mfa

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/credcache"
	"github.com/gitcodecommit/git-codecommit/internal/credential"
	"github.com/gitcodecommit/git-codecommit/internal/credfile"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/filecreds"
	"github.com/gitcodecommit/git-codecommit/internal/names"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/safefile"
	"github.com/gitcodecommit/git-codecommit/internal/target"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Options are the command's flags.
type Options struct {
	Profile       string        // source profile; "" = AWS_PROFILE, else default
	Serial        string        // MFA device serial; "" = the profile's mfa_serial
	Code          string        // MFA code; "" = ask on the terminal or askpass
	Duration      time.Duration // session lifetime; 0 = STS default (12h)
	TargetProfile string        // profile to write; "" = PROFILE-mfa
	Force         bool          // replace a target profile this command did not write (after a backup)
	Refresh       bool          // drop the profile chain's cached role sessions first: a new AssumeRole
	JSON          bool          // print JSON instead of sentences
}

// JSON is `mfa --json`, schema version 1 ("version"); fields are only ever
// added.
type JSON struct {
	Version       int    `json:"version"`
	Kind          string `json:"kind"`           // "session" (GetSessionToken) or "role" (AssumeRole into the CLI cache)
	Profile       string `json:"profile"`        // the profile whose credentials called STS
	TargetProfile string `json:"target_profile"` // the profile to use now: the one written, or the role profile
	RoleARN       string `json:"role_arn"`       // role profiles only
	File          string `json:"file"`           // the credentials file written, or the CLI cache directory
	Expires       string `json:"expires"`        // RFC 3339, or "never"
	CloneURL      string `json:"clone_url"`      // codecommit URL template, REPOSITORY to replace
}

// ExpirationKey is the key, beside the three credential keys, that records
// when the session credentials of a written profile expire (RFC 3339, UTC).
// The AWS SDKs and CLI ignore it; it is the key other MFA tools (aws-mfa)
// write, for people and scripts to read.
const ExpirationKey = awsfiles.ExpirationKey

// Run runs `git codecommit mfa`. Results go to p.Stdout, the trace to
// GIT_TRACE_CODECOMMIT.
func Run(ctx context.Context, p *proc.Proc, o Options) error {
	tr := trace.New(p.Getenv(trace.EnvVar), p.Stderr, p.Now, "git-codecommit")
	defer tr.Close()
	if o.Code != "" && !awscreds.ValidMFACode(o.Code) {
		return failure.UsageError("pass the 6-digit code your MFA device shows", "--code must be 6 digits")
	}
	if o.Duration != 0 && (o.Duration < 15*time.Minute || o.Duration > 36*time.Hour) {
		return failure.UsageError("use a duration between 15m and 36h", "--duration %s is out of range", o.Duration)
	}
	if o.Refresh {
		// As logout does, before anything reads the cache.
		if _, err := filecreds.Forget(ctx, p, tr, o.Profile); err != nil {
			return err
		}
	}
	t, err := target.Resolve(target.Ref{Profile: o.Profile}, p.Getenv)
	if err != nil {
		return err
	}
	ao := awscreds.ForProcess(p, t, tr)
	if o.Code != "" {
		ao.MFA = func(context.Context, string, string) (string, error) { return o.Code, nil }
	}
	r, err := awscreds.Setup(ctx, ao)
	if err != nil {
		return err
	}
	if r.RoleARN != "" && o.Serial == "" && o.TargetProfile == "" {
		if o.Duration != 0 {
			return failure.UsageError("set duration_seconds in the role profile instead", "--duration applies to session tokens, not to role profile %s", r.Profile)
		}
		return cacheRole(ctx, p, r, o)
	}
	return sessionToken(ctx, p, r, ao, o)
}

// cacheRole assumes the role of a role profile through the shared cache.
func cacheRole(ctx context.Context, p *proc.Proc, r *awscreds.Result, o Options) error {
	if err := r.Retrieve(ctx); err != nil {
		return err
	}
	if o.JSON {
		return command.PrintJSON(p.Stdout, JSON{Version: 1, Kind: "role", Profile: r.Profile, TargetProfile: r.Profile, RoleARN: r.RoleARN,
			File: credcache.ForHome(awsfiles.HomeDir(p.Getenv), nil, nil).Dir, Expires: expiry(r.Credentials), CloneURL: cloneURL(r.Profile, "")})
	}
	fmt.Fprintf(p.Stdout, "credentials for role %s cached in ~/.aws/cli/cache (shared with the AWS CLI) until %s\n", r.RoleARN, expiry(r.Credentials))
	fmt.Fprintf(p.Stdout, "use: git clone %s\n", cloneURL(r.Profile, ""))
	return nil
}

// sessionToken runs GetSessionToken and writes the target profile.
func sessionToken(ctx context.Context, p *proc.Proc, r *awscreds.Result, ao awscreds.Options, o Options) error {
	target := o.TargetProfile
	if target == "" {
		target = r.Profile + "-mfa"
	}
	if err := names.Profile(target); err != nil {
		return failure.UsageError("name the profile to write with --target-profile", "--target-profile: %v", err)
	}
	if target == r.Profile {
		return failure.UsageError("choose another --target-profile", "the target profile %s would overwrite the long-term keys of profile %s", target, r.Profile)
	}
	if !o.Force {
		// Refuse before asking for a code; SetProfileGuarded decides again
		// under the file's lock.
		content, err := safefile.Read(r.Files.Credentials, 0)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("reading %s: %w", r.Files.Credentials, err)
		}
		if err := replaceable(credfile.Section(content, target), target, r.Files.Credentials); err != nil {
			return err
		}
	}
	serial := o.Serial
	if serial == "" {
		serial = r.MFASerial
	}
	if serial == "" {
		return failure.UsageError(fmt.Sprintf("pass --serial arn:aws:iam::ACCOUNT:mfa/NAME or run 'aws configure set mfa_serial ARN --profile %s'", r.Profile), "profile %s has no mfa_serial", r.Profile)
	}
	code := o.Code
	if code == "" {
		c, err := ao.MFA(ctx, serial, r.Profile)
		if err != nil {
			return &awscreds.MFARequiredError{Profile: r.Profile, Serial: serial, Err: err}
		}
		code = c
	}
	c, err := r.GetSessionToken(ctx, awscreds.SessionTokenInput{Serial: serial, Code: code, Duration: o.Duration})
	if err != nil {
		return err
	}
	values := [][2]string{
		{"aws_access_key_id", c.AccessKeyID},
		{"aws_secret_access_key", c.SecretAccessKey},
		{"aws_session_token", c.SessionToken},
		{ExpirationKey, c.Expires.UTC().Format(time.RFC3339)},
	}
	backup, err := credfile.SetProfileGuarded(ctx, r.Files.Credentials, target, values, func(existing map[string]string) (bool, error) {
		err := replaceable(existing, target, r.Files.Credentials)
		if err != nil && o.Force {
			return true, nil
		}
		return false, err
	})
	var refused *NotOursError
	switch {
	case errors.As(err, &refused):
		return err
	case err != nil:
		return failure.WithHint(fmt.Errorf("writing profile %s to %s: %w", target, r.Files.Credentials, err), "check that the credentials file is writable")
	}
	tr := ao.Trace
	if backup != "" {
		fmt.Fprintf(p.Stderr, "note: profile %s was replaced (--force); the file as it was is saved in %s\n", target, backup)
	}
	tr.Printf("mfa: wrote profile %s (key %s) to %s", target, trace.Key(c.AccessKeyID), r.Files.Credentials)

	// The target profile gets the source profile's region in the config
	// file (unless it has one), so that codecommit://TARGET@REPO works as
	// printed; if that cannot be written, the URL carries the region.
	region := ""
	if r.Region != "" {
		if err := setRegion(ctx, r.Files.Config, target, r.Region); err != nil {
			tr.Printf("mfa: region for profile %s not written to %s: %v", target, r.Files.Config, err)
			region = r.Region
		}
	}
	if o.JSON {
		return command.PrintJSON(p.Stdout, JSON{Version: 1, Kind: "session", Profile: r.Profile, TargetProfile: target,
			File: r.Files.Credentials, Expires: expiry(c), CloneURL: cloneURL(target, region)})
	}
	fmt.Fprintf(p.Stdout, "session credentials for profile %s written to %s (expire %s)\n", target, r.Files.Credentials, expiry(c))
	fmt.Fprintf(p.Stdout, "use: git clone %s\n", cloneURL(target, region))
	return nil
}

// NotOursError refuses to replace a profile of the credentials file that
// this command did not write.
type NotOursError struct {
	Profile, File string
	LongTerm      bool // it holds long-term keys (no session token)
}

func (e *NotOursError) Error() string {
	what := "settings this command did not write (no " + ExpirationKey + " line)"
	if e.LongTerm {
		what = "long-term access keys"
	}
	return fmt.Sprintf("profile %s in %s holds %s; refusing to replace it", e.Profile, e.File, what)
}

// Hint implements failure.Hinter.
func (e *NotOursError) Hint() string {
	return "choose another --target-profile, or add --force to replace it (the file is backed up first)"
}

// ExitCode implements failure.Coder.
func (e *NotOursError) ExitCode() int { return failure.Failed }

// replaceable is the rule for writing session keys over [target]: an absent
// or empty section, or one this command wrote, recognised by its session
// token and its expiration line (the layout sessionToken writes, and aws-mfa's).
// Anything else, long-term keys above all, is not ours to replace.
func replaceable(existing map[string]string, target, file string) error {
	if len(existing) == 0 {
		return nil
	}
	_, token := existing["aws_session_token"]
	_, key := existing["aws_access_key_id"]
	_, exp := existing[ExpirationKey]
	switch {
	case key && !token:
		return &NotOursError{Profile: target, File: file, LongTerm: true}
	case !exp || !token:
		return &NotOursError{Profile: target, File: file}
	}
	return nil
}

// setRegion gives profile the region in the config file, unless it has one
// there already.
func setRegion(ctx context.Context, config, profile, region string) error {
	f, err := awsfiles.Read(config)
	if err != nil {
		return err
	}
	if m, _ := f.Map("profile " + profile); m["region"] != "" {
		return nil
	}
	return credfile.SetProfile(ctx, config, "profile "+profile, [][2]string{{"region", region}})
}

func expiry(c credential.Credentials) string {
	if c.Expires.IsZero() {
		return "never"
	}
	return c.Expires.UTC().Format(time.RFC3339)
}

// cloneURL is the codecommit:// URL of profile, with region when needed.
func cloneURL(profile, region string) string {
	if region != "" {
		return "codecommit::" + region + "://" + profile + "@REPOSITORY"
	}
	return "codecommit://" + profile + "@REPOSITORY"
}
