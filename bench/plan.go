package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/gitconfig"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
)

// group is a set of rows that alternate within each round.
type group struct {
	name string
	rows []*variant
}

// table is every row, by role, in the order printed.
type table struct {
	groups []group

	floor, dev, roleCold, roleWarm, credLs *variant
	cloneFloor, cloneCC                    *variant
	remoteHTTPS, rhFull, rhStub, rhRole    *variant
	credGet, credGetCA, credGetBig         *variant
	noCreds, noCredsCred                   *variant
	// The second git's rows (-git): its floor, and https through the
	// credential helper with and without http.proactiveAuth.
	floor2, credLs2, credLs2NoAuth, credLs2Bound *variant
	// The same by the name form earlier versions' setup wrote
	// ("codecommit …": git runs `git credential-codecommit`).
	credLs2Name *variant
	// The load averages (1, 5, 15 minutes) when measuring began and ended.
	loadStart, loadEnd string
}

const capabilities = "capabilities\n\n"

// plan builds the rows. metadata is the address of a metadata service that
// never answers.
func (b *bench) plan(ctx context.Context, metadata string) *table {
	t := &table{}
	git := func(args ...string) func() (spec, error) {
		return func() (spec, error) { return spec{name: "git", args: args}, nil }
	}
	rh := filepath.Join(b.bin, exe("git-remote-codecommit"))
	ch := filepath.Join(b.bin, exe("git-credential-codecommit"))
	stubEnv := append(append([]string(nil), b.env...), "PATH="+b.stub+string(os.PathListSeparator)+b.bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	// The helper line `git codecommit setup` writes for the programs in
	// b.bin (gitconfig: by the helper's absolute path, so git starts it
	// without a `git credential-codecommit` wrapper), with the profile and
	// region of the local endpoint.
	installed := gitconfig.HelperPath(&proc.Proc{Self: filepath.Join(b.bin, exe("git-codecommit")), Environ: []string{"PATH=" + b.bin + string(os.PathListSeparator) + os.Getenv("PATH")}})
	helperLine := gitconfig.Helper{Path: installed, Profile: "dev", Region: b.srv.Region()}.String()
	helperCfg := func(helper string) []string {
		key := "credential.https://" + b.srv.Host()
		return []string{"-c", key + ".useHttpPath=true", "-c", key + ".helper=", "-c", key + ".helper=" + helper}
	}
	credRequest := "protocol=https\nhost=" + b.srv.Host() + "\npath=v1/repos/demo\n\n"

	// git ls-remote: the floor and the same command through each helper.
	t.floor = &variant{label: "`git ls-remote https://KEY:SIG@HOST/v1/repos/demo`, signed beforehand (**floor**)",
		cmd: func() (spec, error) { return spec{name: "git", args: []string{"ls-remote", b.signedURL("demo")}}, nil }}
	t.dev = &variant{label: "`git ls-remote codecommit://dev@demo` (static keys)", cmd: git("ls-remote", "codecommit://dev@demo")}
	t.roleCold = &variant{label: "`git ls-remote codecommit://role@demo` (assume role, cache cold)",
		prepare: removeAll(b.cache), cmd: git("ls-remote", "codecommit://role@demo")}
	t.roleWarm = &variant{label: "`git ls-remote codecommit://role@demo` (assume role, cache warm)",
		prepare: func() error { return b.warm(ctx) }, cmd: git("ls-remote", "codecommit://role@demo")}
	ls := []*variant{t.floor, t.dev, t.roleCold, t.roleWarm}
	if b.hasCredHelper() {
		t.credLs = &variant{label: "`git ls-remote https://HOST/v1/repos/demo` via `git-credential-codecommit` (static keys)",
			cmd: git(append(helperCfg(helperLine), "ls-remote", b.httpsURL("demo"))...)}
		ls = append(ls, t.credLs)
	}

	// git clone of the generated repository.
	plainDir, ccDir := filepath.Join(b.work, "clone-plain"), filepath.Join(b.work, "clone-cc")
	t.cloneFloor = &variant{label: "`git clone` https, signed beforehand (**clone floor**)", prepare: removeAll(plainDir),
		cmd: func() (spec, error) {
			return spec{name: "git", args: []string{"clone", "-q", b.signedURL("big"), plainDir}}, nil
		}}
	t.cloneCC = &variant{label: "`git clone codecommit://dev@big`", prepare: removeAll(ccDir), cmd: git("clone", "-q", "codecommit://dev@big", ccDir)}

	// The helper processes on their own.
	t.remoteHTTPS = &variant{label: "`git remote-https` alone, capabilities only (no helper)",
		cmd: func() (spec, error) {
			return spec{name: "git", args: []string{"remote-https", "origin", b.httpsURL("demo")}, stdin: capabilities}, nil
		}}
	t.rhFull = &variant{label: "`git-remote-codecommit` dev, capabilities only (helper + exec'd `git remote-https`)",
		cmd: func() (spec, error) {
			return spec{name: rh, args: []string{"origin", "codecommit://dev@demo"}, stdin: capabilities}, nil
		}}
	t.rhStub = &variant{label: "`git-remote-codecommit` dev, up to the exec (stand-in git)",
		cmd: func() (spec, error) {
			return spec{name: rh, args: []string{"origin", "codecommit://dev@demo"}, env: stubEnv}, nil
		}}
	t.rhRole = &variant{label: "`git-remote-codecommit` role, cache warm, up to the exec (stand-in git)",
		prepare: func() error { return b.warm(ctx) },
		cmd: func() (spec, error) {
			return spec{name: rh, args: []string{"origin", "codecommit://role@demo"}, env: stubEnv}, nil
		}}
	helpers := []*variant{t.remoteHTTPS, t.rhFull, t.rhStub, t.rhRole}
	if b.hasCredHelper() {
		t.credGet = &variant{label: "`git-credential-codecommit --profile dev get` alone",
			cmd: func() (spec, error) {
				return spec{name: ch, args: []string{"--profile", "dev", "--region", b.srv.Region(), "get"}, stdin: credRequest}, nil
			}}
		helpers = append(helpers, t.credGet)
		if bigEnv, err := b.bigConfigEnv(); err == nil {
			t.credGetBig = &variant{label: "`git-credential-codecommit --profile dev get` alone, 3,000-profile ~/.aws/config",
				cmd: func() (spec, error) {
					return spec{name: ch, args: []string{"--profile", "dev", "--region", b.srv.Region(), "get"}, stdin: credRequest, env: bigEnv}, nil
				}}
			helpers = append(helpers, t.credGetBig)
		}
		if bundle := systemCABundle(); bundle != "" {
			caEnv := append(append([]string(nil), b.env...), "AWS_CA_BUNDLE="+bundle)
			t.credGetCA = &variant{label: "`git-credential-codecommit --profile dev get` alone, AWS_CA_BUNDLE=" + bundle,
				cmd: func() (spec, error) {
					return spec{name: ch, args: []string{"--profile", "dev", "--region", b.srv.Region(), "get"}, stdin: credRequest, env: caEnv}, nil
				}}
			helpers = append(helpers, t.credGetCA)
		}
	}

	// No credentials anywhere: empty HOME, metadata service that hangs.
	empty := filepath.Join(b.root, "empty-home")
	_ = os.MkdirAll(empty, 0o700)
	noEnv := append(b.environ(empty, os.Getenv("PATH")), "AWS_EC2_METADATA_SERVICE_ENDPOINT=http://"+metadata)
	t.noCreds = &variant{label: "`git ls-remote codecommit::us-east-1://demo`, no credentials, metadata service hangs (fails)",
		cmd: func() (spec, error) {
			return spec{name: "git", args: []string{"ls-remote", "codecommit::us-east-1://demo"}, env: noEnv, fail: true}, nil
		}}
	nocreds := []*variant{t.noCreds}
	if b.hasCredHelper() {
		t.noCredsCred = &variant{label: "`git-credential-codecommit get` alone, no credentials, metadata service hangs (fails)",
			cmd: func() (spec, error) {
				return spec{name: ch, args: []string{"--region", b.srv.Region(), "get"}, stdin: credRequest, env: noEnv, fail: true}, nil
			}}
		nocreds = append(nocreds, t.noCredsCred)
	}

	for _, v := range append(append(append([]*variant(nil), ls...), helpers...), nocreds...) {
		v.ref = t.floor
	}
	t.cloneFloor.ref, t.cloneCC.ref = t.cloneFloor, t.cloneFloor
	t.groups = []group{{"ls-remote", ls}, {"helper", helpers}, {"clone", []*variant{t.cloneFloor, t.cloneCC}}, {"nocreds", nocreds}}
	if b.git2 != "" && b.hasCredHelper() {
		t.groups = append(t.groups, group{"git2", b.planGit2(t, helperCfg, helperLine)})
	}
	return t
}

// planGit2 is the rows of the second git (-git): the same https ls-remote
// signed beforehand (its own floor) and through git-credential-codecommit,
// with http.proactiveAuth basic (what setup and clone --https write on git
// 2.46 and later) and without it; helperLine is the helper line setup
// writes, helperCfg the -c options that configure a helper line.
func (b *bench) planGit2(t *table, helperCfg func(string) []string, helperLine string) []*variant {
	helper := helperCfg(helperLine)
	v := strings.TrimPrefix(b.git2V, "git version ")
	env := append(append([]string(nil), b.env...), "PATH="+b.bin+string(os.PathListSeparator)+filepath.Dir(b.git2)+string(os.PathListSeparator)+os.Getenv("PATH"))
	git := func(args ...string) func() (spec, error) {
		return func() (spec, error) { return spec{name: b.git2, args: args, env: env}, nil }
	}
	// lsProactive is `git ls-remote` of the demo over https with cfg and
	// http.proactiveAuth basic.
	lsProactive := func(cfg []string) []string {
		return append(append(append([]string(nil), cfg...), "-c", "http.https://"+b.srv.Host()+".proactiveAuth=basic"), "ls-remote", b.httpsURL("demo"))
	}
	t.floor2 = &variant{label: "git " + v + ": `git ls-remote https://KEY:SIG@HOST/v1/repos/demo`, signed beforehand (**floor " + v + "**)",
		cmd: func() (spec, error) {
			return spec{name: b.git2, args: []string{"ls-remote", b.signedURL("demo")}, env: env}, nil
		}}
	t.credLs2 = &variant{label: "git " + v + ": `git ls-remote https://HOST/v1/repos/demo` via `git-credential-codecommit`, `http.proactiveAuth basic` (static keys)",
		cmd: git(lsProactive(helper)...)}
	t.credLs2NoAuth = &variant{label: "git " + v + ": the same without `http.proactiveAuth` (a 401 round trip)",
		cmd: git(append(append([]string(nil), helper...), "ls-remote", b.httpsURL("demo"))...)}
	// The least any credential helper can cost: a shell function that
	// prints a credential signed beforehand on get and does nothing on
	// store, so what it adds over the floor is git starting sh twice.
	t.credLs2Bound = &variant{label: "git " + v + ": the same through a shell-function helper that only prints a credential signed beforehand (`http.proactiveAuth basic`; **the least a credential helper git starts twice can cost**)",
		cmd: func() (spec, error) {
			s := b.sign("demo")
			fn := fmt.Sprintf("!f() { test \"$1\" = get && printf 'username=%%s\\npassword=%%s\\n' '%s' '%s'; }; f", s.Username, s.Password)
			return spec{name: b.git2, args: lsProactive(helperCfg(fn)), env: env}, nil
		}}
	nameLine := gitconfig.Helper{Profile: "dev", Region: b.srv.Region()}.String()
	t.credLs2Name = &variant{label: "git " + v + ": the same with the helper by name, `codecommit --profile dev …` (`http.proactiveAuth basic`; the line of earlier versions: git starts `git credential-codecommit`, which starts the helper)",
		cmd: git(lsProactive(helperCfg(nameLine))...)}
	rows := []*variant{t.floor2, t.credLs2, t.credLs2NoAuth, t.credLs2Bound}
	if helperLine != nameLine {
		rows = append(rows, t.credLs2Name) // only where setup writes a path
	}
	for _, r := range rows {
		r.ref = t.floor2
	}
	return rows
}

func (t *table) print(w io.Writer, mach string, o options, note string, rssFloor int64) {
	fmt.Fprintf(w, "Machine: %s\n\n", mach)
	fmt.Fprintf(w, "Load average (1, 5, 15 min): %s at the start, %s at the end.\n\n", t.loadStart, t.loadEnd)
	fmt.Fprintf(w, "Medians of %d alternating rounds (helper processes: %d rounds; clones: %d rounds, %d MB of random blobs); local endpoint in-process on 127.0.0.1 over TLS; commands built with CGO_ENABLED=0 -trimpath.\n\n", o.rounds, o.helperRounds(), o.cloneRounds, o.sizeMB)
	fmt.Fprintln(w, "| command | median | min | × floor | CPU | CPU × floor | peak RSS | STS calls/run |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, g := range append([]group{t.groups[0], t.groups[2], t.groups[1], t.groups[3]}, t.groups[4:]...) {
		for _, v := range g.rows {
			if len(v.samples) == 0 {
				continue // a group left out by -only
			}
			fmt.Fprintf(w, "| %s | %s | %s | %.2f | %s | %.2f | %s | %s |\n", v.label, ms(v.median()), ms(v.min()), ratio(v), ms(v.medianCPU()), cpuRatio(v), mb(v.peakRSS()), num(v.stsPerRun()))
		}
	}
	fmt.Fprintln(w)
	if note != "" {
		fmt.Fprintf(w, "Note: %s.\n\n", note)
	}
	fmt.Fprintf(w, "Peak RSS reads no lower than %s (the measuring parent running `true`).\n\n", mb(rssFloor))
	fmt.Fprintln(w, "Budgets:")
	for _, l := range t.budgets() {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, coverage)
}

// coverage says what each number covers.
const coverage = `What the numbers cover:
- median, min: wall time from fork to reaping, seen by the caller. × floor: median over the floor's median (the clone rows over the clone floor, every other row over the ls-remote floor).
- CPU: median user + system time of the process and every child it reaped (wait4), the local endpoint's own work not included; on a busy machine wall time mostly measures waiting for a core, CPU time hardly changes. CPU × floor: the same ratio on CPU time.
- peak RSS: ru_maxrss from wait4 in a small measuring parent (bench/spawn), the largest resident set of the process (across its exec) and of every child it reaped: for git commands the largest process of the tree, usually git remote-https or index-pack, not the helper.
- STS calls/run: requests the local STS endpoint received during the run, averaged.
- "up to the exec": git-remote-codecommit with a stand-in git on PATH (a /bin/sh script that exits on ` + "`git remote-https`" + `): parse, profile, credentials, signature, credential pipe and exec; includes one /bin/sh start of the stand-in.
- "capabilities only": the helper (or git remote-https alone) answering git's first remote-helper command and exiting, without network; the difference of the two rows is what the helper adds to every git transport process.
- No credentials: fresh HOME without ~/.aws, AWS_EC2_METADATA_SERVICE_ENDPOINT on a 127.0.0.1 listener that accepts and never answers. git exits without reaping the failed helper, so that git row's RSS is git's own.
- AWS_CA_BUNDLE row: the SDK parses the bundle at configuration load, even when no AWS API call follows.
`

func (t *table) budgets() []string {
	var out []string
	check := func(ok bool, format string, args ...any) {
		mark := "MISS"
		if ok {
			mark = "PASS"
		}
		out = append(out, "- "+mark+" "+fmt.Sprintf(format, args...))
	}
	// has: every row measured (-only may leave groups out).
	has := func(vs ...*variant) bool {
		for _, v := range vs {
			if v == nil || len(v.samples) == 0 {
				return false
			}
		}
		return true
	}
	if has(t.dev, t.floor) {
		over := float64(t.dev.median())/float64(t.floor.median()) - 1
		check(over <= 0.10, "codecommit:// ls-remote within 10 %% of the floor: %+.1f %% (%s vs %s)", over*100, ms(t.dev.median()), ms(t.floor.median()))
	}
	for _, v := range []*variant{t.rhStub, t.credGet} {
		if has(v) {
			check(v.median() < 10*time.Millisecond && v.peakRSS() < 20<<10, "helper process under 10 ms and 20 MB, static profile, %s: %s, %s", short(v.label), ms(v.median()), mb(v.peakRSS()))
		}
	}
	if has(t.credGet, t.credGetBig) {
		// Each round runs both rows: the median of the rounds' differences.
		extra := t.credGetBig.medianOver(t.credGet, func(s sample) time.Duration { return s.wall })
		cpu := t.credGetBig.medianOver(t.credGet, func(s sample) time.Duration { return s.cpu })
		check(extra < time.Millisecond, "a 3,000-profile ~/.aws/config costs the credential helper under 1 ms more: %+.2f ms (CPU %+.2f ms; medians of the rounds' differences)", float64(extra)/float64(time.Millisecond), float64(cpu)/float64(time.Millisecond))
	}
	for _, v := range []*variant{t.roleWarm, t.rhRole} {
		if has(v) {
			check(v.stsPerRun() == 0, "0 STS calls on a warm cache, %s: %s", short(v.label), num(v.stsPerRun()))
		}
	}
	for _, v := range []*variant{t.noCreds, t.noCredsCred} {
		if has(v) {
			check(v.median() < time.Second, "failure with no credentials under 1 s, %s: %s", short(v.label), ms(v.median()))
		}
	}
	if has(t.credLs2, t.floor2) {
		r := ratio(t.credLs2)
		check(r <= 1.05, "https through git-credential-codecommit with http.proactiveAuth within 1.05× its git's floor: %.2f× (%s vs %s; CPU %.2f×, %s vs %s)", r, ms(t.credLs2.median()), ms(t.floor2.median()),
			cpuRatio(t.credLs2), ms(t.credLs2.medianCPU()), ms(t.floor2.medianCPU()))
		if has(t.credLs2Bound) {
			out = append(out, fmt.Sprintf("  (the least any credential helper costs there, a shell function printing a credential signed beforehand: %.2f×, %s)", ratio(t.credLs2Bound), ms(t.credLs2Bound.median())))
		}
		if has(t.credLs2Name) {
			out = append(out, fmt.Sprintf("  (the helper by name through git's wrapper, as earlier versions configured it: %.2f×, %s; CPU %.2f×, %s)", ratio(t.credLs2Name), ms(t.credLs2Name.median()), cpuRatio(t.credLs2Name), ms(t.credLs2Name.medianCPU())))
		}
	}
	return out
}

// short is a label up to its first comma or parenthesis.
func short(label string) string {
	if i := strings.IndexAny(label, ",("); i > 0 {
		return strings.TrimSpace(label[:i])
	}
	return label
}

func ratio(v *variant) float64 {
	if v.ref == nil || v.ref.median() == 0 {
		return 0
	}
	return float64(v.median()) / float64(v.ref.median())
}

func cpuRatio(v *variant) float64 {
	if v.ref == nil || v.ref.medianCPU() == 0 {
		return 0
	}
	return float64(v.medianCPU()) / float64(v.ref.medianCPU())
}

func ms(d time.Duration) string {
	if d >= time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

func mb(kb int64) string {
	if kb == 0 {
		return "?"
	}
	return fmt.Sprintf("%.1f MB", float64(kb)/1024)
}

func num(f float64) string {
	if f == float64(int(f)) {
		return fmt.Sprintf("%d", int(f))
	}
	return fmt.Sprintf("%.2f", f)
}

// systemCABundle is the system's CA bundle file, or "": what AWS_CA_BUNDLE
// often points at behind a corporate proxy.
func systemCABundle() string {
	for _, f := range []string{"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"} {
		if _, err := os.Stat(f); err == nil {
			return f
		}
	}
	return ""
}

// bigConfigEnv is the helpers' environment with an IAM Identity Center
// style ~/.aws/config: the local endpoint's profiles and 3,000 generated
// ones (one per account and role, about 480 KB; issue 17's was 390 KB), as
// organisations generate.
func (b *bench) bigConfigEnv() ([]string, error) {
	src := filepath.Join(b.home, ".aws", "config")
	base, err := os.ReadFile(src)
	if err != nil {
		return nil, err
	}
	var s strings.Builder
	s.Write(base)
	s.WriteString("\n[sso-session org]\nsso_start_url = https://org.awsapps.com/start\nsso_region = us-east-1\n")
	for i := range 3000 {
		fmt.Fprintf(&s, "\n[profile acct%06d-AdministratorAccess]\nsso_session = org\nsso_account_id = %012d\nsso_role_name = AdministratorAccess\nregion = us-east-1\noutput = json\n", i, 100000000000+i)
	}
	big := filepath.Join(b.root, "big-config")
	if err := os.WriteFile(big, []byte(s.String()), 0o600); err != nil {
		return nil, err
	}
	return append(append([]string(nil), b.env...), "AWS_CONFIG_FILE="+big), nil
}
