// Package clone is `git codecommit clone`: the per-repository profile flow.
// The profile (or cross-account role) a repository is cloned with is bound
// to that repository alone: in its codecommit:// remote URL by default, or,
// with HTTPS, in a credential helper configured in the repository's local
// config for exactly its https URL.
//
// Scope: deciding the URL, running `git clone` with the caller's streams
// and environment, and configuring the new repository (gitconfig.Local). The
// repository reference grammar and endpoint resolution are package location's.
package clone

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"

	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/gitconfig"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/location"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/repourl"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Options are `git codecommit clone`'s.
type Options struct {
	Ref             string // repository name, codecommit URL or CodeCommit https URL
	Dir             string // target directory; "" is git's default (the repository name)
	Profile, Region string
	HTTPS           bool     // an https remote instead of codecommit://
	SSH             bool     // an ssh:// remote instead of codecommit://
	Git             []string // git clone options, passed through before the URL
}

// Run clones o.Ref. git's exit status passes through as failure.ExitStatus.
func Run(ctx context.Context, p *proc.Proc, o Options) error {
	tr := trace.New(p.Getenv(trace.EnvVar), p.Stderr, p.Now, "git-codecommit clone")
	defer tr.Close()
	s, err := location.Parse(o.Ref, p.Getenv("CODE_COMMIT_ENDPOINT"), p.Getenv(endpoint.SSHEndpointVar))
	if err != nil {
		return err
	}
	if s, err = s.With(o.Profile, o.Region); err != nil {
		return err
	}
	if err := (gitconfig.Helper{Profile: s.Profile}).Validate(); err != nil {
		return failure.UsageError("use a profile name without spaces or quotes", "%v", err)
	}
	// Resolving the profile before git runs turns a wrong profile or a
	// missing region into one line instead of a failed clone.
	l, err := location.Locate(ctx, p, tr, s)
	if err != nil {
		return err
	}
	if o.SSH {
		u, err := l.SSH(p.Getenv(endpoint.SSHEndpointVar))
		if err != nil {
			return err
		}
		tr.Printf("clone %s", u)
		return git(ctx, p, append([]string{"clone"}, o.cloneTail(u)...)...)
	}
	if !o.HTTPS {
		// The region stays the profile's unless the user named one.
		u := repourl.URL{Region: s.Region, Profile: s.Profile, Repo: s.Repo}.String()
		tr.Printf("clone %s", u)
		if note := l.CodecommitNote(); note != "" {
			fmt.Fprintln(p.Stderr, note)
		}
		return git(ctx, p, append([]string{"clone"}, o.cloneTail(u)...)...)
	}
	// The remote's configuration goes on the clone's command line too, so
	// the initial fetch already asks only our helper (and, on git 2.46 and
	// later, asks it before the first request: no 401 round trip).
	local, err := gitconfig.NewLocal(ctx, gitexec.Exec{Proc: p}, l.HTTPS, gitconfig.Helper{Path: gitconfig.HelperPath(p), Profile: s.Profile, Region: l.Creds.Region})
	var gerr *gitexec.Error
	if errors.As(err, &gerr) {
		return failure.WithHint(err, "install git and put it on PATH")
	} else if err != nil {
		return err
	}
	tr.Printf("clone %s with credential helper %q (proactive auth %t)", l.HTTPS, local.Helper.String(), local.ProactiveAuth)
	if err := git(ctx, p, append(append(local.Args(), "clone"), o.cloneTail(l.HTTPS)...)...); err != nil {
		return err
	}
	dir := o.Dir
	if dir == "" {
		dir = s.Repo
		if slices.Contains(o.Git, "--bare") || slices.Contains(o.Git, "--mirror") {
			dir += ".git" // git's default directory for a bare clone
		}
	}
	if !filepath.IsAbs(dir) && p.Dir != "" {
		dir = filepath.Join(p.Dir, dir)
	}
	if err := local.Write(ctx, gitexec.Exec{Proc: p, Dir: dir}); err != nil {
		return failure.WithHint(err, "the clone succeeded; set its credential helper with 'git codecommit setup --local' in "+dir)
	}
	return nil
}

// cloneTail is git clone's arguments after "clone": the options passed
// through, then the URL and the directory.
func (o Options) cloneTail(u string) []string {
	t := append(append([]string{}, o.Git...), "--", u)
	if o.Dir != "" {
		t = append(t, o.Dir)
	}
	return t
}

// git runs git with p's streams, environment and directory.
func git(ctx context.Context, p *proc.Proc, args ...string) error {
	cmd, err := gitexec.Exec{Proc: p}.Command(ctx, args...)
	if err != nil {
		return failure.WithHint(err, "install git and put it on PATH")
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = p.Stdin, p.Stdout, p.Stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ee.ExitCode() < 0 {
			return failure.ExitStatus(failure.Failed)
		}
		return failure.ExitStatus(ee.ExitCode())
	}
	if err != nil {
		return failure.WithHint(err, "install git and put it on PATH")
	}
	return nil
}
