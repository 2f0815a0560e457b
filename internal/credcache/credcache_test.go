package credcache

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const goldenDir = "testdata/golden"

// goldenProfiles reads testdata/config and returns the cache key of every
// profile with a role_arn, mapping config keys as botocore does.
func goldenProfiles(t testing.TB) map[string]Key {
	t.Helper()
	f, err := os.Open("testdata/config")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	keys := map[string]Key{}
	var cur string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			cur = strings.TrimPrefix(strings.Trim(line, "[]"), "profile ")
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		name, val = strings.TrimSpace(name), strings.TrimSpace(val)
		k := keys[cur]
		switch name {
		case "role_arn":
			k.RoleARN = val
		case "role_session_name":
			k.RoleSessionName = val
		case "external_id":
			k.ExternalID = val
		case "mfa_serial":
			k.SerialNumber = val
		case "duration_seconds":
			n, err := strconv.Atoi(val)
			if err != nil {
				t.Fatal(err)
			}
			k.DurationSeconds = n
		default:
			continue
		}
		keys[cur] = k
	}
	return keys
}

// The README's table.
var goldenTable = []struct{ profile, json, file string }{
	{"role-plain", `{"RoleArn": "arn:aws:iam::123456789012:role/deploy"}`, "6a9d9ba39800a1773d9a3bd50c4a0db301ff5832.json"},
	{"role-mfa", `{"RoleArn": "arn:aws:iam::123456789012:role/deploy", "SerialNumber": "arn:aws:iam::123456789012:mfa/alice"}`, "0e2911c0ceabd34fcc525a48ea31c8f1d5bf1e11.json"},
	{"role-full", `{"DurationSeconds": 7200, "ExternalId": "7f3c2e", "RoleArn": "arn:aws:iam::210987654321:role/cross-account-codecommit", "RoleSessionName": "alice-laptop", "SerialNumber": "arn:aws:iam::123456789012:mfa/alice"}`, "a87eb29972ae2d791d7b60cc0c923762467841f6.json"},
}

func TestGoldenFileNames(t *testing.T) {
	keys := goldenProfiles(t)
	if len(keys) != 3 {
		t.Fatalf("want 3 role profiles, got %v", keys)
	}
	for _, g := range goldenTable {
		k, ok := keys[g.profile]
		if !ok {
			t.Fatalf("profile %s not in config", g.profile)
		}
		if got := k.JSON(); got != g.json {
			t.Errorf("%s: JSON\n got %s\nwant %s", g.profile, got, g.json)
		}
		if got := k.FileName(); got != g.file {
			t.Errorf("%s: FileName %s, want %s", g.profile, got, g.file)
		}
		if _, err := os.Stat(filepath.Join(goldenDir, g.file)); err != nil {
			t.Errorf("golden file: %v", err)
		}
	}
}

func TestKeyJSONPythonEscaping(t *testing.T) {
	// Expected strings produced by CPython 3: json.dumps(args, sort_keys=True).
	for _, tc := range []struct {
		k    Key
		want string
	}{
		{Key{RoleARN: "a/b", RoleSessionName: "é"}, `{"RoleArn": "a/b", "RoleSessionName": "\u00e9"}`},
		{Key{RoleARN: "x", ExternalID: "😀\"\\\n\t\x01\x7f<>&"}, `{"ExternalId": "\ud83d\ude00\"\\\n\t\u0001\u007f<>&", "RoleArn": "x"}`},
		{Key{RoleARN: "r", DurationSeconds: 900}, `{"DurationSeconds": 900, "RoleArn": "r"}`},
	} {
		if got := tc.k.JSON(); got != tc.want {
			t.Errorf("JSON() = %s, want %s", got, tc.want)
		}
	}
}

// goldenCreds are the credentials in the golden entries.
func goldenCreds(t testing.TB, file string) (Credentials, map[string]any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(goldenDir, file))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	c := m["Credentials"].(map[string]any)
	u := m["AssumedRoleUser"].(map[string]any)
	exp, err := time.Parse(time.RFC3339Nano, c["Expiration"].(string))
	if err != nil {
		t.Fatal(err)
	}
	return Credentials{
		AccessKeyID:     c["AccessKeyId"].(string),
		SecretAccessKey: c["SecretAccessKey"].(string),
		SessionToken:    c["SessionToken"].(string),
		Expiration:      exp,
		AccountID:       c["AccountId"].(string),
		AssumedRoleID:   u["AssumedRoleId"].(string),
		AssumedRoleARN:  u["Arn"].(string),
	}, m
}

// copyWithExpiration copies a golden entry into dir, replacing its
// Expiration string with exp (and nothing else).
func copyWithExpiration(t testing.TB, dir, file, exp string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(goldenDir, file))
	if err != nil {
		t.Fatal(err)
	}
	_, m := goldenCreds(t, file)
	old := m["Credentials"].(map[string]any)["Expiration"].(string)
	data = bytes.Replace(data, []byte(`"Expiration": "`+old+`"`), []byte(`"Expiration": "`+exp+`"`), 1)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, file), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (l *logRecorder) Log(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logRecorder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

var testNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newCache(t testing.TB) (*Cache, *logRecorder) {
	lr := &logRecorder{}
	return &Cache{
		Dir: filepath.Join(t.TempDir(), "cli", "cache"),
		Now: func() time.Time { return testNow },
		Log: lr.Log,
	}, lr
}

func checkNoSecrets(t *testing.T, log string, crs ...Credentials) {
	t.Helper()
	for _, cr := range crs {
		for _, s := range []string{cr.SecretAccessKey, cr.SessionToken} {
			if s != "" && strings.Contains(log, s) {
				t.Errorf("log contains a secret:\n%s", log)
			}
		}
	}
}

func TestGetGoldenEntries(t *testing.T) {
	keys := goldenProfiles(t)
	for _, g := range goldenTable {
		for _, exp := range []string{
			"2026-11-23T10:02:59.116729Z", // as written by the CLI
			"2026-11-23T10:02:59Z",
			"2026-11-23T10:02:59+00:00",
			"2026-11-23T10:02:59.5+00:00",
			"2026-11-23T11:02:59+01:00",
		} {
			c, lr := newCache(t)
			copyWithExpiration(t, c.Dir, g.file, exp)
			want, _ := goldenCreds(t, g.file)
			want.Expiration, _ = time.Parse(time.RFC3339Nano, exp)
			want.Expiration = want.Expiration.UTC()
			got, ok := c.Get(keys[g.profile])
			if !ok {
				t.Fatalf("%s %s: miss; log:\n%s", g.profile, exp, lr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: got %+v\nwant %+v", g.profile, got, want)
			}
			checkNoSecrets(t, lr.String(), want)
		}
	}
}

func TestGetExpiredAndMargin(t *testing.T) {
	g := goldenTable[0]
	k := goldenProfiles(t)[g.profile]
	for _, tc := range []struct {
		exp    string
		margin time.Duration
		hit    bool
	}{
		{"2026-11-23T08:00:00Z", 0, false},                // expired
		{"2026-11-23T09:14:59Z", 0, false},                // 14m59s left
		{"2026-11-23T09:15:00Z", 0, true},                 // exactly 15m left
		{"2026-11-23T09:30:00Z", 0, true},                 // 30m left
		{"2026-11-23T09:30:00Z", 45 * time.Minute, false}, // custom margin
		{"2026-11-23T09:30:00Z", 5 * time.Minute, true},   // custom margin
		{"2026-11-23T10:02:59.116729Z", 0, true},          // golden format
		{"2026-11-23T09:10:00.999999Z", 0, false},         // within margin
		{"2026-11-23 10:02:59UTC", 0, true},               // boto strftime %Z
		{"2026-11-23T10:02:59UTC", 0, true},               // ISO + UTC
		{"2026-11-23T10:02:59.116729UTC", 0, true},        // fraction + UTC
		{"2026-11-23 09:05:00UTC", 0, false},              // boto, within margin
		{"not a date", 0, false},                          // corrupt
	} {
		c, lr := newCache(t)
		c.Margin = tc.margin
		copyWithExpiration(t, c.Dir, g.file, tc.exp)
		if _, ok := c.Get(k); ok != tc.hit {
			t.Errorf("Expiration %q margin %v: hit=%v, want %v; log:\n%s", tc.exp, tc.margin, ok, tc.hit, lr)
		}
	}
}

func TestGetBotoDir(t *testing.T) {
	g := goldenTable[1]
	k := goldenProfiles(t)[g.profile]
	c, lr := newCache(t)
	c.BotoDir = filepath.Join(t.TempDir(), "boto", "cache")
	copyWithExpiration(t, c.BotoDir, g.file, "2026-11-23 10:02:59UTC")
	got, ok := c.Get(k)
	if !ok {
		t.Fatalf("boto entry not used; log:\n%s", lr)
	}
	if want := time.Date(2026, 11, 23, 10, 2, 59, 0, time.UTC); !got.Expiration.Equal(want) {
		t.Errorf("Expiration %v, want %v", got.Expiration, want)
	}
	// The CLI dir wins over boto's when both are fresh.
	copyWithExpiration(t, c.Dir, g.file, "2026-11-23T10:30:00Z")
	got, _ = c.Get(k)
	if got.Expiration.Minute() != 30 {
		t.Errorf("CLI entry not preferred: %v", got.Expiration)
	}
	// An expired CLI entry falls back to boto's fresh one.
	copyWithExpiration(t, c.Dir, g.file, "2026-11-23T09:01:00Z")
	got, ok = c.Get(k)
	if !ok || got.Expiration.Minute() != 2 {
		t.Errorf("boto fallback: %v %v", got.Expiration, ok)
	}
	// GetOrFetch never writes to the boto dir.
	c.BotoDir = filepath.Join(t.TempDir(), "boto2")
	if err := os.MkdirAll(c.BotoDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.GetOrFetch(context.Background(), Key{RoleARN: "new"}, fakeFetch(nil)); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(c.BotoDir); len(ents) != 0 {
		t.Errorf("boto dir written: %v", ents)
	}
}

func fakeCreds(n int) Credentials {
	return Credentials{
		AccessKeyID:     fmt.Sprintf("ASIAFAKE%012d", n),
		SecretAccessKey: fmt.Sprintf("secret-%d-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", n),
		SessionToken:    fmt.Sprintf("token-%d-yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy/+=", n),
		Expiration:      testNow.Add(time.Hour).Add(123456 * time.Microsecond),
		AccountID:       "123456789012",
		AssumedRoleID:   "AROAFAKE:sess",
		AssumedRoleARN:  "arn:aws:sts::123456789012:assumed-role/deploy/sess",
	}
}

// fakeFetch returns fakeCreds(1), counting calls in n (if non-nil).
func fakeFetch(n *atomic.Int32) func(context.Context) (Credentials, error) {
	return func(context.Context) (Credentials, error) {
		if n != nil {
			n.Add(1)
		}
		return fakeCreds(1), nil
	}
}

func TestCorruptEntryIgnoredAndReplaced(t *testing.T) {
	k := Key{RoleARN: "arn:aws:iam::1:role/x"}
	for _, content := range []string{
		"", "{", "null", `{"Credentials": 5}`, `{"Credentials": {"AccessKeyId": "A"}}`,
		`{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "S3CRETVALUE", "SessionToken": "T", "Expiration": 7}}`,
		`{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": 12345678, "SessionToken": "T", "Expiration": "2030-01-01T00:00:00Z"}}`,
		"\x00\xff garbage",
	} {
		c, lr := newCache(t)
		if err := os.MkdirAll(c.Dir, 0o700); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(c.Dir, k.FileName())
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, ok := c.Get(k); ok {
			t.Fatalf("corrupt %q: hit", content)
		}
		var n atomic.Int32
		cr, from, err := c.GetOrFetch(context.Background(), k, fakeFetch(&n))
		if err != nil || from || n.Load() != 1 {
			t.Fatalf("GetOrFetch: %v %v %d", err, from, n.Load())
		}
		if got, ok := c.Get(k); !ok || !reflect.DeepEqual(got, cr) {
			t.Fatalf("entry not replaced: %v %+v", ok, got)
		}
		if strings.Contains(lr.String(), "S3CRETVALUE") || strings.Contains(lr.String(), "12345678") {
			t.Errorf("log leaks content:\n%s", lr)
		}
		checkNoSecrets(t, lr.String(), cr)
	}
}

func TestPutModeAndRoundTrip(t *testing.T) {
	c, lr := newCache(t)
	k := Key{RoleARN: "arn:aws:iam::1:role/x", SerialNumber: "arn:aws:iam::1:mfa/a"}
	want := fakeCreds(3)
	if err := c.Put(k, want); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(c.Dir, k.FileName())
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("entry mode %v, want 0600", fi.Mode().Perm())
		}
		di, _ := os.Stat(c.Dir)
		if di.Mode().Perm() != 0o700 {
			t.Errorf("dir mode %v, want 0700", di.Mode().Perm())
		}
	}
	got, ok := c.Get(k)
	if !ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip: %v\n got %+v\nwant %+v", ok, got, want)
	}
	// Overwrite; no temporary files are left behind.
	if err := c.Put(k, fakeCreds(4)); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(c.Dir)
	if len(ents) != 1 {
		t.Errorf("leftover files: %v", ents)
	}
	checkNoSecrets(t, lr.String(), want, fakeCreds(4))
}

// shape maps a decoded JSON value to its key/type skeleton.
func shape(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, x := range v {
			m[k] = shape(x)
		}
		return m
	case string:
		return "string"
	case float64:
		if v == float64(int64(v)) {
			return "int"
		}
		return "float"
	case bool:
		return "bool"
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%T", v)
	}
}

func TestWrittenEntryShapeMatchesGolden(t *testing.T) {
	c, _ := newCache(t)
	k := Key{RoleARN: "r"}
	if err := c.Put(k, fakeCreds(1)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(c.Dir, k.FileName()))
	if err != nil {
		t.Fatal(err)
	}
	var ours map[string]any
	if err := json.Unmarshal(data, &ours); err != nil {
		t.Fatal(err)
	}
	gotExp := ours["Credentials"].(map[string]any)["Expiration"].(string)
	if want := "2026-11-23T10:00:00.123456Z"; gotExp != want {
		t.Errorf("Expiration %q, want %q (golden format)", gotExp, want)
	}
	for _, g := range goldenTable {
		_, golden := goldenCreds(t, g.file)
		// PackedPolicySize is only in STS responses to calls with session
		// policies; HTTPHeaders is a string map whose keys vary.
		delete(golden, "PackedPolicySize")
		golden["ResponseMetadata"].(map[string]any)["HTTPHeaders"] = map[string]any{}
		if gs, os := shape(golden), shape(ours); !reflect.DeepEqual(gs, os) {
			t.Errorf("shape differs from %s:\n got %v\nwant %v", g.file, os, gs)
		}
	}
}

func TestGetOrFetchHitAndFetchError(t *testing.T) {
	c, _ := newCache(t)
	k := Key{RoleARN: "r"}
	boom := errors.New("sts said no")
	_, _, err := c.GetOrFetch(context.Background(), k, func(context.Context) (Credentials, error) { return Credentials{}, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	var n atomic.Int32
	for i := 0; i < 3; i++ {
		_, from, err := c.GetOrFetch(context.Background(), k, fakeFetch(&n))
		if err != nil || from != (i > 0) {
			t.Fatalf("call %d: from=%v err=%v", i, from, err)
		}
	}
	if n.Load() != 1 {
		t.Errorf("fetches = %d", n.Load())
	}
}

func TestGetOrFetchUnwritableDir(t *testing.T) {
	c, lr := newCache(t)
	// A regular file where the cache dir should be: nothing can be created.
	parent := t.TempDir()
	c.Dir = filepath.Join(parent, "file", "cache")
	if err := os.WriteFile(filepath.Join(parent, "file"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cr, from, err := c.GetOrFetch(context.Background(), Key{RoleARN: "r"}, fakeFetch(nil))
	if err != nil || from || cr.AccessKeyID == "" {
		t.Fatalf("GetOrFetch: %v %v %+v", err, from, cr.AccessKeyID)
	}
	if !strings.Contains(lr.String(), "not cached") {
		t.Errorf("unwritable dir not logged:\n%s", lr)
	}
}

func TestGetOrFetchConcurrentGoroutines(t *testing.T) {
	c, _ := newCache(t)
	k := Key{RoleARN: "r"}
	var n atomic.Int32
	fetch := func(ctx context.Context) (Credentials, error) {
		n.Add(1)
		time.Sleep(50 * time.Millisecond)
		return fakeCreds(1), nil
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			cr, _, err := c.GetOrFetch(context.Background(), k, fetch)
			if err == nil && cr.AccessKeyID != fakeCreds(1).AccessKeyID {
				err = errors.New("wrong credentials")
			}
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n.Load() != 1 {
		t.Errorf("fetch called %d times, want 1", n.Load())
	}
}

func TestGetOrFetchLockHonoursContext(t *testing.T) {
	c, _ := newCache(t)
	k := Key{RoleARN: "r"}
	unlock, err := c.lock(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, _, err = c.GetOrFetch(ctx, k, fakeFetch(nil))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}

func TestGetOrFetchLockWait(t *testing.T) {
	c, _ := newCache(t)
	c.LockWait = 50 * time.Millisecond
	k := Key{RoleARN: "r"}
	unlock, err := c.lock(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	_, _, err = c.GetOrFetch(context.Background(), k, fakeFetch(nil))
	var lt *LockTimeoutError
	if !errors.As(err, &lt) || lt.Wait != c.LockWait || !strings.HasSuffix(lt.Path, k.FileName()+".lock") {
		t.Fatalf("err = %v, want a LockTimeoutError", err)
	}
	if !strings.Contains(lt.Hint(), "MFA") {
		t.Errorf("hint %q does not mention MFA", lt.Hint())
	}
}

// Multi-process helpers: the test binary re-executes itself with
// CREDCACHE_HELPER set.
const helperEnv = "CREDCACHE_TEST_HELPER"

func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("helper process only")
	}
	dir := os.Getenv("CREDCACHE_TEST_DIR")
	c := &Cache{Dir: dir, Now: func() time.Time { return testNow }}
	k := Key{RoleARN: "arn:aws:iam::1:role/multi"}
	switch mode {
	case "getorfetch":
		// Wait for the start signal so that all processes race.
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			if _, err := os.Stat(os.Getenv("CREDCACHE_TEST_START")); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no start signal")
			}
		}
		cr, _, err := c.GetOrFetch(context.Background(), k, func(context.Context) (Credentials, error) {
			f, err := os.OpenFile(os.Getenv("CREDCACHE_TEST_COUNTER"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
			if err != nil {
				return Credentials{}, err
			}
			_, err = f.Write([]byte(fmt.Sprintf("%d\n", os.Getpid())))
			f.Close()
			time.Sleep(200 * time.Millisecond)
			return fakeCreds(1), err
		})
		if err != nil {
			t.Fatal(err)
		}
		if cr.AccessKeyID != fakeCreds(1).AccessKeyID {
			t.Fatal("wrong credentials")
		}
	case "lockandsleep":
		if _, err := c.lock(context.Background(), k); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(os.Getenv("CREDCACHE_TEST_START"), []byte("locked"), 0o600); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
	}
}

func helperCmd(t *testing.T, mode, dir, start, counter string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, "CREDCACHE_TEST_DIR="+dir,
		"CREDCACHE_TEST_START="+start, "CREDCACHE_TEST_COUNTER="+counter)
	return cmd
}

func TestGetOrFetchMultiProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "cache")
	start := filepath.Join(tmp, "start")
	counter := filepath.Join(tmp, "counter")
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for i := 0; i < 8; i++ {
		cmd := helperCmd(t, "getorfetch", dir, start, counter)
		out := new(bytes.Buffer)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	if err := os.WriteFile(start, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i, err, outs[i])
		}
	}
	data, err := os.ReadFile(counter)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\n"); n != 1 {
		t.Errorf("fetch called %d times across processes, want 1:\n%s", n, data)
	}
}

func TestKilledLockHolderDoesNotBlock(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "cache")
	locked := filepath.Join(tmp, "locked")
	cmd := helperCmd(t, "lockandsleep", dir, locked, "")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(locked); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("child never locked:\n%s", out.String())
		}
	}
	c := &Cache{Dir: dir, Now: func() time.Time { return testNow }}
	k := Key{RoleARN: "arn:aws:iam::1:role/multi"}
	// While the child lives, the lock is held.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	_, _, err := c.GetOrFetch(ctx, k, fakeFetch(nil))
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("lock not held by child: %v", err)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on unix
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if _, err := os.Stat(filepath.Join(dir, k.FileName()+".lock")); err != nil {
		t.Fatalf("lock file should still exist: %v", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var n atomic.Int32
	if _, _, err := c.GetOrFetch(ctx, k, fakeFetch(&n)); err != nil || n.Load() != 1 {
		t.Fatalf("after kill: err=%v fetches=%d", err, n.Load())
	}
}

func FuzzReadEntry(f *testing.F) {
	ents, err := os.ReadDir(goldenDir)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(goldenDir, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	good, _ := marshalEntry(fakeCreds(1))
	f.Add(good)
	f.Add([]byte(`{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "2026-11-23 10:02:59UTC"}}`))
	f.Add([]byte(`{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": 1.7e9}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cr, err := readEntry(data)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		if cr.AccessKeyID == "" || cr.SecretAccessKey == "" || cr.SessionToken == "" || cr.Expiration.IsZero() {
			t.Fatalf("accepted incomplete entry: %+v", cr)
		}
		// What we accept we can write and read back identically.
		out, err := marshalEntry(cr)
		if err != nil {
			t.Fatal(err)
		}
		back, err := readEntry(out)
		if err != nil {
			t.Fatalf("re-read: %v", err)
		}
		if !back.Expiration.Equal(cr.Expiration.Truncate(time.Microsecond)) {
			t.Fatalf("expiration round trip: %v != %v", back.Expiration, cr.Expiration)
		}
		back.Expiration = cr.Expiration
		if !reflect.DeepEqual(back, cr) {
			t.Fatalf("round trip:\n%+v\n%+v", back, cr)
		}
	})
}

func TestEntryLayoutIsPythons(t *testing.T) {
	cr := fakeCreds(1)
	cr.SessionToken = `a"b\c,d:e`
	out, err := marshalEntry(cr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), `{"Credentials": {"AccessKeyId": "`) || !strings.Contains(string(out), `"}, "AssumedRoleUser": {"AssumedRoleId": "`) {
		t.Errorf("not in json.dumps layout: %s", out)
	}
	if !strings.Contains(string(out), `"SessionToken": "a\"b\\c,d:e"`) {
		t.Errorf("string content altered: %s", out)
	}
	back, err := readEntry(out)
	if err != nil || back.SessionToken != cr.SessionToken {
		t.Errorf("round trip: %v %q", err, back.SessionToken)
	}
}

func TestRemove(t *testing.T) {
	dir := t.TempDir()
	c := &Cache{Dir: filepath.Join(dir, "cli"), BotoDir: filepath.Join(dir, "boto"), Now: time.Now}
	k, other := Key{RoleARN: "arn:aws:iam::1:role/a"}, Key{RoleARN: "arn:aws:iam::1:role/b"}
	cr := Credentials{AccessKeyID: "ASIA1", SecretAccessKey: "s", SessionToken: "t", Expiration: time.Now().Add(time.Hour)}
	for _, key := range []Key{k, other} {
		if err := c.Put(key, cr); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := c.Remove(context.Background(), k)
	if err != nil || len(removed) != 1 || removed[0] != filepath.Join(c.Dir, k.FileName()) {
		t.Fatalf("removed %v, %v", removed, err)
	}
	if _, ok := c.Get(k); ok {
		t.Error("entry still there")
	}
	if _, ok := c.Get(other); !ok {
		t.Error("another entry was removed")
	}
	if removed, err := c.Remove(context.Background(), k); err != nil || len(removed) != 0 {
		t.Errorf("second remove: %v %v", removed, err)
	}
}
