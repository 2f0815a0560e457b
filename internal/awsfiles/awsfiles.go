// Package awsfiles finds and reads the AWS shared config and credentials
// files without the AWS SDK: where they are (as the AWS CLI finds them), the
// one reader (File), and facts of the files: which profiles they define, a
// profile's region and use_fips_endpoint (ProfileSettings, for package
// target), the source_profile chain, the role cache keys and mfa's
// expiration line. It decides nothing: the precedence is package target's,
// credentials are filecreds' (without the SDK) and awscreds' (with it).
package awsfiles

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os/user"
	"path/filepath"
	"sort"
	"strings"
)

// Files are the shared config and credentials files, as the AWS CLI finds
// them: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (with ~ expanded),
// else ~/.aws/config and ~/.aws/credentials. A path that would resolve
// against the working directory (a relative variable, or no home directory
// at all) is never used: it is left empty and Problem says why, so that a
// work tree's .aws/config is never read.
type Files struct {
	Config, Credentials string
	Problem             string // "" when both paths are usable
}

// FilesFor returns the files env points at.
func FilesFor(env func(string) string) Files {
	home := HomeDir(env)
	var f Files
	pick := func(v, def string) string {
		p := env(v)
		switch {
		case p != "":
			p = expandHome(p, home)
		case home != "":
			p = filepath.Join(home, ".aws", def)
		}
		switch {
		case p == "" && f.Problem == "":
			f.Problem = "no home directory: HOME is unset, empty or relative and the password database names none"
		case p != "" && !isAbs(p) && f.Problem == "":
			f.Problem = fmt.Sprintf("%s=%s is a relative path, which would resolve against the working directory", v, p)
			p = ""
		}
		return p
	}
	f.Config = pick("AWS_CONFIG_FILE", "config")
	f.Credentials = pick("AWS_SHARED_CREDENTIALS_FILE", "credentials")
	return f
}

// lookupHome is the user's home directory in the password database
// (os/user; /etc/passwd without cgo).
var lookupHome = func() string {
	u, err := user.Current()
	if err != nil {
		return ""
	}
	return u.HomeDir
}

// SSOCacheDir is the IAM Identity Center token cache under home.
func SSOCacheDir(home string) string { return filepath.Join(home, ".aws", "sso", "cache") }

// SSOTokenPath is the cached token file of an sso_session name or a legacy
// sso_start_url (key) under home, as the AWS CLI and the SDK name it: the
// SHA-1 of the key, in hex, + ".json".
func SSOTokenPath(home, key string) string {
	sum := sha1.Sum([]byte(key))
	return filepath.Join(SSOCacheDir(home), hex.EncodeToString(sum[:])+".json")
}

// HomeDir is the user's home directory as the AWS CLI finds it: HOME
// (USERPROFILE on Windows when HOME is unset) when it is an absolute path,
// else the password database's entry for the user. "" when neither gives an
// absolute path: nothing may then be looked up under a home directory, since
// a relative one would resolve against the working directory.
func HomeDir(env func(string) string) string {
	for _, v := range []string{"HOME", "USERPROFILE"} {
		if h := env(v); h != "" {
			if isAbs(h) {
				return h
			}
			break
		}
	}
	if h := lookupHome(); isAbs(h) {
		return h
	}
	return ""
}

// isAbs is filepath.IsAbs, also taking Windows drive and UNC paths as
// absolute on every platform (the tests give Windows homes on Linux).
func isAbs(p string) bool {
	return filepath.IsAbs(p) || len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') || strings.HasPrefix(p, `\\`)
}

func expandHome(p, home string) string {
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		if home == "" {
			return ""
		}
		return filepath.Join(home, p[2:])
	}
	return p
}

// Profiles lists the profile names defined in the config and credentials
// files, sorted, without duplicates. Unreadable files count as empty.
func (f Files) Profiles() []string {
	seen := map[string]bool{}
	for _, name := range sections(f.Config) {
		switch {
		case name == "default":
			seen[name] = true
		case strings.HasPrefix(name, "profile ") || strings.HasPrefix(name, "profile\t"):
			seen[strings.TrimSpace(name[len("profile"):])] = true
		}
	}
	for _, name := range sections(f.Credentials) {
		seen[name] = true
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		if n != "" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// sections returns the section names of an AWS file; an unreadable file
// has none.
func sections(path string) []string {
	f, err := Read(path)
	if err != nil {
		return nil
	}
	return f.Names()
}

// Check reads both files as the helpers and commands read them and returns
// the first problem: a file that is no regular file or too large, or a line
// no AWS tool reads alike (a header without "]", a line that is no
// setting), with the file and line named.
func (f Files) Check() error {
	if f.Problem != "" {
		return &NoHomeError{Reason: f.Problem}
	}
	for _, p := range []string{f.Config, f.Credentials} {
		if _, err := Read(p); err != nil {
			return err
		}
	}
	return nil
}

// NoHomeError: the AWS files cannot be found without resolving a path
// against the working directory.
type NoHomeError struct{ Reason string }

func (e *NoHomeError) Error() string { return e.Reason }

// Hint implements failure.Hinter.
func (e *NoHomeError) Hint() string {
	return "set HOME to your home directory (an absolute path), or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE to absolute paths"
}
