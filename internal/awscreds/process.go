package awscreds

import (
	"bytes"
	"context"
	"os/exec"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/credcache"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/prompt"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// ForProcess returns the Options a program of the toolset uses: the
// process's environment, the cache shared with the AWS CLI under HOME, and
// MFA codes asked on the controlling terminal or through askpass, never on
// git's stdin or stdout.
func ForProcess(p *proc.Proc, profile, region string, tr *trace.Tracer) Options {
	home := awsfiles.HomeDir(p.Getenv)
	cache := credcache.ForHome(home, p.Clock, tr.Printf)
	asker := &prompt.Asker{
		Env:     p.Getenv,
		OpenTTY: prompt.DefaultOpenTTY,
		GitConfig: func(ctx context.Context, key string) (string, error) {
			cmd := exec.CommandContext(ctx, p.Git, "config", "--get", key)
			cmd.Env, cmd.Dir = p.Environ, p.Dir
			var out bytes.Buffer
			cmd.Stdout = &out
			err := cmd.Run()
			return strings.TrimSpace(out.String()), err
		},
		Stderr: p.Stderr,
	}
	return Options{
		Profile: profile,
		Region:  region,
		Env:     p.Getenv,
		Trace:   tr,
		MFA:     asker.MFACode,
		Cache:   cache,
		Now:     p.Now,
	}
}
