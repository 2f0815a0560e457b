package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/awscreds/repoapi"
	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

const caFix = "a corporate TLS-inspecting proxy may be replacing the certificate: get your organisation's CA certificate and point git at it with 'git config --global http.sslCAInfo /path/to/ca.pem' (or export GIT_SSL_CAINFO=/path/to/ca.pem; the AWS CLI and SDK read AWS_CA_BUNDLE)"

// repoPath is the path of the remote's repository on d.host.
func (d *doctor) repoPath() string {
	if d.remote.kind == kindHTTPS {
		return d.remote.path
	}
	return "/v1/repos/" + url.PathEscape(d.remote.repo)
}

func (d *doctor) hostPort() (string, string) {
	h, port, err := net.SplitHostPort(d.host)
	if err != nil {
		return strings.Trim(d.host, "[]"), "443"
	}
	return h, port
}

// tlsConfig trusts what git trusts: GIT_SSL_CAINFO, else http.sslCAInfo,
// else the system roots.
func (d *doctor) tlsConfig(ctx context.Context) (*tls.Config, error) {
	name, _ := d.hostPort()
	cfg := &tls.Config{ServerName: name, MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}}
	file, src := d.p.Getenv("GIT_SSL_CAINFO"), "GIT_SSL_CAINFO"
	if file == "" {
		out, _ := d.git.Git(ctx, "config", "--get-urlmatch", "http.sslcainfo", "https://"+d.host+"/")
		file, src = strings.TrimSpace(out), "http.sslCAInfo"
	}
	if file == "" {
		d.caSource = "the system's CA certificates"
		return cfg, nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read the CA file %s (from %s): %w", file, src, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("the CA file %s (from %s) holds no PEM certificate", file, src)
	}
	cfg.RootCAs = pool
	d.caSource = "CA file " + file + " (from " + src + ")"
	return cfg, nil
}

// proxy returns the proxy git would use for the endpoint and where it is
// set, or nil.
func (d *doctor) proxy(ctx context.Context) (*url.URL, string) {
	name, _ := d.hostPort()
	if noProxy(d.firstEnv("NO_PROXY", "no_proxy"), name) {
		return nil, ""
	}
	out, _ := d.git.Git(ctx, "config", "--get-urlmatch", "http.proxy", "https://"+d.host+"/")
	v, src := strings.TrimSpace(out), "http.proxy"
	if v == "" {
		for _, k := range []string{"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"} {
			if v = d.p.Getenv(k); v != "" {
				src = k
				break
			}
		}
	}
	if v == "" {
		return nil, ""
	}
	if !strings.Contains(v, "://") {
		v = "http://" + v
	}
	u, err := url.Parse(v)
	if err != nil {
		return nil, ""
	}
	return u, src
}

func (d *doctor) firstEnv(keys ...string) string {
	for _, k := range keys {
		if v := d.p.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// noProxy reports whether list (NO_PROXY syntax) exempts host.
func noProxy(list, host string) bool {
	host = strings.ToLower(host)
	for _, e := range strings.Split(list, ",") {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "" {
			continue
		}
		if e == "*" {
			return true
		}
		if h, _, err := net.SplitHostPort(e); err == nil {
			e = h
		}
		e = strings.TrimPrefix(e, "*")
		if host == strings.TrimPrefix(e, ".") || strings.HasSuffix(host, "."+strings.TrimPrefix(e, ".")) {
			return true
		}
	}
	return false
}

// redactProxy hides a proxy URL's password.
func redactProxy(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User(c.User.Username())
	}
	return c.String()
}

// httpClient returns the client of the probes: git's CA and proxy, no
// redirects, a timeout.
func (d *doctor) httpClient(ctx context.Context) (*http.Client, error) {
	if d.client != nil {
		return d.client, nil
	}
	cfg, err := d.tlsConfig(ctx)
	if err != nil {
		return nil, err
	}
	px, _ := d.proxy(ctx)
	tr := &http.Transport{
		TLSClientConfig:     cfg,
		Proxy:               func(*http.Request) (*url.URL, error) { return px, nil },
		DialContext:         (&net.Dialer{Timeout: netTimeout}).DialContext,
		TLSHandshakeTimeout: netTimeout,
		ForceAttemptHTTP2:   false,
	}
	d.client = &http.Client{
		Transport:     tr,
		Timeout:       netTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return d.client, nil
}

func (d *doctor) checkEndpoint(ctx context.Context) result {
	ctx, cancel := context.WithTimeout(ctx, 3*netTimeout)
	defer cancel()
	cfg, err := d.tlsConfig(ctx)
	if err != nil {
		return fail(err.Error(), "point GIT_SSL_CAINFO or http.sslCAInfo at a readable PEM file, or unset it")
	}
	name, port := d.hostPort()
	if px, src := d.proxy(ctx); px != nil {
		return ok("%s is reached through proxy %s (from %s); DNS, TCP and TLS are tested through it by the next checks", d.host, redactProxy(px), src)
	}
	var ev []string
	if net.ParseIP(name) == nil {
		addrs, err := net.DefaultResolver.LookupHost(ctx, name)
		if err != nil {
			return fail(fmt.Sprintf("DNS: cannot resolve %s: %v", name, unwrapAll(err)), "check the network and DNS (for a VPC endpoint, its private DNS); if you must use a proxy: git config --global http.proxy http://PROXY:PORT")
		}
		ev = append(ev, fmt.Sprintf("%s resolves to %s", name, strings.Join(addrs, ", ")))
	}
	conn, err := (&net.Dialer{Timeout: netTimeout}).DialContext(ctx, "tcp", net.JoinHostPort(name, port))
	if err != nil {
		return fail(fmt.Sprintf("TCP: cannot connect to %s: %v", net.JoinHostPort(name, port), unwrapAll(err)), "check firewalls and VPN; if you must use a proxy: git config --global http.proxy http://PROXY:PORT")
	}
	defer conn.Close()
	ev = append(ev, "TCP connect to "+net.JoinHostPort(name, port)+" ok")
	tc := tls.Client(conn, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return tlsFailure(d.host, d.caSource, err)
	}
	st := tc.ConnectionState()
	leaf := st.PeerCertificates[0]
	ev = append(ev, fmt.Sprintf("%s, certificate for %s issued by %q, trusted through %s", tls.VersionName(st.Version), certName(leaf), leaf.Issuer.CommonName, d.caSource))
	return ok("%s", strings.Join(ev, "; "))
}

func certName(c *x509.Certificate) string {
	if len(c.DNSNames) > 0 {
		return c.DNSNames[0]
	}
	if len(c.IPAddresses) > 0 {
		return c.IPAddresses[0].String()
	}
	return c.Subject.CommonName
}

// tlsFailure explains a TLS error.
func tlsFailure(host, caSource string, err error) result {
	if r, ok := certificateFailure(host, caSource, err); ok {
		return r
	}
	return fail(fmt.Sprintf("TLS handshake with %s failed: %v", host, unwrapAll(err)), "check for a proxy or firewall intercepting https; "+caFix)
}

// certificateFailure explains err when it is a certificate the client
// does not trust (a typed x509 or tls error); ok is false for any other
// error.
func certificateFailure(host, caSource string, err error) (r result, ok bool) {
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	var cv *tls.CertificateVerificationError
	switch {
	case errors.As(err, &ua):
		issuer := ""
		if ua.Cert != nil {
			issuer = fmt.Sprintf(" (issued by %q)", ua.Cert.Issuer.CommonName)
		}
		return fail(fmt.Sprintf("TLS: the certificate of %s%s is not trusted by %s", host, issuer, caSource), caFix), true
	case errors.As(err, &he):
		return fail(fmt.Sprintf("TLS: the certificate presented for %s is for another name: %v", host, he), caFix), true
	case errors.As(err, &ci):
		return fail(fmt.Sprintf("TLS: the certificate of %s is invalid: %v", host, ci), caFix), true
	case errors.As(err, &cv):
		return fail(fmt.Sprintf("TLS: the certificate of %s does not verify: %v", host, cv.Err), caFix), true
	}
	return result{}, false
}

func unwrapAll(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}

func (d *doctor) checkProxy(ctx context.Context) result {
	var set []string
	if out, _ := d.git.Git(ctx, "config", "--get-urlmatch", "http.proxy", "https://"+d.host+"/"); strings.TrimSpace(out) != "" {
		if u, err := url.Parse(strings.TrimSpace(out)); err == nil {
			set = append(set, "http.proxy="+redactProxy(u))
		} else {
			set = append(set, "http.proxy is set")
		}
	}
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"} {
		if v := d.p.Getenv(k); v != "" {
			if u, err := url.Parse(v); err == nil && u.User != nil {
				v = redactProxy(u)
			}
			set = append(set, k+"="+v)
		}
	}
	px, src := d.proxy(ctx)
	use := "git connects to " + d.host + " directly"
	if px != nil {
		use = "git connects to " + d.host + " through " + redactProxy(px) + " (from " + src + ")"
	}
	if len(set) == 0 {
		return ok("%s; no proxy is configured", use)
	}
	return ok("%s; settings: %s", use, strings.Join(set, ", "))
}

func (d *doctor) checkClock(ctx context.Context) result {
	client, err := d.httpClient(ctx)
	if err != nil {
		return fail(err.Error(), "point GIT_SSL_CAINFO or http.sslCAInfo at a readable PEM file")
	}
	ctx, cancel := context.WithTimeout(ctx, netTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+d.host+d.repoPath()+"/info/refs?service=git-upload-pack", nil)
	if err != nil {
		return fail(err.Error(), "")
	}
	req.Header.Set("User-Agent", "git-codecommit-doctor")
	local := d.p.Clock()
	resp, err := client.Do(req)
	if err != nil {
		if r, ok := certificateFailure(d.host, d.caSource, err); ok {
			return r
		}
		return fail(fmt.Sprintf("GET https://%s/: %v", d.host, unwrapAll(err)), "check the network and the proxy settings")
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return warn("the server sent no usable Date header; the clock cannot be compared", "make sure the system clock is synchronised (timedatectl, w32tm /resync)")
	}
	// Date has whole seconds: compare whole seconds.
	skew := date.Sub(local.Truncate(time.Second))
	abs := skew
	if abs < 0 {
		abs = -abs
	}
	rel := "ahead of"
	if skew > 0 {
		rel = "behind"
	}
	ev := fmt.Sprintf("local clock %s, server Date %s", local.UTC().Format(time.RFC3339), date.UTC().Format(time.RFC3339))
	if abs > MaxSkew {
		return fail(fmt.Sprintf("clock skew: the local clock is %s %s the server's (%s); signatures are rejected beyond 5 minutes", abs, rel, ev), "synchronise the clock: sudo timedatectl set-ntp true (Linux), sudo sntp -sS time.apple.com (macOS), w32tm /resync (Windows)")
	}
	return ok("%s: difference %s", ev, abs)
}

// otherRegions are the regions of region's partition but region itself,
// where a repository missing in region may be.
func otherRegions(region string) []string {
	partition := ""
	for _, r := range endpoint.Regions() {
		if r.Name == region {
			partition = r.Partition
		}
	}
	var out []string
	for _, r := range endpoint.Regions() {
		if r.Partition == partition && r.Name != region {
			out = append(out, r.Name)
		}
	}
	return out
}

func (d *doctor) checkRepository(ctx context.Context) result {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	name := d.remote.repo
	region := d.res.Region
	r, err := repoapi.Get(ctx, d.res, name)
	var missing *awscreds.RepositoryDoesNotExistError
	var denied *awscreds.AccessDeniedError
	switch {
	case errors.As(err, &missing):
		if list, lerr := repoapi.List(ctx, d.res); lerr == nil {
			for _, s := range list {
				if strings.EqualFold(s.Name, name) {
					return fail(fmt.Sprintf("repository %s does not exist in %s; did you mean %s? (names are case-sensitive)", name, region, s.Name), d.setURLFix(s.Name, ""))
				}
			}
		}
		if other, ok := repoapi.FindElsewhere(ctx, d.res, name, otherRegions(region)); ok {
			return fail(fmt.Sprintf("region mismatch: repository %s is in %s (%s) but git would sign for %s", other.Name, other.Region(), other.ARN, region), d.setURLFix(other.Name, other.Region()))
		}
		return fail(fmt.Sprintf("repository %s does not exist in %s", name, region), fmt.Sprintf("create it with 'git codecommit create %s --region %s', or find its region: git codecommit list --region REGION", name, region))
	case errors.As(err, &denied):
		d.repoOK = false
		return warn(fmt.Sprintf("%s may not call codecommit:GetRepository, so the repository cannot be looked up (git access is probed next)", d.identity.ARN), "optional: grant codecommit:GetRepository for better diagnostics")
	case err != nil:
		return fromError(err)
	}
	d.repo, d.repoOK = r, true
	branch := r.DefaultBranch
	if branch == "" {
		branch = "none (empty repository)"
	}
	ev := fmt.Sprintf("%s exists: %s, default branch %s", r.Name, r.ARN, branch)
	if rr := r.Region(); rr != "" && rr != region {
		return fail(fmt.Sprintf("region mismatch: repository %s is in %s (%s) but git would sign for %s", r.Name, rr, r.ARN, region), d.setURLFix(r.Name, rr))
	}
	if d.identity.Account != "" && r.Account != "" && r.Account != d.identity.Account {
		return fail(fmt.Sprintf("account mismatch: repository %s belongs to account %s but the credentials are %s in account %s", r.Name, r.Account, d.identity.ARN, d.identity.Account),
			fmt.Sprintf("use a profile that assumes a role in account %s: add '[profile %s-%s]' with role_arn = arn:aws:iam::%s:role/ROLE and source_profile = %s to %s, then use codecommit://%s-%s@%s", r.Account, d.res.Profile, r.Account, r.Account, d.res.Profile, d.res.Files.Config, d.res.Profile, r.Account, r.Name))
	}
	return ok("%s", ev)
}

// setURLFix is the command that points the remote at repository name (in
// region, when not empty).
func (d *doctor) setURLFix(name, region string) string {
	var u string
	if d.remote.kind == kindHTTPS {
		host := d.host
		if region != "" && !d.ep.Overridden && !strings.Contains(d.host, ":") {
			host = strings.Replace(host, "."+d.res.Region+".", "."+region+".", 1)
		}
		u = "https://" + host + "/v1/repos/" + name
	} else {
		u = "codecommit://"
		if region != "" {
			u = "codecommit::" + region + "://"
		} else if d.remote.region != "" {
			u = "codecommit::" + d.remote.region + "://"
		}
		if d.remote.profile != "" {
			u += d.remote.profile + "@"
		}
		u += name
	}
	if d.target.Remote != "" {
		return "git remote set-url " + d.target.Remote + " " + u
	}
	return "use " + u
}

// probe sends a signed GET of info/refs for service.
func (d *doctor) probe(ctx context.Context, service string) (int, string, error) {
	client, err := d.httpClient(ctx)
	if err != nil {
		return 0, "", err
	}
	ctx, cancel := context.WithTimeout(ctx, netTimeout)
	defer cancel()
	signed, _ := d.res.SignRepo(d.host, d.remote.repo, d.p.Clock())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+d.host+d.repoPath()+"/info/refs?service="+service, nil)
	if err != nil {
		return 0, "", err
	}
	req.SetBasicAuth(signed.Username, signed.Password)
	req.Header.Set("User-Agent", "git-codecommit-doctor")
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	reason := ""
	if resp.StatusCode != http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		reason = failure.OneLine(string(body))
		for _, p := range []string{"forbidden: ", "unauthorized: ", "not found: "} {
			reason = strings.TrimPrefix(reason, p)
		}
		if len(reason) > 300 {
			reason = reason[:300] + "…"
		}
		if tok := d.res.Credentials.SessionToken; tok != "" {
			reason = strings.ReplaceAll(reason, tok, "…")
		}
	}
	return resp.StatusCode, reason, nil
}

func (d *doctor) checkPull(ctx context.Context) result { return d.checkAccess(ctx, false) }
func (d *doctor) checkPush(ctx context.Context) result { return d.checkAccess(ctx, true) }

func (d *doctor) checkAccess(ctx context.Context, push bool) result {
	service, action, verb := "git-upload-pack", "codecommit:GitPull", "pull"
	if push {
		service, action, verb = "git-receive-pack", "codecommit:GitPush", "push"
	}
	code, reason, err := d.probe(ctx, service)
	if err != nil {
		if r, ok := certificateFailure(d.host, d.caSource, err); ok {
			return r
		}
		return fail(fmt.Sprintf("GET …/info/refs?service=%s: %v", service, unwrapAll(err)), "check the network and the proxy settings")
	}
	says := ""
	if reason != "" {
		says = "; the server says: " + reason
	}
	req := fmt.Sprintf("signed GET %s/info/refs?service=%s", d.repoPath(), service)
	switch code {
	case http.StatusOK:
		return ok("%s: 200, %s may %s", req, d.identity.ARN, verb)
	case http.StatusForbidden:
	case http.StatusNotFound:
		return fail(fmt.Sprintf("%s: 404, the git endpoint has no repository %s%s", req, d.remote.repo, says), "check the repository name and region: git codecommit list")
	case http.StatusUnauthorized:
		return fail(fmt.Sprintf("%s: 401, the endpoint did not take the signed credentials%s", req, says), "check CODE_COMMIT_ENDPOINT and any proxy between you and CodeCommit")
	default:
		return fail(fmt.Sprintf("%s: HTTP %d%s", req, code, says), "retry later; if it persists, run with GIT_TRACE_CODECOMMIT=1 and report it")
	}
	cause, expected := readDenial(reason)
	// The repository found through the API in the region git signs for
	// rules the region out (issue 13 item 15).
	regionRight := d.repoOK && d.repo.Region() == d.res.Region
	switch {
	case cause == deniedRegion && regionRight:
		return fail(fmt.Sprintf("%s: 403, the signature was refused, though repository %s exists in %s, the region it was signed for: the key pair does not sign as CodeCommit expects%s", req, d.remote.repo, d.res.Region, says),
			fmt.Sprintf("check the secret access key of access key %s (aws configure --profile %s), and CODE_COMMIT_ENDPOINT or a proxy that could alter the request", trace.Key(d.res.Credentials.AccessKeyID), d.res.Profile))
	case cause == deniedRegion:
		fix := "sign for the repository's region: " + d.setURLFix(d.remote.repo, "REGION")
		if expected != "" {
			fix = d.setURLFix(d.remote.repo, expected)
		}
		return fail(fmt.Sprintf("region mismatch: %s: 403, the signature is for region %s but the endpoint expects another%s", req, d.res.Region, says), fix)
	case cause == deniedExpired:
		return fail(fmt.Sprintf("%s: 403, the credentials have expired%s", req, says), d.refreshFix())
	case cause == deniedClockSkew:
		return fail(fmt.Sprintf("clock skew: %s: 403%s", req, says), "synchronise the clock: sudo timedatectl set-ntp true (Linux), w32tm /resync (Windows)")
	case cause == deniedAccount:
		return fail(fmt.Sprintf("account mismatch: %s: 403%s", req, says), "use a profile that assumes a role in the repository's account (role_arn and source_profile in "+d.res.Files.Config+")")
	}
	repoARN := d.repo.ARN
	if repoARN == "" {
		repoARN = fmt.Sprintf("arn:aws:codecommit:%s:%s:%s", d.res.Region, d.identity.Account, d.remote.repo)
	}
	what := "pull allowed but push denied: "
	if !push {
		what = ""
	}
	return fail(fmt.Sprintf("%s%s: 403, %s lacks %s on %s (an IAM policy, SCP, permissions boundary or VPC endpoint policy denies it)%s", what, req, d.identity.ARN, action, repoARN, says), iamFix(d.identity.ARN, action, repoARN))
}

// iamFix is the AWS CLI command granting action on resource to principal.
func iamFix(principal, action, resource string) string {
	doc := fmt.Sprintf(`'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["%s"],"Resource":"%s"}]}'`, action, resource)
	f := strings.SplitN(principal, ":", 6)
	if len(f) == 6 {
		parts := strings.Split(f[5], "/")
		switch {
		case f[2] == "iam" && parts[0] == "user" && len(parts) >= 2:
			return fmt.Sprintf("an administrator runs: aws iam put-user-policy --user-name %s --policy-name codecommit-git --policy-document %s", parts[len(parts)-1], doc)
		case f[2] == "sts" && parts[0] == "assumed-role" && len(parts) >= 2:
			return fmt.Sprintf("an administrator runs: aws iam put-role-policy --role-name %s --policy-name codecommit-git --policy-document %s", parts[1], doc)
		}
	}
	return fmt.Sprintf("grant %s on %s to %s in IAM", action, resource, principal)
}
