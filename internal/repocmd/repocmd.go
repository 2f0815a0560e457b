// Package repocmd implements the repository commands of git codecommit:
// create, list, info and delete, through the CodeCommit API (package
// awscreds). create can also add a codecommit:// remote for the new
// repository to the repository in the working directory; delete asks the
// user to type the repository's name unless told --yes.
//
// Scope: these four commands only. Flag parsing is package cli's; the API
// calls and their errors are package awscreds'.
package repocmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/awscreds/repoapi"
	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/names"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/repourl"
	"github.com/gitcodecommit/git-codecommit/internal/target"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Options are the flags common to the repository commands.
type Options struct {
	Profile string // --profile; "" is AWS_PROFILE or default
	Region  string // --region; "" is the profile's
	JSON    bool   // --json: machine output (json.go)
}

// session is a resolved profile with a tracer to close.
type session struct {
	p   *proc.Proc
	o   Options
	tr  *trace.Tracer
	res *awscreds.Result
}

func open(ctx context.Context, p *proc.Proc, o Options) (*session, error) {
	tr := trace.New(p.Getenv(trace.EnvVar), p.Stderr, p.Now, "git-codecommit")
	t, err := target.Resolve(target.Ref{Profile: o.Profile, Region: o.Region}, p.Getenv)
	var res *awscreds.Result
	if err == nil {
		res, err = awscreds.Resolve(ctx, awscreds.ForProcess(p, t, tr))
	}
	if err == nil {
		err = res.ErrNoRegion()
	}
	if err != nil {
		tr.Close()
		return nil, err
	}
	return &session{p: p, o: o, tr: tr, res: res}, nil
}

func (s *session) close() { s.tr.Close() }

// grc is the codecommit URL of repository name, with the region.
func (s *session) grc(name string) string {
	u := s.o.URL(name)
	if u.Region == "" {
		u.Region = s.res.Region
	}
	return u.String()
}

// openRepo opens a session and looks repository name up.
func openRepo(ctx context.Context, p *proc.Proc, o Options, name string) (*session, repoapi.Repository, error) {
	s, err := open(ctx, p, o)
	if err != nil {
		return nil, repoapi.Repository{}, err
	}
	r, err := repoapi.Get(ctx, s.res, name)
	if err != nil {
		s.close()
		return nil, repoapi.Repository{}, err
	}
	return s, r, nil
}

// URL returns the codecommit URL of repository name for o: the region is
// written only when --region was given, the profile only when --profile was.
func (o Options) URL(name string) repourl.URL {
	return repourl.URL{Region: o.Region, Profile: o.Profile, Repo: name}
}

// Create creates repository name with description and, when remote is not
// empty, adds it as that remote of the repository in p.Dir.
func Create(ctx context.Context, p *proc.Proc, o Options, name, description, remote string) error {
	if err := names.Repository(name); err != nil {
		return failure.UsageError("repository names are 1-100 letters, digits, '.', '_' and '-'", "invalid repository name %q: %v", name, err)
	}
	git := gitexec.Exec{Proc: p}
	if remote != "" {
		// Fail before creating anything when the remote cannot be added.
		if _, err := git.Git(ctx, "rev-parse", "--git-dir"); err != nil {
			return failure.WithHint(errors.New("--remote: the working directory is not in a git repository"), "run it inside a git repository, or drop --remote")
		}
		if out, _ := git.Git(ctx, "remote"); hasLine(out, remote) {
			return failure.WithHint(fmt.Errorf("--remote: remote %q already exists", remote), "choose another remote name, or remove it with 'git remote remove "+remote+"'")
		}
	}
	s, err := open(ctx, p, o)
	if err != nil {
		return err
	}
	defer s.close()
	r, err := repoapi.Create(ctx, s.res, name, description)
	if err != nil {
		return err
	}
	if !o.JSON {
		fmt.Fprintf(p.Stdout, "created repository %s (%s)\n", r.Name, r.ARN)
	}
	if remote == "" {
		if o.JSON {
			return command.PrintJSON(p.Stdout, infoJSON(r, s.grc(r.Name)))
		}
		fmt.Fprintf(p.Stdout, "clone it with: git clone %s\n", o.URL(r.Name))
		return nil
	}
	u := o.URL(r.Name).String()
	if _, err := git.Git(ctx, "remote", "add", remote, u); err != nil {
		return failure.WithHint(fmt.Errorf("repository created, but adding remote %s failed: %w", remote, err), "run 'git remote add "+remote+" "+u+"'")
	}
	if o.JSON {
		j := infoJSON(r, s.grc(r.Name))
		j.Remote = remote
		return command.PrintJSON(p.Stdout, j)
	}
	fmt.Fprintf(p.Stdout, "added remote %s %s\n", remote, u)
	return nil
}

func hasLine(out, line string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) == line {
			return true
		}
	}
	return false
}

// List prints the names of the region's repositories, one a line.
func List(ctx context.Context, p *proc.Proc, o Options) error {
	s, err := open(ctx, p, o)
	if err != nil {
		return err
	}
	defer s.close()
	list, err := repoapi.List(ctx, s.res)
	if err != nil {
		return err
	}
	if o.JSON {
		j := ListJSON{Version: 1, Profile: s.res.Profile, Region: s.res.Region, Repositories: []RepoJSON{}}
		for _, r := range list {
			j.Repositories = append(j.Repositories, RepoJSON{Name: r.Name, ID: r.ID})
		}
		return command.PrintJSON(p.Stdout, j)
	}
	for _, r := range list {
		fmt.Fprintln(p.Stdout, r.Name)
	}
	return nil
}

// Info prints repository name's ARN, clone URLs and default branch.
func Info(ctx context.Context, p *proc.Proc, o Options, name string) error {
	s, r, err := openRepo(ctx, p, o, name)
	if err != nil {
		return err
	}
	defer s.close()
	branch := r.DefaultBranch
	if branch == "" {
		branch = "(none: the repository is empty)"
	}
	grc := s.grc(r.Name)
	if o.JSON {
		return command.PrintJSON(p.Stdout, infoJSON(r, grc))
	}
	w := p.Stdout
	fmt.Fprintf(w, "name:           %s\n", r.Name)
	if r.Description != "" {
		fmt.Fprintf(w, "description:    %s\n", failure.OneLine(r.Description))
	}
	fmt.Fprintf(w, "arn:            %s\n", r.ARN)
	fmt.Fprintf(w, "id:             %s\n", r.ID)
	fmt.Fprintf(w, "account:        %s\n", r.Account)
	fmt.Fprintf(w, "default branch: %s\n", branch)
	fmt.Fprintf(w, "clone https:    %s\n", r.CloneURLHTTP)
	fmt.Fprintf(w, "clone grc:      %s\n", grc)
	fmt.Fprintf(w, "clone ssh:      %s\n", r.CloneURLSSH)
	return nil
}

// Delete deletes repository name. Unless yes, it first asks the user to
// type the name on standard input and aborts on anything else.
func Delete(ctx context.Context, p *proc.Proc, o Options, name string, yes bool) error {
	s, r, err := openRepo(ctx, p, o, name)
	if err != nil {
		return err
	}
	defer s.close()
	if !yes {
		fmt.Fprintf(p.Stderr, "This deletes repository %s (%s) and all its history; it cannot be undone.\nType the repository name to confirm: ", failure.Escape(r.Name), failure.Escape(r.ARN))
		typed, err := readLine(p.Stdin)
		if err != nil && typed == "" {
			return failure.WithHint(errors.New("deletion aborted: no confirmation read; nothing was deleted"), "type the name when asked, or pass --yes")
		}
		if typed != r.Name {
			return failure.WithHint(fmt.Errorf("deletion aborted: %q is not %q; nothing was deleted", typed, r.Name), "type the exact name (case matters), or pass --yes")
		}
	}
	id, err := repoapi.Delete(ctx, s.res, r.Name)
	if err != nil {
		return err
	}
	fmt.Fprintf(p.Stdout, "deleted repository %s (id %s)\n", r.Name, id)
	return nil
}

func readLine(r io.Reader) (string, error) {
	if r == nil {
		return "", io.EOF
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	return strings.TrimRight(line, "\r\n"), err
}
