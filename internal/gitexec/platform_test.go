package gitexec

import (
	"strings"
	"testing"
	"time"
)

// These cover the logic the Windows hand-off (handoff_other.go: git
// remote-https as a child, with the fallback credential helper) shares with
// Unix, so it runs on every platform.

// TestCredentialResponseHasNoCR: the answer is LF-only on every platform;
// git on Windows reads "\r" as part of the value.
func TestCredentialResponseHasNoCR(t *testing.T) {
	c := Credential{Username: "ASIAX%tok/+=", Password: "20200101T000000Zabc", Expiry: time.Unix(42, 0)}
	got := string(c.Response())
	if strings.Contains(got, "\r") || got != "username=ASIAX%tok/+=\npassword=20200101T000000Zabc\npassword_expiry_utc=42\n" {
		t.Fatalf("response %q", got)
	}
}

// TestFallbackChildEnv: the child environment the Windows path builds for a
// helper command with spaces and a drive letter resets the helper chain,
// names the helper, and drops curl's trace for session credentials only.
func TestFallbackChildEnv(t *testing.T) {
	helper := `"C:\Program Files\git-codecommit\git-credential-codecommit.exe" --profile dev`
	base := []string{`PATH=C:\Windows;C:\Program Files\Git\cmd`, "GIT_TRACE_CURL=1", "GIT_CURL_VERBOSE=1"}
	for _, tc := range []struct {
		user    string
		dropped int
	}{{"AKIAEXAMPLE", 0}, {"ASIAEXAMPLE%token", 2}} {
		h := &HandOff{Env: base, Cred: Credential{Username: tc.user}, Fallback: helper}
		env, dropped, err := h.childEnv(h.Fallback)
		if err != nil {
			t.Fatal(err)
		}
		if len(dropped) != tc.dropped {
			t.Errorf("%s: dropped %v", tc.user, dropped)
		}
		joined := strings.Join(env, "\n")
		for _, want := range []string{"GIT_CONFIG_KEY_0=credential.helper\n", "GIT_CONFIG_VALUE_0=\n", "GIT_CONFIG_VALUE_1=" + helper + "\n", "GIT_CONFIG_COUNT=2"} {
			if !strings.Contains(joined+"\n", want) {
				t.Errorf("%s: env lacks %q:\n%s", tc.user, want, joined)
			}
		}
		if has := strings.Contains(joined, "GIT_TRACE_CURL="); has != (tc.dropped == 0) {
			t.Errorf("%s: GIT_TRACE_CURL kept = %v", tc.user, has)
		}
	}
}

func TestCurlTracing(t *testing.T) {
	for env, want := range map[string]string{
		"":                                  "",
		"GIT_TRACE_CURL=0":                  "",
		"GIT_TRACE_CURL=false":              "",
		"GIT_TRACE_CURL=1":                  "GIT_TRACE_CURL",
		`GIT_TRACE_CURL=C:\Temp\curl.log`:   "GIT_TRACE_CURL",
		"GIT_CURL_VERBOSE=true":             "GIT_CURL_VERBOSE",
		"GIT_CURL_VERBOSE=0 GIT_TRACE_CURL": "",
	} {
		vars := map[string]string{}
		for _, kv := range strings.Fields(env) {
			k, v, _ := strings.Cut(kv, "=")
			vars[k] = v
		}
		if got := CurlTracing(func(k string) string { return vars[k] }); got != want {
			t.Errorf("%q: %q, want %q", env, got, want)
		}
	}
}
