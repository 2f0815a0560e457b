package localserver

// git over SSH, on a second loopback port: what CodeCommit's
// git-codecommit.REGION.amazonaws.com:22 does. The SSH user must be the ID
// of an Active SSH public key uploaded through the IAM API (APKA…), and the
// client must prove that key; anything else gets "Permission denied
// (publickey)". A session may exec only `git-upload-pack '/v1/repos/NAME'`
// or `git-receive-pack '/v1/repos/NAME'` (git-upload-archive is refused),
// run by the real git in the repository's directory, and may set only
// GIT_PROTOCOL.

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// sshServer is the SSH listener of a Server.
type sshServer struct {
	ln      net.Listener
	cfg     *ssh.ServerConfig
	hostKey ssh.PublicKey

	mu     sync.Mutex
	conns  map[net.Conn]bool
	closed bool
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

// startSSH listens for git over SSH on the same address as the HTTPS
// listener, another port.
func (s *Server) startSSH() error {
	// A persistent server keeps its host key and port (clients' known_hosts).
	priv, ok := ed25519.PrivateKey(nil), false
	if s.persist != nil {
		priv, ok = s.persist.sshHostKey()
	}
	if !ok {
		var err error
		if _, priv, err = ed25519.GenerateKey(rand.Reader); err != nil {
			return fmt.Errorf("localserver: ssh host key: %w", err)
		}
	}
	s.sshKey = priv
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return fmt.Errorf("localserver: ssh host key: %w", err)
	}
	ip := s.ln.Addr().(*net.TCPAddr).IP
	var ln net.Listener
	if s.persist != nil && s.persist.saved.SSHAddr != "" {
		if h, _, _ := net.SplitHostPort(s.persist.saved.SSHAddr); net.ParseIP(h).Equal(ip) {
			ln, err = net.Listen("tcp", s.persist.saved.SSHAddr)
		}
	}
	if ln == nil {
		ln, err = net.Listen("tcp", net.JoinHostPort(ip.String(), "0"))
	}
	if err != nil {
		return fmt.Errorf("localserver: ssh: %w", err)
	}
	// The same bounds as the HTTPS listener: a cap on connections served
	// at once, the handshake within the header bound, and a connection
	// that opens no session within the idle bound is closed.
	ln = newCapListener(ln, s.lim.maxConns)
	ss := &sshServer{ln: ln, hostKey: signer.PublicKey(), conns: map[net.Conn]bool{}}
	ss.ctx, ss.cancel = context.WithCancel(context.Background())
	ss.cfg = &ssh.ServerConfig{
		PublicKeyCallback: func(meta ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			c, reason := s.activeSSHKey(meta.User(), key)
			if c == nil {
				s.logf("ssh %s: publickey refused for user %q: %s", meta.RemoteAddr(), clipUser(meta.User()), reason)
				return nil, errors.New(reason)
			}
			return &ssh.Permissions{Extensions: map[string]string{"arn": c.arn, "account": c.account, "key": c.key}}, nil
		},
		ServerVersion: "SSH-2.0-CodeCommitLocal",
	}
	ss.cfg.AddHostKey(signer)
	s.sshSrv = ss
	ss.wg.Add(1)
	go func() {
		defer ss.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			if !ss.track(conn, true) {
				conn.Close()
				return
			}
			ss.wg.Add(1)
			go func() {
				defer ss.wg.Done()
				defer ss.track(conn, false)
				s.serveSSHConn(conn)
			}()
		}
	}()
	return nil
}

func clipUser(u string) string {
	if len(u) > 64 {
		return u[:64] + "…"
	}
	return u
}

func (ss *sshServer) track(c net.Conn, add bool) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if add {
		if ss.closed {
			return false
		}
		ss.conns[c] = true
		return true
	}
	delete(ss.conns, c)
	c.Close()
	return true
}

// closeSSH stops the SSH listener, ends every connection (and the git
// processes they run) and waits for them.
func (s *Server) closeSSH() {
	ss := s.sshSrv
	if ss == nil {
		return
	}
	ss.mu.Lock()
	ss.closed = true
	ss.ln.Close()
	for c := range ss.conns {
		c.Close()
	}
	ss.mu.Unlock()
	ss.cancel()
	ss.wg.Wait()
}

// SSHHost returns "127.0.0.1:PORT" of the SSH listener: the value
// CODE_COMMIT_SSH_ENDPOINT must hold.
func (s *Server) SSHHost() string {
	if s.sshSrv == nil {
		return ""
	}
	return hostForAddr(s.sshSrv.ln.Addr().(*net.TCPAddr))
}

// SSHHostKey returns the SSH host public key in authorized_keys form
// (without a newline), for a known_hosts line.
func (s *Server) SSHHostKey() string {
	if s.sshSrv == nil {
		return ""
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.sshSrv.hostKey)))
}

// KnownHostsLine returns the known_hosts line of the SSH listener.
func (s *Server) KnownHostsLine() string {
	h, p, _ := net.SplitHostPort(s.SSHHost())
	return "[" + h + "]:" + p + " " + s.SSHHostKey()
}

func (s *Server) serveSSHConn(conn net.Conn) {
	conn.SetDeadline(time.Now().Add(s.lim.readHeader))
	sc, chans, reqs, err := ssh.NewServerConn(conn, s.sshSrv.cfg)
	if err != nil {
		return
	}
	defer sc.Close()
	conn.SetDeadline(time.Now().Add(s.lim.idle))
	opened := false
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "only session channels")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			continue
		}
		if !opened {
			// A session moves data at git's pace from here on.
			conn.SetDeadline(time.Time{})
			opened = true
		}
		s.sshSrv.wg.Add(1)
		go func() {
			defer s.sshSrv.wg.Done()
			s.serveSSHSession(sc.Permissions, ch, creqs)
		}()
	}
}

func (s *Server) serveSSHSession(perm *ssh.Permissions, ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer ch.Close()
	var env []string
	for req := range reqs {
		switch req.Type {
		case "env":
			var kv struct{ Name, Value string }
			if ssh.Unmarshal(req.Payload, &kv) == nil && kv.Name == "GIT_PROTOCOL" {
				env = append(env, "GIT_PROTOCOL="+kv.Value)
				req.Reply(true, nil)
				continue
			}
			req.Reply(false, nil)
		case "exec":
			var cmd struct{ Command string }
			if err := ssh.Unmarshal(req.Payload, &cmd); err != nil {
				req.Reply(false, nil)
				continue
			}
			req.Reply(true, nil)
			go ssh.DiscardRequests(reqs)
			status := s.runSSHGit(perm, ch, cmd.Command, env)
			ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{status}))
			return
		default:
			req.Reply(false, nil)
		}
	}
}

// parseSSHCommand splits "git-upload-pack '/v1/repos/NAME'" into the
// service and the repository name.
func parseSSHCommand(command string) (service, name string, err error) {
	service, arg, ok := strings.Cut(command, " ")
	if !ok || (service != "git-upload-pack" && service != "git-receive-pack") {
		return "", "", fmt.Errorf("only git-upload-pack and git-receive-pack are served")
	}
	arg = strings.TrimSpace(arg)
	if len(arg) >= 2 && arg[0] == '\'' && arg[len(arg)-1] == '\'' {
		arg = arg[1 : len(arg)-1]
	}
	p, found := strings.CutPrefix(strings.TrimSuffix(arg, "/"), strings.TrimPrefix(repoPrefix, "/"))
	if !found {
		p, found = strings.CutPrefix(strings.TrimSuffix(arg, "/"), repoPrefix)
	}
	if !found || !validRepoName(p) {
		return "", "", fmt.Errorf("the repository path must be /v1/repos/NAME")
	}
	return service, p, nil
}

func (s *Server) runSSHGit(perm *ssh.Permissions, ch ssh.Channel, command string, env []string) uint32 {
	fail := func(format string, args ...any) uint32 {
		msg := fmt.Sprintf(format, args...)
		s.logf("ssh %s: %s", logField(command, maxLogField), logField(msg, maxLogReason))
		fmt.Fprintf(ch.Stderr(), "fatal: %s\n", msg)
		return 128
	}
	service, name, err := parseSSHCommand(command)
	if err != nil {
		return fail("%v", err)
	}
	arn, account, key := perm.Extensions["arn"], perm.Extensions["account"], perm.Extensions["key"]
	push := service == "git-receive-pack"
	// SSH has one host for every region: it serves the server's region.
	region := s.cfg.Region
	if !s.repoExists(region, name) {
		if !s.cfg.AutoCreate || !push {
			return fail("repository %s does not exist", name)
		}
		if _, err := s.createRepo(region, name, ""); err != nil && !errors.Is(err, errRepoExists) {
			return fail("auto-create failed: %v", err)
		}
	}
	owner := s.repoAccount(name)
	if owner != account {
		return fail("repository %s belongs to account %s; %s is in account %s", name, owner, arn, account)
	}
	if s.denied(push, key, name) {
		op := "codecommit:GitPull"
		if push {
			op = "codecommit:GitPush"
		}
		return fail("%s is not authorized to perform %s on repository %s (fault)", arn, op, name)
	}
	s.logf("ssh %s %s key=%s", service, name, maskKey(key))
	cmd := exec.CommandContext(s.sshSrv.ctx, "git", strings.TrimPrefix(service, "git-"), s.repoPath(region, name))
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + s.cfg.Dir,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_CONFIG_COUNT=2",
		"GIT_CONFIG_KEY_0=uploadpack.allowFilter",
		"GIT_CONFIG_VALUE_0=true",
		"GIT_CONFIG_KEY_1=safe.directory",
		"GIT_CONFIG_VALUE_1=*",
	}, env...)
	cmd.Stdout = ch
	cmd.Stderr = ch.Stderr()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return fail("%v", err)
	}
	if err := cmd.Start(); err != nil {
		return fail("%v", err)
	}
	go func() {
		io.Copy(stdin, ch)
		stdin.Close()
	}()
	err = cmd.Wait()
	if push {
		s.fixDefaultBranch(region, name)
		s.touchRepo(region, name)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ee.ExitCode() < 0 {
			return 128
		}
		return uint32(ee.ExitCode())
	}
	if err != nil {
		return 128
	}
	return 0
}
