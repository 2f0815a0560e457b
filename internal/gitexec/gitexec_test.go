package gitexec

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]Version{
		"git version 2.39.5\n":               {2, 39, 5},
		"git version 2.20.1.windows.1":       {2, 20, 1},
		"git version 2.45.0 (Apple Git-154)": {2, 45, 0},
		"git version 3.0":                    {3, 0, 0},
	} {
		got, err := ParseVersion(in)
		if err != nil || got != want {
			t.Errorf("ParseVersion(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseVersion("hub version 1"); err == nil {
		t.Error("garbage accepted")
	}
	if !(Version{2, 31, 0}).AtLeast(2, 31) || (Version{2, 30, 9}).AtLeast(2, 31) || !(Version{3, 0, 0}).AtLeast(2, 31) {
		t.Error("AtLeast")
	}
}

func TestConfigEnv(t *testing.T) {
	env := []string{"PATH=/bin", "GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=a.b", "GIT_CONFIG_VALUE_0=c", "GIT_CONFIG_PARAMETERS='core.x'='1'"}
	got, err := ConfigEnv(env, []KV{{"credential.helper", ""}, {"credential.helper", "!f() { echo 'x'; }; f"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"PATH=/bin", "GIT_CONFIG_KEY_0=a.b", "GIT_CONFIG_VALUE_0=c",
		"GIT_CONFIG_KEY_1=credential.helper", "GIT_CONFIG_VALUE_1=", "GIT_CONFIG_KEY_2=credential.helper", "GIT_CONFIG_VALUE_2=!f() { echo 'x'; }; f",
		"GIT_CONFIG_COUNT=3",
		`GIT_CONFIG_PARAMETERS='core.x'='1' 'credential.helper=' 'credential.helper=!f() { echo '\''x'\''; }; f'`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if _, err := ConfigEnv([]string{"GIT_CONFIG_COUNT=x"}, nil); err == nil {
		t.Error("bad count accepted")
	}
}

func TestChildEnvDropsReplayableCurlTrace(t *testing.T) {
	h := &HandOff{Env: []string{"GIT_TRACE_CURL=1", "GIT_CURL_VERBOSE=1", "GIT_TRACE=1"}, URL: "https://h:1/v1/repos/r", Helper: "codecommit"}
	h.Cred = Credential{Username: "AKID%token", Password: "p"}
	env, warning, err := h.childEnv()
	if err != nil {
		t.Fatal(err)
	}
	if warning != "warning: GIT_CURL_VERBOSE and GIT_TRACE_CURL are ignored for this CodeCommit remote: curl would print the session token" ||
		strings.Contains(strings.Join(env, "\n"), "CURL") || !strings.Contains(strings.Join(env, "\n"), "GIT_TRACE=1") {
		t.Errorf("env %q warning %q", env, warning)
	}
	h.Cred.Username = "AKID"
	env, warning, _ = h.childEnv()
	if warning != "" || !strings.Contains(strings.Join(env, "\n"), "GIT_TRACE_CURL=1") {
		t.Errorf("static keys: env %q warning %q", env, warning)
	}
	h.Env = []string{"GIT_CURL_VERBOSE=0", "GIT_TRACE_REDACT=0"}
	env, warning, _ = h.childEnv()
	if !strings.Contains(warning, "GIT_CURL_VERBOSE is ignored") || !strings.Contains(warning, "signed password") || strings.Contains(strings.Join(env, "\n"), "CURL") {
		t.Errorf("static keys, unredacted: env %q warning %q", env, warning)
	}
}

// TestCredentialConfig: the helper chain is reset, redirects are off, and
// our helper and the repository path are configured for the endpoint's
// origin only.
func TestCredentialConfig(t *testing.T) {
	h := &HandOff{URL: "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo", Helper: "codecommit --region us-east-1"}
	want := []KV{
		{"credential.helper", ""},
		{"http.followRedirects", "false"},
		{"credential.https://git-codecommit.us-east-1.amazonaws.com.helper", "codecommit --region us-east-1"},
		{"credential.https://git-codecommit.us-east-1.amazonaws.com.useHttpPath", "true"},
	}
	if got := h.credentialConfig(); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestFeatures(t *testing.T) {
	for _, c := range []struct {
		v    Version
		f    Feature
		want bool
	}{
		{Version{2, 30, 2}, ConfigCount, false}, {Version{2, 31, 0}, ConfigCount, true},
		{Version{2, 40, 9}, PasswordExpiry, false}, {Version{2, 41, 0}, PasswordExpiry, true},
		{Version{2, 45, 2}, ProactiveAuth, false}, {Version{2, 46, 0}, ProactiveAuth, true}, {Version{3, 0, 0}, ProactiveAuth, true},
	} {
		if got := c.v.Has(c.f); got != c.want {
			t.Errorf("%v.Has(%s) = %v", c.v, c.f.Name, got)
		}
	}
}
