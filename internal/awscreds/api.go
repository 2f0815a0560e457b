package awscreds

// The AWS API calls of the toolset: STS GetCallerIdentity here, the
// CodeCommit repository operations in package repoapi. They take a resolved
// Result (its SDK configuration and credentials), return plain structs, and
// map the service's errors to the typed errors below, each with a Hint.

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Identity is what STS GetCallerIdentity says about the caller.
type Identity struct {
	Account, ARN, UserID string
}

// CallerIdentity calls STS GetCallerIdentity with r's credentials.
func (r *Result) CallerIdentity(ctx context.Context) (Identity, error) {
	cfg, err := r.config(ctx)
	if err != nil {
		return Identity{}, err
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Identity{}, r.APIError(ctx, "sts:GetCallerIdentity", "", err)
	}
	return Identity{Account: aws.ToString(out.Account), ARN: aws.ToString(out.Arn), UserID: aws.ToString(out.UserId)}, nil
}

// SDKConfig is the SDK configuration of r, its credentials included, for
// the API clients of package repoapi.
func (r *Result) SDKConfig(ctx context.Context) (aws.Config, error) { return r.config(ctx) }

// APIError maps an SDK error of operation op (on repository repo, if any)
// to one of the typed errors of this file.
func (r *Result) APIError(ctx context.Context, op, repo string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", op, ctx.Err())
	}
	code, msg := apiCode(err)
	switch code {
	case "RepositoryDoesNotExistException":
		return &RepositoryDoesNotExistError{Name: repo, Region: r.Region}
	case "RepositoryNameExistsException":
		return &RepositoryNameExistsError{Name: repo}
	case "AccessDenied", "AccessDeniedException":
		return &AccessDeniedError{Op: op, Profile: r.Profile, Message: msg}
	case "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidSignatureException":
		return &InvalidCredentialsError{Op: op, Profile: r.Profile, Code: code, Message: msg, Key: r.Credentials.AccessKeyID}
	case "ExpiredToken", "ExpiredTokenException", "RequestExpired":
		return &ExpiredTokenError{Op: op, Profile: r.Profile, Message: msg}
	case "":
		return &APIError{Op: op, Message: describe(err), Err: err}
	}
	return &APIError{Op: op, Code: code, Message: msg, Err: err}
}

// RepositoryDoesNotExistError: no repository of that name in the region.
type RepositoryDoesNotExistError struct{ Name, Region string }

func (e *RepositoryDoesNotExistError) Error() string {
	return fmt.Sprintf("repository %s does not exist in %s", e.Name, e.Region)
}

// Hint implements failure.Hinter.
func (e *RepositoryDoesNotExistError) Hint() string {
	return fmt.Sprintf("check the name (names are case-sensitive) with 'git codecommit list --region %s', or create it with 'git codecommit create %s'", e.Region, e.Name)
}

// RepositoryNameExistsError: CreateRepository of a name already taken.
type RepositoryNameExistsError struct{ Name string }

func (e *RepositoryNameExistsError) Error() string {
	return fmt.Sprintf("repository %s already exists", e.Name)
}

// Hint implements failure.Hinter.
func (e *RepositoryNameExistsError) Hint() string {
	return fmt.Sprintf("choose another name, or see it with 'git codecommit info %s'", e.Name)
}

// AccessDeniedError: the caller lacks the IAM permission for the operation.
type AccessDeniedError struct {
	Op      string // the IAM action, e.g. codecommit:GetRepository
	Profile string
	Message string
}

func (e *AccessDeniedError) Error() string {
	msg := fmt.Sprintf("access denied: %s", e.Op)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// Hint implements failure.Hinter.
func (e *AccessDeniedError) Hint() string {
	return fmt.Sprintf("grant %s to the identity of profile %s (an IAM policy), or use a profile that has it", e.Op, e.Profile)
}

// InvalidCredentialsError: AWS does not know the access key, or the secret
// does not match it.
type InvalidCredentialsError struct {
	Op, Profile, Code, Message string
	Key                        string // the access key id; shown only as ****LAST4
}

// WrongSecret reports whether the key is known but the signature is wrong.
func (e *InvalidCredentialsError) WrongSecret() bool {
	return e.Code == "SignatureDoesNotMatch" || e.Code == "InvalidSignatureException"
}

func (e *InvalidCredentialsError) Error() string {
	what := "the access key id " + trace.Key(e.Key) + " is not valid"
	if e.WrongSecret() {
		what = "the secret access key does not match access key id " + trace.Key(e.Key)
	}
	return fmt.Sprintf("%s: %s (%s)", e.Op, what, e.Code)
}

// Hint implements failure.Hinter.
func (e *InvalidCredentialsError) Hint() string {
	return fmt.Sprintf("set the right key pair with 'aws configure --profile %s' (or fix AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)", e.Profile)
}

// ExpiredTokenError: the session token of temporary credentials expired.
type ExpiredTokenError struct{ Op, Profile, Message string }

func (e *ExpiredTokenError) Error() string {
	return fmt.Sprintf("%s: the session token of profile %s has expired", e.Op, e.Profile)
}

// Hint implements failure.Hinter.
func (e *ExpiredTokenError) Hint() string {
	return fmt.Sprintf("get fresh temporary credentials for profile %s (aws sso login, git codecommit mfa, or a new aws sts get-session-token), then retry", e.Profile)
}

// APIError is any other failure of an AWS API call.
type APIError struct {
	Op, Code, Message string
	Err               error
}

func (e *APIError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("%s: %s: %s", e.Op, e.Code, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Op, e.Message)
}
func (e *APIError) Unwrap() error { return e.Err }

// NeedsDiagnosis implements failure.Diagnose: git codecommit doctor is the
// fix of any other API failure.
func (e *APIError) NeedsDiagnosis() bool { return true }
