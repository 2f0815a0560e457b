package doctor

// The git-credentials check of https remotes: Git credentials (IAM
// service-specific credentials, user NAME-at-ACCOUNT) stored for the host
// in git-credential-store files, checked against IAM (exists for the
// profile's user, Active) and, with one Basic-auth probe of info/refs, that
// the stored password is still the current one (not reset). The password
// is used for that probe only, to the host it is stored for, and never
// printed. It also warns when git-credential-codecommit competes with the
// stored credential for the same host.

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds/iamapi"
)

// gitCredentialUserRe is a Git credential's user name: NAME-at-ACCOUNT.
var gitCredentialUserRe = regexp.MustCompile(`^([\w+=,.@-]{1,64})-at-(\d{12})$`)

// storedGitCredential is a Git credential in a store file.
type storedGitCredential struct {
	storedLine
	user, password string
}

// storedGitCredentials finds Git credentials stored for host.
func (d *doctor) storedGitCredentials(host string) []storedGitCredential {
	var found []storedGitCredential
	for _, file := range d.storeFiles() {
		f, err := os.Open(file)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		n := 0
		for sc.Scan() {
			n++
			h, user, pw, ok := parseStoreLine(sc.Text())
			if !ok || !strings.EqualFold(h, host) || !gitCredentialUserRe.MatchString(user) {
				continue
			}
			found = append(found, storedGitCredential{storedLine: storedLine{file: file, line: n}, user: user, password: pw})
		}
		f.Close()
	}
	return found
}

// parseStoreLine is decodeStoreLine for an https entry's host, user name
// and password.
func parseStoreLine(line string) (host, user, password string, ok bool) {
	e, ok := decodeStoreLine(line)
	return e.host, e.user, e.password, ok && e.protocol == "https"
}

// usesGitCredentials reports whether an https remote's host is served by
// stored Git credentials rather than git-credential-codecommit.
func (d *doctor) usesGitCredentials() bool {
	if d.remote.kind != kindHTTPS {
		return false
	}
	for _, h := range d.chain {
		if h.ours {
			return false
		}
	}
	return len(d.storedGitCredentials(d.host)) > 0
}

func (d *doctor) checkGitCredentials(ctx context.Context) result {
	if d.remote.kind != kindHTTPS {
		return ok("not used by %s remotes", d.remote.kind)
	}
	stored := d.storedGitCredentials(d.host)
	if len(stored) == 0 {
		return ok("no Git credentials (NAME-at-ACCOUNT) stored for %s in %s", d.host, strings.Join(d.storeFiles(), " or "))
	}
	p := d.res.Profile
	user := iamapi.UserName(d.identity.ARN)
	gc := stored[0]
	m := gitCredentialUserRe.FindStringSubmatch(gc.user)
	where := fmt.Sprintf("Git credential %s stored in %s", gc.user, gc.storedLine)
	eraseFix := fmt.Sprintf(`printf 'protocol=https\nhost=%s\nusername=%s\n\n' | git credential reject`, d.host, gc.user)
	if m[2] != d.identity.Account {
		return warn(fmt.Sprintf("%s is for account %s; profile %s is account %s, so it cannot be checked", where, m[2], p, d.identity.Account), "pass --profile with a profile of account "+m[2])
	}
	if user == "" {
		return warn(fmt.Sprintf("%s; profile %s is %s, not an IAM user, so it cannot be checked", where, p, d.identity.ARN), "pass --profile with the IAM user's profile")
	}
	c, err := iamapi.New(ctx, d.res, d.p.Getenv)
	if err != nil {
		return fromError(err)
	}
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	list, err := c.ListGitCredentials(ctx, user)
	if err != nil {
		return fromError(err)
	}
	var cur *iamapi.GitCredential
	for i := range list {
		if list[i].UserName == gc.user {
			cur = &list[i]
		}
	}
	switch {
	case cur == nil:
		return fail(fmt.Sprintf("%s no longer exists for IAM user %s (deleted): git sends it and CodeCommit answers 403", where, user),
			eraseFix+"; then git codecommit git-credentials create --profile "+p)
	case cur.Status != iamapi.Active:
		return fail(fmt.Sprintf("%s is %s in IAM: CodeCommit answers 403", where, cur.Status),
			fmt.Sprintf("aws iam update-service-specific-credential --user-name %s --service-specific-credential-id %s --status Active --profile %s", user, cur.ID, p))
	}
	if d.client != nil {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+d.host+"/v1/repos/"+d.remote.repo+"/info/refs?service=git-upload-pack", nil)
		if err == nil {
			req.SetBasicAuth(gc.user, gc.password)
			if resp, err := d.client.Do(req); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized {
					return fail(fmt.Sprintf("%s is Active in IAM but its stored password is refused (%d): the credential was reset, and the store holds the old password", where, resp.StatusCode),
						fmt.Sprintf("git codecommit git-credentials reset %s --profile %s (stores the new password), or %s", cur.ID, p, eraseFix))
				}
			}
		}
	}
	for _, h := range d.chain {
		if h.ours {
			return warn(fmt.Sprintf("%s is Active, but git-credential-codecommit also answers for %s: the first helper to answer wins", where, d.host),
				"use one way: git codecommit setup --undo (Git credentials), or "+eraseFix+" (signed HTTPS)")
		}
	}
	return ok("%s is Active for IAM user %s and its password is accepted", where, user)
}
