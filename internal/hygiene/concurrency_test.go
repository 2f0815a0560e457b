package hygiene_test

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/credcache"
	"github.com/gitcodecommit/git-codecommit/internal/credfile"
	"github.com/gitcodecommit/git-codecommit/internal/gittest"
)

// TestParallelRoleCommands: 16 git commands at once on an assumed-role
// profile agree on one AssumeRole through the cache lock and leave only
// complete cache entries (and lock files) behind.
func TestParallelRoleCommands(t *testing.T) {
	t.Parallel() // its own HOME, server and temporary directories
	e := gittest.New(t)
	seedRepo(t, e, 1)
	var wg sync.WaitGroup
	results := make([]gittest.Result, 16)
	for i := range results {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = e.Git("ls-remote", "codecommit://role@demo") }()
	}
	wg.Wait()
	for _, r := range results {
		r.Must()
	}
	if n := len(readCache(t, e)); n != 1 {
		t.Errorf("%d cache entries, want 1", n)
	}
	if n := e.Server.STSCalls()["AssumeRole"]; n != 1 {
		t.Errorf("%d AssumeRole calls, want 1", n)
	}
	for _, f := range tempFiles(t, e.Home) {
		t.Errorf("temporary file left: %s", f)
	}
}

const baseCredentials = "# keep me\n[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s\n\n[other]\naws_access_key_id=AKIAOTHER\n"

// writerValues are the values writer i gives profile "mfa" in iteration n:
// every key carries both numbers, so a mix of two writes shows.
func writerValues(i, n int) [][2]string {
	tag := fmt.Sprintf("w%dn%d", i, n)
	return [][2]string{{"aws_access_key_id", "ASIA" + tag}, {"aws_secret_access_key", "secret-" + tag}, {"aws_session_token", "token-" + tag}}
}

// checkCredentials parses the credentials file as the AWS readers do and
// fails unless it is whole: every line is blank, a comment, a header or a
// key, the original profiles are intact, and "mfa" holds one write's values.
func checkCredentials(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if !strings.HasPrefix(text, baseCredentials) || !strings.HasSuffix(text, "\n") {
		t.Fatalf("credentials file lost its content or ends mid-line:\n%s", text)
	}
	sections := map[string]map[string]string{}
	cur := ""
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			cur = l[1 : len(l)-1]
			if sections[cur] != nil {
				t.Fatalf("section %s twice:\n%s", cur, text)
			}
			sections[cur] = map[string]string{}
		default:
			k, v, ok := strings.Cut(l, "=")
			if !ok || cur == "" {
				t.Fatalf("partial or stray line %q:\n%s", l, text)
			}
			sections[cur][strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	m := sections["mfa"]
	tag := strings.TrimPrefix(m["aws_access_key_id"], "ASIA")
	if len(m) != 3 || m["aws_secret_access_key"] != "secret-"+tag || m["aws_session_token"] != "token-"+tag {
		t.Fatalf("profile mfa mixes writes: %q", m)
	}
}

// TestConcurrentCredentialWriters: 16 writers updating the same profile at
// once leave a whole file holding exactly one writer's values.
func TestConcurrentCredentialWriters(t *testing.T) {
	t.Parallel() // its own HOME, server and temporary directories
	path := filepath.Join(t.TempDir(), ".aws", "credentials")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(baseCredentials), 0o600); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16*20)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range 20 {
				errs <- credfile.SetProfile(context.Background(), path, "mfa", writerValues(i, n))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	checkCredentials(t, path)
	for _, f := range tempFiles(t, filepath.Dir(path)) {
		t.Errorf("temporary file left: %s", f)
	}
}

var killKey = credcache.Key{RoleARN: "arn:aws:iam::111122223333:role/kill"}

// TestMain runs the looping writer when the test binary is re-executed as
// one (see TestKilledWriter), and otherwise the tests, through the harness
// (which builds the binaries once and removes them at the end).
func TestMain(m *testing.M) {
	if dir := os.Getenv("HYGIENE_WRITER_DIR"); dir != "" {
		loopWriter(dir)
		return
	}
	gittest.Main(m)
}

// loopWriter rewrites the credentials file and, under the cache lock, a
// cache entry, forever, printing a line after each round.
func loopWriter(dir string) {
	c := &credcache.Cache{Dir: filepath.Join(dir, "cache"), Now: time.Now}
	for n := 0; ; n++ {
		if err := credfile.SetProfile(context.Background(), filepath.Join(dir, "credentials"), "mfa", writerValues(os.Getpid(), n)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		// Entries expire within the reuse margin: every call locks and writes.
		_, _, err := c.GetOrFetch(context.Background(), killKey, func(context.Context) (credcache.Credentials, error) {
			return credcache.Credentials{AccessKeyID: "ASIA1", SecretAccessKey: "s", SessionToken: fmt.Sprint("t", n), Expiration: time.Now().Add(time.Minute)}, nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("ok")
	}
}

// TestKilledWriter kills (SIGKILL on Unix, TerminateProcess on Windows) a
// process rewriting the credentials file and a cache entry in a loop, at
// varying points: the files it leaves are whole and its lock does not block
// the next run.
func TestKilledWriter(t *testing.T) {
	t.Parallel() // its own HOME, server and temporary directories
	dir := t.TempDir()
	cred := filepath.Join(dir, "credentials")
	if err := os.WriteFile(cred, []byte(baseCredentials), 0o600); err != nil {
		t.Fatal(err)
	}
	credfile.SetProfile(context.Background(), cred, "mfa", writerValues(0, 0))
	c := &credcache.Cache{Dir: filepath.Join(dir, "cache"), Now: time.Now, Margin: time.Second, LockWait: time.Minute}
	for round := range 12 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "HYGIENE_WRITER_DIR="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for range 1 + round*3 {
			if !sc.Scan() {
				t.Fatalf("writer stopped: %v\n%s", cmd.Wait(), stderr.String())
			}
		}
		cmd.Process.Kill()
		cmd.Wait()

		checkCredentials(t, cred)
		if _, err := os.Stat(filepath.Join(c.Dir, killKey.FileName())); err == nil {
			if _, ok := c.Get(killKey); !ok {
				t.Fatalf("round %d: cache entry unreadable after the kill", round)
			}
		}
		// A stale lock would make this wait LockWait and fail.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		_, _, err = c.GetOrFetch(ctx, credcache.Key{RoleARN: killKey.RoleARN}, func(context.Context) (credcache.Credentials, error) {
			return credcache.Credentials{AccessKeyID: "ASIA2", SecretAccessKey: "s", SessionToken: "t", Expiration: time.Now().Add(time.Hour)}, nil
		})
		cancel()
		if err != nil {
			t.Fatalf("round %d: the next run after the kill: %v", round, err)
		}
		os.Remove(filepath.Join(c.Dir, killKey.FileName())) // the writer's next run fetches again
	}
}

// tempFiles lists the temporary files our programs write (credcache's and
// credfile's ".NAME.tmp-*") under root.
func tempFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.Contains(d.Name(), ".tmp-") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
