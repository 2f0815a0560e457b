// Package awscreds resolves AWS credentials, region and FIPS setting for a
// profile the way the AWS CLI does, through aws-sdk-go-v2, and makes the STS
// calls the toolset needs. It and its subpackage repoapi (the CodeCommit
// repository API, which the git helpers do not link) are the only packages
// that import the SDK.
//
// Where the SDK falls short for a git helper this package fills in: an MFA
// token provider that never reads git's protocol stream, a cache of
// assumed-role credentials shared with the AWS CLI, a metadata-service probe
// that gives up in well under a second off EC2, SDK log output routed to the
// trace instead of standard error, and errors that name the profile and the
// fix rather than the SDK's chain of wrappers.
//
// It is the credential.Provider with the SDK (Provider), the one
// git-codecommit hands to both helpers; filecreds is the one without it.
// Where a command goes (profile, region, FIPS, the files) is decided once, by
// target.Resolve, and comes in as Options.Target: this package never
// re-runs that precedence. The SDK itself reads the process environment
// (credential variables, AWS_CA_BUNDLE, AWS_ENDPOINT_URL_*); the settings
// this package decides on come from Options.Env.
package awscreds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"

	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/credcache"
	"github.com/gitcodecommit/git-codecommit/internal/credential"
	"github.com/gitcodecommit/git-codecommit/internal/prompt"
	"github.com/gitcodecommit/git-codecommit/internal/target"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Options say which profile to resolve and how.
type Options struct {
	// Target is where the command goes (target.Resolve): its profile,
	// region, FIPS setting and files. The zero value is target.Resolve of
	// a reference naming nothing, with Env.
	Target target.Target

	Env   func(string) string
	Trace *trace.Tracer

	// MFA asks for the code of an MFA device. nil: a profile with
	// mfa_serial fails with MFARequiredError unless the cache answers.
	MFA func(ctx context.Context, serial, profile string) (string, error)

	// Cache holds assumed-role credentials, shared with the AWS CLI. nil:
	// no cache.
	Cache *credcache.Cache

	// Now is the clock; nil is time.Now.
	Now func() time.Time

	// Environ and Stderr are what a credential_process is run with; nil
	// Environ: the process's environment.
	Environ []string
	Stderr  io.Writer

	// Bounds overrides DefaultBounds per source (tests).
	Bounds map[credential.Kind]time.Duration
}

// Result is what Resolve found, with where each piece came from.
type Result struct {
	target.Target                        // where the command goes, as Setup was given it
	Credentials   credential.Credentials // once retrieved
	Source        string                 // the credential source, in words
	Kind          credential.Kind        // the credential source, as a value
	RoleARN       string                 // role_arn of the profile, if the credentials come from it
	MFASerial     string                 // mfa_serial of the profile, if any
	// Shadowed is the credential source of a profile chosen by AWS_PROFILE
	// that environment keys win over (as in the AWS CLI), in words; "" if
	// none is set aside.
	Shadowed string

	opts     Options // what Setup was given: Retrieve and the API calls trace through it
	loadOpts []func(*config.LoadOptions) error
	creds    aws.CredentialsProvider // nil: the SDK configuration's
	cfgOnce  sync.Once
	cfg      aws.Config
	cfgErr   error
	logger   logging.Logger
}

// metadataTimeout bounds each request to the EC2 metadata service. On EC2 it
// answers in a millisecond; off EC2 the SDK's defaults take seconds.
const metadataTimeout = 200 * time.Millisecond

// Setup resolves the profile, region and FIPS setting and loads the SDK
// configuration, without retrieving credentials.
func Setup(ctx context.Context, o Options) (*Result, error) {
	if o.Env == nil {
		o.Env = func(string) string { return "" }
	}
	if o.Target.Profile == "" {
		t, err := target.Resolve(target.Ref{}, o.Env)
		if err != nil {
			return nil, err
		}
		o.Target = t
	}
	r := &Result{Target: o.Target, opts: o}
	explicit := r.ProfileSource.Named()
	o.Trace.Printf("profile %s (from %s); config %s; credentials %s", r.Profile, r.ProfileSource, r.Files.Config, r.Files.Credentials)

	if err := r.Files.Check(); err != nil {
		return nil, err
	}
	if err := r.Files.CheckSourceChain(r.Profile); err != nil {
		return nil, err
	}
	sc, err := config.LoadSharedConfigProfile(ctx, r.Profile, r.sharedFiles)
	loginRole := false
	if role, ok := r.loginSourceRole(ctx, err); ok {
		sc, err, loginRole = role, nil, true
	}
	var notExist config.SharedConfigProfileNotExistError
	switch {
	case errors.As(err, &notExist):
		if r.ProfileSource != target.ProfileDefault {
			return nil, &ProfileNotFoundError{Profile: r.Profile, Available: r.Files.Profiles(), Files: []string{r.Files.Config, r.Files.Credentials}}
		}
		sc = config.SharedConfig{Profile: r.Profile}
	case err != nil && o.Env("AWS_ACCESS_KEY_ID") != "" && o.Env("AWS_SECRET_ACCESS_KEY") != "" && !explicit:
		// Environment keys win over the profile (below), which gives only
		// its settings (the Target has them): as in the AWS CLI, whose
		// environment provider comes first, the SDK's refusal of the
		// profile's own credentials (partial keys, a missing
		// source_profile) does not matter.
		o.Trace.Printf("environment keys win over profile %s, whose credentials the SDK refuses: %s", r.Profile, strings.Join(strings.Fields(describe(err)), " "))
		sc = config.SharedConfig{Profile: r.Profile}
	case err != nil:
		return nil, r.configError(err)
	}

	if err := checkFiles(o.Env, awsfiles.HomeDir(o.Env), &sc); err != nil {
		return nil, err
	}

	logger := logging.Logger(logging.Nop{})
	if o.Trace.Enabled() {
		logger = logging.NewStandardLogger(o.Trace.Writer())
	}
	opts := []func(*config.LoadOptions) error{
		r.sharedFiles2,
		config.WithLogger(logger),
		config.WithLogConfigurationWarnings(o.Trace.Enabled()),
		config.WithEC2RoleCredentialOptions(func(eo *ec2rolecreds.Options) {
			eo.Client = imds.New(imds.Options{
				Retryer:    aws.NopRetryer{},
				HTTPClient: &http.Client{Timeout: metadataTimeout, Transport: &http.Transport{DialContext: (&net.Dialer{Timeout: metadataTimeout}).DialContext}},
			})
		}),
		config.WithAssumeRoleCredentialOptions(func(ao *stscreds.AssumeRoleOptions) {
			ao.TokenProvider = func() (string, error) {
				return o.mfaCode(ctx, sc.MFASerial, r.Profile)
			}
		}),
	}
	if explicit {
		opts = append(opts, config.WithSharedConfigProfile(r.Profile))
	} else if r.ProfileSource != target.ProfileDefault {
		opts = append(opts, config.WithSharedConfigProfile(r.Profile))
	}
	if r.Region != "" {
		opts = append(opts, config.WithRegion(r.Region))
	} else {
		opts = append(opts, config.WithRegion("us-east-1")) // STS only; the caller insists on a region for git
	}
	if loginRole {
		// The SDK refuses to load the role profile (see loginSourceRole):
		// its configuration, for the STS client only, is the source's.
		opts = append(opts, config.WithSharedConfigProfile(sc.SourceProfileName))
	}
	r.loadOpts, r.logger = opts, logger
	r.RoleARN, r.MFASerial = sc.RoleARN, sc.MFASerial

	// Static keys need no SDK configuration: loading it reads the CA bundle
	// and more, which costs milliseconds on every git command.
	envKeys := o.Env("AWS_ACCESS_KEY_ID") != "" && o.Env("AWS_SECRET_ACCESS_KEY") != ""
	if o.Env("AWS_ACCESS_KEY_ID") != "" && o.Env("AWS_SECRET_ACCESS_KEY") == "" && !explicit {
		// botocore's environment provider refuses half a key pair rather
		// than fall through to the profile.
		return nil, &PartialCredentialsError{Missing: "AWS_SECRET_ACCESS_KEY"}
	}
	r.Kind = kindOf(sc, o.Env, envKeys, explicit, r.Files.Credentials)
	switch {
	case envKeys && !explicit:
		// As in the AWS CLI and the SDK: environment keys win over any
		// profile but one named explicitly (URL, --profile); AWS_PROFILE
		// still picks the region, but its role is not assumed.
		r.RoleARN = ""
		if own := describeSource(sc, false, true); r.ProfileSource != target.ProfileDefault && ownKind(sc, r.Files.Credentials) != credential.KindUnknown {
			r.Shadowed = own
			o.Trace.Printf("environment keys win over profile %s from %s, as in the AWS CLI: its %s is not used", r.Profile, r.ProfileSource, own)
		}
		r.creds = credentials.StaticCredentialsProvider{Value: aws.Credentials{
			AccessKeyID: o.Env("AWS_ACCESS_KEY_ID"), SecretAccessKey: o.Env("AWS_SECRET_ACCESS_KEY"), SessionToken: o.Env("AWS_SESSION_TOKEN"),
			Source: "EnvConfigCredentials"}}
	case r.Kind == credential.KindWebIdentity && sc.RoleARN != "" && sc.WebIdentityTokenFile != "":
		// Ours, not the SDK's: through the cache shared with the AWS CLI.
		r.creds = o.webIdentityProvider(r, r.Profile, sc.RoleARN, sc.WebIdentityTokenFile, sc.RoleSessionName)
	case r.Kind == credential.KindWebIdentity && sc.RoleARN == "":
		// The default chain's, from AWS_ROLE_ARN and
		// AWS_WEB_IDENTITY_TOKEN_FILE: cached alike.
		r.creds = o.webIdentityProvider(r, r.Profile, o.Env("AWS_ROLE_ARN"), o.Env("AWS_WEB_IDENTITY_TOKEN_FILE"), o.Env("AWS_ROLE_SESSION_NAME"))
	case r.Kind == credential.KindProcess:
		// Ours, not the SDK's: bounded, capped, its children ended with it.
		r.creds = o.processProvider(r.Profile, sc.CredentialProcess)
	case staticOnly(sc) && !(r.ProfileSource == target.ProfileDefault && o.Env("AWS_WEB_IDENTITY_TOKEN_FILE") != ""):
		v := sc.Credentials
		v.Source = "SharedConfigCredentials: " + r.Files.Credentials
		if exp, ok := awsfiles.SessionExpiry(r.Files, r.Profile); ok {
			// Session keys written by git codecommit mfa: stop before any
			// request once they have expired.
			if !o.now().Before(exp) {
				return nil, &awsfiles.SessionExpiredError{Profile: r.Profile, At: exp}
			}
			v.CanExpire, v.Expires = true, exp
		}
		r.creds = credentials.StaticCredentialsProvider{Value: v}
	case cachedRole(sc):
		// Assumed roles go through our cache, as the AWS CLI's do.
		p, err := o.roleProvider(ctx, r, sc, 0)
		if err != nil {
			return nil, err
		}
		r.creds = p
	default:
		if _, err := r.config(ctx); err != nil {
			return nil, err
		}
	}
	r.Source = describeSource(sc, envKeys, explicit)
	return r, nil
}

// Resolve is Setup followed by retrieving the credentials.
func Resolve(ctx context.Context, o Options) (*Result, error) {
	r, err := Setup(ctx, o)
	if err != nil {
		return nil, err
	}
	if err := r.Retrieve(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// Retrieve fetches the credentials of a Setup result.
func (r *Result) Retrieve(ctx context.Context) error {
	p := r.creds
	if p == nil {
		cfg, err := r.config(ctx)
		if err != nil {
			return err
		}
		p = cfg.Credentials
	}
	if p == nil {
		return &NoCredentialsError{Profile: r.Profile}
	}
	switch r.Kind {
	case credential.KindAssumeRole, credential.KindEnvironment, credential.KindSharedKeys:
		// No I/O of their own, or bounded call by call (roleProvider).
	case credential.KindContainer:
		p = r.opts.bounded(r.Profile, r.Kind, containerDetail(r.opts.Env), p)
	default:
		p = r.opts.bounded(r.Profile, r.Kind, "", p)
	}
	c, err := p.Retrieve(ctx)
	if err != nil {
		return r.retrieveError(ctx, err)
	}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return &NoCredentialsError{Profile: r.Profile, Detail: "the credential source returned an empty key"}
	}
	if c.Source != "" && !strings.Contains(r.Source, c.Source) {
		r.Source += " [" + c.Source + "]"
	}
	r.Credentials = credential.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Kind: r.Kind, Source: r.Source}
	if c.CanExpire {
		r.Credentials.Expires = c.Expires
	}
	exp := "never expires"
	if c.CanExpire {
		exp = "expires " + c.Expires.UTC().Format(time.RFC3339)
	}
	r.opts.Trace.Printf("credentials: key %s, source %s, session token %v, %s", trace.Key(c.AccessKeyID), r.Source, c.SessionToken != "", exp)
	return nil
}

// config loads the SDK configuration once, with r's credentials provider in
// it, for the API clients of this package.
func (r *Result) config(ctx context.Context) (aws.Config, error) {
	r.cfgOnce.Do(func() {
		cfg, err := config.LoadDefaultConfig(ctx, r.loadOpts...)
		if err != nil {
			r.cfgErr = r.loadError(err)
			return
		}
		if r.creds != nil {
			cfg.Credentials = aws.NewCredentialsCache(r.creds)
		}
		r.cfg = cfg
	})
	return r.cfg, r.cfgErr
}

// cachedRole reports whether a profile assumes a role through the shared
// cache: from a source_profile or a credential_source, as the AWS CLI
// caches both. Web identity roles are the SDK's alone.
func cachedRole(sc config.SharedConfig) bool {
	return sc.RoleARN != "" && sc.WebIdentityTokenFile == "" && (sc.SourceProfileName != "" || sc.CredentialSource != "")
}

// staticOnly reports whether a profile's credentials are its own keys and
// nothing else.
func staticOnly(sc config.SharedConfig) bool {
	return sc.Credentials.HasKeys() && sc.RoleARN == "" && sc.CredentialSource == "" && sc.CredentialProcess == "" &&
		sc.SSOSessionName == "" && sc.SSOStartURL == "" && sc.WebIdentityTokenFile == "" && sc.LoginSession == ""
}

func (r *Result) sharedFiles(o *config.LoadSharedConfigOptions) {
	o.ConfigFiles = []string{r.Files.Config}
	o.CredentialsFiles = []string{r.Files.Credentials}
}

// sharedFiles2 is the LoadOptions of every SDK configuration loaded: the
// shared files, and the IAM Identity Center token cache in the toolset's
// home (see awsfiles.SSOTokenPath).
func (r *Result) sharedFiles2(o *config.LoadOptions) error {
	o.SharedConfigFiles = []string{r.Files.Config}
	o.SharedCredentialsFiles = []string{r.Files.Credentials}
	home := awsfiles.HomeDir(r.opts.Env)
	if home == "" {
		return nil
	}
	o.SSOProviderOptions = func(so *ssocreds.Options) {
		// Legacy sso_* profiles: the SDK would look under its own
		// home at the first Retrieve.
		if so.StartURL != "" {
			so.CachedTokenFilepath = awsfiles.SSOTokenPath(home, so.StartURL)
		}
	}
	o.SSOTokenProviderOptions = func(to *ssocreds.SSOTokenProviderOptions) {
		// sso_session profiles: the SDK named the file (the session's
		// key) under its own home; the same file in ours.
		to.CachedTokenFilepath = filepath.Join(awsfiles.SSOCacheDir(home), filepath.Base(to.CachedTokenFilepath))
	}
	return nil
}

func (o Options) mfaCode(ctx context.Context, serial, profile string) (string, error) {
	if o.MFA == nil {
		return "", &MFARequiredError{Profile: profile, Serial: serial}
	}
	code, err := o.MFA(ctx, serial, profile)
	if err != nil {
		return "", &MFARequiredError{Profile: profile, Serial: serial, Err: err}
	}
	if !ValidMFACode(code) {
		return "", &MFARequiredError{Profile: profile, Serial: serial, Err: errors.New("the MFA code must be 6 digits")}
	}
	return code, nil
}

// ValidMFACode reports whether code has the shape of an MFA code: six ASCII
// digits. It is checked before any STS call.
func ValidMFACode(code string) bool { return prompt.ValidMFACode(code) }

func describeSource(sc config.SharedConfig, envKeys, profileChosen bool) string {
	switch {
	case envKeys && !profileChosen:
		return "environment variables"
	case sc.RoleARN != "" && sc.WebIdentityTokenFile != "":
		return "web identity token, role " + sc.RoleARN
	case sc.RoleARN != "" && sc.SourceProfileName != "":
		s := "assume role " + sc.RoleARN + " from profile " + sc.SourceProfileName
		if sc.MFASerial != "" {
			s += " with MFA"
		}
		return s
	case sc.RoleARN != "":
		return "assume role " + sc.RoleARN + " from " + sc.CredentialSource
	case sc.SSOSessionName != "" || sc.SSOStartURL != "":
		return "IAM Identity Center (SSO)"
	case sc.LoginSession != "":
		return "aws login session"
	case sc.CredentialProcess != "":
		return "credential_process"
	case sc.Credentials.HasKeys():
		if sc.Credentials.SessionToken != "" {
			return "session credentials in the shared files"
		}
		return "static keys in the shared files"
	case envKeys:
		return "environment variables"
	}
	return "default chain (web identity, container or EC2 instance metadata)"
}

// configError and loadError turn the SDK's configuration errors into ours.
func (r *Result) configError(err error) error {
	var le config.SharedConfigLoadError
	if errors.As(err, &le) {
		return &ConfigError{File: le.Filename, Err: err}
	}
	var ar config.SharedConfigAssumeRoleError
	if errors.As(err, &ar) {
		return &CredentialError{Profile: r.Profile, Source: "assume role " + ar.RoleARN, Message: describe(ar.Err), Err: err}
	}
	return &ConfigError{File: r.Files.Config, Err: err}
}

func (r *Result) loadError(err error) error {
	var mfa *MFARequiredError
	if errors.As(err, &mfa) {
		return mfa
	}
	var notExist config.SharedConfigProfileNotExistError
	if errors.As(err, &notExist) {
		return &ProfileNotFoundError{Profile: notExist.Profile, Available: r.Files.Profiles(), Files: []string{r.Files.Config, r.Files.Credentials}}
	}
	if errors.As(err, new(config.AssumeRoleTokenProviderNotSetError)) {
		return &MFARequiredError{Profile: r.Profile, Err: errors.New(describe(err))}
	}
	return r.configError(err)
}

func (r *Result) retrieveError(ctx context.Context, err error) error {
	var mfa *MFARequiredError
	if errors.As(err, &mfa) {
		return mfa
	}
	var already interface{ Hint() string }
	if errors.As(err, &already) {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if e := sessionError(r.Kind, r.Profile, err); e != nil {
		return e
	}
	code, text := apiCode(err)
	switch r.Kind {
	case credential.KindContainer, credential.KindInstanceMetadata:
		// The default chain: keep the provider's own cause (a container
		// endpoint's 403, a metadata service's 500), as the AWS CLI does;
		// only a metadata service that is not there means "no credentials".
		var re interface{ HTTPStatusCode() int } // the SDK's and smithy's response errors
		if errors.As(err, &re) {
			detail := ""
			if r.Kind == credential.KindContainer {
				detail = " " + containerDetail(r.opts.Env)
			}
			return &CredentialError{Profile: r.Profile, Source: "the " + r.Kind.String() + detail, Message: fmt.Sprintf("HTTP %d", re.HTTPStatusCode()), Err: err}
		}
		if r.Kind == credential.KindContainer {
			return &CredentialError{Profile: r.Profile, Source: "the " + r.Kind.String() + " " + containerDetail(r.opts.Env), Message: describe(err), Err: err}
		}
		return &NoCredentialsError{Profile: r.Profile}
	}
	if code != "" {
		return &CredentialError{Profile: r.Profile, Source: r.Source, Code: code, Message: text, Err: err}
	}
	return &CredentialError{Profile: r.Profile, Source: r.Source, Message: describe(err), Err: err}
}

// sessionError is the *SessionExpiredError of an IAM Identity Center or
// aws login source (kind) of profile whose token is missing, expired or
// refused; nil for any other failure. Read from the SDK's typed errors
// (see ssoSessionEnded and loginSessionEnded), never from their text but in
// the one place the SDK has no type.
func sessionError(kind credential.Kind, profile string, err error) error {
	switch {
	case kind == credential.KindSSO && ssoSessionEnded(err):
		return &SessionExpiredError{Profile: profile, Err: err}
	case kind == credential.KindLogin && loginSessionEnded(err):
		return &SessionExpiredError{Profile: profile, Login: true, Err: err}
	}
	return nil
}

// ssoSessionEnded reports whether err, from the SDK's IAM Identity Center
// provider, means the session must be started again (aws sso login): the
// cached token is missing or expired (ssocreds.InvalidTokenError, for
// legacy sso_* profiles), the portal refused it (UnauthorizedException),
// or the sso_session token provider failed (missing, expired and not
// refreshable, or its refresh refused): any failure but a call to the
// portal itself, whose own cause (unreachable, 5xx) is kept.
func ssoSessionEnded(err error) bool {
	if errors.As(err, new(*ssocreds.InvalidTokenError)) || errors.As(err, new(*ssotypes.UnauthorizedException)) {
		return true
	}
	var op *smithy.OperationError
	return !(errors.As(err, &op) && op.ServiceID == sso.ServiceID)
}

// loginSessionEnded reports whether err, from the SDK's aws login provider
// (credentials/logincreds), means the login session must be started again
// (aws login). logincreds offers no type for it: a missing token file and
// the sign-in service's expired or changed-password refusals (which it
// turns from the typed AccessDeniedException into text) are errors made
// with fmt.Errorf, each ending in its instruction "please reauthenticate".
// This is the one place that text is read.
func loginSessionEnded(err error) bool {
	return strings.Contains(err.Error(), "please reauthenticate")
}

// Provider is the credential.Provider through the SDK: every source the
// AWS CLI knows. git-codecommit hands it to both helpers when they hand a
// request over (filecreds answered credential.ErrNeedsSDK).
type Provider struct{ Options }

var _ credential.Provider = Provider{}

// Retrieve resolves t's credentials: the profile's own problems first
// (Setup), then t.Check (no region, no host), then the credentials, which
// may ask for an MFA code or call the network.
func (p Provider) Retrieve(ctx context.Context, t target.Target) (credential.Credentials, error) {
	o := p.Options
	o.Target = t
	r, err := Setup(ctx, o)
	if err != nil {
		return credential.Credentials{}, err
	}
	if err := t.Check(); err != nil {
		return credential.Credentials{}, err
	}
	if err := r.Retrieve(ctx); err != nil {
		return credential.Credentials{}, err
	}
	return r.Credentials, nil
}
