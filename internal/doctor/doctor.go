// Package doctor is `git codecommit doctor`: it finds why git cannot reach a
// CodeCommit repository (the "The requested URL returned error: 403" that
// every wrong step ends in) and says what to run to fix it.
//
// It runs an ordered list of checks over one remote. Each check reports a
// status, the evidence it saw and, when it fails or warns, the exact fix. A
// check whose prerequisite failed (or was skipped) is skipped, so the first
// failing check names the cause. The network requests it makes are exactly:
// DNS, TCP and TLS to the git endpoint; STS GetCallerIdentity; CodeCommit
// GetRepository (and ListRepositories when the repository is missing, to
// suggest a name in another case); an unsigned GET of
// /v1/repos/REPO/info/refs?service=git-upload-pack for the server's Date
// header; and signed GETs of info/refs for git-upload-pack (pull) and
// git-receive-pack (push). It never prints a secret: access keys appear as
// ****LAST4 and stored passwords are never read out.
//
// Checks, in order, with their stable ids: git (git and our helpers on
// PATH), url (the remote and its URL), profile (profile, region, endpoint
// and why), credentials, identity (STS), endpoint (DNS, TCP, TLS), proxy,
// clock, repository, pull, push, credential-helpers, use-http-path,
// submodules, stored-password, git-credentials (Git credentials stored for
// the host, checked against IAM: gitcredentials.go). ssh:// remotes get
// url, profile, credentials, identity, then ssh-config, ssh-key,
// identity-file, ssh-port, host-key and ssh-probe (ssh.go).
//
// With --json it prints one JSON object, schema version 1:
//
//	{
//	  "version": 1,
//	  "target": {"remote": "origin", "url": "codecommit://demo", "kind": "codecommit"|"https",
//	             "repository": "demo", "profile": "default", "region": "us-east-1", "host": "git-codecommit.us-east-1.amazonaws.com"},
//	  "checks": [{"id": "credentials", "title": "credentials", "status": "ok"|"warn"|"fail"|"skip",
//	              "evidence": "…", "fix": "…"}],
//	  "ok": true
//	}
//
// Fields are only ever added to this schema; "fix" is omitted when empty, as
// are the target fields not known (for example when no remote was found).
// "ok" is false exactly when a check failed, and then the exit status is 1.
package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/awscreds/repoapi"
	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/gitexec"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Status is a check's outcome.
type Status string

// The statuses.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Check is one check's result.
type Check struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Status   Status `json:"status"`
	Evidence string `json:"evidence"`
	Fix      string `json:"fix,omitempty"`
}

// Target is the remote being diagnosed.
type Target struct {
	Remote     string `json:"remote,omitempty"`
	URL        string `json:"url,omitempty"`
	Kind       string `json:"kind,omitempty"` // "codecommit" or "https"
	Repository string `json:"repository,omitempty"`
	Profile    string `json:"profile,omitempty"`
	Region     string `json:"region,omitempty"`
	Host       string `json:"host,omitempty"`
}

// Report is the whole diagnosis.
type Report struct {
	Version int     `json:"version"`
	Target  Target  `json:"target"`
	Checks  []Check `json:"checks"`
	OK      bool    `json:"ok"`
}

// SchemaVersion is Report.Version.
const SchemaVersion = 1

// Options are the command line of git codecommit doctor.
type Options struct {
	Arg     string // REMOTE or URL; "" for origin or the only CodeCommit remote
	Profile string // --profile
	Region  string // --region
	JSON    bool
}

// Timeouts of the network checks.
const (
	netTimeout = 10 * time.Second
	apiTimeout = 20 * time.Second
)

// MaxSkew is the clock difference above which the clock check fails.
const MaxSkew = 5 * time.Minute

// doctor is the state shared by the checks.
type doctor struct {
	p   *proc.Proc
	o   Options
	tr  *trace.Tracer
	git gitexec.Exec

	target   Target
	remote   parsedRemote
	res      *awscreds.Result
	ep       endpoint.Endpoint
	host     string // host[:port] git connects to
	identity awscreds.Identity
	repo     repoapi.Repository
	repoOK   bool
	client   *http.Client
	caSource string
	chain    []helper // effective credential helpers for an https remote
	// git's credential helper lines, once read (helperLines)
	helperLinesCache []gitexec.KV
	helperLinesRead  bool
	ssh              *sshState // an ssh:// remote's (ssh.go)
}

// step is one check: what it needs and how it runs.
type step struct {
	id, title string
	needs     []string
	run       func(ctx context.Context) result
}

// result is what a check's run returns.
type result struct {
	status        Status
	evidence, fix string
}

func ok(format string, args ...any) result {
	return result{status: OK, evidence: fmt.Sprintf(format, args...)}
}
func warn(evidence, fix string) result { return result{status: Warn, evidence: evidence, fix: fix} }
func fail(evidence, fix string) result { return result{status: Fail, evidence: evidence, fix: fix} }

// fromError turns an error into a failing result: its message and its hint.
func fromError(err error) result {
	// doctor never suggests itself as the fix: failure.Fix leaves the
	// suggestion to run it out.
	h := failure.OneLine(failure.Fix(err))
	if h == "" && failure.Hint(err) != "" {
		h = "see the cause above"
	}
	return fail(failure.OneLine(err.Error()), h)
}

// Diagnose runs the checks and returns the report.
func Diagnose(ctx context.Context, p *proc.Proc, o Options) *Report {
	d := &doctor{p: p, o: o, git: gitexec.Exec{Proc: p}}
	d.tr = trace.New(p.Getenv(trace.EnvVar), p.Stderr, p.Now, "git-codecommit doctor")
	defer d.tr.Close()
	steps := []step{
		{"git", "git and helpers", nil, d.checkGit},
		{"url", "remote URL", nil, d.checkURL},
		{"profile", "profile, region and endpoint", []string{"url"}, d.checkProfile},
		{"credentials", "credentials", []string{"profile"}, d.checkCredentials},
		{"identity", "caller identity (STS)", []string{"credentials"}, d.checkIdentity},
		{"endpoint", "endpoint (DNS, TCP, TLS)", []string{"profile"}, d.checkEndpoint},
		{"proxy", "proxy settings", []string{"profile"}, d.checkProxy},
		{"clock", "clock skew", []string{"endpoint"}, d.checkClock},
		{"repository", "repository", []string{"identity"}, d.checkRepository},
		{"pull", "pull permission (codecommit:GitPull)", []string{"identity", "clock", "repository"}, d.checkPull},
		{"push", "push permission (codecommit:GitPush)", []string{"pull"}, d.checkPush},
		{"credential-helpers", "credential helpers", []string{"git", "profile"}, d.checkHelpers},
		{"use-http-path", "credential.UseHttpPath", []string{"git", "profile"}, d.checkUseHTTPPath},
		{"submodules", "protocol.codecommit.allow", []string{"git"}, d.checkSubmodules},
		{"stored-password", "stored passwords", []string{"profile"}, d.checkStoredPassword},
		{"git-credentials", "stored Git credentials (IAM)", []string{"identity", "endpoint"}, d.checkGitCredentials},
	}
	rep := &Report{Version: SchemaVersion, OK: true}
	status := map[string]Status{}
	titles := map[string]string{}
	for i := 0; i < len(steps); i++ {
		s := steps[i]
		titles[s.id] = s.title
		var r result
		for _, n := range s.needs {
			if status[n] == Fail || status[n] == Skip {
				r = result{status: Skip, evidence: "not checked: " + titles[n] + " did not pass"}
				break
			}
		}
		if r.status == "" {
			r = s.run(ctx)
			d.tr.Printf("check %s: %s: %s", s.id, r.status, r.evidence)
		}
		status[s.id] = r.status
		if r.status == Fail {
			rep.OK = false
		}
		rep.Checks = append(rep.Checks, Check{ID: s.id, Title: s.title, Status: r.status, Evidence: r.evidence, Fix: r.fix})
		if s.id == "url" && d.remote.kind == kindSSH {
			steps = append(steps[:i+1], d.sshSteps()...)
		}
	}
	rep.Target = d.target
	return rep
}

// Run is git codecommit doctor: it prints the report and returns exit
// status 1 (as failure.ExitStatus) when a check failed.
func Run(ctx context.Context, p *proc.Proc, o Options) error {
	rep := Diagnose(ctx, p, o)
	var err error
	if o.JSON {
		err = rep.WriteJSON(p.Stdout)
	} else {
		err = rep.writeText(p.Stdout, useColor(p))
	}
	if err != nil {
		return err
	}
	if !rep.OK {
		return failure.ExitStatus(failure.Failed)
	}
	return nil
}

// WriteJSON writes the report as one indented JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// First returns the first failing check, or nil.
func (r *Report) First() *Check {
	for i := range r.Checks {
		if r.Checks[i].Status == Fail {
			return &r.Checks[i]
		}
	}
	return nil
}

// useColor reports whether the text report is coloured: only on a
// terminal, never with NO_COLOR set (no-color.org) or TERM=dumb.
func useColor(p *proc.Proc) bool {
	if p.Getenv("NO_COLOR") != "" || p.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := p.Stdout.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// statusColor is each status label's SGR colour.
var statusColor = map[string]string{"ok": "32", "WARN": "33", "FAIL": "1;31", "skip": "2"}

// WriteText writes the report for a person: one line a check, the fix
// under a failing or warning one, and the cause and fix at the end.
func (r *Report) WriteText(w io.Writer) error { return r.writeText(w, false) }

// writeText is WriteText, with coloured status labels when color is set.
func (r *Report) writeText(w io.Writer, color bool) error {
	var b strings.Builder
	t := r.Target
	switch {
	case t.Remote != "":
		fmt.Fprintf(&b, "git codecommit doctor: remote %s (%s)\n\n", t.Remote, t.URL)
	case t.URL != "":
		fmt.Fprintf(&b, "git codecommit doctor: %s\n\n", t.URL)
	default:
		b.WriteString("git codecommit doctor\n\n")
	}
	for _, c := range r.Checks {
		label := map[Status]string{OK: "ok", Warn: "WARN", Fail: "FAIL", Skip: "skip"}[c.Status]
		fmt.Fprintf(&b, "%-4s  %-18s %s\n", label, c.ID, c.Evidence)
		if c.Fix != "" && (c.Status == Fail || c.Status == Warn) {
			fmt.Fprintf(&b, "      %-18s fix: %s\n", "", c.Fix)
		}
	}
	if c := r.First(); c != nil {
		fmt.Fprintf(&b, "\ncause: %s\n", c.Evidence)
		if c.Fix != "" {
			fmt.Fprintf(&b, "fix:   %s\n", c.Fix)
		}
	} else {
		b.WriteString("\nno problem found\n")
	}
	text := escapeLines(b.String())
	if color {
		lines := strings.SplitAfter(text, "\n")
		for i, l := range lines {
			if len(l) < 6 || l[4:6] != "  " {
				continue
			}
			if c := statusColor[strings.TrimSpace(l[:4])]; c != "" {
				lines[i] = "\x1b[" + c + "m" + l[:4] + "\x1b[0m" + l[4:]
			}
		}
		text = strings.Join(lines, "")
	}
	_, err := io.WriteString(w, text)
	return err
}

// escapeLines escapes control characters within each line of a report: its
// evidence quotes names from the environment, files and servers.
func escapeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = failure.Escape(l)
	}
	return strings.Join(lines, "\n")
}
