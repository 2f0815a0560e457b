package cli

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/localserver"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/repourl"
)

func init() {
	register(Command{Name: "serve", Args: "[--dir DIR] [--addr ADDR] [--region R] [--repo NAME]... [--auto-create]", Summary: "run a local CodeCommit-compatible endpoint", Run: runServe})
}

type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func runServe(ctx context.Context, p *proc.Proc, args []string) error {
	fs := FlagSet(p, "serve")
	dir := fs.String("dir", "codecommit-local", "directory of bare repositories")
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback by default)")
	region := fs.String("region", "us-east-1", "region signatures must be scoped to")
	auto := fs.Bool("auto-create", false, "create a repository on its first git access")
	quiet := fs.Bool("quiet", false, "do not log requests")
	lifetime := fs.Duration("credential-lifetime", time.Hour, "lifetime of temporary credentials the local STS issues")
	mfa := fs.String("mfa-code", "", "the MFA code the local STS accepts (default: any six digits)")
	var repos repeated
	fs.Var(&repos, "repo", "create this repository at start (repeatable)")
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return failure.UsageError("run 'git codecommit serve -h'", "unexpected argument %q", pos[0])
	}
	for _, r := range repos {
		if err := repourl.ValidRepoName(r); err != nil {
			return failure.UsageError("repository names are 1-100 letters, digits, '.', '_' and '-'", "--repo %q: %v", r, err)
		}
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	cfg := localserver.Config{Dir: abs, Repos: repos, Addr: *addr, Region: *region, AutoCreate: *auto, CredentialLifetime: *lifetime, MFACode: *mfa, Now: p.Now}
	if !*quiet {
		cfg.Log = p.Stderr
	}
	return localserver.Serve(ctx, cfg, p.Stdout)
}
