package awsfiles

import (
	"fmt"
	"strings"
	"time"
)

// ExpirationKey is the key `git codecommit mfa` (and aws-mfa) writes beside
// session keys in the credentials file: when they expire, RFC 3339. The
// AWS SDKs and CLI ignore it; both our resolutions honour it.
const ExpirationKey = "expiration"

// SessionExpiry returns the expiration line of profile's section in the
// credentials file, if it has a valid one.
func SessionExpiry(f Files, profile string) (time.Time, bool) {
	creds, err := Read(f.Credentials)
	if err != nil {
		return time.Time{}, false
	}
	return creds.SessionExpiry(profile)
}

// SessionExpiry returns the expiration line of profile's section in f (the
// credentials file), if it has a valid one.
func (f *File) SessionExpiry(profile string) (time.Time, bool) {
	m, _ := f.Map(profile)
	v := m[ExpirationKey]
	if v == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// SessionExpiredError: the session keys of a profile written by `git
// codecommit mfa` have expired; git stops before any request.
type SessionExpiredError struct {
	Profile string
	At      time.Time
}

func (e *SessionExpiredError) Error() string {
	return fmt.Sprintf("the session keys in profile %q expired at %s", e.Profile, e.At.UTC().Format(time.RFC3339))
}

// Hint implements failure.Hinter: the source profile is the name mfa
// derived the profile's from (SOURCE-mfa), when it was.
func (e *SessionExpiredError) Hint() string {
	if src, ok := strings.CutSuffix(e.Profile, "-mfa"); ok && src != "" {
		return fmt.Sprintf("run git codecommit mfa --profile %s", src)
	}
	return fmt.Sprintf("run git codecommit mfa --profile SOURCE --target-profile %s", e.Profile)
}
