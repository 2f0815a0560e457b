package awscreds

import (
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
)

// SignRepo signs repository repo on host with r's credentials and region at
// now (sigv4.SignRepo).
func (r *Result) SignRepo(host, repo string, now time.Time) (sigv4.Signed, time.Time) {
	creds, expires := r.Credentials.Signing()
	return sigv4.SignRepo(creds, expires, r.Region, host, repo, now)
}
