// Package iamapi is the IAM API git-codecommit's `ssh` and `git-credentials`
// commands and doctor need: the caller's IAM user, its SSH public keys and
// its service-specific credentials for CodeCommit ("Git credentials"), with
// the credentials of awscreds and IAM's errors mapped to typed errors with
// a hint. IAM is reached at AWS_ENDPOINT_URL_IAM, else AWS_ENDPOINT_URL,
// else the SDK's endpoint for the partition.
//
// Only git-codecommit links it: the helpers link no SDK.
package iamapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
)

// CodeCommitService is the service name of CodeCommit's Git credentials.
const CodeCommitService = "codecommit.amazonaws.com"

// Limits IAM enforces per user.
const (
	MaxSSHKeys        = 5
	MaxGitCredentials = 2
)

// Status of a key or credential.
const (
	Active   = "Active"
	Inactive = "Inactive"
)

// Client calls IAM with one resolved profile's credentials.
type Client struct {
	r   *awscreds.Result
	iam *iam.Client
}

// New returns a client for r (credentials are retrieved on first use).
// getenv reads AWS_ENDPOINT_URL_IAM and AWS_ENDPOINT_URL.
func New(ctx context.Context, r *awscreds.Result, getenv func(string) string) (*Client, error) {
	cfg, err := r.SDKConfig(ctx)
	if err != nil {
		return nil, err
	}
	ep := getenv("AWS_ENDPOINT_URL_IAM")
	if ep == "" {
		ep = getenv("AWS_ENDPOINT_URL")
	}
	c := iam.NewFromConfig(cfg, func(o *iam.Options) {
		if ep != "" {
			o.BaseEndpoint = aws.String(ep)
		}
	})
	return &Client{r: r, iam: c}, nil
}

// NotIAMUserError: the profile's identity is not an IAM user (a role, an
// SSO or federated session, the root user), so it has no SSH keys or Git
// credentials.
type NotIAMUserError struct {
	Profile, ARN string
	What         string // "SSH keys" or "Git credentials"
}

func (e *NotIAMUserError) Error() string {
	return fmt.Sprintf("%s need an IAM user, and profile %s is %s", e.What, e.Profile, e.ARN)
}

// Hint implements failure.Hinter.
func (e *NotIAMUserError) Hint() string {
	return fmt.Sprintf("use signed HTTPS instead: git codecommit clone --profile %s REPO (or 'git codecommit setup --global --profile %s' for https remotes)", e.Profile, e.Profile)
}

// UserName returns the IAM user name of an ARN
// arn:PARTITION:iam::ACCOUNT:user[/PATH]/NAME, or "".
func UserName(arn string) string {
	f := strings.SplitN(arn, ":", 6)
	if len(f) != 6 || f[2] != "iam" {
		return ""
	}
	rest, ok := strings.CutPrefix(f[5], "user/")
	if !ok {
		return ""
	}
	return rest[strings.LastIndex(rest, "/")+1:]
}

// Caller is the profile's IAM user.
type Caller struct {
	Account, ARN, User string
}

// ForUser is the client of an IAM user's commands: it returns a client for
// r and the profile's IAM user, or NotIAMUserError naming what needs one
// ("SSH keys", "Git credentials"). A profile that assumes a role is refused
// at once, before any credentials are retrieved; otherwise the credentials
// are retrieved (their source's own error first) and STS names the user.
func ForUser(ctx context.Context, r *awscreds.Result, getenv func(string) string, what string) (*Client, Caller, error) {
	if r.RoleARN != "" {
		return nil, Caller{}, &NotIAMUserError{Profile: r.Profile, ARN: "a role (" + r.RoleARN + ")", What: what}
	}
	c, err := New(ctx, r, getenv)
	if err != nil {
		return nil, Caller{}, err
	}
	if err := r.Retrieve(ctx); err != nil {
		return nil, Caller{}, err
	}
	who, err := c.Caller(ctx, what)
	if err != nil {
		return nil, Caller{}, err
	}
	return c, who, nil
}

// Caller returns the IAM user of the profile's credentials (STS
// GetCallerIdentity), or NotIAMUserError naming what needs one.
func (c *Client) Caller(ctx context.Context, what string) (Caller, error) {
	id, err := c.r.CallerIdentity(ctx)
	if err != nil {
		return Caller{}, err
	}
	u := UserName(id.ARN)
	if u == "" {
		return Caller{}, &NotIAMUserError{Profile: c.r.Profile, ARN: id.ARN, What: what}
	}
	return Caller{Account: id.Account, ARN: id.ARN, User: u}, nil
}

// SSHKey is an SSH public key uploaded to IAM.
type SSHKey struct {
	ID, User, Status string
	Fingerprint      string // MD5, colon-separated hex, as IAM gives it
	Body             string // ssh-rsa … ("" from List)
	Uploaded         time.Time
}

func sshKey(k *iamtypes.SSHPublicKey) SSHKey {
	return SSHKey{ID: aws.ToString(k.SSHPublicKeyId), User: aws.ToString(k.UserName), Status: string(k.Status),
		Fingerprint: aws.ToString(k.Fingerprint), Body: aws.ToString(k.SSHPublicKeyBody), Uploaded: aws.ToTime(k.UploadDate)}
}

// UploadSSHKey uploads an OpenSSH public key line for user.
func (c *Client) UploadSSHKey(ctx context.Context, user, body string) (SSHKey, error) {
	out, err := c.iam.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String(user), SSHPublicKeyBody: aws.String(body)})
	if err != nil {
		return SSHKey{}, c.err(ctx, "iam:UploadSSHPublicKey", user, err)
	}
	return sshKey(out.SSHPublicKey), nil
}

// ListSSHKeys lists user's SSH keys with their fingerprints and bodies (one
// GetSSHPublicKey per key; IAM allows five).
func (c *Client) ListSSHKeys(ctx context.Context, user string) ([]SSHKey, error) {
	var keys []SSHKey
	p := iam.NewListSSHPublicKeysPaginator(c.iam, &iam.ListSSHPublicKeysInput{UserName: aws.String(user)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, c.err(ctx, "iam:ListSSHPublicKeys", user, err)
		}
		for _, m := range out.SSHPublicKeys {
			k, err := c.GetSSHKey(ctx, user, aws.ToString(m.SSHPublicKeyId))
			if err != nil {
				return nil, err
			}
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// GetSSHKey returns one of user's keys; a key that user does not have is
// NoSuchEntityError.
func (c *Client) GetSSHKey(ctx context.Context, user, id string) (SSHKey, error) {
	out, err := c.iam.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: aws.String(user), SSHPublicKeyId: aws.String(id), Encoding: iamtypes.EncodingTypeSsh})
	if err != nil {
		return SSHKey{}, c.err(ctx, "iam:GetSSHPublicKey", user, err)
	}
	return sshKey(out.SSHPublicKey), nil
}

// SetSSHKeyStatus makes one of user's keys Active or Inactive.
func (c *Client) SetSSHKeyStatus(ctx context.Context, user, id, status string) error {
	_, err := c.iam.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String(user), SSHPublicKeyId: aws.String(id), Status: iamtypes.StatusType(status)})
	if err != nil {
		return c.err(ctx, "iam:UpdateSSHPublicKey", user, err)
	}
	return nil
}

// DeleteSSHKey deletes one of user's keys.
func (c *Client) DeleteSSHKey(ctx context.Context, user, id string) error {
	_, err := c.iam.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: aws.String(user), SSHPublicKeyId: aws.String(id)})
	if err != nil {
		return c.err(ctx, "iam:DeleteSSHPublicKey", user, err)
	}
	return nil
}

// GitCredential is a service-specific credential for CodeCommit. Password
// is set only by Create and Reset; it is never traced or logged.
type GitCredential struct {
	ID, User, UserName, Status string // UserName is the Git user name, NAME-at-ACCOUNT
	Password                   string
	Created                    time.Time
}

// String never shows the password.
func (g GitCredential) String() string {
	return fmt.Sprintf("%s %s %s", g.ID, g.UserName, g.Status)
}

func gitCredential(sc *iamtypes.ServiceSpecificCredential) GitCredential {
	return GitCredential{ID: aws.ToString(sc.ServiceSpecificCredentialId), User: aws.ToString(sc.UserName), UserName: aws.ToString(sc.ServiceUserName),
		Status: string(sc.Status), Password: aws.ToString(sc.ServicePassword), Created: aws.ToTime(sc.CreateDate)}
}

// CreateGitCredential creates a Git credential for user.
func (c *Client) CreateGitCredential(ctx context.Context, user string) (GitCredential, error) {
	out, err := c.iam.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String(user), ServiceName: aws.String(CodeCommitService)})
	if err != nil {
		return GitCredential{}, c.err(ctx, "iam:CreateServiceSpecificCredential", user, err)
	}
	return gitCredential(out.ServiceSpecificCredential), nil
}

// ListGitCredentials lists user's Git credentials (without passwords).
func (c *Client) ListGitCredentials(ctx context.Context, user string) ([]GitCredential, error) {
	out, err := c.iam.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String(user), ServiceName: aws.String(CodeCommitService)})
	if err != nil {
		return nil, c.err(ctx, "iam:ListServiceSpecificCredentials", user, err)
	}
	var list []GitCredential
	for _, m := range out.ServiceSpecificCredentials {
		list = append(list, GitCredential{ID: aws.ToString(m.ServiceSpecificCredentialId), User: aws.ToString(m.UserName),
			UserName: aws.ToString(m.ServiceUserName), Status: string(m.Status), Created: aws.ToTime(m.CreateDate)})
	}
	return list, nil
}

// ResetGitCredential gives one of user's Git credentials a new password.
func (c *Client) ResetGitCredential(ctx context.Context, user, id string) (GitCredential, error) {
	out, err := c.iam.ResetServiceSpecificCredential(ctx, &iam.ResetServiceSpecificCredentialInput{UserName: aws.String(user), ServiceSpecificCredentialId: aws.String(id)})
	if err != nil {
		return GitCredential{}, c.err(ctx, "iam:ResetServiceSpecificCredential", user, err)
	}
	return gitCredential(out.ServiceSpecificCredential), nil
}

// DeleteGitCredential deletes one of user's Git credentials.
func (c *Client) DeleteGitCredential(ctx context.Context, user, id string) error {
	_, err := c.iam.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: aws.String(user), ServiceSpecificCredentialId: aws.String(id)})
	if err != nil {
		return c.err(ctx, "iam:DeleteServiceSpecificCredential", user, err)
	}
	return nil
}

// LimitExceededError: IAM's per-user limit (five SSH keys, two Git
// credentials) is reached.
type LimitExceededError struct {
	Op, User, Message string
}

func (e *LimitExceededError) Error() string {
	if strings.Contains(e.Op, "SSH") {
		return fmt.Sprintf("IAM user %s already has %d SSH public keys, the most IAM allows", e.User, MaxSSHKeys)
	}
	return fmt.Sprintf("IAM user %s already has %d Git credentials for CodeCommit, the most IAM allows", e.User, MaxGitCredentials)
}

// Hint implements failure.Hinter.
func (e *LimitExceededError) Hint() string {
	if strings.Contains(e.Op, "SSH") {
		return "delete one first: git codecommit ssh list, then git codecommit ssh delete KEYID"
	}
	return "reset one instead (git codecommit git-credentials reset ID) or delete one (git codecommit git-credentials list, then delete ID)"
}

// InvalidKeyError: IAM refused the public key (format or size).
type InvalidKeyError struct{ Code, Message string }

func (e *InvalidKeyError) Error() string {
	return fmt.Sprintf("IAM refused the public key: %s (%s)", e.Message, e.Code)
}

// Hint implements failure.Hinter.
func (e *InvalidKeyError) Hint() string {
	return "CodeCommit takes RSA keys of 2048 bits or more: ssh-keygen -t rsa -b 4096 -f ~/.ssh/codecommit_rsa, or git codecommit ssh setup --generate"
}

// DuplicateKeyError: the key is already uploaded for the user.
type DuplicateKeyError struct{ User string }

func (e *DuplicateKeyError) Error() string {
	return fmt.Sprintf("the public key is already uploaded for IAM user %s", e.User)
}

// Hint implements failure.Hinter.
func (e *DuplicateKeyError) Hint() string {
	return "see its key ID and status with git codecommit ssh list"
}

// NoSuchEntityError: the user, key or credential does not exist (for that
// user).
type NoSuchEntityError struct{ Op, User, Message string }

func (e *NoSuchEntityError) Error() string {
	return fmt.Sprintf("%s: %s", e.Op, strings.TrimSuffix(e.Message, "."))
}

// Hint implements failure.Hinter.
func (e *NoSuchEntityError) Hint() string {
	if strings.Contains(e.Op, "ServiceSpecific") {
		return "list IAM user " + e.User + "'s Git credentials with git codecommit git-credentials list"
	}
	return "list IAM user " + e.User + "'s SSH keys with git codecommit ssh list"
}

func (c *Client) err(ctx context.Context, op, user string, err error) error {
	var ae smithy.APIError
	if ctx.Err() == nil && errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "LimitExceeded":
			return &LimitExceededError{Op: op, User: user, Message: ae.ErrorMessage()}
		case "InvalidPublicKey", "UnrecognizedPublicKeyEncoding":
			return &InvalidKeyError{Code: ae.ErrorCode(), Message: strings.TrimSuffix(ae.ErrorMessage(), ".")}
		case "DuplicateSSHPublicKey":
			return &DuplicateKeyError{User: user}
		case "NoSuchEntity":
			return &NoSuchEntityError{Op: op, User: user, Message: ae.ErrorMessage()}
		}
	}
	return c.r.APIError(ctx, op, "", err)
}

// IsNoSuchEntity reports whether err is IAM's NoSuchEntity.
func IsNoSuchEntity(err error) bool {
	var e *NoSuchEntityError
	return errors.As(err, &e)
}
