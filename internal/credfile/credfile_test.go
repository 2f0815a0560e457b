package credfile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var sessionValues = [][2]string{
	{"aws_access_key_id", "ASIANEW"},
	{"aws_secret_access_key", "newSecret/+="},
	{"aws_session_token", "newToken=="},
}

func TestUpdateTable(t *testing.T) {
	for _, tc := range []struct {
		name, in, profile, want string
		values                  [][2]string
	}{
		{"empty file", "", "mfa", "[mfa]\naws_access_key_id = ASIANEW\naws_secret_access_key = newSecret/+=\naws_session_token = newToken==\n", sessionValues},
		{"append section no final newline", "[default]\nx=1", "p", "[default]\nx=1\n\n[p]\nk = v\n", [][2]string{{"k", "v"}}},
		{"append section after blank", "[default]\nx=1\n\n", "p", "[default]\nx=1\n\n[p]\nk = v\n", [][2]string{{"k", "v"}}},
		{"replace keeps spacing", "[p]\nk=old\nj  :  old\n", "p", "[p]\nk=new\nj  :  new2\n", [][2]string{{"k", "new"}, {"J", "new2"}}},
		{"append before trailing comments", "[p]\na = 1\n# about q\n\n[q]\nb = 2\n", "p", "[p]\na = 1\nk = v\n# about q\n\n[q]\nb = 2\n", [][2]string{{"k", "v"}}},
		{"empty section at EOF without newline", "[p]", "p", "[p]\nk = v\n", [][2]string{{"k", "v"}}},
		{"spaced header", "[ p ]\nk = old\n", "p", "[ p ]\nk = new\n", [][2]string{{"k", "new"}}},
		{"duplicate section: last wins", "[p]\nk = a\n[q]\n[p]\nk = b\n", "p", "[p]\nk = a\n[q]\n[p]\nk = c\n", [][2]string{{"k", "c"}}},
		{"continuation dropped on replace", "[p]\nk = a\n  more\nz = 1\n", "p", "[p]\nk = b\nz = 1\n", [][2]string{{"k", "b"}}},
		{"empty value", "[p]\nk =\n", "p", "[p]\nk = v\n", [][2]string{{"k", "v"}}},
		{"CRLF", "[a]\r\nx = 1\r\n\r\n[p]\r\nk = old\r\n", "p", "[a]\r\nx = 1\r\n\r\n[p]\r\nk = new\r\nn = 2\r\n", [][2]string{{"k", "new"}, {"n", "2"}}},
		{"CRLF new section", "[a]\r\nx = 1\r\n", "p", "[a]\r\nx = 1\r\n\r\n[p]\r\nk = v\r\n", [][2]string{{"k", "v"}}},
		{"prefix of another name", "[pp]\nk = 1\n", "p", "[pp]\nk = 1\n\n[p]\nk = 2\n", [][2]string{{"k", "2"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Update([]byte(tc.in), tc.profile, tc.values)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
			again, _ := Update(got, tc.profile, tc.values)
			if string(again) != string(got) {
				t.Errorf("not idempotent:\n%q", again)
			}
		})
	}
}

const complexFile = "# AWS credentials — managed by hand\r\n" +
	"; second comment style\r\n" +
	"\r\n" +
	"[default]\r\n" +
	"aws_access_key_id     = AKIADEFAULT\r\n" +
	"aws_secret_access_key = defaultSecret\r\n" +
	"\r\n" +
	"[mfa]\r\n" +
	"# stale session\r\n" +
	"aws_access_key_id=ASIAOLD\r\n" +
	"aws_secret_access_key=oldSecret\r\n" +
	"region = eu-west-1   \r\n" +
	"\r\n" +
	"# comment about prod\r\n" +
	"[prod]\r\n" +
	"aws_access_key_id = AKIAPROD\r\n" +
	"\r\n" +
	"[mfa]\r\n" +
	"aws_access_key_id = ASIAOLD2\r\n" +
	"aws_secret_access_key = oldSecret2\r\n" +
	"aws_session_token = oldToken2\r\n" +
	"\r\n" +
	";; trailing comment\r\n" +
	"[ weird  name ]\r\n" +
	"x=y"

func TestUpdateComplexPreservesBytes(t *testing.T) {
	got, err := Update([]byte(complexFile), "mfa", sessionValues)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(complexFile,
		"aws_access_key_id = ASIAOLD2\r\naws_secret_access_key = oldSecret2\r\naws_session_token = oldToken2\r\n",
		"aws_access_key_id = ASIANEW\r\naws_secret_access_key = newSecret/+=\r\naws_session_token = newToken==\r\n", 1)
	if string(got) != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
	// A key missing from the last [mfa]: appended after its last key, before
	// the blank line and the next section's comment.
	got, err = Update([]byte(complexFile), "mfa", [][2]string{{"expiration", "2026-11-23T10:00:00Z"}})
	if err != nil {
		t.Fatal(err)
	}
	want = strings.Replace(complexFile, "aws_session_token = oldToken2\r\n",
		"aws_session_token = oldToken2\r\nexpiration = 2026-11-23T10:00:00Z\r\n", 1)
	if string(got) != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
	// The spaced header at EOF without a final newline.
	got, err = Update([]byte(complexFile), "weird  name", [][2]string{{"x", "z"}, {"n", "1"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSuffix(complexFile, "x=y") + "x=z\r\nn = 1\r\n"; string(got) != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

func TestUpdateRejects(t *testing.T) {
	for _, tc := range []struct {
		profile string
		values  [][2]string
	}{
		{"", nil},
		{"a]b", nil},
		{" p", nil},
		{"p\n", nil},
		{"p", [][2]string{{"k", "line1\nline2"}}},
		{"p", [][2]string{{"k", "cr\r"}}},
		{"p", [][2]string{{"k", "nul\x00"}}},
		{"p", [][2]string{{"k", " padded"}}},
		{"p", [][2]string{{"k=x", "v"}}},
		{"p", [][2]string{{"", "v"}}},
		{"p", [][2]string{{"#k", "v"}}},
		{"p", [][2]string{{"k", "v"}, {"K", "w"}}},
	} {
		if _, err := Update([]byte("[p]\n"), tc.profile, tc.values); err == nil {
			t.Errorf("Update(%q, %q) accepted", tc.profile, tc.values)
		} else if strings.Contains(err.Error(), "line1") || strings.Contains(err.Error(), "padded") {
			t.Errorf("error quotes a value: %v", err)
		}
	}
}

func TestSetProfileCreatesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", ".aws", "credentials")
	if err := SetProfile(context.Background(), path, "mfa", sessionValues); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), "[mfa]\naws_access_key_id = ASIANEW\n") {
		t.Errorf("content %q", got)
	}
	if runtime.GOOS != "windows" {
		fi, _ := os.Stat(path)
		di, _ := os.Stat(filepath.Dir(path))
		if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
			t.Errorf("modes file %v dir %v", fi.Mode().Perm(), di.Mode().Perm())
		}
	}
}

func TestSetProfileModesAndSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix modes and symlinks")
	}
	dir := t.TempDir()
	for perm, want := range map[os.FileMode]os.FileMode{0o644: 0o600, 0o600: 0o600, 0o400: 0o400} {
		path := filepath.Join(dir, "c"+perm.String())
		if err := os.WriteFile(path, []byte(complexFile), perm); err != nil {
			t.Fatal(err)
		}
		if err := SetProfile(context.Background(), path, "mfa", sessionValues); err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(path)
		if fi.Mode().Perm() != want {
			t.Errorf("existing %v: mode %v, want %v", perm, fi.Mode().Perm(), want)
		}
	}

	real := filepath.Join(dir, "dotfiles", "aws-credentials")
	if err := os.MkdirAll(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("[default]\nx = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "credentials")
	if err := os.Symlink("dotfiles/aws-credentials", link); err != nil {
		t.Fatal(err)
	}
	if err := SetProfile(context.Background(), link, "mfa", sessionValues[:1]); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("symlink replaced: %v", err)
	}
	got, _ := os.ReadFile(real)
	if string(got) != "[default]\nx = 1\n\n[mfa]\naws_access_key_id = ASIANEW\n" {
		t.Errorf("target content %q", got)
	}
}

func TestSetProfileAtomicOnFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "credentials")
	if err := os.WriteFile(path, []byte(complexFile), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("injected crash before rename")
	var tmpSeen string
	_, err := setProfile(path, "mfa", sessionValues, nil, func(tmp string) error {
		tmpSeen = tmp
		// The new content is complete in the temporary file by now.
		data, err := os.ReadFile(tmp)
		if err != nil || !strings.Contains(string(data), "ASIANEW") {
			t.Errorf("temp file not written: %v", err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != complexFile {
		t.Errorf("original modified")
	}
	if _, err := os.Stat(tmpSeen); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temp file left behind: %v", err)
	}
	if filepath.Dir(tmpSeen) != dir {
		t.Errorf("temp file %s not in the same directory", tmpSeen)
	}
	// Invalid values: nothing written at all.
	if err := SetProfile(context.Background(), path, "mfa", [][2]string{{"k", "a\nb"}}); err == nil {
		t.Error("multi-line value accepted")
	}
	if got, _ := os.ReadFile(path); string(got) != complexFile {
		t.Error("original modified by rejected update")
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if e.Name() != "credentials" && e.Name() != ".credentials.lock" { // the lock file stays, by design
			t.Errorf("leftover: %s", e.Name())
		}
	}
}

// section is a parsed section for the invariants: its name and keys.
type section struct {
	name string
	keys map[string]string
}

// parse reads content the way Update classifies it; the first section is
// the preamble (name "").
func parse(content []byte) []section {
	secs := []section{{keys: map[string]string{}}}
	lastKey := ""
	for _, l := range splitLines(content) {
		cur := &secs[len(secs)-1]
		switch l.kind {
		case kindHeader:
			secs = append(secs, section{name: headerName(l.text), keys: map[string]string{}})
		case kindKey:
			lastKey = l.key
			cur.keys[l.key] = strings.TrimSpace(l.text[l.sep+1:])
		case kindCont:
			cur.keys[lastKey] += "\n" + strings.TrimSpace(l.text)
		}
	}
	return secs
}

func FuzzUpdate(f *testing.F) {
	f.Add([]byte(complexFile), "mfa", "aws_session_token", "tok")
	f.Add([]byte(""), "p", "k", "v")
	f.Add([]byte("[p]"), "p", "k", "")
	f.Add([]byte("[p]\nk = a\n  cont\n[q]\n k = b\n"), "p", "K", "x")
	f.Add([]byte("[ p ]\r\n#c\r\n[p]\r\nk:v"), "p", "k", "w")
	f.Fuzz(func(t *testing.T, content []byte, profile, key, value string) {
		values := [][2]string{{key, value}, {"aws_session_token", "T0ken/+="}}
		out, err := Update(content, profile, values)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			if validate(profile, values) == nil {
				t.Fatalf("valid input rejected: %v", err)
			}
			return
		}
		in, got := parse(content), parse(out)
		target := -1
		for i, s := range in {
			if i > 0 && s.name == profile {
				target = i
			}
		}
		if target < 0 {
			if len(got) != len(in)+1 || got[len(got)-1].name != profile {
				t.Fatalf("section not appended: %d -> %d sections", len(in), len(got))
			}
			target = len(in)
			in = append(in, section{name: profile, keys: map[string]string{}})
		}
		if len(got) != len(in) {
			t.Fatalf("sections %d -> %d", len(in), len(got))
		}
		for i := range in {
			if in[i].name != got[i].name {
				t.Fatalf("section %d renamed %q -> %q", i, in[i].name, got[i].name)
			}
			want := in[i].keys
			if i == target {
				want = map[string]string{}
				for k, v := range in[i].keys {
					want[k] = v
				}
				for _, kv := range values {
					want[strings.ToLower(kv[0])] = kv[1]
				}
			}
			if !reflect.DeepEqual(want, got[i].keys) {
				t.Fatalf("section %d (%q) keys\n got %q\nwant %q", i, in[i].name, got[i].keys, want)
			}
		}
		again, err := Update(out, profile, values)
		if err != nil || string(again) != string(out) {
			t.Fatalf("not idempotent: %v\n%q\n%q", err, out, again)
		}
	})
}

// TestSetProfileConcurrentProfiles: writers of different profiles at once
// each read, change and rename the whole file; the lock keeps any of them
// from writing over another's profile.
func TestSetProfileConcurrentProfiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(path, []byte("# keep me\n[default]\naws_access_key_id = A\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := SetProfile(context.Background(), path, fmt.Sprintf("p%d", i), [][2]string{{"aws_access_key_id", fmt.Sprintf("K%d", i)}}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if !strings.Contains(string(b), fmt.Sprintf("[p%d]\naws_access_key_id = K%d\n", i, i)) {
			t.Errorf("profile p%d lost:\n%s", i, b)
		}
	}
	if !strings.HasPrefix(string(b), "# keep me\n[default]\naws_access_key_id = A\n") {
		t.Errorf("original content changed:\n%s", b)
	}
}

func TestSection(t *testing.T) {
	content := "[a]\nx = 1\n[b]\n  Aws_Access_Key_ID = AKIA1 \n; c\nexpiration=2026\n[a]\ny: 2\n"
	if got := Section([]byte(content), "b"); !reflect.DeepEqual(got, map[string]string{"aws_access_key_id": "AKIA1", "expiration": "2026"}) {
		t.Errorf("b: %v", got)
	}
	if got := Section([]byte(content), "a"); !reflect.DeepEqual(got, map[string]string{"y": "2"}) {
		t.Errorf("a (the last one wins): %v", got)
	}
	if got := Section([]byte(content), "c"); got != nil {
		t.Errorf("missing section: %v", got)
	}
	if got := Section([]byte("[e]\n"), "e"); got == nil || len(got) != 0 {
		t.Errorf("empty section: %#v", got)
	}
}

func TestSetProfileGuarded(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "credentials")
	before := "[keep]\naws_access_key_id = AKIAKEEP\naws_secret_access_key = s\n"
	if err := os.WriteFile(path, []byte(before), 0o600); err != nil {
		t.Fatal(err)
	}
	refuse := errors.New("refused")
	var seen map[string]string
	_, err := SetProfileGuarded(context.Background(), path, "keep", sessionValues, func(existing map[string]string) (bool, error) {
		seen = existing
		return false, refuse
	})
	if !errors.Is(err, refuse) || seen["aws_access_key_id"] != "AKIAKEEP" {
		t.Fatalf("err %v, guard saw %v", err, seen)
	}
	if b, _ := os.ReadFile(path); string(b) != before {
		t.Fatalf("a refused write changed the file:\n%s", b)
	}

	// Allowed with a backup: the file as it was is kept beside it, each
	// time under a new name.
	for i, want := range []string{path + ".bak", path + ".bak.1"} {
		backup, err := SetProfileGuarded(context.Background(), path, "keep", sessionValues, func(map[string]string) (bool, error) { return true, nil })
		if err != nil || backup != want {
			t.Fatalf("run %d: backup %q, err %v", i, backup, err)
		}
		b, err := os.ReadFile(backup)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 && string(b) != before {
			t.Fatalf("backup %q", b)
		}
		if fi, _ := os.Stat(backup); fi.Mode().Perm() != 0o600 {
			t.Errorf("backup mode %v", fi.Mode().Perm())
		}
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), "ASIANEW") {
		t.Fatalf("not written:\n%s", b)
	}

	// A missing section: the guard sees nil.
	seen = map[string]string{}
	if _, err := SetProfileGuarded(context.Background(), path, "new", sessionValues, func(existing map[string]string) (bool, error) {
		seen = existing
		return false, nil
	}); err != nil || seen != nil {
		t.Fatalf("err %v, guard saw %v", err, seen)
	}
}
