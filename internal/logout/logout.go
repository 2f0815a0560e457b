// Package logout is `git codecommit logout`: the way out of a cached role
// session that AWS rejects (revoked, or its source keys rotated). It removes
// from the cache shared with the AWS CLI (~/.aws/cli/cache, and the Python
// helper's ~/.aws/boto/cache) the entries of the roles the profile's chain
// assumes, and nothing else, so the next git command assumes them afresh.
//
// Scope: flags and the report; the removal is filecreds.Forget (the cache
// keys of a profile's chain, awsfiles.RoleChainKeys, removed from
// credcache). No AWS call is made.
package logout

import (
	"context"
	"fmt"

	"github.com/gitcodecommit/git-codecommit/internal/filecreds"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Run runs `git codecommit logout`.
func Run(ctx context.Context, p *proc.Proc, profile string) error {
	tr := trace.New(p.Getenv(trace.EnvVar), p.Stderr, p.Now, "git-codecommit logout")
	defer tr.Close()
	r, err := filecreds.Forget(ctx, p, tr, profile)
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
