package gitexec

import (
	"strings"
	"testing"
)

// These cover the logic the Windows hand-off (handoff_other.go: git
// remote-https as a child, with the fallback credential helper) shares with
// Unix, so it runs on every platform.

// TestFallbackChildEnv: the child environment the Windows path builds for a
// helper command with spaces and a drive letter resets the helper chain,
// names the helper for the endpoint only, and drops curl's trace for
// session credentials only.
func TestFallbackChildEnv(t *testing.T) {
	helper := `"C:\Program Files\git-codecommit\git-credential-codecommit.exe" --profile dev`
	base := []string{`PATH=C:\Windows;C:\Program Files\Git\cmd`, "GIT_TRACE_CURL=1", "GIT_CURL_VERBOSE=1"}
	for _, tc := range []struct {
		user    string
		dropped bool
	}{{"AKIAEXAMPLE", false}, {"ASIAEXAMPLE%token", true}} {
		h := &HandOff{Env: base, Cred: Credential{Username: tc.user}, URL: "https://h/v1/repos/r", Helper: helper}
		env, warning, err := h.childEnv()
		if err != nil {
			t.Fatal(err)
		}
		if (warning != "") != tc.dropped {
			t.Errorf("%s: warning %q", tc.user, warning)
		}
		joined := strings.Join(env, "\n")
		for _, want := range []string{"GIT_CONFIG_KEY_0=credential.helper\n", "GIT_CONFIG_VALUE_0=\n", "GIT_CONFIG_KEY_2=credential.https://h.helper\n", "GIT_CONFIG_VALUE_2=" + helper + "\n", "GIT_CONFIG_COUNT=4"} {
			if !strings.Contains(joined+"\n", want) {
				t.Errorf("%s: env lacks %q:\n%s", tc.user, want, joined)
			}
		}
		if has := strings.Contains(joined, "GIT_TRACE_CURL="); has == tc.dropped {
			t.Errorf("%s: GIT_TRACE_CURL kept = %v", tc.user, has)
		}
	}
}

// TestCurlTraceOf: git 2.39's rules. GIT_CURL_VERBOSE is on when set at
// all; GIT_TRACE_CURL follows trace.c; GIT_TRACE_REDACT is a git boolean,
// "" included.
func TestCurlTraceOf(t *testing.T) {
	for _, tc := range []struct {
		env                string
		vars               string
		unredacted         bool
		session, unsession string // Replayable(true), Replayable(false)
	}{
		{"", "", false, "", ""},
		{"GIT_CURL_VERBOSE=", "GIT_CURL_VERBOSE", false, "the session token", ""},
		{"GIT_CURL_VERBOSE=0", "GIT_CURL_VERBOSE", false, "the session token", ""},
		{"GIT_CURL_VERBOSE=false", "GIT_CURL_VERBOSE", false, "the session token", ""},
		{"GIT_CURL_VERBOSE=1 GIT_TRACE_REDACT=0", "GIT_CURL_VERBOSE", true, "the session token", "the signed password (GIT_TRACE_REDACT turns redaction off)"},
		{"GIT_TRACE_CURL=0", "", false, "", ""},
		{"GIT_TRACE_CURL=FALSE GIT_TRACE_REDACT=0", "", true, "", ""},
		{"GIT_TRACE_CURL=", "", false, "", ""},
		{"GIT_TRACE_CURL=1", "GIT_TRACE_CURL", false, "the session token", ""},
		{"GIT_TRACE_CURL=True", "GIT_TRACE_CURL", false, "the session token", ""},
		{"GIT_TRACE_CURL=7", "GIT_TRACE_CURL", false, "the session token", ""},
		{"GIT_TRACE_CURL=/tmp/curl.log GIT_TRACE_REDACT=", "GIT_TRACE_CURL", true, "the session token", "the signed password (GIT_TRACE_REDACT turns redaction off)"},
		{"GIT_TRACE_CURL=/tmp/curl.log GIT_TRACE_REDACT=off", "GIT_TRACE_CURL", true, "the session token", "the signed password (GIT_TRACE_REDACT turns redaction off)"},
		{"GIT_TRACE_CURL=1 GIT_TRACE_REDACT=1", "GIT_TRACE_CURL", false, "the session token", ""},
		{"GIT_TRACE_CURL=1 GIT_TRACE_REDACT=garbage", "GIT_TRACE_CURL", false, "the session token", ""},
		{"GIT_TRACE_CURL=relative.log", "", false, "", ""},
		{"GIT_TRACE_CURL=yes", "", false, "", ""},
		{"GIT_TRACE_CURL=10", "", false, "", ""},
		{"GIT_CURL_VERBOSE=0 GIT_TRACE_CURL=1", "GIT_CURL_VERBOSE GIT_TRACE_CURL", false, "the session token", ""},
	} {
		vars := map[string]string{}
		for _, kv := range strings.Fields(tc.env) {
			k, v, _ := strings.Cut(kv, "=")
			vars[k] = v
		}
		ct := CurlTraceOf(func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
		if got := strings.Join(ct.Vars, " "); got != tc.vars || ct.Unredacted != tc.unredacted {
			t.Errorf("%q: vars %q unredacted %v, want %q %v", tc.env, got, ct.Unredacted, tc.vars, tc.unredacted)
		}
		if s, u := ct.Replayable(true), ct.Replayable(false); s != tc.session || u != tc.unsession {
			t.Errorf("%q: replayable %q / %q, want %q / %q", tc.env, s, u, tc.session, tc.unsession)
		}
	}
}

func TestParseBool(t *testing.T) {
	for in, want := range map[string][2]bool{
		"": {false, true}, "true": {true, true}, "YES": {true, true}, "On": {true, true},
		"false": {false, true}, "no": {false, true}, "OFF": {false, true},
		"0": {false, true}, "1": {true, true}, "-1": {true, true}, "0k": {false, true}, "2g": {true, true}, "0x0": {false, true}, " 0": {false, true},
		"maybe": {false, false}, "1.0": {false, false}, "0 ": {false, false},
	} {
		if v, ok := ParseBool(in); v != want[0] || ok != want[1] {
			t.Errorf("ParseBool(%q) = %v, %v; want %v, %v", in, v, ok, want[0], want[1])
		}
	}
}
