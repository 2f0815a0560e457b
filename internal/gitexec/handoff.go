package gitexec

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// Credential is what git receives for the remote.
type Credential struct {
	Username, Password string
	Expiry             time.Time
}

// Response renders c in git's credential protocol.
func (c Credential) Response() []byte {
	var b strings.Builder
	b.WriteString("username=" + c.Username + "\npassword=" + c.Password + "\n")
	if !c.Expiry.IsZero() {
		fmt.Fprintf(&b, "password_expiry_utc=%d\n", c.Expiry.Unix())
	}
	return []byte(b.String())
}

// HeaderConfig renders c as a git configuration file that makes git send
// it, as HTTP Basic authorization, with every request.
func (c Credential) HeaderConfig() []byte {
	basic := base64.StdEncoding.EncodeToString([]byte(c.Username + ":" + c.Password))
	return []byte("[http]\n\textraHeader = Authorization: Basic " + basic + "\n")
}

// HandOff says how to run `git remote-https` for a remote.
type HandOff struct {
	Git    string   // git program
	Env    []string // the environment git was run with
	Remote string   // remote name, as git gave it
	URL    string   // https://HOST/v1/repos/REPO
	Cred   Credential
	// Fallback is the credential helper command for platforms where the
	// credential cannot travel through an inherited pipe (Windows): a
	// helper that signs again on git's request.
	Fallback string
	Stdin    *os.File
	Stdout   *os.File
	Stderr   *os.File
	Trace    func(format string, args ...any)
}

// curlTraceVars make curl print the Basic-auth user, which carries the
// session token.
var curlTraceVars = []string{"GIT_TRACE_CURL", "GIT_CURL_VERBOSE"}

// CurlTracing returns the first of GIT_TRACE_CURL and GIT_CURL_VERBOSE
// that turns curl's trace on under getenv, or "". Git takes "", "0" and
// "false" as off.
func CurlTracing(getenv func(string) string) string {
	for _, v := range curlTraceVars {
		switch strings.ToLower(strings.TrimSpace(getenv(v))) {
		case "", "0", "false", "no", "off":
		default:
			return v
		}
	}
	return ""
}

// helperConfig is the credential configuration: reset the helper chain so no
// keychain or store sees the password, then our helper.
func helperConfig(helper string) []KV {
	return []KV{{"credential.helper", ""}, {"credential.helper", helper}}
}

// childEnv is the environment of git remote-https.
func (h *HandOff) childEnv(helper string, extra ...KV) ([]string, []string, error) {
	env := append([]string(nil), h.Env...)
	var dropped []string
	if strings.Contains(h.Cred.Username, "%") {
		for _, v := range curlTraceVars {
			if _, ok := (&proc.Proc{Environ: env}).LookupEnv(v); ok {
				dropped = append(dropped, v)
				env = proc.WithoutEnv(env, v)
			}
		}
	}
	env, err := ConfigEnv(env, append(helperConfig(helper), extra...))
	return env, dropped, err
}

// Run hands the remote to git remote-https. On Unix it replaces this
// process, so git's signals and exit status are git's own; elsewhere it runs
// git as a child and returns its exit status.
func (h *HandOff) Run(ctx context.Context) error {
	return h.run(ctx)
}

// command returns the program and arguments for git remote-https. Git sets
// GIT_EXEC_PATH for its remote helpers: running git-remote-https from there
// saves starting the git wrapper; without it, `git remote-https` is run.
func (h *HandOff) command() (string, []string, error) {
	if dir := (&proc.Proc{Environ: h.Env}).Getenv("GIT_EXEC_PATH"); dir != "" {
		p := filepath.Join(dir, "git-remote-https")
		if runtime.GOOS == "windows" {
			p += ".exe"
		}
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, []string{"git-remote-https", h.Remote, h.URL}, nil
		}
	}
	git, err := exec.LookPath(h.Git)
	if err != nil {
		return "", nil, fmt.Errorf("git not found on PATH: %w", err)
	}
	return git, []string{"git", "remote-https", h.Remote, h.URL}, nil
}

func (h *HandOff) trace(format string, args ...any) {
	if h.Trace != nil {
		h.Trace(format, args...)
	}
}
