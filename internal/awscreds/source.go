package awscreds

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/gitcodecommit/git-codecommit/internal/credential"
)

// DefaultBounds is how long each network or process source may take,
// retries included, before it fails with a *TimeoutError (README: Assumed
// roles, "Time bounds"). Each is no longer than the AWS CLI's: botocore
// waits up to 2 s per attempt, 3 attempts, on the container endpoint; 1 s
// per attempt on instance metadata; 60 s per read on STS, SSO and sign-in;
// without end on a credential_process (aws-sdk-go-v2: 1 minute).
var DefaultBounds = map[credential.Kind]time.Duration{
	credential.KindContainer:        5 * time.Second,
	credential.KindInstanceMetadata: 1 * time.Second,
	credential.KindSTS:              20 * time.Second,
	credential.KindWebIdentity:      20 * time.Second,
	credential.KindSSO:              20 * time.Second,
	credential.KindLogin:            20 * time.Second,
	credential.KindProcess:          60 * time.Second,
}

// bound is the time source k may take (0: unbounded, for sources that do no
// I/O beyond a file).
func (o Options) bound(k credential.Kind) time.Duration {
	if d, ok := o.Bounds[k]; ok {
		return d
	}
	return DefaultBounds[k]
}

// TimeoutError is a credential source that did not answer in its bound.
type TimeoutError struct {
	Profile string
	Source  credential.Kind
	Detail  string // the endpoint or command, without secrets
	Bound   time.Duration
}

func (e *TimeoutError) Error() string {
	s := fmt.Sprintf("getting credentials for profile %q from the %s", e.Profile, e.Source)
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s + fmt.Sprintf(": no answer within %s", e.Bound)
}

// Hint implements failure.Hinter.
func (e *TimeoutError) Hint() string {
	switch e.Source {
	case credential.KindProcess:
		return "check that the credential_process of profile " + e.Profile + " ends by itself, or run it by hand"
	case credential.KindContainer:
		return "check AWS_CONTAINER_CREDENTIALS_FULL_URI / _RELATIVE_URI and that the endpoint is up"
	case credential.KindInstanceMetadata:
		return "check the instance's metadata service, or configure other credentials (aws configure)"
	}
	return "check your network connection to AWS and retry"
}

// bounded returns p with the bound of source k on each retrieval: past it
// the retrieval ends with a *TimeoutError; a cancelled ctx stays the
// context's error.
func (o Options) bounded(profile string, k credential.Kind, detail string, p aws.CredentialsProvider) aws.CredentialsProvider {
	d := o.bound(k)
	if d <= 0 || p == nil {
		return p
	}
	return aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
		bctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		c, err := p.Retrieve(bctx)
		if err != nil && ctx.Err() == nil && bctx.Err() != nil {
			return aws.Credentials{}, &TimeoutError{Profile: profile, Source: k, Detail: detail, Bound: d}
		}
		return c, err
	})
}

// withBound runs call under the bound of k, as bounded does.
func (o Options) withBound(ctx context.Context, profile string, k credential.Kind, detail string, call func(context.Context) error) error {
	d := o.bound(k)
	if d <= 0 {
		return call(ctx)
	}
	bctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	err := call(bctx)
	if err != nil && ctx.Err() == nil && bctx.Err() != nil {
		return &TimeoutError{Profile: profile, Source: k, Detail: detail, Bound: d}
	}
	return err
}

// kindOf is the source the SDK (or this package) takes profile sc's
// credentials from; envKeys and explicit as in Setup.
func kindOf(sc config.SharedConfig, env func(string) string, envKeys, explicit bool, credsFile string) credential.Kind {
	if envKeys && !explicit {
		return credential.KindEnvironment
	}
	if k := ownKind(sc, credsFile); k != credential.KindUnknown {
		return k
	}
	if envKeys {
		return credential.KindEnvironment
	}
	return defaultChainKind(env)
}

// ownKind is the source profile sc names itself; credential.KindUnknown if it names
// none (the default chain then answers).
func ownKind(sc config.SharedConfig, credsFile string) credential.Kind {
	switch {
	case sc.RoleARN != "" && sc.WebIdentityTokenFile != "":
		return credential.KindWebIdentity
	case sc.RoleARN != "":
		return credential.KindAssumeRole
	case sc.SSOSessionName != "" || sc.SSOStartURL != "":
		return credential.KindSSO
	case sc.LoginSession != "":
		return credential.KindLogin
	case sc.CredentialProcess != "" && !keysFromCredentialsFile(sc, credsFile):
		return credential.KindProcess
	case sc.Credentials.HasKeys():
		return credential.KindSharedKeys
	}
	return credential.KindUnknown
}

// defaultChainKind is the source the SDK's default chain reaches when a
// profile has none of its own: web identity from the environment, else the
// container endpoint, else instance metadata.
func defaultChainKind(env func(string) string) credential.Kind {
	switch {
	case env("AWS_WEB_IDENTITY_TOKEN_FILE") != "" && env("AWS_ROLE_ARN") != "":
		return credential.KindWebIdentity
	case env("AWS_CONTAINER_CREDENTIALS_FULL_URI") != "" || env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != "":
		return credential.KindContainer
	}
	return credential.KindInstanceMetadata
}

// containerDetail names the container endpoint for errors.
func containerDetail(env func(string) string) string {
	if u := env("AWS_CONTAINER_CREDENTIALS_FULL_URI"); u != "" {
		return u
	}
	if p := env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); p != "" {
		return "http://169.254.170.2" + p
	}
	return ""
}
