package awscreds

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
)

// loginSourceRole works around the SDK's refusal of a role whose
// source_profile is an `aws login` (login_session) profile: its check that
// a source profile has credentials does not know login_session, though its
// provider does, and the AWS CLI assumes such roles. When err is that
// refusal, the role's settings are read from the config file and the source
// profile loaded alone; ok is false for any other error.
func (r *Result) loginSourceRole(ctx context.Context, err error) (sc config.SharedConfig, ok bool) {
	var ar config.SharedConfigAssumeRoleError
	if !errors.As(err, &ar) || ar.Profile == "" || ar.Profile == r.Profile {
		return sc, false
	}
	src, serr := config.LoadSharedConfigProfile(ctx, ar.Profile, r.sharedFiles)
	if serr != nil || src.LoginSession == "" {
		return sc, false
	}
	f, ferr := awsfiles.Read(r.Files.Config)
	if ferr != nil {
		return sc, false
	}
	name := "profile " + r.Profile
	if r.Profile == "default" && !f.Has(name) {
		name = "default"
	}
	m, found := f.Map(name)
	if !found || m["role_arn"] == "" || m["source_profile"] != ar.Profile {
		return sc, false
	}
	sc = config.SharedConfig{
		Profile: r.Profile, RoleARN: m["role_arn"], SourceProfileName: ar.Profile, Source: &src,
		ExternalID: m["external_id"], MFASerial: m["mfa_serial"], RoleSessionName: m["role_session_name"], Region: m["region"],
	}
	if v := m["duration_seconds"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return sc, false
		}
		d := time.Duration(n) * time.Second
		sc.RoleDurationSeconds = &d
	}
	if m["use_fips_endpoint"] == "true" {
		sc.UseFIPSEndpoint = aws.FIPSEndpointStateEnabled
	}
	return sc, true
}
