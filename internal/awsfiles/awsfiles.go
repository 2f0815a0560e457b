// Package awsfiles finds and reads the AWS shared config and credentials
// files without the AWS SDK: where they are (as the AWS CLI finds them), which
// profiles they define, and the one resolution a git command can make
// without the SDK, static keys (Static). Everything else about the files is
// the SDK's business, through package awscreds.
package awsfiles

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/safefile"
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

// sections returns the section names of an ini file.
func sections(path string) []string {
	data, err := readFile(path)
	if err != nil {
		return nil
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if len(line) > 2 && line[0] == '[' && line[len(line)-1] == ']' {
			out = append(out, strings.TrimSpace(line[1:len(line)-1]))
		}
	}
	return out
}

// readFile is the one way this package reads an AWS file: a regular file of
// at most safefile.MaxSize, never blocking on a FIFO (see package safefile).
func readFile(path string) ([]byte, error) { return safefile.Read(path, safefile.MaxSize) }

// Check reports the first of the two files that exists but cannot be read
// as a settings file: not a regular file (a FIFO, a device, a directory) or
// larger than safefile.MaxSize. Missing files are fine. Callers run it before
// handing the files to a reader that would block or read without bound (the
// AWS SDK's); the error is one line naming the file.
func (f Files) Check() error {
	for _, p := range []string{f.Config, f.Credentials} {
		if err := safefile.Check(p, safefile.MaxSize); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
