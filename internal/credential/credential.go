// Package credential is the named seam between where a git command goes
// (package target) and the AWS credentials it signs with: the typed
// credential source (Kind), the one resolved-credentials value
// (Credentials) and the interface every resolver implements (Provider).
//
// Two providers exist: package filecreds, which reads the shared files and
// the AWS CLI cache without the AWS SDK and answers ErrNeedsSDK for
// anything else (the two git helpers link only it), and package awscreds,
// which resolves every source through aws-sdk-go-v2 (git-codecommit). Both
// helpers pick through this interface the same way: they are handed a
// Provider by their main, and on ErrNeedsSDK hand the request to
// git-codecommit under their own name.
//
// Scope: values and the interface only; no I/O, no AWS SDK.
package credential

import (
	"context"
	"errors"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
	"github.com/gitcodecommit/git-codecommit/internal/target"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Kind is a credential source, as a value: what callers branch on (never the
// words of a description).
type Kind uint8

// Credential sources.
const (
	KindUnknown          Kind = iota
	KindEnvironment           // AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
	KindSharedKeys            // keys in the shared config or credentials file
	KindAssumeRole            // role_arn with source_profile or credential_source
	KindWebIdentity           // AssumeRoleWithWebIdentity with a token file
	KindSSO                   // IAM Identity Center
	KindLogin                 // aws login (login_session)
	KindProcess               // credential_process
	KindContainer             // container credentials endpoint
	KindInstanceMetadata      // EC2 instance metadata service
	KindSTS                   // a call to STS (AssumeRole, GetSessionToken)
)

func (k Kind) String() string {
	switch k {
	case KindEnvironment:
		return "environment variables"
	case KindSharedKeys:
		return "keys in the shared files"
	case KindAssumeRole:
		return "assume role"
	case KindWebIdentity:
		return "web identity"
	case KindSSO:
		return "IAM Identity Center (SSO)"
	case KindLogin:
		return "aws login session"
	case KindProcess:
		return "credential_process"
	case KindContainer:
		return "container credentials endpoint"
	case KindInstanceMetadata:
		return "EC2 instance metadata service"
	case KindSTS:
		return "STS"
	}
	return "credential source"
}

// Credentials are resolved AWS credentials and where they came from.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	Expires                                    time.Time // zero: never

	Kind   Kind   // the source, as a value
	Source string // the source in words, with its detail (the file, the cache entry), for traces and doctor
}

// Signing returns c's keys for sigv4 and when they expire (zero: never).
func (c Credentials) Signing() (sigv4.Credentials, time.Time) {
	return sigv4.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}, c.Expires
}

// Provider resolves the credentials of a target's profile.
type Provider interface {
	// Retrieve returns the credentials t's profile resolves to. The
	// profile's own problems come first, then t.Check's (no region, no
	// host), and only then anything that may ask for an MFA code or call
	// the network. A provider that cannot resolve t alone answers
	// ErrNeedsSDK instead (filecreds, for a target without a region too).
	Retrieve(ctx context.Context, t target.Target) (Credentials, error)
}

// ErrNeedsSDK is the answer of a provider without the AWS SDK (package
// filecreds) for a profile it cannot resolve alone: a role to assume, SSO,
// a process, instance metadata, a missing profile or region, anything its
// strict reading of the files does not fully understand. The helpers then
// hand the request to git-codecommit, which resolves it through awscreds
// (and gives the errors).
var ErrNeedsSDK = errors.New("this credential source needs the AWS SDK")

// Factory makes a program's Provider for its process and tracer: each
// helper's main passes its own (filecreds' in the helpers, awscreds' in
// git-codecommit).
type Factory func(p *proc.Proc, tr *trace.Tracer) Provider
