package awsfiles

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

func writeFile(t testing.TB, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Issue 13 item 14: a broken file is named with its line and what is wrong.
func TestReadBroken(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"[default\nregion = us-east-1\n", `line 1: section header "[default" has no closing "]"`},
		{"[default]\nregion = us-east-1\nthis is no setting\n", `line 3: "this is no setting" is neither a [section]`},
		{"region = us-east-1\n[default]\n", "line 1: a setting before any [section] header"},
		{"[default]\nregion = us-east-1\n= x\n", `line 3: "= x" has no key before its '='`},
		{"[default]\n:x\r\n", `line 2: ":x" has no key before its ':'`},
		{"# c\n\n[profile a]\nx = 1\n[profile b # c\n", `line 5: section header "[profile b" has no closing "]"`},
	} {
		p := writeFile(t, tc.text)
		_, err := Read(p)
		var le *LineError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), p+" "+tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Read(%q) = %v; want %q", tc.text, err, p+" "+tc.want)
		}
		if err := (Files{Config: p, Credentials: filepath.Join(t.TempDir(), "none")}).Check(); !errors.As(err, &le) {
			t.Errorf("Check: %v, want the line error", err)
		}
	}
}

// The reader reads lines as aws-sdk-go-v2 does.
func TestReadLikeTheSDK(t *testing.T) {
	p := writeFile(t, "[default]\nregion = us-east-1\n[profile  dev ]  # c\nRegion = 'eu-west-1'\ns3 =\n  max = 2\noutput: json\nx = a # c\n[profile dev]\nextra = \"q\"\n")
	f, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := f.Map("profile dev")
	if !ok || m["region"] != "eu-west-1" || m["output"] != "json" || m["x"] != "a" || m["extra"] != "q" || m["s3"] != "" {
		t.Errorf("profile dev = %v, %v", m, ok)
	}
	if f.Plain("profile dev") || !f.Plain("default") {
		t.Error("Plain: quotes, nested settings and comments are not plain; [default] is")
	}
	if got := f.Names(); strings.Join(got, ",") != "default,profile dev,profile dev" {
		t.Errorf("Names = %q", got)
	}
	if _, err := Read(filepath.Join(t.TempDir(), "missing")); err != nil {
		t.Errorf("a missing file is empty: %v", err)
	}
}

// An indented line opening a section is a setting to the SDK (here half a
// key pair, which it refuses): read, and never plain, so that filecreds
// leaves the profile to awscreds (a FuzzStaticAgreesWithSDK finding).
func TestIndentedFirstSetting(t *testing.T) {
	f, err := Read(writeFile(t, "[dev]\n Aws_seCret_ACCess_keY=0\n[ok]\nregion = us-east-1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := f.Map("dev"); m["aws_secret_access_key"] != "0" || f.Plain("dev") || !f.Plain("ok") {
		t.Errorf("dev = %v, plain %v", m, f.Plain("dev"))
	}
}

// The questions filecreds asks of every section, answered from facts noted
// while indexing: a "default" in another case, a name starting "profile ",
// written as they are or normalised ("[profile  x ]" names "profile x").
func TestDefaultInOtherCaseAndProfilePrefixed(t *testing.T) {
	for _, tc := range []struct {
		text                   string
		otherCase, profileName bool
	}{
		{"[default]\nregion = us-east-1\n[profile  x ]\n[Profile y]\n", false, true},
		{"[Default]\n[defaults]\n", true, false},
		{"[ DEFAULT ] # c\n[Profile y]\n[profilex]\n", true, false},
		{"[profile\tx]\n", false, true},
		{"[default]\n[dèfault]\n", false, false},
	} {
		f, err := Read(writeFile(t, tc.text))
		if err != nil {
			t.Fatal(err)
		}
		if f.DefaultInOtherCase() != tc.otherCase || f.ProfilePrefixed() != tc.profileName {
			t.Errorf("%q: DefaultInOtherCase %v, ProfilePrefixed %v; want %v, %v", tc.text, f.DefaultInOtherCase(), f.ProfilePrefixed(), tc.otherCase, tc.profileName)
		}
	}
	f, err := Read(writeFile(t, "[default]\nregion = us-east-1\n[profile  x ]\n[Profile y]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !f.Has("profile x") || f.Has("profile  x ") || !f.Has("Profile y") || f.Has("profile y") {
		t.Errorf("Has: the normalised name is found, no other")
	}
	if n := testing.AllocsPerRun(10, func() { f.DefaultInOtherCase(); f.ProfilePrefixed(); f.Has("Profile y") }); n != 0 {
		t.Errorf("DefaultInOtherCase, ProfilePrefixed, Has: %v allocations, want none", n)
	}
}

// bigConfig is an IAM Identity Center style config: one profile per
// account and role, about 480 KB for 3,000 profiles.
func bigConfig(n int) string {
	var b strings.Builder
	b.WriteString("[default]\nregion = us-east-1\n\n")
	for i := range n {
		fmt.Fprintf(&b, "[profile acct%06d-AdministratorAccess]\nsso_session = org\nsso_account_id = %012d\nsso_role_name = AdministratorAccess\nregion = us-east-1\noutput = json\n\n", i, 100000000000+i)
	}
	b.WriteString("[profile dev]\nregion = us-east-1\n[sso-session org]\nsso_start_url = https://org.awsapps.com/start\nsso_region = us-east-1\n")
	return b.String()
}

func BenchmarkReadBigConfig(b *testing.B) {
	p := writeFile(b, bigConfig(3000))
	for b.Loop() {
		f, err := Read(p)
		if err != nil {
			b.Fatal(err)
		}
		if _, ok := f.Map("profile dev"); !ok {
			b.Fatal("no dev")
		}
	}
}

// Issue 17 ("one reader of the AWS files, and a fast one"): reading a
// generated config of 3,000 profiles costs no more allocations than reading
// one of a single profile (no string, map or slice growth per section or
// line), and looking a profile up allocates only what it returns. Counted,
// not timed, so that load cannot make it flake.
func TestReadAllocsDoNotGrowWithProfiles(t *testing.T) {
	small, big := writeFile(t, bigConfig(1)), writeFile(t, bigConfig(3000))
	read := func(p string) float64 {
		return testing.AllocsPerRun(20, func() {
			f, err := Read(p)
			if err != nil || !f.Has("profile dev") {
				t.Fatalf("read %s: %v", p, err)
			}
		})
	}
	if s, b := read(small), read(big); b > s || b > 20 {
		t.Errorf("Read: %v allocations for 3,000 profiles, %v for one; want no more, and at most 20", b, s)
	}
	f, err := Read(big)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		what string
		max  float64
		fn   func()
	}{
		{"Has", 0, func() { f.Has("profile acct002999-AdministratorAccess") }},
		{"Plain", 3, func() { f.Plain("profile dev") }},
		{"Section", 2, func() { f.Section("profile acct001500-AdministratorAccess") }},
		{"Names", 1, func() { f.Names() }},
	} {
		if n := testing.AllocsPerRun(20, tc.fn); n > tc.max {
			t.Errorf("%s on 3,000 profiles: %v allocations, want at most %v", tc.what, n, tc.max)
		}
	}
}

// Issue 17: reading a generated config of 3,000 profiles (480 KB) must cost
// the helpers under 1 ms more than a small one. Most of what it cost was
// fresh memory (a page fault for every 4 KB the read wrote): the file is
// streamed through a small buffer and only its index kept, so Read
// allocates a small part of the file's size. Counted, not timed.
func TestReadDoesNotKeepBigFile(t *testing.T) {
	if !streamBig {
		t.Skip("big files are read whole on " + runtime.GOOS)
	}
	text := bigConfig(3000)
	p := writeFile(t, text)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f, err := Read(p)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > uint64(len(text)/4) {
		t.Errorf("Read of a %d-byte config allocated %d bytes, want at most a quarter of it", len(text), n)
	}
	if m, _ := f.Map("profile acct002999-AdministratorAccess"); m["sso_account_id"] != "100000002999" {
		t.Errorf("the last generated profile, read back = %v", m)
	}
	if m, _ := f.Map("profile dev"); m["region"] != "us-east-1" {
		t.Errorf("profile dev, read back = %v", m)
	}
}

// Where a file open cannot be renamed over (Windows), a big file is read
// whole and closed, and read alike.
func TestReadWholeWhereNotStreamed(t *testing.T) {
	defer func(s bool) { streamBig = s }(streamBig)
	streamBig = false
	f, err := Read(writeFile(t, bigConfig(3000)))
	if err != nil {
		t.Fatal(err)
	}
	if f.src != nil || f.mem == nil {
		t.Errorf("the file is kept open (src %v), want it read whole", f.src)
	}
	if m, _ := f.Map("profile acct002999-AdministratorAccess"); m["sso_account_id"] != "100000002999" || !f.Has("profile dev") {
		t.Errorf("the last generated profile = %v", m)
	}
}

// Issue 13 items 10 and 11: a missing source profile is named, a loop is
// shown as a chain.
func TestCheckSourceChain(t *testing.T) {
	role := "role_arn = arn:aws:iam::1:role/r\n"
	for _, tc := range []struct{ cfg, profile, want string }{
		{"[profile a]\n" + role + "source_profile = gone\n", "a", `profile "a" has source_profile = gone, but profile "gone" does not exist`},
		{"[profile loopa]\n" + role + "source_profile = loopb\n[profile loopb]\n" + role + "source_profile = loopa\n", "loopa", "circular source_profile: loopa -> loopb -> loopa"},
		{"[profile x]\n" + role + "source_profile = y\n[profile y]\n" + role + "source_profile = y\n", "x", "circular source_profile: x -> y -> y"},
		{"[profile self]\n" + role + "source_profile = self\naws_access_key_id = A\naws_secret_access_key = B\n", "self", ""},
		{"[profile a]\n" + role + "source_profile = b\n[profile b]\naws_access_key_id = A\naws_secret_access_key = B\n", "a", ""},
		{"[profile a]\nregion = us-east-1\n", "a", ""},
	} {
		f := Files{Config: writeFile(t, tc.cfg), Credentials: filepath.Join(t.TempDir(), "none")}
		err := f.CheckSourceChain(tc.profile)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%q: %v, want %q", tc.cfg, err, tc.want)
		}
		var se *SourceChainError
		if errors.As(err, &se) && strings.Contains(se.Hint(), "doctor") {
			t.Errorf("hint suggests doctor: %s", se.Hint())
		}
	}
}

// The one-pass reading of the usual header agrees with the general one on
// every header (the seeds run in every go test).
func FuzzHeaderFastPath(f *testing.F) {
	for _, s := range []string{"[default]", "[profile dev]", "[profile  dev ]  # c", "[profile dev]\r", "[profile dev] \t\r",
		"[ profile dev]", "[profile dev ]", "[profile\tdev]", "[a b c]", "[]", "[", "[a", "[a]x", "[a] x", "[a]]", "[[a]", "[a;b]", "[a#b]",
		"[sso-session org]", "[profile dév]", "[profile d\x7fv]", "[a]#c", "[a] ;c", "[a\v]", "[a]\v", "[a\u00a0]", "[a b] \r", "[a  b]", "[a b c]", "[a \vb]", "[\va]", "[a\v]", "[\u00a0a b]", "[a] ]", "[]]", "[ ]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !strings.HasPrefix(s, "[") {
			return
		}
		if strings.Contains(s, "\n") {
			return
		}
		name, ok := sectionHeader([]byte(s))
		gname, _, _, gok := headerGeneral(s)
		if string(name) != gname || ok != gok {
			t.Errorf("sectionHeader(%q) = %q, %v; the general reading %q, %v", s, name, ok, gname, gok)
		}
	})
}

// refIndex is the line-by-line reader index replaced (before issue 17),
// kept as the reference: same sections, plain headers and errors.
type refSection struct {
	name               string
	header, start, end int
}

func refIndex(path, text string) ([]refSection, []bool, error) {
	var secs []refSection
	var plains []bool
	lineNo, cur := 0, -1
	for pos := 0; pos < len(text); {
		end := strings.IndexByte(text[pos:], '\n')
		next := len(text)
		if end >= 0 {
			end += pos
			next = end + 1
		} else {
			end = len(text)
		}
		line := text[pos:end]
		lineNo++
		lineStart := pos
		pos = next
		i := 0
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == len(line) {
			continue
		}
		switch c := line[i]; {
		case c == '#' || c == ';' || c == '\r' && i == len(line)-1:
			continue
		case c == '[':
			name, h, plain, ok := headerGeneral(line[i:])
			if !ok {
				return nil, nil, &LineError{Path: path, Line: lineNo, Reason: fmt.Sprintf("section header %s has no closing \"]\"", quote(h))}
			}
			if cur >= 0 {
				secs[cur].end = lineStart
			}
			secs = append(secs, refSection{name: name, header: lineStart + i, start: next})
			plains = append(plains, plain)
			cur = len(secs) - 1
		case i > 0:
		case c == '=' || c == ':':
			return nil, nil, &LineError{Path: path, Line: lineNo, Reason: fmt.Sprintf("%s has no key before its %q", quote(strings.TrimRight(line, "\r")), c)}
		case strings.IndexByte(line, '=') < 0 && strings.IndexByte(line, ':') < 0:
			return nil, nil, &LineError{Path: path, Line: lineNo, Reason: fmt.Sprintf("%s is neither a [section], a KEY = VALUE setting nor a comment", quote(strings.TrimRight(line, "\r")))}
		case cur < 0:
			return nil, nil, &LineError{Path: path, Line: lineNo, Reason: "a setting before any [section] header"}
		}
	}
	if cur >= 0 {
		secs[cur].end = len(text)
	}
	return secs, plains, nil
}

// The one-pass index finds the sections and errors the line-by-line
// reading finds (the seeds run in every go test).
func FuzzIndexAgrees(f *testing.F) {
	for _, s := range []string{bigConfig(3), "[default\nregion = us-east-1\n", "[default]\nregion = us-east-1\nthis is no setting\n",
		"region = us-east-1\n[default]\n", "# c\n\n[profile a]\nx = 1\n[profile b # c\n", "[dev]\n Aws_seCret_ACCess_keY=0\n[ok]\nregion = us-east-1\n",
		"[default]\nregion = us-east-1\n[profile  dev ]  # c\nRegion = 'eu-west-1'\ns3 =\n  max = 2\noutput: json\nx = a # c\n[profile dev]\nextra = \"q\"\n",
		"\r\n  \r\n[a]\r\nx=1\r\n  [b]\r\n\t\r\n;c\r\ny:2", "[a]\nx", "[a]\n\r", "[a]\n\rx=1", "  \n\t", "[a]\n  ;x\nk = v\n#", ""} {
		f.Add(s, uint8(255))
		f.Add(s, uint8(6))
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, chunk uint8) {
		want, plains, werr := refIndex("p", s)
		defer func(c int, s bool) { chunkSize, streamBig = c, s }(chunkSize, streamBig)
		chunkSize, streamBig = 1+int(chunk), chunk%4 != 3 // and as on Windows
		got := &File{Path: "p"}
		// A size hint of 0 reads by chunks (and so back from src) any text
		// beyond 511 bytes; the whole text fits in one read otherwise.
		gerr := got.parse(iotest.OneByteReader(strings.NewReader(s)), strings.NewReader(s), int64(len(s))*int64(chunk%2))
		if fmt.Sprint(werr) != fmt.Sprint(gerr) {
			t.Fatalf("index(%q) by %d: %v; line by line %v", s, chunkSize, gerr, werr)
		}
		if werr != nil {
			return
		}
		var gotSecs []refSection
		names := got.Names()
		for i, sec := range got.sections {
			line, _, _, _ := got.header(i)
			header := int(sec.line) + len(line) - len(bytes.TrimLeft(line, " \t"))
			start := min(int(sec.line)+len(line)+1, int(got.end(i)))
			gotSecs = append(gotSecs, refSection{names[i], header, start, int(got.end(i))})
		}
		if fmt.Sprint(want) != fmt.Sprint(gotSecs) {
			t.Fatalf("index(%q) by %d = %v; line by line %v", s, chunkSize, gotSecs, want)
		}
		for i := range got.sections {
			if line, _, _, _ := got.header(i); plainHeader(line) != plains[i] {
				t.Errorf("index(%q): header %d plain %v, line by line %v", s, i, !plains[i], plains[i])
			}
			if _, found := got.Section(want[i].name); !found || !got.Has(want[i].name) {
				t.Errorf("index(%q): Section(%q) not found", s, want[i].name)
			}
		}
	})
}
