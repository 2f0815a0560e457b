// Command bench measures what the toolset's helpers add to a git command,
// and at what memory. It builds the commands, starts the local
// CodeCommit-compatible endpoint in-process (package localserver) with a
// fresh HOME, and times real git against it: the same git command with
// credentials signed beforehand (the floor) and through each helper, run in
// alternating rounds, medians reported. It prints one markdown table, the
// machine, and a PASS/MISS line per budget. Nothing leaves 127.0.0.1.
//
//	go run ./bench [-rounds N] [-clone-rounds N] [-size MB] [-quick] [-bin DIR] [-git PREFIX] [-only GROUP,...]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/localserver"
	"github.com/gitcodecommit/git-codecommit/internal/sigv4"
)

type options struct {
	rounds      int
	cloneRounds int
	sizeMB      int
	quick       bool
	bin         string
	git         string // install prefix of a second git, for its own rows
	only        string // comma-separated groups to measure; "" is all
}

// helperRounds is the rounds of the helper-process rows: four times the
// fast rows', since a run takes milliseconds and the 3,000-profile budget
// is a difference of about a millisecond between two of them.
func (o options) helperRounds() int { return 4 * o.rounds }

func main() {
	var o options
	flag.IntVar(&o.rounds, "rounds", 21, "rounds of the fast rows (ls-remote; the helper-process rows run four times as many)")
	flag.IntVar(&o.cloneRounds, "clone-rounds", 3, "rounds of the clone rows")
	flag.IntVar(&o.sizeMB, "size", 50, "size of the generated repository in MB (random, incompressible)")
	flag.BoolVar(&o.quick, "quick", false, "a quick look: 5 rounds, 1 clone round, a 10 MB repository")
	flag.StringVar(&o.bin, "bin", "", "directory holding the built commands (default: build them, CGO_ENABLED=0 -trimpath, into a temporary directory)")
	flag.StringVar(&o.git, "git", "", "install `prefix` of a second git (2.46 or later: scripts/build-git.sh 2.47.3) whose https rows are measured against its own floor")
	flag.StringVar(&o.only, "only", "", "measure only these `groups` (comma-separated: ls-remote, helper, clone, nocreds, git2), e.g. to repeat a few rows on a busy machine")
	flag.Parse()
	if o.quick {
		o.rounds, o.cloneRounds, o.sizeMB = 5, 1, 10
	}
	if o.rounds < 1 || o.cloneRounds < 1 || o.sizeMB < 1 {
		fmt.Fprintln(os.Stderr, "bench: -rounds, -clone-rounds and -size must be at least 1")
		os.Exit(2)
	}
	// SIGTERM as SIGINT: the deferred clean-ups remove the temporary
	// directory and stop the endpoint.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, o, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// bench is the environment the commands run in.
type bench struct {
	srv     *localserver.Server
	user    localserver.User
	root    string
	home    string // HOME with the server's AWS files
	work    string // working directory of the commands
	bin     string // the toolset's commands
	stub    string // a directory holding a stand-in git (see writeStub)
	spawner string // the measuring parent, bench/spawn
	env     []string
	gitV    string // `git version` output
	cache   string // the assumed-role cache under home
	git2    string // the second git (-git), or ""
	git2V   string // its `git version` output
}

func run(ctx context.Context, o options, out io.Writer) error {
	root, err := os.MkdirTemp("", "codecommit-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	b := &bench{root: root, home: filepath.Join(root, "home"), work: filepath.Join(root, "work"), stub: filepath.Join(root, "stub")}
	b.cache = filepath.Join(b.home, ".aws", "cli", "cache")
	for _, d := range []string{b.home, b.work, b.stub} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	b.bin = o.bin
	if o.git != "" {
		b.git2 = filepath.Join(o.git, "bin", exe("git"))
		v, err := execCommand(ctx, b.git2, "version").Output()
		if err != nil {
			return fmt.Errorf("-git %s: %s version: %w", o.git, b.git2, err)
		}
		b.git2V = strings.TrimSpace(string(v))
	}
	fmt.Fprintln(os.Stderr, "bench: building")
	if b.bin == "" {
		b.bin = filepath.Join(root, "bin")
		if err := build(ctx, b.bin, "./cmd/..."); err != nil {
			return err
		}
	} else if b.bin, err = filepath.Abs(b.bin); err != nil {
		return err
	}
	if err := build(ctx, filepath.Join(root, "spawn"), "./bench/spawn"); err != nil {
		return err
	}
	b.spawner = filepath.Join(root, "spawn", exe("spawn"))
	if _, err := os.Stat(filepath.Join(b.bin, exe("git-remote-codecommit"))); err != nil {
		return fmt.Errorf("no git-remote-codecommit in %s: %w", b.bin, err)
	}

	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	b.srv, err = localserver.Start(sctx, localserver.Config{Dir: filepath.Join(root, "repos"), Repos: []string{"demo", "big"}, CertDir: filepath.Join(root, "cert")})
	if err != nil {
		return err
	}
	defer b.srv.Close()
	b.user = b.srv.Users()[0]
	if _, _, err := b.srv.WriteAWSFiles(filepath.Join(b.home, ".aws")); err != nil {
		return err
	}
	b.env = b.environ(b.home, os.Getenv("PATH"))
	b.env = append(b.env, "AWS_EC2_METADATA_DISABLED=true")
	if err := b.prepare(ctx, o.sizeMB); err != nil {
		return err
	}

	blackhole, err := listenBlackhole()
	if err != nil {
		return err
	}
	defer blackhole.Close()

	t := b.plan(ctx, blackhole.Addr().String())
	fmt.Fprintf(os.Stderr, "bench: measuring (%d rounds, %d clone rounds)\n", o.rounds, o.cloneRounds)
	t.loadStart = loadAvg()
	only := map[string]bool{}
	for _, g := range strings.Split(o.only, ",") {
		if g != "" {
			only[g] = true
		}
	}
	for name := range only {
		if !slices.ContainsFunc(t.groups, func(g group) bool { return g.name == name }) {
			return fmt.Errorf("-only: no group %q here (ls-remote, helper, clone, nocreds; git2 with -git)", name)
		}
	}
	for _, g := range t.groups {
		if len(only) > 0 && !only[g.name] {
			continue
		}
		rounds := o.rounds
		switch g.name {
		case "clone":
			rounds = o.cloneRounds
		case "nocreds":
			rounds = min(o.rounds, 5)
		case "helper":
			rounds = o.helperRounds()
		}
		if err := b.alternate(ctx, rounds, g.rows); err != nil {
			return err
		}
	}
	t.loadEnd = loadAvg()
	t.print(out, machine(ctx), o, b.helperMissing(), b.rssFloor(ctx))
	return nil
}

// build compiles pkgs into dir as the commands ship: static, trimmed paths.
func build(ctx context.Context, dir, pkgs string) error {
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("run from the module root (make bench)")
	}
	cmd := execCommand(ctx, "go", "build", "-trimpath", "-o", dir+string(filepath.Separator), pkgs)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	return nil
}

// environ is an environment built from scratch, as git sees it in the
// tests: no system git config, no prompts, nothing of the caller's AWS
// settings, and the local endpoint's CA and host.
func (b *bench) environ(home, path string) []string {
	return []string{
		"PATH=" + b.bin + string(os.PathListSeparator) + path,
		"HOME=" + home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=Bench", "GIT_AUTHOR_EMAIL=bench@example.invalid",
		"GIT_COMMITTER_NAME=Bench", "GIT_COMMITTER_EMAIL=bench@example.invalid",
		"CODE_COMMIT_ENDPOINT=" + b.srv.Host(),
		"GIT_SSL_CAINFO=" + b.srv.CAFile(),
		"AWS_CA_BUNDLE=" + b.srv.CAFile(),
		"AWS_ENDPOINT_URL_STS=" + b.srv.URL(),
		"AWS_ENDPOINT_URL_CODECOMMIT=" + b.srv.URL(),
		"LANG=C",
	}
}

// signedURL is the https URL of repo with a GIT-rule signature in it, made
// here so that git needs no helper: the floor.
func (b *bench) signedURL(repo string) string {
	s := b.sign(repo)
	return "https://" + sigv4.QuoteUsername(s.Username) + ":" + s.Password + "@" + b.srv.Host() + "/v1/repos/" + repo
}

// sign is the GIT-rule signature of repo's path, made now.
func (b *bench) sign(repo string) sigv4.Signed {
	return sigv4.Sign(sigv4.Credentials{AccessKeyID: b.user.AccessKeyID, SecretAccessKey: b.user.SecretAccessKey},
		sigv4.Request{Region: b.srv.Region(), Host: b.srv.Host(), Path: "/v1/repos/" + repo}, time.Now())
}

func (b *bench) httpsURL(repo string) string { return "https://" + b.srv.Host() + "/v1/repos/" + repo }

// prepare gives "demo" one commit, generates "big" (sizeMB of random
// blobs, pushed with signed-beforehand credentials), and writes the stand-in
// git.
func (b *bench) prepare(ctx context.Context, sizeMB int) error {
	v, err := execCommand(ctx, "git", "version").Output()
	if err != nil {
		return fmt.Errorf("git version: %w", err)
	}
	b.gitV = strings.TrimSpace(string(v))
	if err := b.must(ctx, b.work, "git", "config", "--global", "init.defaultBranch", "main"); err != nil {
		return err
	}
	demo := filepath.Join(b.root, "gen-demo")
	if err := b.must(ctx, b.root, "git", "init", "-q", demo); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(demo, "README"), []byte("demo\n"), 0o644); err != nil {
		return err
	}
	for _, args := range [][]string{{"add", "README"}, {"commit", "-q", "-m", "demo"}, {"push", "-q", b.signedURL("demo"), "main"}} {
		if err := b.must(ctx, demo, "git", args...); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "bench: generating and pushing a %d MB repository\n", sizeMB)
	if err := b.generate(ctx, sizeMB); err != nil {
		return err
	}
	return b.writeStub()
}

// writeStub writes a stand-in git that answers `git version` like the real
// one and exits 0 on anything else (the exec of `git remote-https`): with it
// on PATH, git-remote-codecommit's run ends at the hand-off, so its wall
// time and peak RSS are the helper's own (plus two /bin/sh starts).
func (b *bench) writeStub() error {
	script := "#!/bin/sh\ntest \"$1\" = version && echo '" + b.gitV + "'\nexit 0\n"
	return os.WriteFile(filepath.Join(b.stub, "git"), []byte(script), 0o755)
}

// helperMissing says why the credential-helper rows are absent, or "".
func (b *bench) helperMissing() string {
	if b.hasCredHelper() {
		return ""
	}
	return "git-credential-codecommit is not built (no cmd/git-credential-codecommit yet): its rows are missing"
}

func (b *bench) hasCredHelper() bool {
	_, err := os.Stat(filepath.Join(b.bin, exe("git-credential-codecommit")))
	return err == nil
}

// warm fills the assumed-role cache if it is empty, untimed.
func (b *bench) warm(ctx context.Context) error {
	if ents, _ := os.ReadDir(b.cache); len(ents) > 0 {
		return nil
	}
	return b.must(ctx, b.work, "git", "ls-remote", "codecommit://role@demo")
}

// rssFloor is the peak RSS the spawner reports for `true`: no figure in
// the table can read lower.
func (b *bench) rssFloor(ctx context.Context) int64 {
	t, err := exec.LookPath("true")
	if err != nil {
		return 0
	}
	s, err := b.time(ctx, spec{name: t})
	if err != nil {
		return 0
	}
	return s.rssKB
}
