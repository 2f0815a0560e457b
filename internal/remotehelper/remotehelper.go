// Package remotehelper is git-remote-codecommit: git runs it for
// codecommit:// URLs with a remote name and the URL. It parses the URL,
// resolves the profile, region, endpoint and credentials, signs the
// repository path with CodeCommit's GIT rule, and hands the transport to
// `git remote-https` with the signed credentials passed through git's
// credential system (package gitexec). It never writes to standard output,
// which belongs to git's remote-helper protocol.
package remotehelper

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/repourl"
	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Name is the program's name in messages.
const Name = "git-remote-codecommit"

// Target is a codecommit:// remote resolved down to what git needs.
type Target struct {
	URL      repourl.URL
	Creds    *awscreds.Result
	Endpoint endpoint.Endpoint
	HTTPS    string // https://HOST/v1/repos/REPO
	Signed   sigv4.Signed
	Expiry   time.Time
}

// Resolve turns a codecommit URL into signed credentials for its https URL.
// It is shared with the commands that act on codecommit:// URLs.
func Resolve(ctx context.Context, p *proc.Proc, tr *trace.Tracer, u repourl.URL) (*Target, error) {
	tr.Printf("url: profile %q, region %q, repository %q", u.Profile, u.Region, u.Repo)
	res, err := awscreds.Setup(ctx, awscreds.ForProcess(p, u.Profile, u.Region, tr))
	if err != nil {
		return nil, err
	}
	if err := res.ErrNoRegion(); err != nil {
		return nil, err
	}
	tr.Printf("region %s (from %s), fips %v %s", res.Region, res.RegionSource, res.FIPS, res.FIPSSource)
	ep, err := endpoint.Resolve(endpoint.Options{Region: res.Region, FIPS: res.FIPS, Override: p.Getenv("CODE_COMMIT_ENDPOINT")})
	if err != nil {
		return nil, err
	}
	if ep.Warning != "" {
		fmt.Fprintf(p.Stderr, "warning: %s\n", ep.Warning)
	}
	tr.Printf("host %s (partition %q, fips %v, CODE_COMMIT_ENDPOINT %v)", ep.Host, ep.Partition, ep.FIPS, ep.Overridden)
	if err := res.Retrieve(ctx); err != nil {
		return nil, err
	}
	t := &Target{URL: u, Creds: res, Endpoint: ep, HTTPS: endpoint.RepoURL(ep.Host, u.Repo)}
	t.Signed, t.Expiry = res.SignRepo(ep.Host, u.Repo, p.Clock())
	tr.Printf("canonical request %q, scope %s", sigv4.CanonicalRequest("/v1/repos/"+u.Repo, ep.Host), sigv4.Scope(t.Signed.Time, res.Region))
	return t, nil
}

// Run is the remote helper's main.
func Run(ctx context.Context, p *proc.Proc) error {
	tr := trace.New(p.Getenv(trace.EnvVar), p.Stderr, p.Now, Name)
	defer tr.Close()
	remote, u, err := repourl.ParseArgs(p.Args)
	if err != nil {
		return err
	}
	t, err := Resolve(ctx, p, tr, u)
	if err != nil {
		return err
	}
	h := &gitexec.HandOff{
		Git: p.Git, Env: p.Environ, Remote: remote, URL: t.HTTPS,
		Cred:     gitexec.Credential{Username: t.Signed.Username, Password: t.Signed.Password, Expiry: t.Expiry},
		Fallback: fallbackHelper(u, t.Creds.Region),
		Stdin:    fileOr(p.Stdin, os.Stdin), Stdout: fileOr(p.Stdout, os.Stdout), Stderr: fileOr(p.Stderr, os.Stderr),
		Trace: tr.Printf,
	}
	return h.Run(ctx)
}

// fallbackHelper is the credential helper that signs again where no pipe can
// be inherited.
func fallbackHelper(u repourl.URL, region string) string {
	s := "codecommit --ignore-host-check --region " + region
	if u.Profile != "" {
		s += " --profile " + u.Profile
	}
	return s
}

func fileOr(v any, def *os.File) *os.File {
	if f, ok := v.(*os.File); ok {
		return f
	}
	return def
}
