// Package sshkeys is `git codecommit ssh`: CodeCommit over SSH for an IAM
// user in one command. `ssh setup` takes (or generates) an RSA key, uploads
// its public half to the profile's IAM user (or reuses the Active key with
// the same fingerprint), and writes the ~/.ssh/config block that makes ssh
// log in as that key's ID with that key; `--undo` takes it all back. `ssh
// list` and `ssh delete` manage the user's uploaded keys.
//
// Scope: the key files, the ~/.ssh/config block (sshconfig.go) and the
// command's flow. IAM calls are package iamapi's, hosts package endpoint's.
package sshkeys

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/crypto/ssh"

	"github.com/gitcodecommit/git-codecommit/internal/atomicfile"
	"github.com/gitcodecommit/git-codecommit/internal/awscreds"
	"github.com/gitcodecommit/git-codecommit/internal/awscreds/iamapi"
	"github.com/gitcodecommit/git-codecommit/internal/awsfiles"
	"github.com/gitcodecommit/git-codecommit/internal/command"
	"github.com/gitcodecommit/git-codecommit/internal/endpoint"
	"github.com/gitcodecommit/git-codecommit/internal/failure"
	"github.com/gitcodecommit/git-codecommit/internal/proc"
	"github.com/gitcodecommit/git-codecommit/internal/safefile"
	"github.com/gitcodecommit/git-codecommit/internal/target"
	"github.com/gitcodecommit/git-codecommit/internal/trace"
)

// Command is `git codecommit ssh`.
var Command = command.Command{
	Name:    "ssh",
	Args:    "setup [--key PATH | --generate] [--dry-run] [--undo] | list | delete KEYID  [--profile P] [--region R]",
	Summary: "set up SSH access for an IAM user; list or delete its SSH keys",
	Flags:   flags,
}

// Options are `git codecommit ssh`'s.
type Options struct {
	Profile, Region string
	Key             string // public or private key path; "" is ~/.ssh/id_rsa.pub (~/.ssh/codecommit_rsa with Generate)
	Generate        bool
	DryRun, Undo    bool
}

func flags(fs *pflag.FlagSet) command.Func {
	var o Options
	fs.StringVar(&o.Key, "key", "", "the RSA key `PATH` (public or private; default ~/.ssh/id_rsa.pub, or ~/.ssh/codecommit_rsa with --generate)")
	fs.BoolVar(&o.Generate, "generate", false, "generate a 4096-bit RSA key pair (kept if it exists)")
	fs.BoolVar(&o.DryRun, "dry-run", false, "show what would change, change nothing")
	fs.BoolVar(&o.Undo, "undo", false, "remove what setup added")
	command.ProfileFlag(fs, &o.Profile, "AWS `profile` of the IAM user")
	command.RegionFlag(fs, &o.Region, "AWS `region` of the clone URL")
	return func(ctx context.Context, p *proc.Proc, pos []string) error {
		if len(pos) == 0 {
			return command.UsageError(fs, "say setup, list or delete")
		}
		sub, rest := pos[0], pos[1:]
		setupOnly := []string{"key", "generate", "dry-run", "undo"}
		if sub != "setup" {
			for _, f := range setupOnly {
				if fs.Changed(f) {
					return command.UsageError(fs, "--%s works only with ssh setup", f)
				}
			}
		}
		switch sub {
		case "setup":
			if len(rest) > 0 {
				return command.UsageError(fs, "unexpected argument %q", rest[0])
			}
			if o.Undo && (o.Generate || o.Key != "") {
				return command.UsageError(fs, "--undo takes no --key or --generate")
			}
			return Setup(ctx, p, o)
		case "list":
			if len(rest) > 0 {
				return command.UsageError(fs, "unexpected argument %q", rest[0])
			}
			return List(ctx, p, o)
		case "delete":
			if len(rest) != 1 {
				return command.UsageError(fs, "ssh delete takes one key ID (see git codecommit ssh list)")
			}
			return Delete(ctx, p, o, rest[0])
		}
		if s := command.Suggest(sub, []string{"setup", "list", "delete"}); s != "" {
			return command.UsageError(fs, "unknown ssh command %q; did you mean %s?", sub, s)
		}
		return command.UsageError(fs, "unknown ssh command %q: say setup, list or delete", sub)
	}
}

// session is a resolved profile with its IAM user and an IAM client.
type session struct {
	p   *proc.Proc
	tr  *trace.Tracer
	res *awscreds.Result
	iam *iamapi.Client
	who iamapi.Caller
}

// open resolves the profile and its IAM user, refusing roles and
// federation in one line that shows the https alternative.
func open(ctx context.Context, p *proc.Proc, o Options, name string) (*session, error) {
	tr := trace.New(p.Getenv(trace.EnvVar), p.Stderr, p.Now, "git-codecommit "+name)
	t, err := target.Resolve(target.Ref{Profile: o.Profile, Region: o.Region}, p.Getenv)
	var res *awscreds.Result
	if err == nil {
		res, err = awscreds.Setup(ctx, awscreds.ForProcess(p, t, tr))
	}
	if err != nil {
		tr.Close()
		return nil, err
	}
	c, who, err := iamapi.ForUser(ctx, res, p.Getenv, "SSH keys")
	if err != nil {
		tr.Close()
		return nil, err
	}
	return &session{p: p, tr: tr, res: res, iam: c, who: who}, nil
}

func home(p *proc.Proc) (string, error) {
	h := awsfiles.HomeDir(p.Getenv)
	if h == "" || !filepath.IsAbs(h) {
		return "", failure.WithHint(errors.New("HOME is not set to an absolute path"), "set HOME to your home directory")
	}
	return h, nil
}

// ConfigPath is ~/.ssh/config.
func ConfigPath(home string) string { return filepath.Join(home, ".ssh", "config") }

// tilde shows a path under home as ~/….
func tilde(path, home string) string {
	if rel, err := filepath.Rel(home, path); err == nil && !strings.HasPrefix(rel, "..") {
		return "~/" + filepath.ToSlash(rel)
	}
	return path
}

// keyPaths returns the private and public key paths for o.
func keyPaths(o Options, home string) (priv, pub string) {
	k := o.Key
	switch {
	case k == "" && o.Generate:
		k = filepath.Join(home, ".ssh", "codecommit_rsa")
	case k == "":
		k = filepath.Join(home, ".ssh", "id_rsa.pub")
	case strings.HasPrefix(k, "~/"):
		k = filepath.Join(home, k[2:])
	}
	if strings.HasSuffix(k, ".pub") {
		return strings.TrimSuffix(k, ".pub"), k
	}
	return k, k + ".pub"
}

// KeyError: the key is not one IAM takes for CodeCommit.
type KeyError struct{ Path, Why string }

func (e *KeyError) Error() string { return fmt.Sprintf("%s: %s", e.Path, e.Why) }

// Hint implements failure.Hinter.
func (e *KeyError) Hint() string {
	return "CodeCommit takes RSA keys of 2048 bits or more (ssh-rsa or PEM): git codecommit ssh setup --generate makes one (or ssh-keygen -t rsa -b 4096 -f ~/.ssh/codecommit_rsa)"
}

// ReadPublicKey reads and checks an OpenSSH public key file: RSA, at least
// 2048 bits, as IAM requires for CodeCommit.
func ReadPublicKey(path string) (ssh.PublicKey, error) {
	data, err := safefile.Read(path, 1<<20)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &KeyError{Path: path, Why: "no such public key"}
		}
		return nil, &KeyError{Path: path, Why: err.Error()}
	}
	pk, _, _, _, err := ssh.ParseAuthorizedKey(data)
	if err != nil {
		return nil, &KeyError{Path: path, Why: "not an OpenSSH public key"}
	}
	if pk.Type() != ssh.KeyAlgoRSA {
		return nil, &KeyError{Path: path, Why: fmt.Sprintf("a %s key; IAM accepts only RSA keys for CodeCommit", pk.Type())}
	}
	if ck, ok := pk.(ssh.CryptoPublicKey); ok {
		if rk, ok := ck.CryptoPublicKey().(*rsa.PublicKey); ok && rk.N.BitLen() < 2048 {
			return nil, &KeyError{Path: path, Why: fmt.Sprintf("an RSA key of %d bits; IAM requires 2048 or more", rk.N.BitLen())}
		}
	}
	return pk, nil
}

// Fingerprint is IAM's fingerprint of a key: MD5, colon-separated hex.
func Fingerprint(pk ssh.PublicKey) string { return ssh.FingerprintLegacyMD5(pk) }

// generate writes a 4096-bit RSA key pair: the private key in OpenSSH
// format (mode 0600) at priv, the public key at pub.
func generate(priv, pub string) (ssh.PublicKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, 4096)
	if err != nil {
		return nil, err
	}
	blk, err := ssh.MarshalPrivateKey(k, "codecommit")
	if err != nil {
		return nil, err
	}
	pk, err := ssh.NewPublicKey(&k.PublicKey)
	if err != nil {
		return nil, err
	}
	if err := atomicfile.Write(priv, pem.EncodeToMemory(blk), 0o600); err != nil {
		return nil, err
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk))) + " codecommit\n"
	if err := atomicfile.Write(pub, []byte(line), 0o644); err != nil {
		return nil, err
	}
	return pk, nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// Setup is `git codecommit ssh setup`.
func Setup(ctx context.Context, p *proc.Proc, o Options) error {
	if o.Undo {
		return undo(ctx, p, o)
	}
	h, err := home(p)
	if err != nil {
		return err
	}
	priv, pub := keyPaths(o, h)
	var pk ssh.PublicKey
	generated := false
	switch {
	case o.Generate && exists(priv) && exists(pub):
		fmt.Fprintf(p.Stderr, "using the existing key %s\n", tilde(priv, h))
		fallthrough
	case !o.Generate:
		if pk, err = ReadPublicKey(pub); err != nil {
			return err
		}
		if !exists(priv) {
			return failure.WithHint(fmt.Errorf("%s: no private key beside the public key %s", tilde(priv, h), tilde(pub, h)), "pass --key with the path of a key pair, or --generate")
		}
	case exists(priv) || exists(pub):
		return failure.WithHint(fmt.Errorf("%s: only half of a key pair exists", tilde(priv, h)), "pass --key with another path, or remove the half that is left")
	}

	s, err := open(ctx, p, o, "ssh setup")
	if err != nil {
		return err
	}
	defer s.tr.Close()
	who := s.who
	if s.res.Region == "" {
		return failure.WithHint(s.res.ErrNoRegion(), "pass --region REGION")
	}
	sshEP, err := endpoint.ResolveSSH(s.res.Region, s.res.FIPS, p.Getenv(endpoint.SSHEndpointVar))
	if err != nil {
		return err
	}

	if pk == nil {
		if o.DryRun {
			fmt.Fprintf(p.Stdout, "would generate a 4096-bit RSA key pair at %s\n", tilde(priv, h))
			fmt.Fprintf(p.Stdout, "would upload it to IAM user %s and write a Host %s block to %s\n", who.User, HostPattern, tilde(ConfigPath(h), h))
			return nil
		}
		if pk, err = generate(priv, pub); err != nil {
			return failure.WithHint(fmt.Errorf("generating %s: %w", tilde(priv, h), err), "check that "+filepath.Dir(priv)+" is writable")
		}
		generated = true
		fmt.Fprintf(p.Stdout, "generated a 4096-bit RSA key pair at %s\n", tilde(priv, h))
	}
	fp := Fingerprint(pk)
	s.tr.Printf("key %s fingerprint %s for IAM user %s", pub, fp, who.User)

	keys, err := s.iam.ListSSHKeys(ctx, who.User)
	if err != nil {
		return err
	}
	var key iamapi.SSHKey
	for _, k := range keys {
		if k.Fingerprint != fp {
			continue
		}
		if k.Status != iamapi.Active {
			return failure.WithHint(fmt.Errorf("the key %s is uploaded for IAM user %s as %s, which is %s", tilde(pub, h), who.User, k.ID, k.Status),
				fmt.Sprintf("activate it: aws iam update-ssh-public-key --user-name %s --ssh-public-key-id %s --status Active", who.User, k.ID))
		}
		key = k
	}
	uploaded := false
	switch {
	case key.ID != "":
		fmt.Fprintf(p.Stdout, "reusing SSH key %s of IAM user %s (fingerprint %s)\n", key.ID, who.User, fp)
	case o.DryRun:
		fmt.Fprintf(p.Stdout, "would upload %s to IAM user %s (fingerprint %s)\n", tilde(pub, h), who.User, fp)
		key.ID = "APKA…"
	default:
		body := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk)))
		if key, err = s.iam.UploadSSHKey(ctx, who.User, body); err != nil {
			if generated {
				fmt.Fprintf(p.Stderr, "note: the generated key pair stays at %s\n", tilde(priv, h))
			}
			return err
		}
		uploaded = true
		fmt.Fprintf(p.Stdout, "uploaded %s to IAM user %s as SSH key %s (fingerprint %s)\n", tilde(pub, h), who.User, key.ID, fp)
	}

	// An absolute IdentityFile: ssh expands ~ to the password database's home,
	// which is not always HOME.
	b := Block{KeyID: key.ID, IdentityFile: priv, Uploaded: uploaded}
	if sshEP.Overridden {
		b.ExtraHost, b.HostName, b.Port = sshEP.Host, sshEP.Host, sshEP.Port
	}
	cfgPath := ConfigPath(h)
	old, existed, err := readConfig(cfgPath)
	if err != nil {
		return err
	}
	out, changed, err := Apply(old, existed, b)
	if err != nil {
		return failure.WithHint(fmt.Errorf("%s: %w", tilde(cfgPath, h), err), "fix or remove the block by hand, then run git codecommit ssh setup again")
	}
	switch {
	case !changed:
		fmt.Fprintf(p.Stdout, "%s already has the Host %s block: nothing to change\n", tilde(cfgPath, h), HostPattern)
	case o.DryRun:
		fmt.Fprintf(p.Stdout, "would write to %s:\n", tilde(cfgPath, h))
		if f, ok, _ := findBlock(out); ok {
			for _, l := range strings.SplitAfter(strings.TrimSuffix(out[f.start:f.end], "\n"), "\n") {
				fmt.Fprintf(p.Stdout, "+ %s", strings.TrimSuffix(l, "\n")+"\n")
			}
		}
		return nil
	default:
		if err := writeConfig(cfgPath, out); err != nil {
			return err
		}
		fmt.Fprintf(p.Stdout, "wrote the Host %s block to %s (User %s, IdentityFile %s)\n", HostPattern, tilde(cfgPath, h), key.ID, b.IdentityFile)
	}
	fmt.Fprintf(p.Stdout, "clone with: git clone %s\n", sshEP.RepoURL("REPO"))
	return nil
}

// readConfig reads ~/.ssh/config ("" and false when it does not exist).
func readConfig(path string) (string, bool, error) {
	data, err := safefile.Read(path, 1<<20)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, failure.WithHint(fmt.Errorf("reading %s: %w", path, err), "make ~/.ssh/config a regular file you can read")
	}
	return string(data), true, nil
}

// writeConfig replaces ~/.ssh/config atomically, keeping its mode (0600
// for a new file; ~/.ssh is made 0700).
func writeConfig(path, content string) error {
	mode := fs.FileMode(0o600)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := atomicfile.Write(path, []byte(content), mode); err != nil {
		return failure.WithHint(fmt.Errorf("writing %s: %w", path, err), "check that ~/.ssh is writable")
	}
	return nil
}

func undo(ctx context.Context, p *proc.Proc, o Options) error {
	h, err := home(p)
	if err != nil {
		return err
	}
	cfgPath := ConfigPath(h)
	old, existed, err := readConfig(cfgPath)
	if err != nil {
		return err
	}
	out, remove, uploaded, changed, err := Remove(old)
	if err != nil {
		return failure.WithHint(fmt.Errorf("%s: %w", tilde(cfgPath, h), err), "remove the block by hand")
	}
	if !existed || !changed {
		fmt.Fprintf(p.Stdout, "%s has no block of git codecommit ssh setup: nothing to undo\n", tilde(cfgPath, h))
		return nil
	}
	if o.DryRun {
		fmt.Fprintf(p.Stdout, "would remove the Host %s block from %s\n", HostPattern, tilde(cfgPath, h))
		if uploaded != "" {
			fmt.Fprintf(p.Stdout, "would delete SSH key %s from IAM\n", uploaded)
		}
		return nil
	}
	if uploaded != "" {
		s, err := open(ctx, p, o, "ssh setup --undo")
		if err != nil {
			return err
		}
		defer s.tr.Close()
		who := s.who
		if err := s.iam.DeleteSSHKey(ctx, who.User, uploaded); err != nil && !iamapi.IsNoSuchEntity(err) {
			return err
		}
		fmt.Fprintf(p.Stdout, "deleted SSH key %s of IAM user %s\n", uploaded, who.User)
	}
	if remove {
		if err := os.Remove(cfgPath); err != nil {
			return failure.WithHint(fmt.Errorf("removing %s: %w", cfgPath, err), "remove it by hand")
		}
		fmt.Fprintf(p.Stdout, "removed %s (setup had created it)\n", tilde(cfgPath, h))
		return nil
	}
	if err := writeConfig(cfgPath, out); err != nil {
		return err
	}
	fmt.Fprintf(p.Stdout, "removed the Host %s block from %s; key files are left in place\n", HostPattern, tilde(cfgPath, h))
	return nil
}

// List is `git codecommit ssh list`.
func List(ctx context.Context, p *proc.Proc, o Options) error {
	s, err := open(ctx, p, o, "ssh list")
	if err != nil {
		return err
	}
	defer s.tr.Close()
	who := s.who
	keys, err := s.iam.ListSSHKeys(ctx, who.User)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		fmt.Fprintf(p.Stderr, "IAM user %s has no SSH keys: git codecommit ssh setup uploads one\n", who.User)
		return nil
	}
	inConfig := ""
	if h, err := home(p); err == nil {
		if c, _, err := readConfig(ConfigPath(h)); err == nil {
			inConfig, _, _ = Current(c)
		}
	}
	w := tabwriter.NewWriter(p.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "KEY ID\tFINGERPRINT\tSTATUS\tUPLOADED\t")
	for _, k := range keys {
		note := ""
		if k.ID == inConfig {
			note = "in ~/.ssh/config"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", k.ID, k.Fingerprint, k.Status, k.Uploaded.UTC().Format(time.RFC3339), note)
	}
	return w.Flush()
}

// Delete is `git codecommit ssh delete KEYID`.
func Delete(ctx context.Context, p *proc.Proc, o Options, id string) error {
	s, err := open(ctx, p, o, "ssh delete")
	if err != nil {
		return err
	}
	defer s.tr.Close()
	who := s.who
	if err := s.iam.DeleteSSHKey(ctx, who.User, id); err != nil {
		return err
	}
	fmt.Fprintf(p.Stdout, "deleted SSH key %s of IAM user %s\n", id, who.User)
	if h, err := home(p); err == nil {
		if c, _, err := readConfig(ConfigPath(h)); err == nil {
			if cur, _, ok := Current(c); ok && cur == id {
				fmt.Fprintf(p.Stderr, "warning: ~/.ssh/config still logs in as %s: run git codecommit ssh setup (another key) or git codecommit ssh setup --undo\n", id)
			}
		}
	}
	return nil
}
