package awscreds

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/gitcodecommit/git-codecommit/internal/credential"
)

// SessionTokenInput are the arguments of GetSessionToken.
type SessionTokenInput struct {
	Serial   string        // the MFA device's serial number (ARN)
	Code     string        // its current code, six digits
	Duration time.Duration // 0: STS's default (12 hours)
}

// GetSessionToken calls STS GetSessionToken with the credentials of r (a
// long-term IAM user's, for MFA) and returns the session credentials. The
// code is checked before the call.
func (r *Result) GetSessionToken(ctx context.Context, in SessionTokenInput) (credential.Credentials, error) {
	if in.Serial == "" {
		return credential.Credentials{}, &MFARequiredError{Profile: r.Profile, Serial: "(no mfa_serial)", Err: errors.New("no MFA device serial: pass --serial or set mfa_serial in the profile")}
	}
	if !ValidMFACode(in.Code) {
		return credential.Credentials{}, &MFARequiredError{Profile: r.Profile, Serial: in.Serial, Err: errors.New("the MFA code must be 6 digits")}
	}
	cfg, err := r.config(ctx)
	if err != nil {
		return credential.Credentials{}, err
	}
	if cfg.Credentials == nil {
		return credential.Credentials{}, &NoCredentialsError{Profile: r.Profile}
	}
	req := &sts.GetSessionTokenInput{SerialNumber: aws.String(in.Serial), TokenCode: aws.String(in.Code)}
	if in.Duration > 0 {
		req.DurationSeconds = aws.Int32(int32(in.Duration / time.Second))
	}
	r.opts.Trace.Printf("sts GetSessionToken (profile %s, serial %s, duration %s)", r.Profile, in.Serial, durationText(int(in.Duration/time.Second)))
	out, err := sts.NewFromConfig(cfg).GetSessionToken(ctx, req)
	if err != nil {
		if _, ok := err.(interface{ Hint() string }); ok {
			return credential.Credentials{}, err
		}
		if ctx.Err() != nil {
			return credential.Credentials{}, ctx.Err()
		}
		code, msg := apiCode(err)
		if code == "" {
			return credential.Credentials{}, r.retrieveError(ctx, err)
		}
		return credential.Credentials{}, &CredentialError{Profile: r.Profile, Source: "GetSessionToken", Code: code, Message: msg, MFA: true, Err: err}
	}
	c := out.Credentials
	if c == nil {
		return credential.Credentials{}, &CredentialError{Profile: r.Profile, Source: "GetSessionToken", Message: "STS returned no credentials"}
	}
	return credential.Credentials{
		AccessKeyID:     aws.ToString(c.AccessKeyId),
		SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken:    aws.ToString(c.SessionToken),
		Expires:         aws.ToTime(c.Expiration),
		Kind:            credential.KindSTS,
		Source:          "GetSessionToken",
	}, nil
}
