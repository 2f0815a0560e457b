package localserver

import (
	"sync"
	"time"
)

// Faults are test switches on a running server. All methods are safe for
// concurrent use. An access key id or repository name of "*" matches any.
type Faults struct {
	s           *Server
	mu          sync.Mutex
	denyPull    map[[2]string]bool
	denyPush    map[[2]string]bool
	clockSkew   time.Duration
	repoAccount map[string]string
}

func newFaults(s *Server) *Faults {
	return &Faults{
		s:           s,
		denyPull:    map[[2]string]bool{},
		denyPush:    map[[2]string]bool{},
		repoAccount: map[string]string{},
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

// ExpireSessionTokens expires every temporary credential issued so far;
// credentials issued afterwards are unaffected.
func (f *Faults) ExpireSessionTokens() {
	s := f.s
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ss := range s.sessions {
		if ss.expires.After(now) {
			ss.expires = now.Add(-time.Second)
		}
	}
}

// Reset clears the deny, skew and repository-account faults.
func (f *Faults) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.denyPull = map[[2]string]bool{}
	f.denyPush = map[[2]string]bool{}
	f.clockSkew = 0
	f.repoAccount = map[string]string{}
}

func (f *Faults) skew() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.clockSkew
}

func (f *Faults) denied(push bool, key, repo string) bool {
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

// repoAccountOf returns the account owning repo ("" for the default).
func (f *Faults) repoAccountOf(repo string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.repoAccount[repo]
}
