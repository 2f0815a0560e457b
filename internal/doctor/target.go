package doctor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/credential"
	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/gitconfig"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/names"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/repourl"
	"github.com/gitcodecommit/git-codecommit/internal/target"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
	"github.com/gitcodecommit/git-codecommit/internal/version"
)

// Remote kinds.
const (
	kindCodeCommit = "codecommit"
	kindHTTPS      = "https"
)

// parsedRemote is the remote's URL taken apart.
type parsedRemote struct {
	kind    string
	repo    string
	profile string // codecommit URL only
	region  string // codecommit URL only
	host    string // https URL only: host[:port]
	path    string // https URL only
	https   string // https URL only, without userinfo
}

// Helper names, as found on PATH.
const (
	remoteHelper = "git-remote-codecommit"
	credHelper   = gitconfig.HelperProgram
)

func (d *doctor) checkGit(ctx context.Context) result {
	v, err := gitexec.GitVersion(ctx, d.git)
	if err != nil {
		return fail("git not found or not runnable: "+failure.OneLine(err.Error()), fmt.Sprintf("install git %d.%d or later and put it on PATH", gitexec.MinVersion.Major, gitexec.MinVersion.Minor))
	}
	if !v.AtLeast(gitexec.MinVersion.Major, gitexec.MinVersion.Minor) {
		return fail(fmt.Sprintf("git %s is older than %s", v, gitexec.MinVersion), fmt.Sprintf("install git %d.%d or later", gitexec.MinVersion.Major, gitexec.MinVersion.Minor))
	}
	ev := []string{"git " + v.String()}
	var missing, foreign, fixes, dirs []string
	for _, name := range []string{remoteHelper, credHelper} {
		path, found := d.p.LookPath(name)
		if !found && name == credHelper {
			path = d.configuredHelper(ctx)
			found = path != ""
		}
		if !found {
			ev = append(ev, name+" not on PATH")
			missing = append(missing, name)
			continue
		}
		h := identifyHelper(ctx, d.p, name, path)
		if h.foreign == "" {
			ev = append(ev, h.version+" at "+path)
			continue
		}
		foreign = append(foreign, path+" is "+h.foreign)
		if d := filepath.Dir(path); !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
		if h.python && name == remoteHelper {
			fixes = append(fixes, "pip uninstall git-remote-codecommit")
		}
	}
	if len(foreign) > 0 {
		fixes = append(fixes, "or put the directory holding this toolset's helpers before "+strings.Join(dirs, " and ")+" on PATH")
		return fail(strings.Join(append(ev, foreign...), "; "), "remove the shadowing helper ("+strings.Join(fixes, ", ")+")")
	}
	if len(missing) == 0 {
		return ok("%s", strings.Join(ev, "; "))
	}
	fix := "put the directory holding " + strings.Join(missing, " and ") + " on PATH (make install in a checkout of git-codecommit installs all three in /usr/local/bin)"
	// A missing helper fails in the url check, when the remote needs it.
	return warn(strings.Join(ev, "; "), fix)
}

// helperID is what a helper found on PATH turned out to be.
type helperID struct {
	version string // its --version line, when it is ours
	foreign string // what it is instead, when it is not ours
	python  bool   // a Python script: AWS's pip-installed helper
}

// identifyHelper tells whether the program at path is this toolset's
// helper name: ours are native binaries that answer --version with
// version.Mark. A script (AWS's Python helper is one) is never ours and is
// not run.
func identifyHelper(ctx context.Context, p *proc.Proc, name, path string) helperID {
	head := make([]byte, 256)
	if f, err := os.Open(path); err == nil {
		n, _ := io.ReadFull(f, head)
		f.Close()
		head = head[:n]
	}
	if bytes.HasPrefix(head, []byte("#!")) {
		line, _, _ := bytes.Cut(head, []byte("\n"))
		if bytes.Contains(line, []byte("python")) {
			return helperID{foreign: "AWS's Python " + name + " (pip), not this toolset's", python: true}
		}
		return helperID{foreign: "not ours: a script (" + failure.OneLine(string(line)) + ")"}
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var out []byte
	if cmd, err := p.Command(ctx, path, "--version"); err == nil {
		out, _ = cmd.Output()
	}
	first, _, _ := strings.Cut(string(out), "\n")
	if strings.HasPrefix(first, name+" ") && strings.Contains(first, version.Mark) {
		return helperID{version: strings.Replace(first, " "+version.Mark, "", 1)}
	}
	return helperID{foreign: "not ours: it does not answer --version as this toolset's " + name + " does"}
}

func (d *doctor) checkURL(ctx context.Context) result {
	arg := d.o.Arg
	if arg != "" && !looksLikeURL(arg) {
		out, err := d.git.Git(ctx, "remote", "get-url", arg)
		if err != nil {
			return fail(fmt.Sprintf("no remote %q in this repository", arg), "list the remotes with 'git remote -v', or pass a URL: git codecommit doctor codecommit://REPO")
		}
		d.target.Remote = arg
		arg = strings.TrimSpace(out)
	}
	if arg == "" {
		remote, u, r := d.defaultRemote(ctx)
		if r.status == Fail {
			return r
		}
		d.target.Remote, arg = remote, u
	}
	pr, r := d.parseRemote(arg)
	if r.status == Fail {
		d.target.URL = redactURL(arg)
		return r
	}
	d.remote = pr
	d.target.Kind, d.target.Repository = pr.kind, pr.repo
	if pr.kind == kindSSH {
		d.target.URL = pr.https
		return ok("ssh remote for repository %s on host %s", pr.repo, pr.host)
	}
	if pr.kind == kindHTTPS {
		d.target.URL = pr.https
		if _, ok := d.p.LookPath(credHelper); !ok && !d.helperByPath(ctx, pr.https) {
			return fail(credHelper+" is not on PATH: git cannot get CodeCommit passwords for https remotes", "put the directory holding "+credHelper+" on PATH, then run 'git codecommit setup'")
		}
		return ok("https remote for repository %s on host %s", pr.repo, pr.host)
	}
	d.target.URL = repourl.URL{Region: pr.region, Profile: pr.profile, Repo: pr.repo}.String()
	if _, ok := d.p.LookPath(remoteHelper); !ok {
		return fail(remoteHelper+" is not on PATH: git cannot use codecommit:// URLs", "put the directory holding "+remoteHelper+" on PATH")
	}
	ev := "codecommit URL for repository " + pr.repo
	if pr.profile != "" {
		ev += ", profile " + pr.profile
	}
	if pr.region != "" {
		ev += ", region " + pr.region
	}
	return ok("%s", ev)
}

func looksLikeURL(s string) bool {
	return strings.Contains(s, "://") || strings.HasPrefix(strings.ToLower(s), "codecommit:")
}

// defaultRemote picks origin if it is a CodeCommit remote, else the only
// CodeCommit remote.
func (d *doctor) defaultRemote(ctx context.Context) (string, string, result) {
	const fixURL = "pass a remote or URL: git codecommit doctor codecommit://REPO"
	if _, err := d.git.Git(ctx, "rev-parse", "--git-dir"); err != nil {
		return "", "", fail("not in a git repository and no remote or URL given", fixURL)
	}
	out, _ := d.git.Git(ctx, "config", "--get-regexp", `^remote\..*\.url$`)
	urls := map[string]string{}
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		k, v, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(k, "remote."), ".url")
		if _, seen := urls[name]; seen {
			continue
		}
		if _, r := d.parseRemote(v); r.status != Fail {
			urls[name] = v
			names = append(names, name)
		}
	}
	sort.Strings(names)
	switch {
	case urls["origin"] != "":
		return "origin", urls["origin"], result{}
	case len(names) == 1:
		return names[0], urls[names[0]], result{}
	case len(names) == 0:
		return "", "", fail("this repository has no CodeCommit remote", fixURL+", or add one: git remote add origin codecommit://REPO")
	}
	return "", "", fail("several CodeCommit remotes and none is origin: "+strings.Join(names, ", "), "name one: git codecommit doctor "+names[0])
}

// parseRemote parses a codecommit:// or https CodeCommit URL.
func (d *doctor) parseRemote(raw string) (parsedRemote, result) {
	if strings.HasPrefix(strings.ToLower(raw), "ssh://") {
		return d.parseSSHRemote(raw)
	}
	if !strings.HasPrefix(strings.ToLower(raw), "https://") {
		u, err := repourl.Parse(raw)
		if err != nil {
			return parsedRemote{}, fromError(err)
		}
		return parsedRemote{kind: kindCodeCommit, repo: u.Repo, profile: u.Profile, region: u.Region}, result{}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return parsedRemote{}, fail("malformed URL "+redactURL(raw), "use https://git-codecommit.REGION.amazonaws.com/v1/repos/REPO or codecommit://REPO")
	}
	u.User = nil
	u.Host = names.WireHost(u.Host) // as curl sends and CodeCommit verifies it
	host := strings.ToLower(u.Host)
	if _, ok := endpoint.ParseHost(host); !ok && !endpoint.IsOverride(host, d.p.Getenv("CODE_COMMIT_ENDPOINT")) {
		return parsedRemote{}, fail(fmt.Sprintf("%s is not a CodeCommit host", u.Host), "use a CodeCommit URL (https://git-codecommit.REGION.amazonaws.com/v1/repos/REPO or codecommit://REPO), or set CODE_COMMIT_ENDPOINT for a private endpoint")
	}
	repo, ok := strings.CutPrefix(u.Path, "/v1/repos/")
	if !ok || repo == "" || strings.Contains(repo, "/") {
		return parsedRemote{}, fail(fmt.Sprintf("%s is not a repository path (want /v1/repos/REPO)", u.Path), "use https://"+u.Host+"/v1/repos/REPO")
	}
	if err := names.Repository(repo); err != nil {
		return parsedRemote{}, fail(fmt.Sprintf("invalid repository name %q: %v", repo, err), "repository names are 1-100 letters, digits, '.', '_' and '-'")
	}
	return parsedRemote{kind: kindHTTPS, repo: repo, host: u.Host, path: u.Path, https: u.String()}, result{}
}

// redactURL drops a URL's userinfo: the user name may carry a session
// token, the password a signature.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.LastIndex(raw, "@"); i >= 0 {
			return "…" + raw[i:]
		}
		return raw
	}
	u.User = nil
	return u.String()
}

// awsOptions resolves the one Target of profile and region (as named by a
// flag, the URL or the credential helper; "" none) for awscreds.
func (d *doctor) awsOptions(profile, region string) (awscreds.Options, error) {
	t, err := target.Resolve(target.Ref{Profile: profile, Region: region}, d.p.Getenv)
	return awscreds.ForProcess(d.p, t, d.tr), err
}

func (d *doctor) checkProfile(ctx context.Context) result {
	pr := d.remote
	profile, profileWhy := d.o.Profile, "--profile"
	region, regionWhy := d.o.Region, "--region"
	var hostInfo endpoint.HostInfo
	var cchost bool
	if pr.kind == kindSSH {
		hostInfo, cchost = endpoint.ParseHost(d.ssh.host)
		if region == "" && cchost {
			region, regionWhy = hostInfo.Region, "the ssh host"
		}
	} else if pr.kind == kindHTTPS {
		hostInfo, cchost = endpoint.ParseHost(pr.host)
		hp, hr := d.helperArgs(ctx)
		if profile == "" && hp != "" {
			profile, profileWhy = hp, "the credential helper's --profile"
		}
		if region == "" && cchost {
			region, regionWhy = hostInfo.Region, "the https host"
		}
		if region == "" && hr != "" {
			region, regionWhy = hr, "the credential helper's --region"
		}
	} else {
		if profile == "" && pr.profile != "" {
			profile, profileWhy = pr.profile, "the URL"
		}
		if region == "" && pr.region != "" {
			region, regionWhy = pr.region, "the URL"
		}
	}
	ao, err := d.awsOptions(profile, region)
	if err != nil {
		return fromError(err)
	}
	res, err := awscreds.Setup(ctx, ao)
	if err != nil {
		return fromError(err)
	}
	d.res = res
	if profile == "" {
		profileWhy = res.ProfileSource.String()
		if res.ProfileSource == target.ProfileDefault {
			profileWhy = "the default, as nothing else is set"
		}
	}
	if region == "" {
		regionWhy = res.RegionSource.String()
		if res.RegionSource == target.RegionProfile {
			regionWhy = "the profile"
		}
	}
	d.target.Profile, d.target.Region = res.Profile, res.Region
	if err := res.ErrNoRegion(); err != nil {
		return fromError(err)
	}
	ev := fmt.Sprintf("profile %s (from %s); region %s (from %s)", res.Profile, profileWhy, res.Region, regionWhy)
	if res.FIPS {
		ev += "; FIPS on (from " + res.FIPSSource.String() + ")"
	}
	var warning string
	if pr.kind == kindSSH {
		d.host = pr.host
		ev += "; ssh host " + d.host
	} else if pr.kind == kindHTTPS {
		d.host = pr.host
		why := "the URL's host"
		switch {
		case hostInfo.VPCEndpoint:
			why = "the URL's host, a VPC endpoint"
		case !cchost:
			why = "the URL's host, the CODE_COMMIT_ENDPOINT override"
		}
		ev += "; host " + d.host + " (" + why + ")"
		if cchost && hostInfo.Region != res.Region {
			return fail(fmt.Sprintf("%s; but the host is in region %s and signatures would be made for %s", ev, hostInfo.Region, res.Region), "drop --region, or use the https URL of region "+res.Region)
		}
	} else {
		ep, err := res.Endpoint()
		if err != nil {
			return fromError(err)
		}
		d.ep, d.host = ep, ep.Host
		why := "the region's endpoint"
		switch {
		case ep.Overridden:
			why = "CODE_COMMIT_ENDPOINT override"
		case ep.FIPS:
			why = "the region's FIPS endpoint"
		}
		ev += "; host " + d.host + " (" + why + ")"
		warning = ep.Warning
	}
	d.target.Host = d.host
	if warning != "" {
		return warn(ev+"; "+warning, "check the region name")
	}
	return ok("%s", ev)
}

func (d *doctor) checkCredentials(ctx context.Context) result {
	if err := d.res.Retrieve(ctx); err != nil {
		return fromError(err)
	}
	c := d.res.Credentials
	ev := fmt.Sprintf("%s; access key %s", d.res.Source, trace.Key(c.AccessKeyID))
	if c.SessionToken != "" {
		ev += " with a session token"
	}
	if sh := d.res.Shadowed; sh != "" {
		p := d.res.Profile
		name := fmt.Sprintf("codecommit://%s@%s", p, d.remote.repo)
		if d.remote.kind == kindHTTPS {
			name = fmt.Sprintf("git config credential.helper 'codecommit --profile %s'", p)
		}
		return warn(fmt.Sprintf("%s, not profile %s from %s (%s): environment keys win, as in the AWS CLI", ev, p, d.res.ProfileSource, sh),
			fmt.Sprintf("to use profile %s, name it (%s), or unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", p, name))
	}
	if c.Expires.IsZero() {
		return ok("%s; no expiry", ev)
	}
	left := c.Expires.Sub(d.p.Clock()).Round(time.Second)
	if left <= 0 {
		return fail(fmt.Sprintf("%s; expired at %s", ev, c.Expires.UTC().Format(time.RFC3339)), d.refreshFix())
	}
	return ok("%s; expires %s (in %s)", ev, c.Expires.UTC().Format(time.RFC3339), left)
}

// refreshFix says how to get fresh temporary credentials for the profile.
func (d *doctor) refreshFix() string {
	p := d.res.Profile
	switch d.res.Kind {
	case credential.KindSSO:
		return "aws sso login --profile " + p
	case credential.KindLogin:
		return "aws login --profile " + p
	case credential.KindAssumeRole:
		if d.res.MFASerial != "" {
			return "git codecommit mfa --profile " + p
		}
		return "git codecommit logout --profile " + p + " (removes its cached role sessions) and retry; if it persists, the source profile's credentials are stale"
	case credential.KindSharedKeys:
		if d.res.Credentials.SessionToken != "" {
			return fmt.Sprintf("replace aws_access_key_id, aws_secret_access_key and aws_session_token of [%s] in %s with fresh temporary credentials (aws sts get-session-token), or give the profile long-term keys: aws configure --profile %s", p, d.res.Files.Credentials, p)
		}
	case credential.KindEnvironment:
		return "export fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or unset them to use the profile"
	}
	return "get fresh temporary credentials for profile " + p + " and retry"
}

func (d *doctor) checkIdentity(ctx context.Context) result {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	id, err := d.res.CallerIdentity(ctx)
	var bad *awscreds.InvalidCredentialsError
	var expired *awscreds.ExpiredTokenError
	key := trace.Key(d.res.Credentials.AccessKeyID)
	p := d.res.Profile
	keysFix := fmt.Sprintf("aws configure --profile %s (enter the key pair again)", p)
	if d.res.Kind == credential.KindEnvironment {
		keysFix = "export the right AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or unset them to use the profile"
	}
	switch {
	case errors.As(err, &bad) && bad.WrongSecret():
		return fail(fmt.Sprintf("wrong secret: AWS rejected the signature (%s): the secret access key of profile %s does not belong to access key %s", bad.Code, p, key), keysFix)
	case errors.As(err, &bad) && d.res.RoleARN != "" && strings.HasPrefix(d.res.Credentials.AccessKeyID, "ASIA"):
		// A temporary key of an assumed role, from the cache: the session
		// was revoked or its source keys rotated; no IAM key to replace.
		return fail(fmt.Sprintf("AWS rejects temporary key %s (%s) of the role session of profile %s (role %s, from the shared cache): the session was revoked or its source credentials changed", key, bad.Code, p, d.res.RoleARN),
			fmt.Sprintf("git codecommit logout --profile %s, then retry (or git codecommit mfa --profile %s --refresh)", p, p))
	case errors.As(err, &bad):
		return fail(fmt.Sprintf("AWS does not know access key %s (%s): it was deleted, deactivated or mistyped", key, bad.Code), "create a new access key in IAM and run "+keysFix)
	case errors.As(err, &expired):
		return fail(fmt.Sprintf("the session token of profile %s has expired (%s, key %s)", p, d.res.Source, key), d.refreshFix())
	case err != nil:
		return fromError(err)
	}
	d.identity = id
	return ok("account %s, %s", id.Account, id.ARN)
}
