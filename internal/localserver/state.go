package localserver

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/gitcodecommit/git-codecommit/internal/atomicfile"
	"github.com/gitcodecommit/git-codecommit/internal/filelock"
	"github.com/gitcodecommit/git-codecommit/internal/safefile"
)

// What a persistent server (Config.Persist) keeps in CertDir, so that a
// restart on the same directory keeps what clients cached from the last
// run: the CA their TLS trusts, the users' access keys in their AWS files,
// the temporary credentials in their AWS CLI cache, the ports in their
// clone URLs and the SSH host key in their known_hosts. The lock file makes
// a second server on the same directory refuse to start.
const (
	stateFile = "state.json"
	lockFile  = "serve.lock"
	maxState  = 16 << 20
)

type savedState struct {
	Addr       string         `json:"addr,omitempty"`
	SSHAddr    string         `json:"sshAddr,omitempty"`
	CACert     string         `json:"caCert,omitempty"`     // PEM
	CAKey      string         `json:"caKey,omitempty"`      // PEM, PKCS #8
	SSHHostKey string         `json:"sshHostKey,omitempty"` // PEM, PKCS #8
	Users      []savedUser    `json:"users,omitempty"`
	Sessions   []savedSession `json:"sessions,omitempty"`
	SSHKeys    []savedSSHKey  `json:"sshPublicKeys,omitempty"`
	GitCreds   []savedCred    `json:"serviceSpecificCredentials,omitempty"`
}

type savedSSHKey struct {
	ID, User, Account, ARN string
	PublicKey              string // authorized_keys line
	Status                 string
	Uploaded               time.Time
}

type savedCred struct {
	ID, User, Account, ARN string
	Service, ServiceUser   string
	Password               string
	Status                 string
	Created                time.Time
}

type savedUser struct {
	Name            string `json:"name"`
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
}

type savedSession struct {
	AccessKeyID string    `json:"accessKeyId"`
	Secret      string    `json:"secretAccessKey"`
	Token       string    `json:"sessionToken"`
	Expires     time.Time `json:"expiration"`
	ARN         string    `json:"arn"`
	UserID      string    `json:"userId"`
	Account     string    `json:"account"`
}

// persistence is the state of a persistent server.
type persistence struct {
	dir    string
	unlock func()
	saved  savedState // as loaded at start
	mu     sync.Mutex // serialises saves
}

// ErrDirInUse is returned by Start when another server holds the
// directory's lock.
var ErrDirInUse = errors.New("directory is already served")

// lockState takes the lock of dir without waiting and loads its state.
func lockState(dir, repoDir string) (*persistence, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("localserver: %w", err)
	}
	path := filepath.Join(dir, lockFile)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	unlock, err := filelock.Lock(ctx, path, cancel)
	if errors.Is(err, context.Canceled) {
		holder := "an unknown address"
		if b, err := safefile.Read(path, 4096); err == nil && len(strings.TrimSpace(string(b))) > 0 {
			holder = logField(strings.TrimSpace(string(b)), 200)
		}
		return nil, fmt.Errorf("localserver: %w: %s is served by another git codecommit serve at %s; stop it or use another --dir", ErrDirInUse, repoDir, holder)
	}
	if err != nil {
		return nil, fmt.Errorf("localserver: %w", err)
	}
	p := &persistence{dir: dir, unlock: unlock}
	b, err := safefile.Read(filepath.Join(dir, stateFile), maxState)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		unlock()
		return nil, fmt.Errorf("localserver: %w", err)
	default:
		if err := json.Unmarshal(b, &p.saved); err != nil {
			unlock()
			return nil, fmt.Errorf("localserver: %s is damaged (%v); remove it to start afresh (new keys and CA)", filepath.Join(dir, stateFile), err)
		}
	}
	return p, nil
}

// announce writes the server's address into the lock file, for the
// message of a second server.
func (p *persistence) announce(addr string) {
	os.WriteFile(filepath.Join(p.dir, lockFile), []byte(fmt.Sprintf("%s (pid %d)\n", addr, os.Getpid())), 0o600)
}

// caFromState returns the saved CA, if any.
func (p *persistence) ca() (*x509.Certificate, *ecdsa.PrivateKey, bool) {
	cb, _ := pem.Decode([]byte(p.saved.CACert))
	kb, _ := pem.Decode([]byte(p.saved.CAKey))
	if cb == nil || kb == nil {
		return nil, nil, false
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil || time.Now().After(cert.NotAfter) {
		return nil, nil, false
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	key, ok := k.(*ecdsa.PrivateKey)
	if err != nil || !ok {
		return nil, nil, false
	}
	return cert, key, true
}

func (p *persistence) sshHostKey() (ed25519.PrivateKey, bool) {
	b, _ := pem.Decode([]byte(p.saved.SSHHostKey))
	if b == nil {
		return nil, false
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	key, ok := k.(ed25519.PrivateKey)
	return key, err == nil && ok
}

func pemPKCS8(key any) string {
	b, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return ""
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: b}))
}

// saveState writes the server's current state (if it persists), leaving
// out expired sessions.
func (s *Server) saveState() {
	p := s.persist
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	st := savedState{
		Addr:       s.ln.Addr().String(),
		CACert:     string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ca.Raw})),
		CAKey:      pemPKCS8(s.caKey),
		SSHHostKey: p.saved.SSHHostKey,
	}
	if s.sshSrv != nil {
		st.SSHAddr = s.sshSrv.ln.Addr().String()
		if s.sshKey != nil {
			st.SSHHostKey = pemPKCS8(s.sshKey)
		}
	}
	for _, u := range s.users {
		st.Users = append(st.Users, savedUser{Name: u.Name, AccessKeyID: u.AccessKeyID, SecretAccessKey: u.SecretAccessKey})
	}
	s.iam.mu.Lock()
	for _, k := range s.iam.sshKeys {
		st.SSHKeys = append(st.SSHKeys, savedSSHKey{ID: k.id, User: k.user, Account: k.account, ARN: k.arn, PublicKey: strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k.pub))), Status: k.status, Uploaded: k.uploaded})
	}
	for _, c := range s.iam.creds {
		st.GitCreds = append(st.GitCreds, savedCred{ID: c.id, User: c.user, Account: c.account, ARN: c.arn, Service: c.service, ServiceUser: c.serviceUser, Password: c.password, Status: c.status, Created: c.created})
	}
	s.iam.mu.Unlock()
	now := s.now()
	s.mu.Lock()
	for key, ss := range s.sessions {
		if now.Before(ss.expires) {
			st.Sessions = append(st.Sessions, savedSession{AccessKeyID: key, Secret: ss.secret, Token: ss.token, Expires: ss.expires, ARN: ss.arn, UserID: ss.userID, Account: ss.account})
		}
	}
	s.mu.Unlock()
	b, err := json.MarshalIndent(st, "", "  ")
	if err == nil {
		err = atomicfile.Write(filepath.Join(p.dir, stateFile), b, 0o600)
	}
	if err != nil {
		s.logf("saving state: %v", err)
	}
}

// restoreIAM takes back the SSH keys and Git credentials of the last run.
func (s *Server) restoreIAM() {
	st := &s.iam
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, k := range s.persist.saved.SSHKeys {
		pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(k.PublicKey))
		if err != nil {
			continue
		}
		st.sshKeys = append(st.sshKeys, &sshKey{iamEntry: iamEntry{id: k.ID, user: k.User, account: k.Account, arn: k.ARN, status: k.Status}, pub: pub, uploaded: k.Uploaded})
	}
	for _, c := range s.persist.saved.GitCreds {
		st.creds = append(st.creds, &serviceCred{iamEntry: iamEntry{id: c.ID, user: c.User, account: c.Account, arn: c.ARN, status: c.Status}, service: c.Service, serviceUser: c.ServiceUser, password: c.Password, created: c.Created})
	}
}

// restoreSessions takes back the unexpired sessions of the last run.
func (s *Server) restoreSessions() {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ss := range s.persist.saved.Sessions {
		if !now.Before(ss.Expires) || ss.AccessKeyID == "" || ss.Token == "" || s.byKey[ss.AccessKeyID] != nil {
			continue
		}
		s.sessions[ss.AccessKeyID] = &session{secret: ss.Secret, token: ss.Token, expires: ss.Expires, arn: ss.ARN, userID: ss.UserID, account: ss.Account, serial: s.issued.Add(1)}
		s.tokens[ss.Token] = ss.AccessKeyID
	}
}
