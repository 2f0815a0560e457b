package awsfiles

import (
	"path/filepath"
	"testing"
)

// TestFilesForWindowsHome: with only USERPROFILE (Windows), a home with a
// space and a drive letter, and "~\" or "~/" in AWS_CONFIG_FILE, the files
// are found under that home. filepath.Join gives the platform's separator.
func TestFilesForWindowsHome(t *testing.T) {
	home := `C:\Users\A B`
	env := map[string]string{
		"USERPROFILE":                 home,
		"AWS_CONFIG_FILE":             `~\x`,
		"AWS_SHARED_CREDENTIALS_FILE": `D:\aws files\credentials`,
	}
	f := FilesFor(func(k string) string { return env[k] })
	if want := filepath.Join(home, "x"); f.Config != want {
		t.Errorf("config %q, want %q", f.Config, want)
	}
	if f.Credentials != `D:\aws files\credentials` {
		t.Errorf("credentials %q", f.Credentials)
	}
	env["AWS_CONFIG_FILE"] = "~/y z"
	delete(env, "AWS_SHARED_CREDENTIALS_FILE")
	f = FilesFor(func(k string) string { return env[k] })
	if want := filepath.Join(home, "y z"); f.Config != want {
		t.Errorf("config %q, want %q", f.Config, want)
	}
	if want := filepath.Join(home, ".aws", "credentials"); f.Credentials != want {
		t.Errorf("credentials %q, want %q", f.Credentials, want)
	}
	env["HOME"] = "/home/u" // HOME wins where both are set (Git Bash, Cygwin)
	if f := FilesFor(func(k string) string { return env[k] }); f.Config != filepath.Join("/home/u", "y z") {
		t.Errorf("with HOME: config %q", f.Config)
	}
}

// Issue 12 item 3: with HOME unset, empty or relative the home comes from
// the password database, and without one nothing resolves against the
// working directory.
func TestHomeWithoutHOME(t *testing.T) {
	saved := lookupHome
	defer func() { lookupHome = saved }()
	for _, home := range []string{"", ".", "rel/dir"} {
		env := func(k string) string {
			if k == "HOME" {
				return home
			}
			return ""
		}
		lookupHome = func() string { return "/home/from-passwd" }
		if got := HomeDir(env); got != "/home/from-passwd" {
			t.Errorf("HOME=%q: HomeDir = %q, want the password database's", home, got)
		}
		if f := FilesFor(env); f.Config != filepath.Join("/home/from-passwd", ".aws", "config") || f.Problem != "" {
			t.Errorf("HOME=%q: %+v", home, f)
		}
		lookupHome = func() string { return "" }
		f := FilesFor(env)
		if HomeDir(env) != "" || f.Config != "" || f.Credentials != "" || f.Problem == "" || f.Check() == nil {
			t.Errorf("HOME=%q, no passwd entry: home %q, files %+v, check %v", home, HomeDir(env), f, f.Check())
		}
	}
	lookupHome = func() string { return "/h" }
	f := FilesFor(func(k string) string { return map[string]string{"HOME": "/h", "AWS_CONFIG_FILE": "cfg"}[k] })
	if f.Config != "" || f.Problem == "" {
		t.Errorf("relative AWS_CONFIG_FILE: %+v", f)
	}
}
