package awscreds

import (
	"errors"
	"io/fs"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/logincreds"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"

	"github.com/gitcodecommit/git-codecommit/internal/safefile"
)

// checkFiles checks, before the SDK opens them by name, every file the SDK
// would read for profile sc: the shared files, the SSO and login token
// caches of sc and its source profiles, the web identity token file and the
// container authorization token file. A file that exists but is not a
// regular file, or is larger than safefile.MaxSize, fails with one line
// naming it (the SDK would block on a FIFO or read /dev/zero until memory
// runs out). Missing files are left to the SDK's own errors.
func checkFiles(env func(string) string, sc *config.SharedConfig) error {
	var paths []string
	for depth := 0; sc != nil && depth <= maxChain; depth++ {
		if sc.SSOSession != nil && sc.SSOSession.Name != "" {
			if p, err := ssocreds.StandardCachedTokenFilepath(sc.SSOSession.Name); err == nil {
				paths = append(paths, p)
			}
		} else if sc.SSOStartURL != "" {
			if p, err := ssocreds.StandardCachedTokenFilepath(sc.SSOStartURL); err == nil {
				paths = append(paths, p)
			}
		}
		if sc.LoginSession != "" {
			if p, err := logincreds.StandardCachedTokenFilepath(sc.LoginSession, env("AWS_LOGIN_CACHE_DIRECTORY")); err == nil {
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
