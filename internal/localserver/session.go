package localserver

import (
	"fmt"
	"time"
)

// SessionCredentials are temporary credentials issued by the server's STS.
type SessionCredentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	Expires                                    time.Time
}

// IssueSession issues temporary credentials for the user with access key
// id userKey, as GetSessionToken would, lasting d (Config.CredentialLifetime
// when 0). Tests write them into a profile to exercise session tokens.
func (s *Server) IssueSession(userKey string, d time.Duration) (SessionCredentials, error) {
	u, ok := s.byKey[userKey]
	if !ok {
		return SessionCredentials{}, fmt.Errorf("localserver: no user with access key %s", maskKey(userKey))
	}
	if d <= 0 {
		d = s.cfg.CredentialLifetime
	}
	c := s.issue(u.ARN, "AIDA"+idFromString(u.ARN), u.Account, d)
	exp, _ := time.Parse("2006-01-02T15:04:05Z", c.Expiration)
	return SessionCredentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expires: exp}, nil
}
