// Package remotesdk is git-remote-codecommit for every credential source
// but static keys and fresh cached roles: roles to assume (with the shared
// cache and MFA), SSO, aws login, web identity, credential_process,
// container and instance metadata, resolved through awscreds.
// git-remote-codecommit execs git-codecommit under its own name to run it,
// so that the helper git starts on every fetch and push links no AWS SDK;
// the endpoint, signature and hand-off are package remotehelper's.
package remotesdk

import (
	"context"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/remotehelper"
	"github.com/gitcodecommit/git-codecommit/internal/repourl"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
	"github.com/gitcodecommit/git-codecommit/internal/version"
)

// Run is git-remote-codecommit's main when run as git-codecommit.
func Run(ctx context.Context, p *proc.Proc) error {
	if version.HelperInfo(p.Args, p.Stdout, remotehelper.Name, remotehelper.Usage) {
		return nil
	}
	tr := trace.New(p.Getenv(trace.EnvVar), p.Stderr, p.Now, remotehelper.Name)
	defer tr.Close()
	remote, u, err := repourl.ParseArgs(p.Args)
	if err != nil {
		return err
	}
	res, err := awscreds.Setup(ctx, awscreds.ForProcess(p, u.Profile, u.Region, tr))
	if err != nil {
		return err
	}
	if err := res.ErrNoRegion(); err != nil {
		return err
	}
	tr.Printf("region %s (from %s), fips %v %s", res.Region, res.RegionSource, res.FIPS, res.FIPSSource)
	ep, err := remotehelper.Endpoint(p, tr, res.Region, res.FIPS)
	if err != nil {
		return err
	}
	if err := res.Retrieve(ctx); err != nil {
		return err
	}
	creds, expires := res.SigningCredentials()
	t := remotehelper.Sign(p, tr, u, ep, res.Region, creds, expires)
	return remotehelper.HandOff(ctx, p, tr, remote, t)
}
