package awscreds

import (
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
)

// SignRepo signs repository repo on host (host[:port] as git sends it) with
// r's credentials and region at now, and returns the signature with the time
// git should stop using it: sigv4.Lifetime after signing, or earlier when the
// credentials expire first.
func (r *Result) SignRepo(host, repo string, now time.Time) (sigv4.Signed, time.Time) {
	c := r.Credentials
	s := sigv4.Sign(sigv4.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken},
		sigv4.Request{Region: r.Region, Host: host, Path: "/v1/repos/" + repo}, now)
	expiry := s.Time.Add(sigv4.Lifetime)
	if c.CanExpire && c.Expires.Before(expiry) {
		expiry = c.Expires
	}
	return s, expiry
}
