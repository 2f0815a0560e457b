package awscreds

import (
	"context"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/credcache"
	"github.com/gitcodecommit/git-codecommit/internal/credential"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/prompt"
	"github.com/gitcodecommit/git-codecommit/internal/target"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// ForProcess returns the Options a program of the toolset uses for t: the
// process's environment, the cache shared with the AWS CLI under HOME, and
// MFA codes asked on the controlling terminal or through askpass, never on
// git's stdin or stdout.
func ForProcess(p *proc.Proc, t target.Target, tr *trace.Tracer) Options {
	home := awsfiles.HomeDir(p.Getenv)
	cache := credcache.ForHome(home, p.Clock, tr.Printf)
	asker := &prompt.Asker{
		Env:     p.Getenv,
		OpenTTY: prompt.DefaultOpenTTY,
		GitConfig: func(ctx context.Context, key string) (string, error) {
			out, err := gitexec.Exec{Proc: p}.Git(ctx, "config", "--get", key)
			return strings.TrimSpace(out), err
		},
		Stderr: p.Stderr,
	}
	return Options{
		Target:  t,
		Env:     p.Getenv,
		Trace:   tr,
		MFA:     asker.MFACode,
		Cache:   cache,
		Now:     p.Now,
		Environ: p.Environ,
		Stderr:  p.Stderr,
	}
}

// Helper is the credential.Provider git-codecommit hands to both helpers:
// the SDK's, with ForProcess's options.
func Helper(p *proc.Proc, tr *trace.Tracer) credential.Provider {
	return Provider{ForProcess(p, target.Target{}, tr)}
}
