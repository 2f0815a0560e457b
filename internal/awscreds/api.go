package awscreds

// The AWS API calls of the toolset: STS GetCallerIdentity and the CodeCommit
// repository operations. They take a resolved Result (its SDK configuration
// and credentials), return plain structs, and map the service's errors to
// the typed errors below, each with a Hint; no SDK type leaves this file.

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	cctypes "github.com/aws/aws-sdk-go-v2/service/codecommit/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Identity is what STS GetCallerIdentity says about the caller.
type Identity struct {
	Account, ARN, UserID string
}

// Repository is a CodeCommit repository's metadata.
type Repository struct {
	Name, ID, ARN, Account    string
	Description               string
	DefaultBranch             string // "" for an empty repository
	CloneURLHTTP, CloneURLSSH string
	Created, Modified         time.Time
}

// Region returns the region in the repository's ARN
// (arn:PARTITION:codecommit:REGION:ACCOUNT:NAME), or "".
func (r Repository) Region() string {
	f := strings.SplitN(r.ARN, ":", 6)
	if len(f) < 6 {
		return ""
	}
	return f[3]
}

// RepositorySummary is one entry of ListRepositories.
type RepositorySummary struct {
	Name, ID string
}

// CallerIdentity calls STS GetCallerIdentity with r's credentials.
func (r *Result) CallerIdentity(ctx context.Context) (Identity, error) {
	cfg, err := r.config(ctx)
	if err != nil {
		return Identity{}, err
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Identity{}, r.apiError(ctx, "sts:GetCallerIdentity", "", err)
	}
	return Identity{Account: aws.ToString(out.Account), ARN: aws.ToString(out.Arn), UserID: aws.ToString(out.UserId)}, nil
}

func (r *Result) codecommit(ctx context.Context) (*codecommit.Client, error) {
	cfg, err := r.config(ctx)
	if err != nil {
		return nil, err
	}
	return codecommit.NewFromConfig(cfg), nil
}

// GetRepository returns the metadata of repository name.
func (r *Result) GetRepository(ctx context.Context, name string) (Repository, error) {
	cc, err := r.codecommit(ctx)
	if err != nil {
		return Repository{}, err
	}
	out, err := cc.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String(name)})
	if err != nil {
		return Repository{}, r.apiError(ctx, "codecommit:GetRepository", name, err)
	}
	return repository(out.RepositoryMetadata), nil
}

// CreateRepository creates repository name with an optional description.
func (r *Result) CreateRepository(ctx context.Context, name, description string) (Repository, error) {
	in := &codecommit.CreateRepositoryInput{RepositoryName: aws.String(name)}
	if description != "" {
		in.RepositoryDescription = aws.String(description)
	}
	cc, err := r.codecommit(ctx)
	if err != nil {
		return Repository{}, err
	}
	out, err := cc.CreateRepository(ctx, in)
	if err != nil {
		return Repository{}, r.apiError(ctx, "codecommit:CreateRepository", name, err)
	}
	return repository(out.RepositoryMetadata), nil
}

// ListRepositories returns every repository of the region, sorted by name.
func (r *Result) ListRepositories(ctx context.Context) ([]RepositorySummary, error) {
	cc, err := r.codecommit(ctx)
	if err != nil {
		return nil, err
	}
	var list []RepositorySummary
	pages := codecommit.NewListRepositoriesPaginator(cc, &codecommit.ListRepositoriesInput{})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, r.apiError(ctx, "codecommit:ListRepositories", "", err)
		}
		for _, e := range out.Repositories {
			list = append(list, RepositorySummary{Name: aws.ToString(e.RepositoryName), ID: aws.ToString(e.RepositoryId)})
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	return list, nil
}

// DeleteRepository deletes repository name and returns its id. CodeCommit
// answers success without an id for a repository that does not exist; that
// is reported as a RepositoryDoesNotExistError.
func (r *Result) DeleteRepository(ctx context.Context, name string) (string, error) {
	cc, err := r.codecommit(ctx)
	if err != nil {
		return "", err
	}
	out, err := cc.DeleteRepository(ctx, &codecommit.DeleteRepositoryInput{RepositoryName: aws.String(name)})
	if err != nil {
		return "", r.apiError(ctx, "codecommit:DeleteRepository", name, err)
	}
	if aws.ToString(out.RepositoryId) == "" {
		return "", &RepositoryDoesNotExistError{Name: name, Region: r.Region}
	}
	return aws.ToString(out.RepositoryId), nil
}

func repository(m *cctypes.RepositoryMetadata) Repository {
	if m == nil {
		return Repository{}
	}
	return Repository{
		Name:          aws.ToString(m.RepositoryName),
		ID:            aws.ToString(m.RepositoryId),
		ARN:           aws.ToString(m.Arn),
		Account:       aws.ToString(m.AccountId),
		Description:   aws.ToString(m.RepositoryDescription),
		DefaultBranch: aws.ToString(m.DefaultBranch),
		CloneURLHTTP:  aws.ToString(m.CloneUrlHttp),
		CloneURLSSH:   aws.ToString(m.CloneUrlSsh),
		Created:       aws.ToTime(m.CreationDate),
		Modified:      aws.ToTime(m.LastModifiedDate),
	}
}

// apiError maps an SDK error of operation op (on repository repo, if any)
// to one of the typed errors of this file.
func (r *Result) apiError(ctx context.Context, op, repo string, err error) error {
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

// Hint implements failure.Hinter.
func (e *APIError) Hint() string { return "run 'git codecommit doctor' for a diagnosis" }
