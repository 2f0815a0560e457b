// Package credsdk is git-credential-codecommit for every credential source
// but static keys and fresh cached roles: roles to assume (with the shared
// cache and MFA), SSO, aws login, web identity, credential_process,
// container and instance metadata, resolved through awscreds.
// git-credential-codecommit runs git-codecommit under its own name, with
// git's request, to run it, so that the helper git starts on every https
// fetch and push links no AWS SDK; the command line, the request and the
// answer are package credhelper's.
package credsdk

import (
	"context"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/credhelper"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/gitcred"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Run is git-credential-codecommit's main when run as git-codecommit.
func Run(ctx context.Context, p *proc.Proc) error { return credhelper.RunWith(ctx, p, resolve) }

// resolve is credhelper's Resolver through awscreds.
func resolve(ctx context.Context, p *proc.Proc, tr *trace.Tracer, profile, region string, req gitcred.Request) (*credhelper.Resolved, error) {
	res, err := awscreds.Setup(ctx, awscreds.ForProcess(p, profile, region, tr))
	if err != nil {
		return nil, err
	}
	if err := res.ErrNoRegion(); err != nil {
		return nil, failure.WithHint(err, "add --region REGION to the credential helper for "+req.Host)
	}
	if err := res.Retrieve(ctx); err != nil {
		return nil, err
	}
	r := &credhelper.Resolved{Profile: res.Profile, Region: res.Region, RegionSource: res.RegionSource, Source: res.Source}
	r.Creds, r.Expires = res.SigningCredentials()
	return r, nil
}
