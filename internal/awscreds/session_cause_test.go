package awscreds

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/credential"
	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// TestSSOSessionCauseIsTyped: whether an IAM Identity Center session has
// expired is read from the SDK's typed errors, never from their text. A
// portal failing with a message that happens to say "SSO session" is the
// portal's failure; a portal refusing the token (UnauthorizedException)
// is an expired session.
func TestSSOSessionCauseIsTyped(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		body    string
		expired bool
	}{
		{"server error mentioning the session", http.StatusInternalServerError, `{"message":"the SSO session store is unavailable"}`, false},
		{"token refused", http.StatusUnauthorized, `{"message":"Session token not found or invalid"}`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if tc.status == http.StatusUnauthorized {
					w.Header().Set("X-Amzn-Errortype", "UnauthorizedException")
				} else {
					w.Header().Set("X-Amzn-Errortype", "InternalServerException")
				}
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			}))
			defer portal.Close()
			o := boundEnv(t, "[profile corp]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = dev\nregion = us-east-1\n"+
				"[sso-session corp]\nsso_start_url = https://corp.example.invalid/start\nsso_region = us-east-1\n", nil)
			home := o.Env("HOME")
			t.Setenv("HOME", home)
			t.Setenv("AWS_ENDPOINT_URL_SSO", portal.URL)
			t.Setenv("AWS_MAX_ATTEMPTS", "1")
			gittest.WriteSSOToken(t, home, "corp", time.Now().Add(time.Hour))
			o.Target = named(o, "corp")
			o.Bounds[credential.KindSSO] = 20 * time.Second
			_, err := Resolve(context.Background(), o)
			var se *SessionExpiredError
			if got := errors.As(err, &se); got != tc.expired {
				t.Fatalf("expired session %v, want %v: %T %v", got, tc.expired, err, err)
			}
			if !tc.expired && !strings.Contains(err.Error(), "IAM Identity Center") {
				t.Errorf("the portal's failure does not name the source: %v", err)
			}
		})
	}
}
