// Package cloneurl is `git codecommit url` and the repository locating that
// `git codecommit clone` shares with it: a repository reference (a name, a
// codecommit:// URL or a CodeCommit https or ssh URL) plus the profile and
// region flags become the repository's https, codecommit or ssh clone URL,
// or a time-limited https URL with signed credentials in it.
//
// Scope: parsing references and printing URLs. Regions and FIPS come from
// awscreds, hosts from endpoint, the signature from awscreds.Result.SignRepo; it
// runs no git.
package cloneurl

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/names"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/repourl"
	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
	"github.com/gitcodecommit/git-codecommit/internal/target"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Source is a parsed repository reference.
type Source struct {
	Repo    string
	Profile string // from a codecommit URL or --profile
	Region  string // from a codecommit URL, a CodeCommit host or --region
	FIPS    bool   // the reference named a FIPS host
	Host    string // host[:port] of an https reference, kept as given
}

const refHint = "give a repository name, codecommit://[PROFILE@]REPO, codecommit::REGION://[PROFILE@]REPO or https://git-codecommit.REGION.amazonaws.com/v1/repos/REPO"

// Parse parses ref: a repository name, a codecommit URL, or a CodeCommit
// https or ssh URL. override is CODE_COMMIT_ENDPOINT: an https URL on that
// host is CodeCommit too; sshOverride is CODE_COMMIT_SSH_ENDPOINT, the same
// for ssh URLs.
func Parse(ref, override, sshOverride string) (Source, error) {
	if !strings.Contains(ref, ":") {
		if err := names.Repository(ref); err != nil {
			return Source{}, failure.UsageError(refHint, "invalid repository %q: %v", failure.Clip(ref, 120), err)
		}
		return Source{Repo: ref}, nil
	}
	scheme, _, _ := strings.Cut(ref, "://")
	switch strings.ToLower(scheme) {
	case "https", "ssh":
		return parseGitURL(ref, strings.ToLower(scheme), override, sshOverride)
	}
	u, err := repourl.Parse(ref)
	if err != nil {
		return Source{}, err
	}
	return Source{Repo: u.Repo, Profile: u.Profile, Region: u.Region}, nil
}

// parseGitURL parses https://HOST/v1/repos/REPO or ssh://[KEYID@]HOST/v1/repos/REPO.
// Credentials in the URL are ignored and never repeated in messages.
func parseGitURL(ref, scheme, override, sshOverride string) (Source, error) {
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" {
		return Source{}, failure.UsageError(refHint, "malformed %s URL", scheme)
	}
	shown := scheme + "://" + u.Host + u.EscapedPath()
	name, found := strings.CutPrefix(strings.TrimRight(u.Path, "/"), "/v1/repos/")
	if !found || names.Repository(name) != nil || u.RawQuery != "" || u.Fragment != "" {
		return Source{}, failure.UsageError(refHint, "%s is not a CodeCommit repository URL (the path must be /v1/repos/REPO)", failure.Clip(shown, 120))
	}
	s := Source{Repo: name}
	if info, ok := endpoint.ParseHost(u.Host); ok {
		s.Region, s.FIPS = info.Region, info.FIPS
	} else if scheme == "ssh" && endpoint.IsSSHHost(u.Hostname(), sshOverride) {
		// The local or VPC SSH endpoint: the region comes from the profile.
	} else if scheme != "https" || !endpoint.IsOverride(u.Host, override) {
		return Source{}, failure.UsageError(refHint, "%s is not a CodeCommit URL (unknown host %s)", failure.Clip(shown, 120), failure.Clip(u.Host, 120))
	}
	if scheme == "https" {
		s.Host = names.WireHost(u.Host)
	}
	return s, nil
}

// With applies the --profile and --region flags to s; a flag that
// contradicts the reference is a usage error.
func (s Source) With(profile, region string) (Source, error) {
	if profile != "" {
		if err := names.Profile(profile); err != nil {
			return s, failure.UsageError("name a profile of the AWS files", "--profile: %v", err)
		}
		if s.Profile != "" && s.Profile != profile {
			return s, failure.UsageError("drop --profile or the profile in the URL", "--profile %q contradicts the URL's profile %q", profile, s.Profile)
		}
		s.Profile = profile
	}
	if region != "" {
		r, err := names.Region(region)
		if err != nil {
			return s, failure.UsageError("a region looks like us-east-1", "--region: %v", err)
		}
		region = r
		if s.Region != "" && s.Region != region {
			return s, failure.UsageError("drop --region or the region in the URL", "--region %s contradicts the URL's region %s", region, s.Region)
		}
		s.Region = region
	}
	return s, nil
}

// Location is a Source resolved against the AWS configuration.
type Location struct {
	Source
	Creds    *awscreds.Result // profile, region and FIPS resolved; credentials not retrieved
	Endpoint endpoint.Endpoint
	HTTPS    string // https://HOST/v1/repos/REPO
}

// Locate resolves s's region and https endpoint through the profile's
// configuration, without retrieving credentials. Endpoint warnings go to
// p.Stderr.
func Locate(ctx context.Context, p *proc.Proc, tr *trace.Tracer, s Source) (*Location, error) {
	t, err := target.Resolve(target.Ref{Profile: s.Profile, Region: s.Region, Host: s.Host}, p.Getenv)
	if err != nil {
		return nil, err
	}
	res, err := awscreds.Setup(ctx, awscreds.ForProcess(p, t, tr))
	if err != nil {
		return nil, err
	}
	if err := res.ErrNoRegion(); err != nil {
		return nil, failure.WithHint(err, "pass --region REGION")
	}
	l := &Location{Source: s, Creds: res}
	// The reference's host, else the region's (s.FIPS is only set with
	// a host).
	if l.Endpoint, err = res.Endpoint(); err != nil {
		return nil, err
	}
	if l.Endpoint.Warning != "" {
		fmt.Fprintf(p.Stderr, "warning: %s\n", failure.Escape(l.Endpoint.Warning))
	}
	l.HTTPS = endpoint.RepoURL(l.Endpoint.Host, s.Repo)
	tr.Printf("located %s: profile %s (%s), region %s (%s), %s", s.Repo, res.Profile, res.ProfileSource, res.Region, res.RegionSource, l.HTTPS)
	return l, nil
}

// Codecommit returns the codecommit URL: codecommit::REGION://[PROFILE@]REPO,
// with the profile only when one was named.
func (l *Location) Codecommit() string {
	return repourl.URL{Region: l.Creds.Region, Profile: l.Profile, Repo: l.Repo}.String()
}

// CodecommitNote says what a codecommit:// remote for l loses of an https
// reference on a FIPS or VPC-endpoint host, and how to keep it; "" when
// nothing is lost. FIPS and the CODE_COMMIT_ENDPOINT override are l's
// target's.
func (l *Location) CodecommitNote() string {
	info, ok := endpoint.ParseHost(l.Host)
	switch {
	case !ok:
		return ""
	case info.VPCEndpoint && !endpoint.IsOverride(l.Host, l.Creds.Override):
		return fmt.Sprintf("note: %s is a VPC endpoint; codecommit:// remotes reach it only with CODE_COMMIT_ENDPOINT=%s exported", l.Host, l.Host)
	case info.FIPS && !info.VPCEndpoint && !l.Creds.FIPS:
		return fmt.Sprintf("note: %s is a FIPS endpoint; codecommit:// remotes use it only with AWS_USE_FIPS_ENDPOINT=true or use_fips_endpoint = true in the profile", l.Host)
	}
	return ""
}

// SSH returns the ssh URL on the region's public (or FIPS) CodeCommit host,
// or on the CODE_COMMIT_SSH_ENDPOINT host:port (override).
func (l *Location) SSH(override string) (string, error) {
	ep, err := endpoint.ResolveSSH(l.Creds.Region, l.Creds.FIPS || l.FIPS, override)
	if err != nil {
		return "", err
	}
	return ep.RepoURL(l.Repo), nil
}

// Signed retrieves the credentials and returns the https URL with a signed
// username and password in it, and when it expires.
func (l *Location) Signed(ctx context.Context, p *proc.Proc, tr *trace.Tracer) (string, time.Time, error) {
	if err := l.Creds.Retrieve(ctx); err != nil {
		return "", time.Time{}, err
	}
	s, expiry := l.Creds.SignRepo(l.Endpoint.Host, l.Repo, p.Clock())
	tr.Printf("signed URL for key %s, valid until %s", trace.Key(l.Creds.Credentials.AccessKeyID), expiry.UTC().Format(time.RFC3339))
	return "https://" + sigv4.QuoteUsername(s.Username) + ":" + s.Password + "@" + l.Endpoint.Host + "/v1/repos/" + l.Repo, expiry, nil
}

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
	s, err := Parse(o.Ref, p.Getenv("CODE_COMMIT_ENDPOINT"), p.Getenv(endpoint.SSHEndpointVar))
	if err != nil {
		return err
	}
	if s, err = s.With(o.Profile, o.Region); err != nil {
		return err
	}
	l, err := Locate(ctx, p, tr, s)
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
