// Package gitcredentials is `git codecommit git-credentials`: an IAM user's
// service-specific credentials for CodeCommit ("Git credentials", a user
// name NAME-at-ACCOUNT and a password IAM shows once). `create` and `reset`
// hand the pair to git's own credential storage (`git credential approve`
// for https://HOST of the profile's region: osxkeychain, manager, store,
// whatever the user has configured) and print the password only with
// --show; `delete` also makes the storage forget it (`git credential
// reject`). The password never reaches an argument, an environment
// variable, a trace or a log.
//
// Scope: the command's flow. IAM calls are package iamapi's, hosts package
// endpoint's, the credential encoding package gitcred's.
package gitcredentials

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/awscreds/iamapi"
	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/gitcred"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/target"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
	"github.com/spf13/pflag"
)

// Command is `git codecommit git-credentials`.
var Command = command.Command{
	Name:    "git-credentials",
	Args:    "create|list|reset [ID]|delete ID [--show] [--profile P] [--region R]",
	Summary: "an IAM user's Git credentials (HTTPS user name and password) for CodeCommit",
	Flags:   flags,
}

// Options are `git codecommit git-credentials`'s.
type Options struct {
	Profile, Region string
	Show            bool // print the password of create and reset
}

func flags(fs *pflag.FlagSet) command.Func {
	var o Options
	fs.BoolVar(&o.Show, "show", false, "print the password (create, reset); it is shown only this once")
	command.ProfileFlag(fs, &o.Profile, "AWS `profile` of the IAM user")
	command.RegionFlag(fs, &o.Region, "AWS `region` whose CodeCommit host git stores the credential for")
	return func(ctx context.Context, p *proc.Proc, pos []string) error {
		if len(pos) == 0 {
			return command.UsageError(fs, "say create, list, reset or delete")
		}
		sub, rest := pos[0], pos[1:]
		if o.Show && sub != "create" && sub != "reset" {
			return command.UsageError(fs, "--show works only with create and reset")
		}
		max := map[string]int{"create": 0, "list": 0, "reset": 1, "delete": 1}
		n, ok := max[sub]
		if !ok {
			if s := command.Suggest(sub, []string{"create", "list", "reset", "delete"}); s != "" {
				return command.UsageError(fs, "unknown git-credentials command %q; did you mean %s?", sub, s)
			}
			return command.UsageError(fs, "unknown git-credentials command %q: say create, list, reset or delete", sub)
		}
		if len(rest) > n {
			return command.UsageError(fs, "unexpected argument %q", rest[n])
		}
		id := ""
		if len(rest) == 1 {
			id = rest[0]
		}
		if sub == "delete" && id == "" {
			return command.UsageError(fs, "git-credentials delete takes the credential ID (see git codecommit git-credentials list)")
		}
		return Run(ctx, p, o, sub, id)
	}
}

type session struct {
	p    *proc.Proc
	o    Options
	tr   *trace.Tracer
	res  *awscreds.Result
	iam  *iamapi.Client
	who  iamapi.Caller
	host string // the CodeCommit https host of the profile's region
}

// Run runs one subcommand: create, list, reset (id may be "" when the user
// has one credential) or delete.
func Run(ctx context.Context, p *proc.Proc, o Options, sub, id string) error {
	tr := trace.New(p.Getenv(trace.EnvVar), p.Stderr, p.Now, "git-codecommit git-credentials")
	defer tr.Close()
	t, err := target.Resolve(target.Ref{Profile: o.Profile, Region: o.Region}, p.Getenv)
	if err != nil {
		return err
	}
	res, err := awscreds.Setup(ctx, awscreds.ForProcess(p, t, tr))
	if err != nil {
		return err
	}
	s := &session{p: p, o: o, tr: tr, res: res}
	if s.iam, s.who, err = iamapi.ForUser(ctx, res, p.Getenv, "Git credentials"); err != nil {
		return err
	}
	if sub != "list" {
		if res.Region == "" {
			return failure.WithHint(res.ErrNoRegion(), "pass --region REGION")
		}
		ep, err := res.Endpoint()
		if err != nil {
			return err
		}
		s.host = ep.Host
	}
	switch sub {
	case "create":
		return s.create(ctx)
	case "list":
		return s.list(ctx)
	case "reset":
		return s.reset(ctx, id)
	case "delete":
		return s.delete(ctx, id)
	}
	return fmt.Errorf("unknown subcommand %q", sub)
}

// Storage is what answers git for a CodeCommit host, from `git config
// --get-urlmatch credential.helper https://HOST/`: the last helper git
// runs for it.
type Storage struct {
	Helper     string // the effective helper value; "" when none
	Codecommit bool   // git-credential-codecommit is configured for the host
}

// StorageFor reports the credential helper configuration git applies to
// https://host/.
func StorageFor(ctx context.Context, p *proc.Proc, host string) Storage {
	out, _ := git(ctx, p, "", "config", "--includes", "--get-urlmatch", "credential.helper", "https://"+host+"/")
	var st Storage
	// get-urlmatch prints the last value of the most specific match;
	// list all of them to see whether codecommit is among them.
	all, _ := git(ctx, p, "", "config", "--includes", "--get-regexp", `^credential\..*helper$`)
	st.Helper = strings.TrimSpace(out)
	for _, line := range strings.Split(all, "\n") {
		k, v, _ := strings.Cut(line, " ")
		if strings.Contains(v, "codecommit") && urlKeyMatches(k, host) {
			st.Codecommit = true
		}
	}
	if strings.Contains(st.Helper, "codecommit") {
		st.Codecommit = true
	}
	return st
}

// urlKeyMatches reports whether credential.<url>.helper key k applies to
// https://host (a key without a URL applies everywhere).
func urlKeyMatches(k, host string) bool {
	mid := strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(k), "credential."), ".helper")
	if mid == "helper" || mid == "" {
		return true
	}
	u := strings.TrimPrefix(mid, "https://")
	u, _, _ = strings.Cut(u, "/")
	h := strings.ToLower(host)
	if !strings.Contains(u, "*") {
		return u == h
	}
	// One * per label, as git matches.
	ul, hl := strings.Split(u, "."), strings.Split(h, ".")
	if len(ul) != len(hl) {
		return false
	}
	for i := range ul {
		if ul[i] != "*" && ul[i] != hl[i] {
			return false
		}
	}
	return true
}

// git runs git with p's environment; stdin (never logged) feeds it.
func git(ctx context.Context, p *proc.Proc, stdin string, args ...string) (string, error) {
	cmd, err := gitexec.Exec{Proc: p}.Command(ctx, args...)
	if err != nil {
		return "", err
	}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	if err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return out.String(), fmt.Errorf("git %s: %s", args[0]+" "+args[1], failure.Escape(msg))
	}
	return out.String(), nil
}

// credential runs `git credential approve|reject` for the CodeCommit host
// with the pair on stdin.
func (s *session) credential(ctx context.Context, action, user, password string) error {
	var in bytes.Buffer
	if err := gitcred.WriteCredential(&in, gitcred.Request{Protocol: "https", Host: s.host, Username: user, Password: password}); err != nil {
		return err
	}
	_, err := git(ctx, s.p, in.String(), "credential", action)
	return err
}

// NoStorageError: git has no credential helper to store the password in.
type NoStorageError struct{ Host string }

func (e *NoStorageError) Error() string {
	return fmt.Sprintf("no credential helper is configured for https://%s: git would not store the password, and IAM shows it only once", e.Host)
}

// Hint implements failure.Hinter.
func (e *NoStorageError) Hint() string {
	return "configure one (git config --global credential.helper store, osxkeychain or manager) and run this again, or pass --show to print the password"
}

// store hands a new password to git's storage and says where it went.
func (s *session) store(ctx context.Context, gc iamapi.GitCredential, st Storage) error {
	if st.Helper != "" {
		if err := s.credential(ctx, "approve", gc.UserName, gc.Password); err != nil {
			return failure.WithHint(fmt.Errorf("storing the password: %w", err), "pass --show to see it, or reset it later: git codecommit git-credentials reset "+gc.ID)
		}
		fmt.Fprintf(s.p.Stdout, "stored for https://%s by git's credential helper (%s)\n", s.host, st.Helper)
	}
	if st.Codecommit {
		fmt.Fprintf(s.p.Stderr, "warning: git-credential-codecommit answers for %s (git codecommit setup), so git signs with your AWS keys and never uses this Git credential; run git codecommit setup --undo (with the scope it was set up for) to use Git credentials instead\n", s.host)
	}
	if s.o.Show {
		fmt.Fprintf(s.p.Stdout, "password: %s\n", gc.Password)
	}
	return nil
}

func (s *session) create(ctx context.Context) error {
	st := StorageFor(ctx, s.p, s.host)
	if st.Helper == "" && !s.o.Show {
		return &NoStorageError{Host: s.host}
	}
	gc, err := s.iam.CreateGitCredential(ctx, s.who.User)
	if err != nil {
		return err
	}
	s.tr.Printf("created Git credential %s (%s) for IAM user %s", gc.ID, gc.UserName, s.who.User)
	fmt.Fprintf(s.p.Stdout, "created Git credential %s for IAM user %s: user name %s\n", gc.ID, s.who.User, gc.UserName)
	if err := s.store(ctx, gc, st); err != nil {
		return err
	}
	fmt.Fprintf(s.p.Stdout, "clone with: git clone https://%s/v1/repos/REPO\n", s.host)
	return nil
}

func (s *session) list(ctx context.Context) error {
	list, err := s.iam.ListGitCredentials(ctx, s.who.User)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(s.p.Stderr, "IAM user %s has no Git credentials: git codecommit git-credentials create makes one\n", s.who.User)
		return nil
	}
	w := tabwriter.NewWriter(s.p.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tUSER NAME\tSTATUS\tCREATED")
	for _, gc := range list {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", gc.ID, gc.UserName, gc.Status, gc.Created.UTC().Format(time.RFC3339))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if len(list) >= iamapi.MaxGitCredentials {
		fmt.Fprintf(s.p.Stderr, "IAM allows %d Git credentials per user: reset or delete one before creating another\n", iamapi.MaxGitCredentials)
	}
	return nil
}

// pick finds credential id (or the only one, when id is "").
func (s *session) pick(ctx context.Context, id string) (iamapi.GitCredential, error) {
	list, err := s.iam.ListGitCredentials(ctx, s.who.User)
	if err != nil {
		return iamapi.GitCredential{}, err
	}
	var ids []string
	for _, gc := range list {
		if gc.ID == id || (id == "" && len(list) == 1) {
			return gc, nil
		}
		ids = append(ids, gc.ID)
	}
	switch {
	case len(list) == 0:
		return iamapi.GitCredential{}, failure.WithHint(fmt.Errorf("IAM user %s has no Git credentials", s.who.User), "create one: git codecommit git-credentials create")
	case id == "":
		return iamapi.GitCredential{}, failure.UsageError("name one of "+strings.Join(ids, ", "), "IAM user %s has %d Git credentials", s.who.User, len(list))
	}
	return iamapi.GitCredential{}, failure.WithHint(fmt.Errorf("IAM user %s has no Git credential %s", s.who.User, id), "its credentials are "+strings.Join(ids, ", "))
}

func (s *session) reset(ctx context.Context, id string) error {
	gc, err := s.pick(ctx, id)
	if err != nil {
		return err
	}
	st := StorageFor(ctx, s.p, s.host)
	if st.Helper == "" && !s.o.Show {
		return &NoStorageError{Host: s.host}
	}
	if gc, err = s.iam.ResetGitCredential(ctx, s.who.User, gc.ID); err != nil {
		return err
	}
	fmt.Fprintf(s.p.Stdout, "reset Git credential %s (%s): the old password no longer works\n", gc.ID, gc.UserName)
	return s.store(ctx, gc, st)
}

func (s *session) delete(ctx context.Context, id string) error {
	gc, err := s.pick(ctx, id)
	if err != nil {
		return err
	}
	if err := s.iam.DeleteGitCredential(ctx, s.who.User, gc.ID); err != nil {
		return err
	}
	fmt.Fprintf(s.p.Stdout, "deleted Git credential %s (%s)\n", gc.ID, gc.UserName)
	if err := s.credential(ctx, "reject", gc.UserName, ""); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(s.p.Stderr, "warning: git's credential storage may still hold it: %v\n", err)
	}
	return nil
}
