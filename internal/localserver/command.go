package localserver

import (
	"context"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/names"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// Command is `git codecommit serve`.
var Command = command.Command{
	Name:    "serve",
	Args:    "[--dir DIR] [--addr ADDR] [--region R] [--repo NAME]... [--auto-create]",
	Summary: "run a local CodeCommit-compatible endpoint",
	Flags:   flags,
}

func flags(fs *pflag.FlagSet) command.Func {
	dir := fs.String("dir", "codecommit-local", "directory of bare repositories")
	addr := fs.String("addr", "", "listen address HOST:PORT (default: the last run's on this --dir, else 127.0.0.1 and a free port)")
	region := fs.String("region", "us-east-1", "region signatures must be scoped to")
	auto := fs.Bool("auto-create", false, "create a repository on its first push (a read of a missing one stays 404)")
	quiet := fs.Bool("quiet", false, "do not log requests")
	lifetime := fs.Duration("credential-lifetime", time.Hour, "lifetime of temporary credentials the local STS issues")
	mfa := fs.String("mfa-code", "", "the MFA code the local STS accepts (default: any six digits)")
	repos := fs.StringArray("repo", nil, "create this repository at start (repeatable)")
	return func(ctx context.Context, p *proc.Proc, pos []string) error {
		if err := command.NoArgs(fs, pos); err != nil {
			return err
		}
		for _, r := range *repos {
			if err := names.Repository(r); err != nil {
				return failure.UsageError("repository names are 1-100 letters, digits, '.', '_' and '-'", "--repo %q: %v", r, err)
			}
		}
		abs, err := filepath.Abs(*dir)
		if err != nil {
			return err
		}
		cfg := Config{Dir: abs, Repos: *repos, Addr: *addr, Region: *region, AutoCreate: *auto, CredentialLifetime: *lifetime, MFACode: *mfa, Now: p.Now}
		if !*quiet {
			cfg.Log = p.Stderr
		}
		return Serve(ctx, cfg, p.Stdout)
	}
}
