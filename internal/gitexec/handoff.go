package gitexec

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// Credential is what git receives for the remote.
type Credential struct {
	Username, Password string
}

// HeaderConfig renders c as a git configuration file that makes git send
// it, as HTTP Basic authorization, with every request.
func (c Credential) HeaderConfig() []byte {
	basic := base64.StdEncoding.EncodeToString([]byte(c.Username + ":" + c.Password))
	return []byte("[http]\n\textraHeader = Authorization: Basic " + basic + "\n")
}

// session reports whether the username carries a session token.
func (c Credential) session() bool { return strings.Contains(c.Username, "%") }

// HandOff says how to run `git remote-https` for a remote.
type HandOff struct {
	Git    string   // git program
	Env    []string // the environment git was run with
	Remote string   // remote name, as git gave it
	URL    string   // https://HOST/v1/repos/REPO
	Cred   Credential
	// Helper is the credential helper git runs, for this URL's origin
	// only, should it ask for a password after all (a 401 because the
	// header did not go out): a command that signs again, such as
	// git-credential-codecommit, which answers only for CodeCommit hosts.
	// No credential is ever handed to it.
	Helper string
	Stdin  *os.File
	Stdout *os.File
	Stderr *os.File
	Trace  func(format string, args ...any)
}

// origin is the scheme and host of h.URL: the only origin git's credential
// helper is configured for.
func (h *HandOff) origin() string {
	scheme, rest, _ := strings.Cut(h.URL, "://")
	host, _, _ := strings.Cut(rest, "/")
	return scheme + "://" + host
}

// credentialConfig is the configuration of git remote-https: the helper
// chain reset, so no keychain, store or manager helper sees or keeps the
// password (nor answers a proxy's request with something of ours); our
// helper and the repository path for the endpoint's origin only; and no
// redirects, which CodeCommit never sends and which could only take the
// request (and git's next question for a password) to another origin.
func (h *HandOff) credentialConfig() []KV {
	kv := []KV{{"credential.helper", ""}, {"http.followRedirects", "false"}}
	if h.Helper != "" {
		o := h.origin()
		kv = append(kv, KV{"credential." + o + ".helper", h.Helper}, KV{"credential." + o + ".useHttpPath", "true"})
	}
	return kv
}

// childEnv is the environment of git remote-https, and the warning to
// print when curl's trace had to be dropped from it.
func (h *HandOff) childEnv(extra ...KV) ([]string, string, error) {
	env := append([]string(nil), h.Env...)
	p := &proc.Proc{Environ: env}
	var warning string
	ct := CurlTraceOf(p.LookupEnv)
	if what := ct.Replayable(h.Cred.session()); what != "" {
		for _, v := range ct.Vars {
			env = proc.WithoutEnv(env, v)
		}
		warning = fmt.Sprintf("warning: %s ignored for this CodeCommit remote: curl would print %s", ct.Named(), what)
	}
	env, err := ConfigEnv(env, append(h.credentialConfig(), extra...))
	return env, warning, err
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
		p := filepath.Join(dir, proc.ExeName("git-remote-https"))
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, []string{"git-remote-https", h.Remote, h.URL}, nil
		}
	}
	git, err := Program(&proc.Proc{Environ: h.Env, Git: h.Git})
	if err != nil {
		return "", nil, err
	}
	return git, []string{"git", "remote-https", h.Remote, h.URL}, nil
}

func (h *HandOff) trace(format string, args ...any) {
	if h.Trace != nil {
		h.Trace(format, args...)
	}
}
