// Package remotehelper is git-remote-codecommit: git runs it for
// codecommit:// URLs with a remote name and the URL. It parses the URL,
// resolves the profile, region, endpoint and credentials, signs the
// repository path with CodeCommit's GIT rule, and hands the transport to
// `git remote-https` with the signed credentials (package gitexec). It never
// writes to standard output, which belongs to git's remote-helper protocol.
//
// Where it goes is target.Resolve's; its credentials come through the seam
// (credential.Provider) its main hands it. The program links no AWS SDK,
// whose initialisation alone would cost more than everything else it does:
// git-remote-codecommit passes filecreds' provider (static keys, fresh
// cached roles), and when that answers credential.ErrNeedsSDK it execs
// git-codecommit under the name git-remote-codecommit, which runs this same
// Run with awscreds' provider.
package remotehelper

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/credential"
	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/gitconfig"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/repourl"
	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
	"github.com/gitcodecommit/git-codecommit/internal/target"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
	"github.com/gitcodecommit/git-codecommit/internal/version"
)

// Name is the program's name in messages.
const Name = "git-remote-codecommit"

// Usage is the remote helper's usage line.
const Usage = "usage: git-remote-codecommit REMOTE codecommit://[PROFILE@]REPO (git runs it for codecommit:// URLs: git clone codecommit://[PROFILE@]REPO)"

// Run is the remote helper's main, with newProvider's credentials.
func Run(ctx context.Context, p *proc.Proc, newProvider credential.Factory) error {
	if version.HelperInfo(p.Args, p.Stdout, Name, Usage) {
		return nil
	}
	tr := trace.New(p.Getenv(trace.EnvVar), p.Stderr, p.Now, Name)
	defer tr.Close()
	remote, u, err := repourl.ParseArgs(p.Args)
	if err != nil {
		return err
	}
	tr.Printf("url: profile %q, region %q, repository %q", u.Profile, u.Region, u.Repo)
	t, err := target.Resolve(target.Ref{Profile: u.Profile, Region: u.Region}, p.Getenv)
	if err != nil {
		return err
	}
	c, err := newProvider(p, tr).Retrieve(ctx, t)
	if errors.Is(err, credential.ErrNeedsSDK) {
		return execFull(ctx, p, tr)
	}
	if err != nil {
		return err
	}
	tr.Printf("region %s (from %s), fips %v %s", t.Region, t.RegionSource, t.FIPS, t.FIPSSource)
	ep, err := endpointOf(p, tr, t)
	if err != nil {
		return err
	}
	creds, expires := c.Signing()
	signed := sign(p, tr, u, ep, t.Region, creds, expires)
	return handOff(ctx, p, tr, remote, signed)
}

// signedRemote is a codecommit:// remote resolved down to what git needs.
type signedRemote struct {
	URL    repourl.URL
	Region string
	HTTPS  string // https://HOST/v1/repos/REPO
	Signed sigv4.Signed
}

// endpointOf resolves t's CodeCommit host (the provider checked it resolves
// before any credential was fetched, which may ask for an MFA code), with
// its warning on standard error.
func endpointOf(p *proc.Proc, tr *trace.Tracer, t target.Target) (endpoint.Endpoint, error) {
	ep, err := t.Endpoint()
	if err != nil {
		return endpoint.Endpoint{}, err
	}
	if ep.Warning != "" {
		fmt.Fprintf(p.Stderr, "warning: %s\n", failure.Escape(ep.Warning))
	}
	tr.Printf("host %s (partition %q, fips %v, CODE_COMMIT_ENDPOINT %v)", ep.Host, ep.Partition, ep.FIPS, ep.Overridden)
	return ep, nil
}

// sign signs u's repository on ep with creds (which expire at expires; zero
// is never).
func sign(p *proc.Proc, tr *trace.Tracer, u repourl.URL, ep endpoint.Endpoint, region string, creds sigv4.Credentials, expires time.Time) *signedRemote {
	t := &signedRemote{URL: u, Region: region, HTTPS: endpoint.RepoURL(ep.Host, u.Repo)}
	t.Signed, _ = sigv4.SignRepo(creds, expires, region, ep.Host, u.Repo, p.Clock())
	tr.Printf("canonical request %q, scope %s", sigv4.CanonicalRequest("/v1/repos/"+u.Repo, ep.Host), sigv4.Scope(t.Signed.Time, region))
	return t
}

// handOff runs git remote-https for remote with t's signed credentials.
func handOff(ctx context.Context, p *proc.Proc, tr *trace.Tracer, remote string, t *signedRemote) error {
	h := &gitexec.HandOff{
		Git: p.Git, Env: p.Environ, Remote: remote, URL: t.HTTPS,
		Cred:   gitexec.Credential{Username: t.Signed.Username, Password: t.Signed.Password},
		Helper: signAgainHelper(p, t.URL, t.Region),
		Stdin:  fileOr(p.Stdin, os.Stdin), Stdout: fileOr(p.Stdout, os.Stdout), Stderr: fileOr(p.Stderr, os.Stderr),
		Trace: tr.Printf,
	}
	return h.Run(ctx)
}

// execFull replaces this process with git-codecommit, run under this
// program's name and with its arguments, environment and descriptors.
func execFull(ctx context.Context, p *proc.Proc, tr *trace.Tracer) error {
	full, err := p.FullProgramPath(Name)
	if err != nil {
		return err
	}
	tr.Printf("credentials: neither static keys nor a cached role; resolving through the AWS SDK: exec %s", full)
	tr.Close()
	if err := ctx.Err(); err != nil {
		return err
	}
	return replaceWith(ctx, p, full, append([]string{Name}, p.Args...))
}

// signAgainHelper is the credential helper for git to run should it ask for
// a password after all (where the header could not travel, or on Windows,
// where no pipe is inherited): git-credential-codecommit with the remote's
// profile and region, which signs again and answers only for a CodeCommit
// host or CODE_COMMIT_ENDPOINT (git runs it for the endpoint's origin
// only), by the path of the one installed beside this program when there
// is one (gitconfig.HelperPath). No credential is handed to it.
func signAgainHelper(p *proc.Proc, u repourl.URL, region string) string {
	return gitconfig.Helper{Path: gitconfig.HelperPath(p), Profile: u.Profile, Region: region}.String()
}

func fileOr(v any, def *os.File) *os.File {
	if f, ok := v.(*os.File); ok {
		return f
	}
	return def
}
