package awscreds

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/logincreds"

	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/safefile"
)

// checkFiles checks, before the SDK opens them by name, every file the SDK
// would read for profile sc: the shared files, the SSO and login token
// caches of sc and its source profiles, the web identity token file and the
// container authorization token file. A file that exists but is not a
// regular file, or is larger than safefile.MaxSize, fails with one line
// naming it (the SDK would block on a FIFO or read /dev/zero until memory
// runs out). Missing files are left to the SDK's own errors.
func checkFiles(env func(string) string, home string, sc *config.SharedConfig) error {
	var paths []string
	for depth := 0; sc != nil && depth <= maxChain; depth++ {
		switch {
		case home == "":
		case sc.SSOSession != nil && sc.SSOSession.Name != "":
			paths = append(paths, awsfiles.SSOTokenPath(home, sc.SSOSession.Name))
		case sc.SSOStartURL != "":
			paths = append(paths, awsfiles.SSOTokenPath(home, sc.SSOStartURL))
		}
		if sc.LoginSession != "" {
			if p, err := logincreds.StandardCachedTokenFilepath(sc.LoginSession, env("AWS_LOGIN_CACHE_DIRECTORY")); err == nil {
				if !filepath.IsAbs(p) {
					// The SDK takes the login cache from HOME (or
					// AWS_LOGIN_CACHE_DIRECTORY) as it is, and offers no
					// option to name it: refuse rather than read a work
					// tree's token.
					return &RelativeCacheError{Profile: sc.Profile, Path: p}
				}
				paths = append(paths, p)
			}
		}
		if sc.WebIdentityTokenFile != "" {
			paths = append(paths, sc.WebIdentityTokenFile)
		}
		sc = sc.Source
	}
	for _, v := range []string{"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"} {
		if p := env(v); p != "" {
			paths = append(paths, p)
		}
	}
	for _, p := range paths {
		if err := safefile.Check(p, safefile.MaxSize); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// RelativeCacheError: the aws login token cache of a profile would be read
// from a relative path (HOME or AWS_LOGIN_CACHE_DIRECTORY relative), so
// from the working directory.
type RelativeCacheError struct{ Profile, Path string }

func (e *RelativeCacheError) Error() string {
	return fmt.Sprintf("the aws login token cache of profile %s would be read from %s, relative to the working directory", e.Profile, e.Path)
}

// Hint implements failure.Hinter.
func (e *RelativeCacheError) Hint() string {
	return "set HOME (or AWS_LOGIN_CACHE_DIRECTORY) to an absolute path"
}
