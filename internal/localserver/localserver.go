// Package localserver runs a local, CodeCommit-compatible HTTPS endpoint for
// development and end-to-end tests.
//
// One listener serves three things, the way CodeCommit and its neighbours
// do on their own hosts:
//
//   - git smart HTTP at /v1/repos/NAME/..., handed to the real
//     git http-backend through net/http/cgi after the CodeCommit "GIT"
//     signature in the Basic-auth pair has been verified (see package sigv4);
//   - the STS query API (POST /, form Action=...), enough of it for
//     GetCallerIdentity, AssumeRole, GetSessionToken and
//     AssumeRoleWithWebIdentity, with SigV4 header authentication;
//   - the CodeCommit JSON API (POST /, X-Amz-Target: CodeCommit_20150413.OP)
//     for CreateRepository, GetRepository, ListRepositories and
//     DeleteRepository.
//
// It is a test double, not a security boundary: keys, sessions and faults
// live in memory, the TLS CA is generated at start and trusted only through
// the PEM file it writes, and it listens on loopback by default. Tests make
// it refuse, skew its clock or expire sessions on demand through [Hooks]
// (package internal/localserver/faults, which the released binary does not
// link).
//
// Behaviour chosen where CodeCommit is not observable here: an unknown
// repository answers 404 with "repository NAME does not exist" (CodeCommit
// itself may answer 403 for repositories the caller cannot see); HTTP/2 is
// not offered, git and the SDKs speak HTTP/1.1.
package localserver

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// User is a long-term IAM user the server knows.
type User struct {
	Name            string
	AccessKeyID     string
	SecretAccessKey string
	Account         string // 12 digits; default Config.Account
	ARN             string // default arn:aws:iam::ACCOUNT:user/NAME
	// MFASerial, when set (arn:aws:iam::ACCOUNT:mfa/NAME), is the only
	// serial number STS accepts from this user. Codes are checked against
	// Config.MFACode or Config.TOTPSecret.
	MFASerial string
}

// Config configures a Server. The zero value is usable apart from Dir.
type Config struct {
	Dir     string // holds bare repositories as Dir/NAME (created if missing)
	Addr    string // default "127.0.0.1:0" (with Persist: the last run's address first)
	Region  string // default "us-east-1": the region git signatures must be scoped to
	Account string // default "111122223333"
	Users   []User // default: one user "dev" with fresh random keys
	// Roles lists the role ARNs AssumeRole accepts; if empty any
	// arn:aws:iam::ACCOUNT:role/NAME is accepted.
	Roles []string
	// MFARoles lists role ARNs whose AssumeRole requires SerialNumber and
	// TokenCode.
	MFARoles []string
	// WebIdentityTokens lists the tokens AssumeRoleWithWebIdentity accepts.
	WebIdentityTokens []string
	// MFACode, if set, is the one code accepted for MFA. TOTPSecret, if
	// set, is a base32 RFC 6238 secret (30 s, 6 digits, ±1 step). If both
	// are empty any six-digit code is accepted.
	MFACode, TOTPSecret string
	// CredentialLifetime is the lifetime of temporary credentials when the
	// caller sends no DurationSeconds; default 1h.
	CredentialLifetime time.Duration
	// AutoCreate creates a repository on its first (authenticated) git access.
	AutoCreate bool
	// Log receives one line per request; nil discards. Access keys appear
	// only as ****LAST4; secrets, tokens and signatures never.
	Log io.Writer
	// Now is the clock; default time.Now. Hooks.ClockSkew shifts it.
	Now func() time.Time
	// CertDir is where ca.pem is written; default a fresh temporary
	// directory removed by Close.
	CertDir string
	// Repos are created at start, if missing.
	Repos []string
	// Persist keeps the server's state in CertDir across restarts (see
	// state.go) and locks it: a second server on it refuses to start.
	Persist bool

	limits limits // zero: the defaults of limits.withDefaults (tests shorten them)
}

// Server is a running local endpoint.
type Server struct {
	cfg     Config
	users   []User
	byKey   map[string]*User
	ln      net.Listener
	conns   *capListener
	lim     limits
	srv     *http.Server
	host    string
	certDir string
	rmCert  bool // remove certDir on Close
	caFile  string
	ca      *x509.Certificate
	caKey   *ecdsa.PrivateKey
	sshKey  ed25519.PrivateKey // SSH host key, when startSSH made or restored one
	persist *persistence       // nil unless Config.Persist
	backend string             // path of git http-backend
	hooks   atomic.Pointer[hooksBox]
	issued  atomic.Uint64 // temporary credentials issued so far

	logMu sync.Mutex

	mu       sync.Mutex
	sessions map[string]*session // by access key id
	tokens   map[string]string   // session token -> access key id
	stsCalls map[string]int
	awsDir   string // where WriteAWSFiles last wrote

	repoMu sync.Mutex // serialises repository creation and deletion

	iam    iamState   // SSH keys and Git credentials (iam.go)
	sshSrv *sshServer // git over SSH (sshgit.go)

	spooled atomic.Int64 // request bodies spooled to disk (chunked pushes)

	closeOnce sync.Once
	closeErr  error
	done      chan struct{}
}

const (
	defaultRegion  = "us-east-1"
	defaultAccount = "111122223333"
)

// Start validates cfg, prepares Dir and the TLS material, and starts
// serving. The server stops when ctx is done or Close is called.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Dir == "" {
		return nil, errors.New("localserver: config has no Dir")
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("localserver: %w", err)
	}
	cfg.Dir = dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("localserver: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = defaultRegion
	}
	if cfg.Account == "" {
		cfg.Account = defaultAccount
	}
	if !isAccount(cfg.Account) {
		return nil, fmt.Errorf("localserver: account %q is not 12 digits", cfg.Account)
	}
	if cfg.CredentialLifetime <= 0 {
		cfg.CredentialLifetime = time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.TOTPSecret != "" {
		if _, err := TOTP(cfg.TOTPSecret, time.Now()); err != nil {
			return nil, fmt.Errorf("localserver: %w", err)
		}
	}
	backend, err := findHTTPBackend()
	if err != nil {
		return nil, err
	}

	s := &Server{
		cfg:      cfg,
		lim:      cfg.limits.withDefaults(),
		byKey:    map[string]*User{},
		backend:  backend,
		sessions: map[string]*session{},
		tokens:   map[string]string{},
		stsCalls: map[string]int{},
		done:     make(chan struct{}),
	}

	if cfg.Persist {
		if cfg.CertDir == "" {
			return nil, errors.New("localserver: Persist needs a CertDir")
		}
		p, err := lockState(cfg.CertDir, cfg.Dir)
		if err != nil {
			return nil, err
		}
		s.persist = p
	}
	users := cfg.Users
	if len(users) == 0 {
		users = []User{{Name: "dev"}}
		if s.persist != nil && len(s.persist.saved.Users) > 0 {
			users = nil
			for _, u := range s.persist.saved.Users {
				users = append(users, User{Name: u.Name, AccessKeyID: u.AccessKeyID, SecretAccessKey: u.SecretAccessKey})
			}
		}
	}
	for _, u := range users {
		if u.Name == "" {
			return nil, errors.New("localserver: user with empty name")
		}
		if u.AccessKeyID == "" {
			u.AccessKeyID = "AKIA" + randomUpperAlnum(16)
		}
		if u.SecretAccessKey == "" {
			u.SecretAccessKey = randomSecret(40)
		}
		if u.Account == "" {
			u.Account = cfg.Account
		}
		if !isAccount(u.Account) {
			return nil, fmt.Errorf("localserver: user %s: account %q is not 12 digits", u.Name, u.Account)
		}
		if u.ARN == "" {
			u.ARN = "arn:aws:iam::" + u.Account + ":user/" + u.Name
		}
		if _, dup := s.byKey[u.AccessKeyID]; dup {
			return nil, fmt.Errorf("localserver: duplicate access key id for user %s", u.Name)
		}
		s.users = append(s.users, u)
		s.byKey[u.AccessKeyID] = &s.users[len(s.users)-1]
	}
	// Re-point byKey at the final slice (append may have moved it).
	for i := range s.users {
		s.byKey[s.users[i].AccessKeyID] = &s.users[i]
	}

	if cfg.CertDir == "" {
		d, err := os.MkdirTemp("", "codecommit-local-")
		if err != nil {
			return nil, fmt.Errorf("localserver: %w", err)
		}
		s.certDir, s.rmCert = d, true
	} else {
		if err := os.MkdirAll(cfg.CertDir, 0o755); err != nil {
			return nil, fmt.Errorf("localserver: %w", err)
		}
		s.certDir = cfg.CertDir
	}
	fail := func(err error) (*Server, error) {
		if s.ln != nil {
			s.ln.Close()
		}
		if s.sshSrv != nil {
			s.closeSSH()
		}
		if s.persist != nil {
			s.persist.unlock()
		}
		if s.rmCert {
			os.RemoveAll(s.certDir)
		}
		return nil, err
	}

	ln, err := s.listen()
	if err != nil {
		return fail(fmt.Errorf("localserver: %w", err))
	}
	s.ln = ln
	s.host = hostForAddr(ln.Addr().(*net.TCPAddr))

	ok := false
	if s.persist != nil {
		s.ca, s.caKey, ok = s.persist.ca()
	}
	if !ok {
		if s.ca, s.caKey, err = newCA(); err != nil {
			return fail(fmt.Errorf("localserver: %w", err))
		}
	}
	cert, err := newLeaf(s.ca, s.caKey, ln.Addr().(*net.TCPAddr).IP)
	if err != nil {
		return fail(fmt.Errorf("localserver: %w", err))
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ca.Raw})
	s.caFile = filepath.Join(s.certDir, "ca.pem")
	if err := os.WriteFile(s.caFile, caPEM, 0o644); err != nil {
		return fail(fmt.Errorf("localserver: %w", err))
	}

	for _, name := range cfg.Repos {
		if err := s.CreateRepository(name, ""); err != nil && !errors.Is(err, errRepoExists) {
			return fail(err)
		}
	}

	if err := s.startSSH(); err != nil {
		return fail(err)
	}
	if s.persist != nil {
		s.restoreSessions()
		s.restoreIAM()
		s.saveState()
		s.persist.announce(s.URL())
	}
	s.srv = &http.Server{
		Handler: s,
		TLSConfig: &tls.Config{
			Certificates: []tls.Certificate{cert},
			MinVersion:   tls.VersionTLS12,
			NextProtos:   []string{"http/1.1"},
		},
		// Non-nil and empty: no HTTP/2.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
		// Per phase: the handshake and headers, the wait between
		// requests; bodies and responses are bounded by how long they
		// stall (see ServeHTTP), so long transfers that move still work.
		ReadHeaderTimeout: s.lim.readHeader,
		IdleTimeout:       s.lim.idle,
		MaxHeaderBytes:    s.lim.maxHeaderBytes,
		ErrorLog:          log.New(errorLogWriter{s}, "", 0),
	}
	s.conns = newCapListener(ln, s.lim.maxConns)
	go func() {
		err := s.srv.Serve(tls.NewListener(s.conns, s.srv.TLSConfig))
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logf("serve: %v", err)
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.done:
		}
	}()
	return s, nil
}

// listen listens on Config.Addr; without one, on the last run's address
// when the server persists and that port is free, else on a free loopback
// port.
func (s *Server) listen() (net.Listener, error) {
	if s.cfg.Addr != "" {
		return net.Listen("tcp", s.cfg.Addr)
	}
	if s.persist != nil && s.persist.saved.Addr != "" {
		ln, err := net.Listen("tcp", s.persist.saved.Addr)
		if err == nil {
			return ln, nil
		}
		s.logf("the last run's address %s is not free (%v); listening on a new port: clones and the CA bundle path stay, clone URLs change", s.persist.saved.Addr, err)
	}
	return net.Listen("tcp", "127.0.0.1:0")
}

// Close stops the server and removes its temporary certificate directory
// (if it made one). Repositories in Dir are left in place.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil {
			s.srv.Close()
		}
		s.closeSSH()
		if s.persist != nil {
			s.persist.unlock()
		}
		if s.rmCert {
			s.closeErr = os.RemoveAll(s.certDir)
		}
	})
	return s.closeErr
}

// Host returns "127.0.0.1:PORT": the value CODE_COMMIT_ENDPOINT must hold.
func (s *Server) Host() string { return s.host }

// URL returns "https://HOST".
func (s *Server) URL() string { return "https://" + s.host }

// CAFile returns the PEM file of the CA that signed the server certificate.
func (s *Server) CAFile() string { return s.caFile }

// Region returns the region git signatures must be scoped to.
func (s *Server) Region() string { return s.cfg.Region }

// Account returns the server's default account.
func (s *Server) Account() string { return s.cfg.Account }

// Dir returns the absolute directory holding the repositories.
func (s *Server) Dir() string { return s.cfg.Dir }

// Users returns the configured users with defaults filled in.
func (s *Server) Users() []User {
	return append([]User(nil), s.users...)
}

// STSCalls returns how many STS requests arrived, by Action (including
// the ones that failed); actions the server does not know are counted
// together under "(other)".
func (s *Server) STSCalls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]int, len(s.stsCalls))
	for k, v := range s.stsCalls {
		m[k] = v
	}
	return m
}

// now is the server's clock, skew included.
func (s *Server) now() time.Time {
	return s.cfg.Now().Add(s.clockSkew())
}

// ClientEnv returns the KEY=VALUE settings a client needs to talk to this
// server. AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name the files of
// the last WriteAWSFiles call; if there was none, ClientEnv writes them
// under CertDir/aws first.
func (s *Server) ClientEnv() []string {
	s.mu.Lock()
	dir := s.awsDir
	s.mu.Unlock()
	if dir == "" {
		dir = filepath.Join(s.certDir, "aws")
		if _, _, err := s.WriteAWSFiles(dir); err != nil {
			s.logf("client env: %v", err)
		}
	}
	return []string{
		"CODE_COMMIT_ENDPOINT=" + s.Host(),
		"GIT_SSL_CAINFO=" + s.caFile,
		"AWS_CA_BUNDLE=" + s.caFile,
		"AWS_ENDPOINT_URL_STS=" + s.URL(),
		"AWS_ENDPOINT_URL_CODECOMMIT=" + s.URL(),
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_ENDPOINT_URL_IAM=" + s.URL(),
		"CODE_COMMIT_SSH_ENDPOINT=" + s.SSHHost(),
	}
}

// DemoRoleARN is the role the "role" profile of WriteAWSFiles assumes:
// arn:aws:iam::ACCOUNT:role/demo-role, or the first of Config.Roles if
// that list is set and does not contain it.
func (s *Server) DemoRoleARN() string {
	arn := "arn:aws:iam::" + s.cfg.Account + ":role/demo-role"
	if len(s.cfg.Roles) > 0 && !contains(s.cfg.Roles, arn) {
		return s.cfg.Roles[0]
	}
	return arn
}

// WriteAWSFiles writes a shared config and credentials file (mode 0600)
// into dir. Profiles: "default" and "dev" hold the first user's static keys;
// "role" assumes DemoRoleARN with source_profile dev; if the first user has
// an MFASerial, "role-mfa" does the same with mfa_serial set. All carry the
// server's region and ca_bundle.
func (s *Server) WriteAWSFiles(dir string) (configPath, credentialsPath string, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("localserver: %w", err)
	}
	u := s.users[0]
	region := s.cfg.Region
	var c strings.Builder
	fmt.Fprintf(&c, "[default]\nregion = %s\nca_bundle = %s\n\n", region, s.caFile)
	fmt.Fprintf(&c, "[profile dev]\nregion = %s\nca_bundle = %s\n\n", region, s.caFile)
	fmt.Fprintf(&c, "[profile role]\nrole_arn = %s\nsource_profile = dev\nregion = %s\nca_bundle = %s\n", s.DemoRoleARN(), region, s.caFile)
	if u.MFASerial != "" {
		fmt.Fprintf(&c, "\n[profile role-mfa]\nrole_arn = %s\nsource_profile = dev\nmfa_serial = %s\nregion = %s\nca_bundle = %s\n", s.DemoRoleARN(), u.MFASerial, region, s.caFile)
	}
	var k strings.Builder
	for _, p := range []string{"default", "dev"} {
		fmt.Fprintf(&k, "[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n", p, u.AccessKeyID, u.SecretAccessKey)
	}
	configPath = filepath.Join(dir, "config")
	credentialsPath = filepath.Join(dir, "credentials")
	if err := writeFile0600(configPath, c.String()); err != nil {
		return "", "", err
	}
	if err := writeFile0600(credentialsPath, k.String()); err != nil {
		return "", "", err
	}
	s.mu.Lock()
	s.awsDir = dir
	s.mu.Unlock()
	return configPath, credentialsPath, nil
}

func writeFile0600(path, content string) error {
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		return fmt.Errorf("localserver: %w", err)
	}
	// WriteFile keeps the mode of an existing file.
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("localserver: %w", err)
	}
	return nil
}

// Serve starts a server, writes the AWS files into CERTDIR/aws (CertDir
// defaults here to DIR.codecommit-local next to Dir, so the printed paths
// stay valid while the server runs and are reused by the next run), prints
// the shell exports of ClientEnv and the demo access key id (never the
// secret) on stdout, and blocks until ctx is done.
func Serve(ctx context.Context, cfg Config, stdout io.Writer) error {
	if cfg.CertDir == "" && cfg.Dir != "" {
		abs, err := filepath.Abs(cfg.Dir)
		if err != nil {
			return fmt.Errorf("localserver: %w", err)
		}
		cfg.CertDir = filepath.Join(filepath.Dir(abs), filepath.Base(abs)+".codecommit-local")
	}
	cfg.Persist = true
	s, err := Start(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, _, err := s.WriteAWSFiles(filepath.Join(s.certDir, "aws")); err != nil {
		return err
	}
	var b strings.Builder
	for _, kv := range s.ClientEnv() {
		k, v, _ := strings.Cut(kv, "=")
		fmt.Fprintf(&b, "export %s=%s\n", k, shellQuote(v))
	}
	u := s.users[0]
	fmt.Fprintf(&b, "# serving %s (region %s, account %s); repositories in %s\n", s.URL(), s.cfg.Region, s.cfg.Account, s.cfg.Dir)
	fmt.Fprintf(&b, "# demo user %s: access key id %s (secret in the credentials file; profiles default, dev, role)\n", u.Name, u.AccessKeyID)
	fmt.Fprintf(&b, "# git over SSH on %s; its host key, for ~/.ssh/known_hosts: %s\n", s.SSHHost(), s.KnownHostsLine())
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		return fmt.Errorf("localserver: %w", err)
	}
	select {
	case <-ctx.Done():
	case <-s.done:
	}
	return s.Close()
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-:+=,@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ServeHTTP routes a request: git under /v1/repos/, the AWS APIs at /.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	info := &reqInfo{}
	rc := http.NewResponseController(w)
	// A body (and the unread rest the server discards after us) may stall
	// for at most bodyIdle; a response write for at most writeIdle.
	if r.Body != nil && r.Body != http.NoBody {
		rc.SetReadDeadline(time.Now().Add(s.lim.bodyIdle))
		// A copy: net/http decides from the original request's body
		// whether to drain what the handler left unread.
		r2 := *r
		r2.Body = &deadlineBody{ReadCloser: r.Body, rc: rc, idle: s.lim.bodyIdle}
		r = &r2
	}
	rc.SetWriteDeadline(time.Now().Add(s.lim.writeIdle))
	lw := &logWriter{ResponseWriter: w, rc: rc, idle: s.lim.writeIdle}
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	defer func() {
		// What the server still writes after us (buffered data, the
		// last chunk) gets a fresh bound too.
		rc.SetWriteDeadline(time.Now().Add(s.lim.writeIdle))
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			info.reason = fmt.Sprint("internal error: ", v)
			if lw.status == 0 {
				http.Error(lw, "internal error", http.StatusInternalServerError)
			}
		}
		s.logRequest(r, lw.status, info)
	}()
	switch {
	case strings.HasPrefix(r.URL.Path, repoPrefix):
		s.serveGit(lw, r, info)
	case r.URL.Path == "/":
		s.serveAPI(lw, r, info)
	default:
		info.reason = "no such endpoint"
		plainError(lw, http.StatusNotFound, "not found: "+logField(r.URL.Path, maxLogField))
	}
}

// reqInfo collects what the log line reports about a request.
type reqInfo struct {
	key    string
	action string
	reason string
}

type logWriter struct {
	http.ResponseWriter
	status int
	rc     *http.ResponseController
	idle   time.Duration
}

func (w *logWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *logWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.rc.SetWriteDeadline(time.Now().Add(w.idle))
	return w.ResponseWriter.Write(p)
}

func (w *logWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		w.rc.SetWriteDeadline(time.Now().Add(w.idle))
		if w.status == 0 {
			w.status = http.StatusOK
		}
		f.Flush()
	}
}

func (w *logWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) logRequest(r *http.Request, status int, info *reqInfo) {
	if status == 0 {
		status = http.StatusOK
	}
	// Every field may come from the request: each is clipped and escaped
	// so that one request makes one short line.
	path := r.URL.Path
	if svc := r.URL.Query().Get("service"); svc != "" {
		path += "?service=" + svc
	}
	line := fmt.Sprintf("%s %s %d", logField(r.Method, 20), logField(path, maxLogField), status)
	if info.action != "" {
		line += " action=" + logField(info.action, maxLogField)
	}
	if info.key != "" {
		line += " key=" + logField(maskKey(info.key), 8)
	}
	if info.reason != "" {
		line += " reason=" + strconv.Quote(clipUTF8(info.reason, maxLogReason))
	}
	s.logf("%s", line)
}

// logf writes one log line. Callers escape request-supplied fields with
// logField; as a last guard every control character left is escaped and
// the line is clipped, so no caller can break a line in two.
func (s *Server) logf(format string, args ...any) {
	line := oneLogLine(fmt.Sprintf(format, args...))
	s.logMu.Lock()
	defer s.logMu.Unlock()
	io.WriteString(s.cfg.Log, "localserver: "+line+"\n")
}

// maskKey shows only the last four characters of an access key id.
func maskKey(k string) string {
	if len(k) <= 4 {
		return "****"
	}
	return "****" + k[len(k)-4:]
}

func plainError(w http.ResponseWriter, code int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	io.WriteString(w, msg+"\n")
}

func hostForAddr(a *net.TCPAddr) string {
	ip := a.IP
	if ip == nil || ip.IsUnspecified() {
		if ip.To4() == nil && ip != nil {
			ip = net.IPv6loopback
		} else {
			ip = net.IPv4(127, 0, 0, 1)
		}
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(a.Port))
}

func findHTTPBackend() (string, error) {
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		return "", fmt.Errorf("localserver: git not found: %w", err)
	}
	p := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("localserver: git http-backend not found: %w", err)
	}
	return p, nil
}

func isAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randomUpperAlnum(n int) string { return randomFrom(upperAlnum, n) }

func randomSecret(n int) string {
	return randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", n)
}

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
