package doctor

// Checks of ssh:// remotes, after url, profile, credentials and identity:
//
//	ssh-config     the ~/.ssh/config block that applies, as `ssh -G` computes
//	               it (with GIT_SSH_COMMAND or core.sshCommand when set):
//	               a User that is an SSH key ID (APKA…)
//	ssh-key        that key ID uploaded for the profile's IAM user, Active
//	identity-file  an IdentityFile present whose fingerprint is the key's
//	               (or the agent holding it)
//	ssh-port       TCP to the SSH host and port
//	host-key       the host key in a known_hosts file
//	ssh-probe      git ls-remote over ssh
//
// Each names the cause and the command that fixes it.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds/iamapi"
	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/names"
)

const kindSSH = "ssh"

// sshKeyIDRe is the form of an IAM SSH public key ID.
var sshKeyIDRe = regexp.MustCompile(`^APKA[A-Z0-9]{8,124}$`)

// sshState is what the ssh checks learn.
type sshState struct {
	user, host, port string // from the URL
	url              string // the remote URL, without a password
	g                map[string][]string
	keyID, iamUser   string
	key              iamapi.SSHKey
	iam              *iamapi.Client
}

// parseSSHRemote parses ssh://[USER@]HOST[:PORT]/v1/repos/REPO on a
// CodeCommit host or the CODE_COMMIT_SSH_ENDPOINT host.
func (d *doctor) parseSSHRemote(raw string) (parsedRemote, result) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return parsedRemote{}, fail("malformed URL "+redactURL(raw), "use ssh://git-codecommit.REGION.amazonaws.com/v1/repos/REPO")
	}
	if !endpoint.IsSSHHost(u.Hostname(), d.p.Getenv(endpoint.SSHEndpointVar)) {
		return parsedRemote{}, fail(fmt.Sprintf("%s is not a CodeCommit SSH host", u.Host), "use ssh://git-codecommit.REGION.amazonaws.com/v1/repos/REPO, or set CODE_COMMIT_SSH_ENDPOINT=host:port for a private endpoint")
	}
	repo, ok := strings.CutPrefix(u.Path, "/v1/repos/")
	if !ok || repo == "" || strings.Contains(repo, "/") {
		return parsedRemote{}, fail(fmt.Sprintf("%s is not a repository path (want /v1/repos/REPO)", u.Path), "use ssh://"+u.Host+"/v1/repos/REPO")
	}
	if err := names.Repository(repo); err != nil {
		return parsedRemote{}, fail(fmt.Sprintf("invalid repository name %q: %v", repo, err), "repository names are 1-100 letters, digits, '.', '_' and '-'")
	}
	d.ssh = &sshState{host: u.Hostname(), port: u.Port()}
	if u.User != nil {
		d.ssh.user = u.User.Username()
	}
	u.User = url.User(d.ssh.user)
	if d.ssh.user == "" {
		u.User = nil
	}
	d.ssh.url = u.String()
	return parsedRemote{kind: kindSSH, repo: repo, host: u.Host, https: d.ssh.url}, result{}
}

// sshSteps are the checks of an ssh:// remote after url.
func (d *doctor) sshSteps() []step {
	return []step{
		{"profile", "profile and region", []string{"url"}, d.checkProfile},
		{"credentials", "credentials", []string{"profile"}, d.checkCredentials},
		{"identity", "caller identity (STS)", []string{"credentials"}, d.checkIdentity},
		{"ssh-config", "~/.ssh/config (ssh -G)", []string{"url"}, d.checkSSHConfig},
		{"ssh-key", "SSH key ID in IAM", []string{"identity", "ssh-config"}, d.checkSSHKey},
		{"identity-file", "IdentityFile", []string{"ssh-key"}, d.checkIdentityFile},
		{"ssh-port", "SSH port", []string{"ssh-config"}, d.checkSSHPort},
		{"host-key", "SSH host key", []string{"ssh-config"}, d.checkHostKey},
		{"ssh-probe", "git ls-remote over SSH", []string{"identity-file", "ssh-port", "host-key"}, d.checkSSHProbe},
	}
}

// sshCommand is the ssh git runs: GIT_SSH_COMMAND, core.sshCommand,
// GIT_SSH, else ssh; split on blanks (quotes are not interpreted).
func (d *doctor) sshCommand(ctx context.Context) []string {
	if v := d.p.Getenv("GIT_SSH_COMMAND"); strings.TrimSpace(v) != "" {
		return strings.Fields(v)
	}
	if out, _ := d.git.Git(ctx, "config", "--get", "core.sshCommand"); strings.TrimSpace(out) != "" {
		return strings.Fields(out)
	}
	if v := d.p.Getenv("GIT_SSH"); v != "" {
		return []string{v}
	}
	return []string{"ssh"}
}

func (d *doctor) run(ctx context.Context, stdin string, name string, args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	cmd, err := d.p.Command(ctx, name, args...)
	if err != nil {
		return "", "", err
	}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

func (d *doctor) sshG(key string) string {
	if v := d.ssh.g[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (d *doctor) checkSSHConfig(ctx context.Context) result {
	sc := d.sshCommand(ctx)
	args := append([]string{}, sc[1:]...)
	args = append(args, "-G")
	if d.ssh.port != "" {
		args = append(args, "-p", d.ssh.port)
	}
	dest := d.ssh.host
	if d.ssh.user != "" {
		dest = d.ssh.user + "@" + dest
	}
	out, errOut, err := d.run(ctx, "", sc[0], append(args, dest)...)
	if err != nil {
		return fail(fmt.Sprintf("%s -G %s failed: %s", strings.Join(sc, " "), dest, failure.OneLine(lastLine(errOut, err))), "install the OpenSSH client, or fix the ssh configuration it names")
	}
	d.ssh.g = map[string][]string{}
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), " ")
		if ok {
			d.ssh.g[k] = append(d.ssh.g[k], v)
		}
	}
	u := d.sshG("user")
	where := fmt.Sprintf("ssh -G %s: HostName %s, Port %s, User %s, IdentityFile %s", d.ssh.host, d.sshG("hostname"), d.sshG("port"), u, strings.Join(d.ssh.g["identityfile"], " "))
	fix := "git codecommit ssh setup (uploads your key and writes a Host git-codecommit.*.amazonaws.com block with User = its key ID)"
	switch {
	case d.ssh.user != "" && !sshKeyIDRe.MatchString(d.ssh.user):
		return fail(fmt.Sprintf("the URL logs in as %q, which is not an SSH key ID (APKA…): CodeCommit's SSH user is the key ID", d.ssh.user), "drop the user from the URL (git remote set-url origin ssh://"+d.remote.host+"/v1/repos/"+d.remote.repo+") and run "+fix)
	case sshKeyIDRe.MatchString(u):
		d.ssh.keyID = u
		return ok("%s", where)
	case u == localUser(d.p.Getenv):
		return fail(fmt.Sprintf("no User for %s in ~/.ssh/config: ssh logs in as your local name %q, and CodeCommit's SSH user is the SSH key ID (APKA…) (%s)", d.ssh.host, u, where), fix)
	}
	return fail(fmt.Sprintf("User %q for %s is not an SSH key ID (APKA…): CodeCommit's SSH user is the key ID, not an IAM user name (%s)", u, d.ssh.host, where), fix)
}

// localUser is the name ssh logs in as by default.
func localUser(getenv func(string) string) string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return getenv("USER")
}

func lastLine(s string, err error) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
		return l
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func (d *doctor) checkSSHKey(ctx context.Context) result {
	p := d.res.Profile
	d.ssh.iamUser = iamapi.UserName(d.identity.ARN)
	if d.ssh.iamUser == "" {
		return fail(fmt.Sprintf("profile %s is %s, not an IAM user: SSH keys belong to IAM users", p, d.identity.ARN),
			fmt.Sprintf("use an IAM user's profile (--profile), or signed HTTPS: git remote set-url origin codecommit://%s@%s", p, d.remote.repo))
	}
	c, err := iamapi.New(ctx, d.res, d.p.Getenv)
	if err != nil {
		return fromError(err)
	}
	d.ssh.iam = c
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	k, err := c.GetSSHKey(ctx, d.ssh.iamUser, d.ssh.keyID)
	setupFix := fmt.Sprintf("git codecommit ssh setup --profile %s (uploads your key for IAM user %s and sets User to its ID)", p, d.ssh.iamUser)
	switch {
	case iamapi.IsNoSuchEntity(err):
		have := "no SSH keys"
		if keys, err := c.ListSSHKeys(ctx, d.ssh.iamUser); err == nil && len(keys) > 0 {
			var ids []string
			for _, k := range keys {
				ids = append(ids, k.ID+" ("+k.Status+")")
			}
			have = "keys " + strings.Join(ids, ", ")
		}
		return fail(fmt.Sprintf("SSH key ID %s is not a key of IAM user %s (profile %s): it belongs to another user or was deleted; %s has %s", d.ssh.keyID, d.ssh.iamUser, p, d.ssh.iamUser, have), setupFix)
	case err != nil:
		return fromError(err)
	case k.Status != iamapi.Active:
		return fail(fmt.Sprintf("SSH key %s of IAM user %s is %s: CodeCommit refuses inactive keys", k.ID, d.ssh.iamUser, k.Status),
			fmt.Sprintf("aws iam update-ssh-public-key --user-name %s --ssh-public-key-id %s --status Active --profile %s", d.ssh.iamUser, k.ID, p))
	}
	d.ssh.key = k
	return ok("SSH key %s of IAM user %s is Active (fingerprint %s)", k.ID, d.ssh.iamUser, k.Fingerprint)
}

// expandTilde expands ~ and %d in an ssh path as ssh does, with HOME.
func (d *doctor) expandTilde(p string) string {
	home := awsfiles.HomeDir(d.p.Getenv)
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") {
		return filepath.Join(home, p[2:])
	}
	return strings.ReplaceAll(p, "%d", home)
}

// publicKeyOf returns the public key of an identity file: its .pub, else
// what ssh-keygen -y derives (unencrypted keys only).
func (d *doctor) publicKeyOf(ctx context.Context, file string) (ssh.PublicKey, error) {
	if b, err := os.ReadFile(file + ".pub"); err == nil {
		if pk, _, _, _, err := ssh.ParseAuthorizedKey(b); err == nil {
			return pk, nil
		}
	}
	out, _, err := d.run(ctx, "", "ssh-keygen", "-y", "-P", "", "-f", file)
	if err != nil {
		return nil, fmt.Errorf("no %s.pub and ssh-keygen -y cannot read it (passphrase?)", filepath.Base(file))
	}
	pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(out))
	return pk, err
}

func (d *doctor) checkIdentityFile(ctx context.Context) result {
	want := d.ssh.key.Fingerprint
	var missing, mismatched []string
	for _, f := range d.ssh.g["identityfile"] {
		path := d.expandTilde(f)
		if _, err := os.Stat(path); err != nil {
			missing = append(missing, path)
			continue
		}
		pk, err := d.publicKeyOf(ctx, path)
		if err != nil {
			mismatched = append(mismatched, path+" ("+err.Error()+")")
			continue
		}
		if fp := ssh.FingerprintLegacyMD5(pk); fp == want {
			return ok("IdentityFile %s is SSH key %s (fingerprint %s)", path, d.ssh.keyID, fp)
		} else {
			mismatched = append(mismatched, fmt.Sprintf("%s (fingerprint %s)", path, fp))
		}
	}
	if d.p.Getenv("SSH_AUTH_SOCK") != "" {
		if out, _, err := d.run(ctx, "", "ssh-add", "-L"); err == nil {
			for _, line := range strings.Split(out, "\n") {
				if pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line)); err == nil && ssh.FingerprintLegacyMD5(pk) == want {
					return ok("the ssh agent holds SSH key %s (fingerprint %s)", d.ssh.keyID, want)
				}
			}
		}
	}
	if len(mismatched) > 0 {
		return fail(fmt.Sprintf("mismatched key: SSH key %s has fingerprint %s, but the IdentityFile is %s", d.ssh.keyID, want, strings.Join(mismatched, ", ")),
			fmt.Sprintf("git codecommit ssh setup --key %s (uploads that key and sets User to its ID), or point IdentityFile at the private key of %s", strings.Fields(mismatched[0])[0], d.ssh.keyID))
	}
	return fail(fmt.Sprintf("IdentityFile missing: %s does not exist, and no agent holds SSH key %s", strings.Join(missing, ", "), d.ssh.keyID),
		"restore the private key, or make and upload a new one: git codecommit ssh setup --generate")
}

func (d *doctor) sshAddr() string {
	port := d.sshG("port")
	if port == "" {
		port = "22"
	}
	host := d.sshG("hostname")
	if host == "" {
		host = d.ssh.host
	}
	return net.JoinHostPort(host, port)
}

func (d *doctor) checkSSHPort(ctx context.Context) result {
	addr := d.sshAddr()
	dl := net.Dialer{Timeout: netTimeout}
	c, err := dl.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fail(fmt.Sprintf("cannot connect to %s: %s", addr, failure.OneLine(err.Error())),
			"allow outgoing TCP to port 22 of CodeCommit (firewalls often block it), or use HTTPS: git codecommit url "+d.remote.repo)
	}
	c.Close()
	return ok("TCP to %s connects", addr)
}

func (d *doctor) checkHostKey(ctx context.Context) result {
	host, port, _ := net.SplitHostPort(d.sshAddr())
	if a := d.sshG("hostkeyalias"); a != "" {
		host = a
	}
	spec := host
	if port != "22" {
		spec = "[" + host + "]:" + port
	}
	var files []string
	for _, k := range []string{"userknownhostsfile", "globalknownhostsfile"} {
		for _, v := range d.ssh.g[k] {
			for _, f := range strings.Fields(v) {
				files = append(files, d.expandTilde(f))
			}
		}
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			continue
		}
		if _, _, err := d.run(ctx, "", "ssh-keygen", "-F", spec, "-f", f); err == nil {
			return ok("the host key of %s is in %s", spec, f)
		}
	}
	ev := fmt.Sprintf("the host key of %s is in none of %s", spec, strings.Join(files, ", "))
	fix := fmt.Sprintf("ssh-keyscan -p %s %s >> ~/.ssh/known_hosts, after checking the fingerprint against the one AWS publishes for CodeCommit", port, host)
	switch strings.ToLower(d.sshG("stricthostkeychecking")) {
	case "yes", "true":
		return fail(ev+"; StrictHostKeyChecking is yes, so ssh refuses to connect", fix)
	}
	return warn(ev+"; ssh will ask (or, under git without a terminal, fail) on first connect", fix)
}

func (d *doctor) checkSSHProbe(ctx context.Context) result {
	start := time.Now()
	_, errOut, err := d.run(ctx, "", d.p.Git, "ls-remote", "--", d.ssh.url, "HEAD")
	if err == nil {
		return ok("git ls-remote %s succeeded in %s", d.ssh.url, time.Since(start).Round(time.Millisecond))
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return fromError(err)
	}
	msg := failure.OneLine(lastLine(errOut, err))
	if sshRefusedKey(errOut) {
		return fail("CodeCommit refused the key: "+msg, "run git codecommit ssh setup, or check that ssh offers the key: GIT_SSH_COMMAND='ssh -v' git ls-remote "+d.ssh.url)
	}
	return fail("git ls-remote "+d.ssh.url+" failed: "+msg, "see the message; git codecommit info "+d.remote.repo+" shows whether the repository exists")
}

// sshRefusedKey reports whether ssh's standard error (stderr) says the
// server refused every key offered. OpenSSH says so only in text, and this
// is the one place it is read.
func sshRefusedKey(stderr string) bool {
	return strings.Contains(stderr, "Permission denied (publickey)")
}
