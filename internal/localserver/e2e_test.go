package localserver_test

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// served is a `git codecommit serve` running in the background, as the
// README shows, with the exports it printed.
type served struct {
	cmd     *exec.Cmd
	stderr  *bytes.Buffer
	exports []string
	done    chan error
}

func baseEnv(bin, home string) []string {
	return []string{
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.invalid",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.invalid",
		"LANG=C",
	}
}

// serve starts `git codecommit serve` on dir and waits for its exports.
func serve(t *testing.T, env []string, dir string) *served {
	t.Helper()
	s := &served{stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	s.cmd = exec.Command("git", "codecommit", "serve", "--dir", dir, "--repo", "demo", "--quiet")
	s.cmd.Env = env
	s.cmd.Stderr = s.stderr
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.stop(t) })
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		ok := false
		for sc.Scan() {
			line := sc.Text()
			if kv, found := strings.CutPrefix(line, "export "); found {
				k, v, _ := strings.Cut(kv, "=")
				s.exports = append(s.exports, k+"="+strings.Trim(v, "'"))
			}
			if strings.HasPrefix(line, "# serving ") && !ok {
				ok = true
				ready <- true
			}
		}
		if !ok {
			ready <- false
		}
		s.done <- s.cmd.Wait()
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("serve ended before serving: %s", s.stderr)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("serve printed no exports")
	}
	return s
}

func (s *served) stop(t *testing.T) {
	if s.cmd.ProcessState != nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
		t.Error("serve ignored SIGTERM")
	}
}

func (s *served) env(k string) string {
	for _, kv := range s.exports {
		if v, ok := strings.CutPrefix(kv, k+"="); ok {
			return v
		}
	}
	return ""
}

func run(t *testing.T, env []string, dir string, name string, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

func must(t *testing.T, env []string, dir string, name string, args ...string) string {
	t.Helper()
	out, stderr, err := run(t, env, dir, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr)
	}
	return out
}

// TestServeLocksKeepsStateAndServesRegions runs the released command as a
// user does: serve in the background, a second serve on the same
// directory, a clone through an assumed role, a restart, and a repository
// created in another region cloned through the URL create prints.
func TestServeLocksKeepsStateAndServesRegions(t *testing.T) {
	bin := gittest.Binaries(t)
	root := t.TempDir()
	home, work, dir := filepath.Join(root, "home"), filepath.Join(root, "work"), filepath.Join(root, "repos")
	for _, d := range []string{home, work} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	base := baseEnv(bin, home)
	s1 := serve(t, base, dir)
	endpoint := s1.env("CODE_COMMIT_ENDPOINT")
	if endpoint == "" {
		t.Fatalf("no CODE_COMMIT_ENDPOINT in %v", s1.exports)
	}

	// Two serve on one directory: the second refuses in one line naming the first.
	_, stderr, err := run(t, base, work, "git", "codecommit", "serve", "--dir", dir)
	if err == nil || !strings.Contains(stderr, "https://"+endpoint) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("second serve: %v, stderr %q; want one line naming https://%s", err, stderr, endpoint)
	}

	// A clone and a push through the cached role.
	env := append(append([]string{}, base...), s1.exports...)
	clone := filepath.Join(work, "clone")
	must(t, env, work, "git", "clone", "-q", "codecommit://role@demo", clone)
	if err := os.WriteFile(filepath.Join(clone, "f"), []byte("one\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	must(t, env, clone, "git", "add", "f")
	must(t, env, clone, "git", "commit", "-q", "-m", "one")
	must(t, env, clone, "git", "push", "-q", "origin", "HEAD:main")
	cache := filepath.Join(home, ".aws", "cli", "cache")
	before := readDir(t, cache)
	if len(before) == 0 {
		t.Fatal("the role session was not cached")
	}

	// Restart: same endpoint, the clone and the cached role keep working.
	s1.stop(t)
	s2 := serve(t, base, dir)
	if got := s2.env("CODE_COMMIT_ENDPOINT"); got != endpoint {
		t.Errorf("restart moved the endpoint from %s to %s", endpoint, got)
	}
	env = append(append([]string{}, base...), s2.exports...)
	if err := os.WriteFile(filepath.Join(clone, "f"), []byte("two\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	must(t, env, clone, "git", "commit", "-q", "-am", "two")
	must(t, env, clone, "git", "push", "-q", "origin", "HEAD:main")
	must(t, env, clone, "git", "fetch", "-q")
	if after := readDir(t, cache); !equalMaps(before, after) {
		t.Errorf("the cached role session was replaced after the restart")
	}

	// A repository created in eu-west-1 is cloned through the printed URL.
	out := must(t, env, work, "git", "codecommit", "create", "x1", "--region", "eu-west-1")
	_, url, ok := strings.Cut(strings.TrimSpace(out), "git clone ")
	if !ok {
		t.Fatalf("create printed no clone command: %q", out)
	}
	must(t, env, work, "git", "clone", "-q", url, filepath.Join(work, "x1"))
	if _, err := os.Stat(filepath.Join(dir, "@eu-west-1", "x1", "HEAD")); err != nil {
		t.Errorf("x1 is not kept in eu-west-1: %v", err)
	}
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err == nil {
			m[e.Name()] = string(b)
		}
	}
	return m
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
