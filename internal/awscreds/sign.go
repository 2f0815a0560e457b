package awscreds

import (
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
)

// SigningCredentials returns r's credentials for sigv4 and when they
// expire (zero: never).
func (r *Result) SigningCredentials() (sigv4.Credentials, time.Time) {
	return r.Credentials.Signing()
}

// SignRepo signs repository repo on host with r's credentials and region at
// now (sigv4.SignRepo).
func (r *Result) SignRepo(host, repo string, now time.Time) (sigv4.Signed, time.Time) {
	creds, expires := r.SigningCredentials()
	return sigv4.SignRepo(creds, expires, r.Region, host, repo, now)
}
