package localserver

import "time"

// Hooks change what a running server answers, for tests. The released
// binary never sets any: the one implementation, package
// internal/localserver/faults, is linked only into tests (a test checks
// that git-codecommit does not depend on it).
type Hooks interface {
	// ClockSkew shifts the server's notion of now.
	ClockSkew() time.Duration
	// Denied reports whether git access (push or pull) to repo by
	// accessKeyID is refused with 403.
	Denied(push bool, accessKeyID, repo string) bool
	// RepoAccount returns the account owning repo ("" for the server's).
	RepoAccount(repo string) string
	// SessionRevoked reports whether the temporary credentials with
	// serial number n (see Server.SessionsIssued) count as expired.
	SessionRevoked(n uint64) bool
	// SignatureRefused reports whether git's signed requests by
	// accessKeyID are refused as a signature that does not match (what
	// a wrong secret key, or a request altered on the way, gets), while
	// the API still accepts the key.
	SignatureRefused(accessKeyID string) bool
}

type hooksBox struct{ h Hooks }

// SetHooks installs h (nil removes it).
func (s *Server) SetHooks(h Hooks) { s.hooks.Store(&hooksBox{h}) }

// SessionsIssued returns how many temporary credentials the server has
// issued; the n-th has serial number n.
func (s *Server) SessionsIssued() uint64 { return s.issued.Load() }

func (s *Server) hooksOf() Hooks {
	if b := s.hooks.Load(); b != nil {
		return b.h
	}
	return nil
}

func (s *Server) clockSkew() time.Duration {
	if h := s.hooksOf(); h != nil {
		return h.ClockSkew()
	}
	return 0
}

func (s *Server) denied(push bool, key, repo string) bool {
	h := s.hooksOf()
	return h != nil && h.Denied(push, key, repo)
}

// repoAccount returns the account owning repo.
func (s *Server) repoAccount(repo string) string {
	if h := s.hooksOf(); h != nil {
		if a := h.RepoAccount(repo); a != "" {
			return a
		}
	}
	return s.cfg.Account
}

func (s *Server) sessionRevoked(n uint64) bool {
	h := s.hooksOf()
	return h != nil && h.SessionRevoked(n)
}

func (s *Server) signatureRefused(key string) bool {
	h := s.hooksOf()
	return h != nil && h.SignatureRefused(key)
}
