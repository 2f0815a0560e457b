// Package logout is `git codecommit logout`: the way out of a cached role
// session that AWS rejects (revoked, or its source keys rotated). It removes
// from the cache shared with the AWS CLI (~/.aws/cli/cache, and the Python
// helper's ~/.aws/boto/cache) the entries of the roles the profile's chain
// assumes, and nothing else, so the next git command assumes them afresh.
//
// Scope: the cache keys of a profile's chain (awsfiles.RoleChainKeys) and
// their removal (credcache.Cache.Remove). No AWS call is made.
package logout

import (
	"context"
	"errors"
	"fmt"

	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/credcache"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/names"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/target"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Removed is what Sessions removed.
type Removed struct {
	Profile string
	Roles   []string // role ARNs of the chain, profile's own first
	Files   []string // cache files removed
}

// Sessions removes the cached role sessions profile's chain uses ("": the
// AWS_PROFILE rule of package target).
func Sessions(ctx context.Context, p *proc.Proc, tr *trace.Tracer, profile string) (Removed, error) {
	t, err := target.Resolve(target.Ref{Profile: profile}, p.Getenv)
	if err != nil {
		return Removed{}, err
	}
	profile = t.Profile
	if err := names.Profile(profile); err != nil {
		return Removed{}, failure.WithHint(fmt.Errorf("profile: %w", err), "pass --profile with a profile of the AWS files")
	}
	home := awsfiles.HomeDir(p.Getenv)
	cache := credcache.ForHome(home, p.Clock, tr.Printf)
	if cache == nil {
		return Removed{}, errors.New("no home directory: cannot locate ~/.aws/cli/cache")
	}
	files := awsfiles.FilesFor(p.Getenv)
	keys, err := awsfiles.RoleChainKeys(files, profile)
	if err != nil {
		return Removed{}, failure.WithHint(err, "run 'aws configure --profile "+profile+"', or pass --profile with a profile of the AWS files")
	}
	r := Removed{Profile: profile}
	for _, k := range keys {
		r.Roles = append(r.Roles, k.RoleARN)
		gone, err := cache.Remove(ctx, k)
		r.Files = append(r.Files, gone...)
		if err != nil {
			return r, err
		}
	}
	return r, nil
}

// Run runs `git codecommit logout`.
func Run(ctx context.Context, p *proc.Proc, profile string) error {
	tr := trace.New(p.Getenv(trace.EnvVar), p.Stderr, p.Now, "git-codecommit logout")
	defer tr.Close()
	r, err := Sessions(ctx, p, tr, profile)
	if err != nil {
		return err
	}
	switch {
	case len(r.Roles) == 0:
		fmt.Fprintf(p.Stdout, "profile %s assumes no role: no cached session to remove\n", r.Profile)
	case len(r.Files) == 0:
		fmt.Fprintf(p.Stdout, "no cached session for profile %s (roles %v)\n", r.Profile, r.Roles)
	default:
		for _, f := range r.Files {
			fmt.Fprintf(p.Stdout, "removed %s\n", f)
		}
		fmt.Fprintf(p.Stdout, "logged out profile %s: the next git command assumes its role again\n", r.Profile)
	}
	return nil
}
