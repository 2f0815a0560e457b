package filecreds

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

// Removed is what Forget removed.
type Removed struct {
	Profile string
	Roles   []string // role ARNs of the chain, profile's own first
	Files   []string // cache files removed
}

// Forget removes from the cache shared with the AWS CLI the role sessions
// profile's chain uses ("": package target's choice), and nothing else, so
// that the next command assumes them afresh: the inverse of reading them
// (`git codecommit logout`, `mfa --refresh`).
func Forget(ctx context.Context, p *proc.Proc, tr *trace.Tracer, profile string) (Removed, error) {
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
