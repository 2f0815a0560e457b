// Package target is the one home of the rules that turn what a git command
// was given (a codecommit:// URL, an https CodeCommit URL, flags, the
// environment, the profile's own settings) into where it goes: one Target
// value holding which profile, which region, FIPS or not, and why each, as
// typed facts, the AWS files used and the CODE_COMMIT_ENDPOINT override,
// built by Resolve and nothing else.
//
// The precedence is botocore's (so the AWS CLI's and AWS's Python helper's):
//
//	profile: a name in the URL or a flag; AWS_DEFAULT_PROFILE; AWS_PROFILE; "default"
//	region:  the URL, a flag or a CodeCommit host; AWS_REGION; AWS_DEFAULT_REGION; the profile's region
//	FIPS:    AWS_USE_FIPS_ENDPOINT=true; the profile's use_fips_endpoint = true
//	host:    CODE_COMMIT_ENDPOINT's host; else the region's (FIPS) CodeCommit host (package endpoint)
//
// Both helpers and every command resolve their Target here and hand it to
// a credential provider (package credential: filecreds without the SDK,
// awscreds with it), which never re-runs the precedence. Scope: the
// environment comes in as a function, the profile's settings are read
// through package awsfiles; it imports no AWS SDK package.
package target

import (
	"fmt"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/names"
)

// ProfileOrder and RegionOrder are the precedence above in words, for the
// help of every --profile and --region flag (package command).
const (
	ProfileOrder = "AWS_DEFAULT_PROFILE, else AWS_PROFILE, else default"
	RegionOrder  = "AWS_REGION, else AWS_DEFAULT_REGION, else the profile's region"
)

// ProfileSource says why a profile was chosen.
type ProfileSource uint8

// Profile sources, in precedence order.
const (
	ProfileDefault           ProfileSource = iota // nothing named one: "default"
	ProfileNamed                                  // the URL or a --profile flag
	ProfileAWSDefaultProfile                      // AWS_DEFAULT_PROFILE
	ProfileAWSProfile                             // AWS_PROFILE
)

func (s ProfileSource) String() string {
	switch s {
	case ProfileNamed:
		return "url"
	case ProfileAWSDefaultProfile:
		return "AWS_DEFAULT_PROFILE"
	case ProfileAWSProfile:
		return "AWS_PROFILE"
	}
	return "default"
}

// Named reports whether the profile was named explicitly (URL or flag),
// which lets it win over keys in the environment, as in the AWS CLI.
func (s ProfileSource) Named() bool { return s == ProfileNamed }

// RegionSource says why a region was chosen.
type RegionSource uint8

// Region sources, in precedence order.
const (
	RegionNone             RegionSource = iota // nothing gave one
	RegionGiven                                // the URL, a --region flag or a CodeCommit host name
	RegionAWSRegion                            // AWS_REGION
	RegionAWSDefaultRegion                     // AWS_DEFAULT_REGION
	RegionProfile                              // the profile's region setting
)

func (s RegionSource) String() string {
	switch s {
	case RegionGiven:
		return "url"
	case RegionAWSRegion:
		return "AWS_REGION"
	case RegionAWSDefaultRegion:
		return "AWS_DEFAULT_REGION"
	case RegionProfile:
		return "profile"
	}
	return ""
}

// FIPSSource says why FIPS endpoints are used.
type FIPSSource uint8

// FIPS sources.
const (
	FIPSOff     FIPSSource = iota // not asked for
	FIPSEnv                       // AWS_USE_FIPS_ENDPOINT=true
	FIPSProfile                   // use_fips_endpoint = true in the profile
)

func (s FIPSSource) String() string {
	switch s {
	case FIPSEnv:
		return "AWS_USE_FIPS_ENDPOINT"
	case FIPSProfile:
		return "profile"
	}
	return ""
}

// profile chooses the profile: named (from the URL or a flag; "" if none),
// else AWS_DEFAULT_PROFILE, else AWS_PROFILE (botocore reads the two in
// this order), else "default".
func profile(named string, env func(string) string) (string, ProfileSource) {
	switch {
	case named != "":
		return named, ProfileNamed
	case env("AWS_DEFAULT_PROFILE") != "":
		return env("AWS_DEFAULT_PROFILE"), ProfileAWSDefaultProfile
	case env("AWS_PROFILE") != "":
		return env("AWS_PROFILE"), ProfileAWSProfile
	}
	return "default", ProfileDefault
}

// ProfileVariableError is AWS_DEFAULT_PROFILE or AWS_PROFILE, the variable
// that chose the profile, holding no valid profile name (names.Profile):
// a newline, a control character, a bracket, surrounding whitespace.
type ProfileVariableError struct {
	Variable string // AWS_DEFAULT_PROFILE or AWS_PROFILE
	Err      error  // the *names.Error
}

func (e *ProfileVariableError) Error() string {
	return e.Variable + " holds no valid profile name: " + e.Err.Error()
}
func (e *ProfileVariableError) Unwrap() error { return e.Err }

// Hint implements failure.Hinter.
func (e *ProfileVariableError) Hint() string {
	return "unset " + e.Variable + ", or set it to a profile of the AWS files"
}

// checkedProfile is profile, refusing a profile chosen by a variable that
// names.Profile refuses (a named profile is checked where it is parsed).
// Resolve uses it.
func checkedProfile(named string, env func(string) string) (string, ProfileSource, error) {
	p, src := profile(named, env)
	if src == ProfileAWSDefaultProfile || src == ProfileAWSProfile {
		if err := names.Profile(p); err != nil {
			return p, src, &ProfileVariableError{Variable: src.String(), Err: err}
		}
	}
	return p, src, nil
}

// region chooses the region: given (from the URL, a flag or a CodeCommit
// host; "" if none), else AWS_REGION, else AWS_DEFAULT_REGION, else the
// profile's (""). A region of any case is returned in lowercase; one that
// is not a region's shape is returned as it is, for package endpoint to
// refuse with its own message.
func region(given string, env func(string) string, profileRegion string) (string, RegionSource) {
	var r string
	var s RegionSource
	switch {
	case given != "":
		r, s = given, RegionGiven
	case env("AWS_REGION") != "":
		r, s = env("AWS_REGION"), RegionAWSRegion
	case env("AWS_DEFAULT_REGION") != "":
		r, s = env("AWS_DEFAULT_REGION"), RegionAWSDefaultRegion
	case profileRegion != "":
		r, s = profileRegion, RegionProfile
	default:
		return "", RegionNone
	}
	if c, err := names.Region(r); err == nil {
		r = c
	}
	return r, s
}

// fips chooses whether FIPS endpoints are used: AWS_USE_FIPS_ENDPOINT=true
// (any case), else the profile's use_fips_endpoint = true (profileOn).
func fips(env func(string) string, profileOn bool) (bool, FIPSSource) {
	switch {
	case strings.EqualFold(strings.TrimSpace(env("AWS_USE_FIPS_ENDPOINT")), "true"):
		return true, FIPSEnv
	case profileOn:
		return true, FIPSProfile
	}
	return false, FIPSOff
}

// Ref is what a command was given before any precedence: the profile and
// region a URL, a flag or a CodeCommit host named, and the host an https
// reference (or git's credential request) names ("" when none did).
type Ref struct {
	Profile string
	Region  string
	Host    string // as on the wire (names.WireHost)
}

// Target is where a git command goes, and why: the one value both helpers
// and every command work from.
type Target struct {
	Profile       string
	ProfileSource ProfileSource
	Region        string // "" when nothing names one (Check reports it)
	RegionSource  RegionSource
	FIPS          bool
	FIPSSource    FIPSSource
	Host          string          // the host the reference named ("": the region's, or the override's)
	Override      string          // CODE_COMMIT_ENDPOINT, as set ("" when unset)
	Files         awsfiles.Files  // the shared config and credentials files
	Loaded        awsfiles.Loaded // and their contents, read once by Resolve
}

// Resolve turns ref into a Target: the profile and region by the
// precedence above, the profile's own region and use_fips_endpoint read
// from the shared files env points at (package awsfiles). It fails only on
// a profile variable holding no valid name (*ProfileVariableError): a problem with
// the files is the credential provider's to report (it checks them first),
// a missing region or bad host Check's.
func Resolve(ref Ref, env func(string) string) (Target, error) {
	t := Target{Files: awsfiles.FilesFor(env), Host: ref.Host, Override: env("CODE_COMMIT_ENDPOINT")}
	var err error
	if t.Profile, t.ProfileSource, err = checkedProfile(ref.Profile, env); err != nil {
		return Target{}, err
	}
	t.Loaded = t.Files.Load()
	s := t.Loaded.ProfileSettings(t.Profile)
	t.Region, t.RegionSource = region(ref.Region, env, s.Region)
	t.FIPS, t.FIPSSource = fips(env, s.FIPS)
	return t, nil
}

// Endpoint returns where git goes for t: the host the reference named;
// else CODE_COMMIT_ENDPOINT's host when it is set, else the region's (FIPS)
// CodeCommit host, as it goes on the wire (package endpoint). Every program
// resolves the host through here.
func (t Target) Endpoint() (endpoint.Endpoint, error) {
	if t.Host != "" {
		return endpoint.Endpoint{Host: t.Host}, nil
	}
	return endpoint.Resolve(endpoint.Options{Region: t.Region, FIPS: t.FIPS, Override: t.Override})
}

// Check reports a target git cannot go to: no region (*NoRegionError), or
// a region or override without a host (package endpoint's error).
func (t Target) Check() error {
	if err := t.ErrNoRegion(); err != nil {
		return err
	}
	_, err := t.Endpoint()
	return err
}

// ErrNoRegion reports t's missing region as a *NoRegionError, or nil.
func (t Target) ErrNoRegion() error {
	if t.Region == "" {
		return &NoRegionError{Profile: t.Profile}
	}
	return nil
}

// NoRegionError: nothing names a region.
type NoRegionError struct{ Profile string }

func (e *NoRegionError) Error() string {
	return fmt.Sprintf("no region for profile %q", e.Profile)
}

// Hint implements failure.Hinter.
func (e *NoRegionError) Hint() string {
	return fmt.Sprintf("run 'aws configure set region REGION --profile %s', export AWS_REGION, or use codecommit::REGION://%s@REPO", e.Profile, e.Profile)
}
