// Package cloneurl is `git codecommit url`: it prints the clone URL of a
// repository (package location finds it) in the form asked for, as text or
// JSON.
//
// Scope: flags and printing; it runs no git.
package cloneurl

import (
	"context"
	"fmt"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/location"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Form is the kind of URL `git codecommit url` prints.
type Form string

// Forms.
const (
	HTTPS      Form = "https"
	Codecommit Form = "grc"
	SSH        Form = "ssh"
)

// Options are `git codecommit url`'s.
type Options struct {
	Ref             string
	Form            Form // "" is HTTPS
	Signed          bool
	Profile, Region string
	JSON            bool // print URLJSON
}

// URLJSON is `url --json`, schema version 1 ("version"); fields are only
// ever added.
type URLJSON struct {
	Version    int        `json:"version"`
	URL        string     `json:"url"`
	Form       Form       `json:"form"` // "https", "grc" or "ssh"
	Repository string     `json:"repository"`
	Profile    string     `json:"profile"`
	Region     string     `json:"region"`
	Host       string     `json:"host"`
	Signed     bool       `json:"signed"`
	Expires    *time.Time `json:"expires,omitempty"` // signed URLs only
}

// Print is `git codecommit url`: it prints the URL on p.Stdout and, for a
// signed URL, when it expires on p.Stderr.
func Print(ctx context.Context, p *proc.Proc, o Options) error {
	tr := trace.New(p.Getenv(trace.EnvVar), p.Stderr, p.Now, "git-codecommit url")
	defer tr.Close()
	if o.Form == "" {
		o.Form = HTTPS
	}
	if o.Signed && o.Form != HTTPS {
		return failure.UsageError("drop --"+string(o.Form)+": signed URLs are https URLs", "--signed works only with --https")
	}
	s, err := location.Parse(o.Ref, p.Getenv("CODE_COMMIT_ENDPOINT"), p.Getenv(endpoint.SSHEndpointVar))
	if err != nil {
		return err
	}
	if s, err = s.With(o.Profile, o.Region); err != nil {
		return err
	}
	l, err := location.Locate(ctx, p, tr, s)
	if err != nil {
		return err
	}
	var out string
	var expires *time.Time
	switch o.Form {
	case HTTPS:
		out = l.HTTPS
		if o.Signed {
			var expiry time.Time
			if out, expiry, err = l.Signed(ctx, p, tr); err != nil {
				return err
			}
			e := expiry.UTC()
			expires = &e
			left := expiry.Sub(p.Clock()).Round(time.Minute)
			fmt.Fprintf(p.Stderr, "warning: this URL holds credentials valid until %s (%d minutes); do not store or share it\n", expiry.UTC().Format(time.RFC3339), int(left.Minutes()))
		}
	case Codecommit:
		out = l.Codecommit()
		if note := l.CodecommitNote(); note != "" {
			fmt.Fprintln(p.Stderr, note)
		}
	case SSH:
		if out, err = l.SSH(p.Getenv(endpoint.SSHEndpointVar)); err != nil {
			return err
		}
	default:
		return failure.UsageError("use --https, --grc or --ssh", "unknown URL form %q", o.Form)
	}
	if o.JSON {
		return command.PrintJSON(p.Stdout, URLJSON{Version: 1, URL: out, Form: o.Form, Repository: l.Repo, Profile: l.Creds.Profile,
			Region: l.Creds.Region, Host: l.Endpoint.Host, Signed: o.Signed, Expires: expires})
	}
	_, err = fmt.Fprintln(p.Stdout, out)
	return err
}
