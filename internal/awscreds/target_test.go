package awscreds

import "github.com/gitcodecommit/git-codecommit/internal/target"

// named is o's Target for profile, as a command naming it resolves it.
func named(o Options, profile string) target.Target {
	t, err := target.Resolve(target.Ref{Profile: profile}, o.Env)
	if err != nil {
		panic(err)
	}
	return t
}
