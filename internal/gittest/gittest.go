// Package gittest runs the real git and the toolset's binaries against a
// local CodeCommit-compatible endpoint, for end-to-end tests. Each Env has a
// fresh HOME, its own server on 127.0.0.1, an AWS config written for it, and
// an environment built from scratch: GIT_CONFIG_NOSYSTEM=1 and
// GIT_TERMINAL_PROMPT=0, nothing of the developer's AWS settings. Git's
// stderr and the helpers' trace are printed only when a test fails.
package gittest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/localserver"
	"github.com/gitcodecommit/git-codecommit/internal/localserver/faults"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

var (
	mainRan   bool // Main is running this test process
	buildOnce sync.Once
	binDir    string // this process's copy of the binaries, removed by Main
	buildErr  error
)

// Programs are the toolset's commands, as the tests run them.
var Programs = []string{"git-codecommit", "git-credential-codecommit", "git-remote-codecommit"}

// Main runs an end-to-end package's tests and then removes what the
// harness made for the whole process. Every package using New calls it
// from its TestMain:
//
//	func TestMain(m *testing.M) { gittest.Main(m) }
//
// With GITTEST_GIT set to the install prefix of a git (a directory holding
// bin/git, see scripts/build-git.sh), that git is the one the whole process
// runs: its bin directory goes first on PATH, so the local endpoint's
// http-backend and every test's git are the same version, and git finds
// its own exec path and templates (compiled into it).
func Main(m *testing.M) {
	mainRan = true
	if err := useGit(os.Getenv("GITTEST_GIT")); err != nil {
		fmt.Fprintln(os.Stderr, "gittest:", err)
		os.Exit(2)
	}
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// useGit puts the git installed under prefix first on PATH.
func useGit(prefix string) error {
	if prefix == "" {
		return nil
	}
	bin := filepath.Join(prefix, "bin")
	if st, err := os.Stat(filepath.Join(bin, "git")); err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("GITTEST_GIT=%s: no bin/git there (build it with scripts/build-git.sh)", prefix)
	}
	os.Unsetenv("GIT_EXEC_PATH")
	return os.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

var gitVersion = sync.OnceValues(func() (gitexec.Version, error) {
	return gitexec.GitVersion(context.Background(), gitexec.Exec{Proc: &proc.Proc{Environ: os.Environ(), Git: "git"}})
})

// GitVersion returns the version of the git under test (the first on PATH,
// GITTEST_GIT's when set), asked once per process.
func GitVersion(t testing.TB) gitexec.Version {
	t.Helper()
	v, err := gitVersion()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// NeedGit skips the test unless the git under test has feature f, with a
// message naming it.
func NeedGit(t testing.TB, f gitexec.Feature) {
	t.Helper()
	if v := GitVersion(t); !v.Has(f) {
		t.Skipf("git %s lacks %s (git %d.%d or later)", v, f.Name, f.Since.Major, f.Since.Minor)
	}
}

// Binaries returns a directory holding the toolset's commands, made once
// per test process and removed by Main when the process ends.
//
// The commands are built by `go tool -n` (they are tools of the module, see
// go.mod), which links each one once per content into Go's build cache and
// prints where: the key is Go's own (sources, flags, toolchain), so the
// end-to-end packages of one `go test ./...`, and later runs with nothing
// changed, link nothing again, parallel runs share it safely, and nothing
// is written to a fixed name. The process then hard-links (or copies) them
// into a directory of its own, so the binaries sit side by side as
// installed and no cache trimming can pull them away mid-run.
//
// Asking the go command costs about 1.5 s of CPU per program and test
// process (it loads and hashes the module's packages, AWS SDK included), so
// for a run of many packages (make unit) the caller asks once and names
// the three paths `go tool -n` printed in GITTEST_TOOLS (a PATH-style
// list; see scripts/unit.sh). Those paths are keyed by the programs'
// content, so GITTEST_TOOLS, which go test records among a test's inputs,
// changes exactly when a program does: Go's test cache then reruns the
// end-to-end tests when a program they run changes, and only then. (go
// test rechecks only files inside the module; what lies outside it, the
// programs and git, reaches the cache key through these variables.)
func Binaries(t testing.TB) string {
	t.Helper()
	if !mainRan {
		t.Fatal("gittest: this package's TestMain must call gittest.Main (it removes the binaries at exit)")
	}
	buildOnce.Do(func() {
		// Read during a test, so that go test records it among the
		// tests' inputs: go test rechecks no file outside the module (the
		// git on PATH is one), so scripts/unit.sh names the git under test
		// (its path, size, time and version) in GITTEST_GIT_ID instead.
		_ = os.Getenv("GITTEST_GIT_ID")
		binDir, buildErr = build(os.Getenv("GITTEST_TOOLS"))
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

// tools returns the path of each program, from GITTEST_TOOLS when it is
// set, else from the go command.
func tools(list string) ([]string, error) {
	paths := make([]string, len(Programs))
	if list != "" {
		byName := map[string]string{}
		for _, p := range filepath.SplitList(list) {
			byName[filepath.Base(p)] = p
		}
		for i, prog := range Programs {
			p := byName[prog]
			if !filepath.IsAbs(p) {
				return nil, fmt.Errorf("GITTEST_TOOLS=%s: no absolute path of %s (scripts/unit.sh sets it from `go tool -n`)", list, prog)
			}
			if st, err := os.Stat(p); err != nil || !proc.IsExecutable(st) {
				return nil, fmt.Errorf("GITTEST_TOOLS: %s is not an executable file", p)
			}
			paths[i] = p
		}
		return paths, nil
	}
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	errs := make([]error, len(Programs))
	var wg sync.WaitGroup
	for i, prog := range Programs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			paths[i], errs[i] = cachedTool(root, prog)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return paths, nil
}

func build(list string) (string, error) {
	paths, err := tools(list)
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "gittest-bin-")
	if err != nil {
		return "", err
	}
	for i, prog := range Programs {
		if err := linkOrCopy(paths[i], filepath.Join(dir, prog)); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	return dir, nil
}

// cachedTool builds a command of the module into Go's build cache (if it
// is not there already) and returns its path there.
func cachedTool(root, prog string) (string, error) {
	cmd := exec.Command("go", "tool", "-n", prog)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go tool -n %s: %v\n%s", prog, err, stderr.Bytes())
	}
	p := strings.TrimSpace(string(out))
	if !filepath.IsAbs(p) || strings.ContainsRune(p, '\n') {
		return "", fmt.Errorf("go tool -n %s: unexpected output %q", prog, out)
	}
	return p, nil
}

func linkOrCopy(from, to string) error {
	if os.Link(from, to) == nil {
		return nil
	}
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

func moduleRoot() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("cannot locate the module root")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", "..")), nil
}

// Env is one end-to-end environment.
type Env struct {
	T         testing.TB
	Server    *localserver.Server
	Home      string // fresh HOME, holding .aws/config and .aws/credentials
	Work      string // a scratch directory, the default working directory
	Bin       string // the toolset's binaries
	TraceFile string // GIT_TRACE_CODECOMMIT of every command
	Environ   []string
	ServerLog *bytes.Buffer
	logw      *syncWriter

	// Faults are the server's test-only fault switches (installed by New).
	Faults *faults.Faults
}

// New starts a server with a repository "demo" and returns an environment
// configured for it. opts adjust the server's configuration.
func New(t testing.TB, opts ...func(*localserver.Config)) *Env {
	t.Helper()
	bin := Binaries(t)
	root := t.TempDir()
	e := &Env{T: t, Home: filepath.Join(root, "home"), Work: filepath.Join(root, "work"), Bin: bin, TraceFile: filepath.Join(root, "trace.log"), ServerLog: &bytes.Buffer{}}
	e.logw = &syncWriter{w: e.ServerLog}
	for _, d := range []string{e.Home, e.Work} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	cfg := localserver.Config{Dir: filepath.Join(root, "repos"), Repos: []string{"demo"}, Log: e.logw, CertDir: filepath.Join(root, "cert")}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s, err := localserver.Start(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	e.Server = s
	e.Faults = faults.New(s)
	s.SetHooks(e.Faults)
	t.Cleanup(func() { cancel(); s.Close() })
	if _, _, err := s.WriteAWSFiles(filepath.Join(e.Home, ".aws")); err != nil {
		t.Fatal(err)
	}
	e.Environ = []string{
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + e.Home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.invalid",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.invalid",
		"GIT_TRACE_CODECOMMIT=" + e.TraceFile,
		"CODE_COMMIT_ENDPOINT=" + s.Host(),
		"GIT_SSL_CAINFO=" + s.CAFile(),
		"AWS_CA_BUNDLE=" + s.CAFile(),
		"AWS_ENDPOINT_URL_STS=" + s.URL(),
		"AWS_ENDPOINT_URL_CODECOMMIT=" + s.URL(),
		"AWS_EC2_METADATA_DISABLED=true",
		"LANG=C",
	}
	if v := os.Getenv("GOCOVERDIR"); v != "" {
		e.Environ = append(e.Environ, "GOCOVERDIR="+v)
	}
	e.Run("git", "config", "--global", "init.defaultBranch", "main").Must()
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(e.TraceFile)
			t.Logf("GIT_TRACE_CODECOMMIT:\n%s\nserver log:\n%s", b, e.Log())
		}
	})
	return e
}

// Setenv sets a variable for the commands e runs from now on.
func (e *Env) Setenv(key, value string) {
	e.Unsetenv(key)
	e.Environ = append(e.Environ, key+"="+value)
}

// Unsetenv removes a variable.
func (e *Env) Unsetenv(key string) {
	out := e.Environ[:0]
	for _, kv := range e.Environ {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	e.Environ = out
}

// Getenv returns a variable of e's environment.
func (e *Env) Getenv(key string) string {
	for i := len(e.Environ) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(e.Environ[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}

// Result is a finished command.
type Result struct {
	t              testing.TB
	Args           []string
	Stdout, Stderr string
	Code           int
	Err            error
}

// Must fails the test unless the command succeeded, and returns its stdout.
func (r Result) Must() string {
	r.t.Helper()
	if r.Code != 0 || r.Err != nil {
		r.t.Fatalf("%s: exit %d (%v)\nstdout:\n%s\nstderr:\n%s", strings.Join(r.Args, " "), r.Code, r.Err, r.Stdout, r.Stderr)
	}
	return r.Stdout
}

// MustFail fails the test unless the command failed, and returns its stderr.
func (r Result) MustFail() string {
	r.t.Helper()
	if r.Code == 0 {
		r.t.Fatalf("%s: succeeded, want failure\nstdout:\n%s\nstderr:\n%s", strings.Join(r.Args, " "), r.Stdout, r.Stderr)
	}
	return r.Stderr
}

// Run runs a command in e.Work with e's environment and a 2-minute guard
// against hangs (not a time limit on the test).
func (e *Env) Run(name string, args ...string) Result {
	return e.RunIn(e.Work, "", name, args...)
}

// RunIn runs a command in dir with stdin.
func (e *Env) RunIn(dir, stdin, name string, args ...string) Result {
	e.T.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if !strings.ContainsRune(name, filepath.Separator) {
		if p := filepath.Join(e.Bin, name); fileExists(p) {
			name = p // the toolset's own binaries, not whatever PATH holds
		}
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = e.Environ
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := Result{t: e.T, Args: append([]string{name}, args...), Stdout: out.String(), Stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.Code = ee.ExitCode()
	case err != nil:
		r.Code, r.Err = -1, err
	}
	return r
}

// Git runs git in e.Work.
func (e *Env) Git(args ...string) Result { e.T.Helper(); return e.Run("git", args...) }

// GitIn runs git in dir.
func (e *Env) GitIn(dir string, args ...string) Result {
	e.T.Helper()
	return e.RunIn(dir, "", "git", args...)
}

// Path returns a path under e.Work.
func (e *Env) Path(elem ...string) string { return filepath.Join(append([]string{e.Work}, elem...)...) }

// WriteFile writes a file under e.Work, creating directories.
func (e *Env) WriteFile(rel string, data []byte) {
	e.T.Helper()
	p := e.Path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.T.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		e.T.Fatal(err)
	}
}

// Commit writes a file in the repository dir and commits it.
func (e *Env) Commit(dir, file, content string) {
	e.T.Helper()
	if err := os.WriteFile(filepath.Join(dir, file), []byte(content), 0o644); err != nil {
		e.T.Fatal(err)
	}
	e.GitIn(dir, "add", file).Must()
	e.GitIn(dir, "commit", "-q", "-m", "add "+file).Must()
}

// AppendAWSConfig appends text to $HOME/.aws/config.
func (e *Env) AppendAWSConfig(text string) {
	e.appendFile(filepath.Join(e.Home, ".aws", "config"), text)
}

// AppendAWSCredentials appends text to $HOME/.aws/credentials.
func (e *Env) AppendAWSCredentials(text string) {
	e.appendFile(filepath.Join(e.Home, ".aws", "credentials"), text)
}

func (e *Env) appendFile(p, text string) {
	e.T.Helper()
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		e.T.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("\n" + text + "\n"); err != nil {
		e.T.Fatal(err)
	}
}

// Alone copies one of the built programs into a directory of its own, as
// if installed without the others, and returns that directory.
func (e *Env) Alone(program string) string {
	e.T.Helper()
	dir := e.Path("alone-" + program)
	b, err := os.ReadFile(filepath.Join(e.Bin, program))
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, program), b, 0o755)
	}
	if err != nil {
		e.T.Fatal(err)
	}
	return dir
}

// Trace returns what the helpers traced so far.
func (e *Env) Trace() string {
	b, _ := os.ReadFile(e.TraceFile)
	return string(b)
}

type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// Log returns the server's request log so far.
func (e *Env) Log() string {
	e.logw.mu.Lock()
	defer e.logw.mu.Unlock()
	return e.ServerLog.String()
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
