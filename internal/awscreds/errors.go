package awscreds

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/gitcodecommit/git-codecommit/internal/prompt"
)

// ProfileNotFoundError: a named profile is in neither the config nor the
// credentials file.
type ProfileNotFoundError struct {
	Profile   string
	Available []string
	Files     []string
}

func (e *ProfileNotFoundError) Error() string {
	msg := fmt.Sprintf("profile %q not found in %s", e.Profile, strings.Join(e.Files, " or "))
	if len(e.Available) > 0 {
		msg += " (available: " + strings.Join(e.Available, ", ") + ")"
	} else {
		msg += " (no profiles are configured)"
	}
	return msg
}

// Hint implements failure.Hinter.
func (e *ProfileNotFoundError) Hint() string {
	return fmt.Sprintf("run 'aws configure --profile %s', or use one of the available profiles", e.Profile)
}

// NoCredentialsError: no source in the chain had credentials.
type NoCredentialsError struct {
	Profile string
	Detail  string
}

func (e *NoCredentialsError) Error() string {
	msg := fmt.Sprintf("no AWS credentials found for profile %q", e.Profile)
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

// Hint implements failure.Hinter.
func (e *NoCredentialsError) Hint() string {
	return fmt.Sprintf("run 'aws configure --profile %s' or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", e.Profile)
}

// MFARequiredError: the profile needs an MFA code and nothing can ask for one.
type MFARequiredError struct {
	Profile, Serial string
	Err             error
}

func (e *MFARequiredError) Error() string {
	msg := fmt.Sprintf("profile %q needs an MFA code for %s", e.Profile, e.Serial)
	if errors.Is(e.Err, prompt.ErrNoPrompt) {
		return msg + " and there is no terminal or askpass program to ask for it"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}
func (e *MFARequiredError) Unwrap() error { return e.Err }

// Hint implements failure.Hinter.
func (e *MFARequiredError) Hint() string {
	if e.Err == nil || errors.Is(e.Err, prompt.ErrNoPrompt) {
		return fmt.Sprintf("run 'git codecommit mfa --profile %s' in a terminal first, or set GIT_ASKPASS", e.Profile)
	}
	return fmt.Sprintf("retry with the 6-digit code your MFA device shows, or run 'git codecommit mfa --profile %s' in a terminal", e.Profile)
}

// SessionExpiredError: an IAM Identity Center or `aws login` session has
// expired or was never started. Its message carries the fix: "the SSO session
// for profile P has expired: run aws sso login --profile P".
type SessionExpiredError struct {
	Profile string
	Login   bool // an `aws login` session rather than SSO
	Err     error
}

func (e *SessionExpiredError) Error() string {
	kind := "SSO"
	if e.Login {
		kind = "login"
	}
	return fmt.Sprintf("the %s session for profile %s has expired: %s", kind, e.Profile, e.Hint())
}
func (e *SessionExpiredError) Unwrap() error { return e.Err }

// Hint implements failure.Hinter.
func (e *SessionExpiredError) Hint() string {
	if e.Login {
		return "run aws login --profile " + e.Profile
	}
	return "run aws sso login --profile " + e.Profile
}

// CredentialError is a failure of a credential source, described without the
// SDK's internal chain of wrappers.
type CredentialError struct {
	Profile string
	Source  string // what failed: "assume role arn:…", "credential_process", …
	Code    string // AWS error code, when the service sent one
	Message string
	MFA     bool // the failed call carried an MFA code
	Err     error
}

func (e *CredentialError) Error() string {
	msg := fmt.Sprintf("getting credentials for profile %q", e.Profile)
	if e.Source != "" {
		msg += " from " + e.Source
	}
	if e.Code != "" {
		msg += ": " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}
func (e *CredentialError) Unwrap() error { return e.Err }

// Hint implements failure.Hinter.
func (e *CredentialError) Hint() string {
	switch e.Code {
	case "ExpiredToken", "ExpiredTokenException":
		return "the source credentials have expired: refresh them (aws sso login, git codecommit mfa) and retry"
	case "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException":
		return fmt.Sprintf("the access key or secret of profile %s is wrong: run 'aws configure --profile %s'", e.Profile, e.Profile)
	case "AccessDenied":
		if e.MFA {
			return "check the MFA code (use the device's current code, not one already used) and retry; if it was right, check the role's trust policy"
		}
		return "check the role's trust policy and the caller's sts:AssumeRole permission"
	}
	return ""
}

// NeedsDiagnosis implements failure.Diagnose: git codecommit doctor is the
// way on but for a wrong MFA code or a key the fix names.
func (e *CredentialError) NeedsDiagnosis() bool {
	switch e.Code {
	case "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException":
		return false
	case "AccessDenied":
		return !e.MFA
	}
	return true
}

// ConfigError: the shared config or credentials file cannot be read.
type ConfigError struct {
	File string
	Err  error
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("cannot read AWS configuration %s: %s", e.File, describe(e.Err))
}
func (e *ConfigError) Unwrap() error { return e.Err }

// Hint implements failure.Hinter.
func (e *ConfigError) Hint() string {
	return "fix the file (aws configure list shows what the AWS CLI reads)"
}

// describe turns an SDK error into a short message: the AWS error code and
// message when the service sent one, else the innermost error text.
func describe(err error) string {
	if err == nil {
		return ""
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch code, msg := ae.ErrorCode(), strings.TrimSpace(ae.ErrorMessage()); {
		case code != "" && msg != "":
			return code + ": " + msg
		case code != "" || msg != "":
			return code + msg
		}
	}
	inner := err
	for {
		u := errors.Unwrap(inner)
		if u == nil {
			break
		}
		inner = u
	}
	return inner.Error()
}

// codeAndMessage returns err's AWS error code, if any, and a message
// without it, for CredentialError.
func codeAndMessage(err error) (string, string) {
	code, msg := apiCode(err)
	if code == "" {
		msg = describe(err)
	}
	return code, msg
}

// apiCode returns the AWS error code and message carried by err, if any.
func apiCode(err error) (string, string) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode(), ae.ErrorMessage()
	}
	return "", ""
}

// PartialCredentialsError is AWS_ACCESS_KEY_ID without
// AWS_SECRET_ACCESS_KEY, which the AWS CLI refuses too.
type PartialCredentialsError struct{ Missing string }

func (e *PartialCredentialsError) Error() string {
	return "partial credentials in the environment: AWS_ACCESS_KEY_ID is set, " + e.Missing + " is not"
}

// Hint implements failure.Hinter.
func (e *PartialCredentialsError) Hint() string {
	return "set " + e.Missing + " too, or unset AWS_ACCESS_KEY_ID to use a profile"
}
