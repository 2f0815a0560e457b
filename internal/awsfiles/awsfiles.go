// Package awsfiles finds and reads the AWS shared config and credentials
// files without the AWS SDK: where they are (as the AWS CLI finds them), which
// profiles they define, and the one resolution a git command can make
// without the SDK, static keys (Static). Everything else about the files is
// the SDK's business, through package awscreds.
package awsfiles

import (
	"path/filepath"
	"sort"
	"strings"
)

// Files are the shared config and credentials files, as the AWS CLI finds
// them: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (with ~ expanded),
// else ~/.aws/config and ~/.aws/credentials.
type Files struct {
	Config, Credentials string
}

// FilesFor returns the files env points at.
func FilesFor(env func(string) string) Files {
	home := HomeDir(env)
	pick := func(v, def string) string {
		if p := env(v); p != "" {
			return expandHome(p, home)
		}
		return filepath.Join(home, ".aws", def)
	}
	return Files{Config: pick("AWS_CONFIG_FILE", "config"), Credentials: pick("AWS_SHARED_CREDENTIALS_FILE", "credentials")}
}

// HomeDir is HOME (USERPROFILE on Windows when HOME is unset).
func HomeDir(env func(string) string) string {
	if h := env("HOME"); h != "" {
		return h
	}
	return env("USERPROFILE")
}

func expandHome(p, home string) string {
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
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
	for _, p := range []string{f.Config, f.Credentials} {
		if _, err := Read(p); err != nil {
			return err
		}
	}
	return nil
}
