// Package location turns a repository reference (a name, a codecommit://
// URL or a CodeCommit https or ssh URL) plus the profile and region flags
// into where the repository is: its target (package target), its https
// host, and from there its https, codecommit:// or ssh clone URL, or a
// time-limited https URL with signed credentials in it. `git codecommit
// url` prints them; `git codecommit clone` clones from them.
//
// Scope: parsing references and building URLs. Profiles, regions and FIPS
// come from target, hosts from endpoint, credentials from awscreds; it runs
// no git and prints nothing.
package location

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
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
