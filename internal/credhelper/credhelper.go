// Package credhelper is git-credential-codecommit: git's credential helper
// for https CodeCommit remotes. For "get" it turns the profile's AWS
// credentials into the SigV4-signed username and password CodeCommit
// accepts for the repository git asks about; "store" and "erase" are
// accepted and do nothing, since the password lives 15 minutes and must
// never be kept.
//
// Scope: the helper's command line, the decision whether a request is ours
// (host, protocol, path) and the answer. It runs no git and makes no network
// call for static credentials. Where it goes is target.Resolve's (the
// region the host names); its credentials come through the seam
// (credential.Provider) its main hands it, as git-remote-codecommit's do.
// Like git-remote-codecommit it links no AWS SDK: it passes filecreds'
// provider (static keys, fresh cached roles), and when that answers
// credential.ErrNeedsSDK it runs git-codecommit under this program's name
// with git's request, which runs this same Run with awscreds' provider.
// Signing is sigv4's, the protocol codec gitcred's.
//
// git runs the helper as `git credential-codecommit [OPTIONS] ACTION`, with
// the action last. A host that is not CodeCommit gets no answer and exit 0,
// so the helper is safe anywhere in a helper chain. When the request is for
// CodeCommit but cannot be answered (no such profile, expired session, no
// path), the helper prints one line on standard error, answers quit=1 so git
// stops instead of prompting for a username that cannot work, and exits
// non-zero.
package credhelper

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/credential"
	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/gitcred"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/names"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
	"github.com/gitcodecommit/git-codecommit/internal/target"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
	"github.com/gitcodecommit/git-codecommit/internal/version"
)

// Name is the program's name in messages.
const Name = "git-credential-codecommit"

const usageHint = "usage: git-credential-codecommit [--profile P] [--region R] [--ignore-host-check] get|store|erase (git runs it for credential.helper=codecommit)"

// flags are the helper's options.
type flags struct {
	profile, region string
	ignoreHost      bool
	action          string
}

// parseArgs reads the options, in any order, and the action, which git
// passes last.
func parseArgs(args []string) (flags, error) {
	var f flags
	fs := flag.NewFlagSet(Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.profile, "profile", "", "AWS profile")
	fs.StringVar(&f.region, "region", "", "AWS region")
	fs.BoolVar(&f.ignoreHost, "ignore-host-check", false, "answer for any host")
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return f, failure.UsageError(usageHint, "help requested")
			}
			return f, failure.UsageError(usageHint, "%s", flagError(fs, args, err))
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != 1 {
		return f, failure.UsageError(usageHint, "want exactly one action, got %d arguments", len(pos))
	}
	f.action = pos[0]
	if f.profile != "" {
		if err := names.Profile(f.profile); err != nil {
			return f, failure.UsageError(usageHint, "--profile: %v", err)
		}
	}
	if f.region != "" {
		r, err := names.Region(f.region)
		if err != nil {
			return f, failure.UsageError(usageHint, "--region: %v", err)
		}
		f.region = r
	}
	return f, nil
}

// flagError names the flag of args that fs does not know, as typed,
// instead of Go's "flag provided but not defined: -x".
func flagError(fs *flag.FlagSet, args []string, err error) string {
	for _, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if fs.Lookup(name) == nil {
			return "unknown flag: " + a
		}
	}
	return err.Error()
}

// quitError is a failure on a request that is ours: git is told to stop
// (quit=1) rather than prompt for credentials.
type quitError struct{ error }

func (e quitError) Unwrap() error { return e.error }

// answered: git-codecommit answered git's request and ended with status.
type answered struct{ status int }

func (a *answered) Error() string {
	return fmt.Sprintf("answered by %s (exit status %d)", proc.FullProgram, a.status)
}

// Run is git-credential-codecommit's main, with newProvider's credentials.
func Run(ctx context.Context, p *proc.Proc, newProvider credential.Factory) error {
	if version.HelperInfo(p.Args, p.Stdout, Name, usageHint) {
		return nil
	}
	tr := trace.New(p.Getenv(trace.EnvVar), p.Stderr, p.Now, Name)
	defer tr.Close()
	f, err := parseArgs(p.Args)
	if err != nil {
		return err
	}
	if f.action != "get" {
		// store, erase and actions added to git later: nothing to do, but
		// take git's request off the pipe.
		_, _ = io.Copy(io.Discard, p.Stdin)
		tr.Printf("%s: ignored", failure.Clip(f.action, 80))
		return nil
	}
	req, err := gitcred.Read(p.Stdin)
	if err != nil {
		return fmt.Errorf("reading git's credential request: %w", err)
	}
	resp, err := get(ctx, p, tr, f, req, newProvider(p, tr))
	var a *answered
	if errors.As(err, &a) {
		if a.status != 0 {
			return failure.ExitStatus(a.status)
		}
		return nil
	}
	var q quitError
	if errors.As(err, &q) {
		_ = gitcred.Write(p.Stdout, gitcred.Response{Quit: true})
		return q.error
	}
	if err != nil || resp == nil {
		return err
	}
	return gitcred.Write(p.Stdout, *resp)
}

// MissingPathError: git did not send the repository path, which the
// signature covers.
type MissingPathError struct{ Host string }

func (e *MissingPathError) Error() string {
	return "git did not send the repository path"
}

// Hint implements failure.Hinter.
func (e *MissingPathError) Hint() string {
	return "run 'git config --global credential.UseHttpPath true' (or git codecommit setup)"
}

// PathError: the URL is not a CodeCommit repository URL.
type PathError struct{ Path string }

func (e *PathError) Error() string {
	return fmt.Sprintf("%q is not a CodeCommit repository path", failure.Clip(e.Path, 80))
}

// Hint implements failure.Hinter.
func (e *PathError) Hint() string {
	return "CodeCommit https URLs look like https://HOST/v1/repos/NAME"
}

// get answers a get request, or returns nil for a request that is not ours.
func get(ctx context.Context, p *proc.Proc, tr *trace.Tracer, f flags, req gitcred.Request, provider credential.Provider) (*gitcred.Response, error) {
	if req.Protocol != "https" {
		tr.Printf("get: protocol %q is not https: no answer", failure.Clip(req.Protocol, 80))
		return nil, nil
	}
	// The signature covers the host as curl sends it: without a default
	// port (issue 13 item 5).
	host := names.WireHost(req.Host)
	region, ok := hostRegion(p, tr, f, host)
	if !ok {
		return nil, nil
	}
	if req.Path == "" {
		return nil, quitError{&MissingPathError{Host: req.Host}}
	}
	// git sends the path without its leading "/"; the AWS CLI's helper
	// (and its tests) take one too.
	name, found := strings.CutPrefix(strings.TrimRight(strings.TrimPrefix(req.Path, "/"), "/"), "v1/repos/")
	if !found || names.Repository(name) != nil {
		return nil, quitError{&PathError{Path: req.Path}}
	}
	t, err := target.Resolve(target.Ref{Profile: f.profile, Region: region, Host: host}, p.Getenv)
	if err != nil {
		return nil, quitError{err}
	}
	res, err := provider.Retrieve(ctx, t)
	if errors.Is(err, credential.ErrNeedsSDK) {
		if err = runFull(ctx, p, tr, req); errors.As(err, new(*answered)) {
			return nil, err
		}
	}
	if errors.As(err, new(*target.NoRegionError)) {
		err = failure.WithHint(err, "add --region REGION to the credential helper for "+req.Host)
	}
	if err != nil {
		return nil, quitError{err}
	}
	ct := gitexec.CurlTraceOf(p.LookupEnv)
	if what := ct.Replayable(res.SessionToken != ""); what != "" {
		// git remote-https, our parent, traces curl: it would print the
		// Basic-auth user (the session token) or, unredacted, the password.
		return nil, quitError{failure.WithHint(fmt.Errorf("%s set and curl would write %s of profile %s to its trace", ct.Named(), what, t.Profile),
			curlTraceFix(ct, res.SessionToken != ""))}
	}
	creds, expires := res.Signing()
	s, expiry := sigv4.SignRepo(creds, expires, t.Region, host, name, p.Clock())
	tr.Printf("get: signed for profile %s, key %s (%s), region %s (from %s), canonical request %q, valid until %s",
		t.Profile, trace.Key(res.AccessKeyID), res.Source, t.Region, t.RegionSource,
		sigv4.CanonicalRequest("/v1/repos/"+name, host), expiry.UTC().Format(time.RFC3339))
	return &gitcred.Response{Username: s.Username, Password: s.Password, PasswordExpiry: expiry}, nil
}

// hostRegion decides whether host is ours and which region to sign for:
// the region a CodeCommit host names; for the CODE_COMMIT_ENDPOINT host
// or with --ignore-host-check, --region or else the profile's ("").
func hostRegion(p *proc.Proc, tr *trace.Tracer, f flags, host string) (string, bool) {
	if info, ok := endpoint.ParseHost(host); ok {
		if f.region != "" && f.region != info.Region {
			tr.Printf("get: host %s names region %s; --region %s ignored", host, info.Region, f.region)
		}
		tr.Printf("get: host %s: region %s, fips %v, vpc endpoint %v", host, info.Region, info.FIPS, info.VPCEndpoint)
		return info.Region, true
	}
	if endpoint.IsOverride(host, p.Getenv("CODE_COMMIT_ENDPOINT")) {
		tr.Printf("get: host %s is CODE_COMMIT_ENDPOINT", host)
		return f.region, true
	}
	if f.ignoreHost && host != "" {
		tr.Printf("get: host %s accepted by --ignore-host-check", failure.Clip(host, 80))
		return f.region, true
	}
	tr.Printf("get: host %q is not CodeCommit: no answer", failure.Clip(host, 80))
	return "", false
}

// curlTraceFix is the command that lets the helper answer with ct on.
func curlTraceFix(ct gitexec.CurlTrace, session bool) string {
	if !session {
		return "unset " + gitexec.EnvTraceRedact + " (git redacts authorizations by default) or " + strings.Join(ct.Vars, " and ") + " for this command"
	}
	return "unset " + strings.Join(ct.Vars, " and ") + " for this command, or use a codecommit:// remote, which turns curl's trace off for session credentials"
}

// runFull runs git-codecommit under this program's name, with its arguments
// and environment, to answer req on this program's standard output.
func runFull(ctx context.Context, p *proc.Proc, tr *trace.Tracer, req gitcred.Request) error {
	full, err := p.FullProgramPath(Name)
	if err != nil {
		return err
	}
	var in bytes.Buffer
	if err := gitcred.WriteRequest(&in, req); err != nil {
		return err
	}
	tr.Printf("get: neither static keys nor a cached role; resolving through the AWS SDK: run %s", full)
	status, err := p.RunChild(ctx, full, append([]string{Name}, p.Args...), &in)
	if err != nil {
		return err
	}
	return &answered{status: status}
}
