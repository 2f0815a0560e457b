// Package faults is the test-only fault injection of the local endpoint
// (package localserver): it makes a running server refuse git access, skew
// its clock, expire sessions or move a repository to another account, on
// demand. Only tests import it; the released git-codecommit does not link
// it (guarded by a test in package localserver).
package faults

import (
	"sync"
	"time"
)

// Server is the part of *localserver.Server the faults need.
type Server interface {
	SessionsIssued() uint64
}

// Faults are test switches on a running server; they implement
// localserver.Hooks. All methods are safe for concurrent use. An access
// key id or repository name of "*" matches any.
type Faults struct {
	s           Server
	mu          sync.Mutex
	denyPull    map[[2]string]bool
	denyPush    map[[2]string]bool
	clockSkew   time.Duration
	repoAccount map[string]string
	revokedUpTo uint64
	badSig      map[string]bool
}

// New returns faults for s, all off; install them with s.SetHooks.
func New(s Server) *Faults {
	return &Faults{
		s:           s,
		denyPull:    map[[2]string]bool{},
		denyPush:    map[[2]string]bool{},
		repoAccount: map[string]string{},
		badSig:      map[string]bool{},
	}
}

// DenyPull makes git fetches (upload-pack, and dumb-HTTP reads) of repo by
// accessKeyID answer 403.
func (f *Faults) DenyPull(accessKeyID, repo string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.denyPull[[2]string{accessKeyID, repo}] = true
}

// DenyPush makes git pushes (receive-pack) to repo by accessKeyID answer 403.
func (f *Faults) DenyPush(accessKeyID, repo string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.denyPush[[2]string{accessKeyID, repo}] = true
}

// SetClockSkew shifts the server's notion of now by d: the Date header,
// the git and SigV4 signature time checks, session expiry and TOTP codes.
func (f *Faults) SetClockSkew(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clockSkew = d
}

// SetRepoAccount makes repo owned by account: its ARN and accountId show
// that account, and git access by callers of any other account is 403.
// An empty account restores the server's default.
func (f *Faults) SetRepoAccount(repo, account string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if account == "" {
		delete(f.repoAccount, repo)
		return
	}
	f.repoAccount[repo] = account
}

// RefuseSignature makes git's signed requests by accessKeyID answer 403
// "signature does not match: check the secret key and the region", as a
// wrong secret key or a request altered on the way would, while STS and the
// CodeCommit API still accept the key.
func (f *Faults) RefuseSignature(accessKeyID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.badSig[accessKeyID] = true
}

// ExpireSessionTokens expires every temporary credential issued so far;
// credentials issued afterwards are unaffected.
func (f *Faults) ExpireSessionTokens() {
	n := f.s.SessionsIssued()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revokedUpTo = n
}

// Reset clears the deny, skew, signature and repository-account faults.
func (f *Faults) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.denyPull = map[[2]string]bool{}
	f.denyPush = map[[2]string]bool{}
	f.clockSkew = 0
	f.repoAccount = map[string]string{}
	f.badSig = map[string]bool{}
}

// ClockSkew implements localserver.Hooks.
func (f *Faults) ClockSkew() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.clockSkew
}

// Denied implements localserver.Hooks.
func (f *Faults) Denied(push bool, key, repo string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.denyPull
	if push {
		m = f.denyPush
	}
	for _, k := range []string{key, "*"} {
		for _, r := range []string{repo, "*"} {
			if m[[2]string{k, r}] {
				return true
			}
		}
	}
	return false
}

// RepoAccount implements localserver.Hooks.
func (f *Faults) RepoAccount(repo string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.repoAccount[repo]
}

// SessionRevoked implements localserver.Hooks.
func (f *Faults) SessionRevoked(n uint64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return n <= f.revokedUpTo
}

// SignatureRefused implements localserver.Hooks.
func (f *Faults) SignatureRefused(accessKeyID string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.badSig[accessKeyID] || f.badSig["*"]
}
