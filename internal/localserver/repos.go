package localserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/gitcodecommit/git-codecommit/internal/names"
)

// metaFile is kept inside each bare repository: CodeCommit's metadata
// that git has no place for.
const metaFile = "codecommit-metadata.json"

type repoMeta struct {
	ID          string    `json:"repositoryId"`
	Description string    `json:"repositoryDescription,omitempty"`
	Created     time.Time `json:"creationDate"`
	Modified    time.Time `json:"lastModifiedDate"`
}

var (
	errRepoExists   = errors.New("already exists")
	errRepoNotFound = errors.New("repository does not exist")
)

// validRepoName reports whether name is 1-100 of [A-Za-z0-9._-] and not
// "." or "..".
func validRepoName(name string) bool {
	if len(name) == 0 || len(name) > 100 || name == "." || name == ".." {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Repositories are kept per region, as CodeCommit does: those of the
// server's region in Dir/NAME, those of another region in Dir/@REGION/NAME
// ('@' is never part of a repository name).
const regionDirPrefix = "@"

func (s *Server) regionDir(region string) string {
	if region == "" || region == s.cfg.Region {
		return s.cfg.Dir
	}
	return filepath.Join(s.cfg.Dir, regionDirPrefix+region)
}

func (s *Server) repoPath(region, name string) string {
	return filepath.Join(s.regionDir(region), name)
}

// repoRegions returns the regions other than the server's that hold
// repositories.
func (s *Server) repoRegions() []string {
	ents, err := os.ReadDir(s.cfg.Dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		r, ok := strings.CutPrefix(e.Name(), regionDirPrefix)
		if l, err := names.Region(r); ok && e.IsDir() && err == nil && l == r && r != s.cfg.Region {
			out = append(out, r)
		}
	}
	return out
}

// regionOf returns a region other than except holding repository name
// (the server's first), or "".
func (s *Server) regionOf(name, except string) string {
	for _, r := range append([]string{s.cfg.Region}, s.repoRegions()...) {
		if r != except && s.repoExists(r, name) {
			return r
		}
	}
	return ""
}

func (s *Server) repoExists(region, name string) bool {
	if !validRepoName(name) {
		return false
	}
	fi, err := os.Stat(filepath.Join(s.repoPath(region, name), "HEAD"))
	return err == nil && fi.Mode().IsRegular()
}

// CreateRepository creates the bare repository Dir/name (HEAD on main) in
// the server's region.
func (s *Server) CreateRepository(name, description string) error {
	return s.CreateRepositoryIn(s.cfg.Region, name, description)
}

// CreateRepositoryIn creates repository name in region.
func (s *Server) CreateRepositoryIn(region, name, description string) error {
	_, err := s.createRepo(region, name, description)
	if errors.Is(err, errRepoExists) {
		return fmt.Errorf("repository %s %w", name, err)
	}
	return err
}

func (s *Server) createRepo(region, name, description string) (repoMeta, error) {
	if !validRepoName(name) {
		return repoMeta{}, fmt.Errorf("invalid repository name %q", name)
	}
	s.repoMu.Lock()
	defer s.repoMu.Unlock()
	if s.repoExists(region, name) {
		return repoMeta{}, errRepoExists
	}
	dir := s.repoPath(region, name)
	if err := gitCmd("", "init", "--bare", "--quiet", "--initial-branch=main", dir); err != nil {
		return repoMeta{}, err
	}
	now := s.now().UTC()
	m := repoMeta{ID: newUUID(), Description: description, Created: now, Modified: now}
	if err := writeMeta(dir, m); err != nil {
		return repoMeta{}, err
	}
	return m, nil
}

// deleteRepo removes the repository and returns its id.
func (s *Server) deleteRepo(region, name string) (string, error) {
	s.repoMu.Lock()
	defer s.repoMu.Unlock()
	if !s.repoExists(region, name) {
		return "", errRepoNotFound
	}
	m := s.loadMeta(region, name)
	if err := os.RemoveAll(s.repoPath(region, name)); err != nil {
		return "", err
	}
	return m.ID, nil
}

// loadMeta reads (or, for repositories made outside the server, creates)
// the metadata of an existing repository.
func (s *Server) loadMeta(region, name string) repoMeta {
	dir := s.repoPath(region, name)
	var m repoMeta
	if b, err := os.ReadFile(filepath.Join(dir, metaFile)); err == nil && json.Unmarshal(b, &m) == nil && m.ID != "" {
		return m
	}
	t := s.now().UTC()
	if fi, err := os.Stat(filepath.Join(dir, "HEAD")); err == nil {
		t = fi.ModTime().UTC()
	}
	m = repoMeta{ID: newUUID(), Created: t, Modified: t}
	writeMeta(dir, m)
	return m
}

func writeMeta(dir string, m repoMeta) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, metaFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, metaFile))
}

// listRepos returns the names of the repositories of region, sorted.
func (s *Server) listRepos(region string) []string {
	ents, err := os.ReadDir(s.regionDir(region))
	if err != nil {
		return nil
	}
	var list []string
	for _, e := range ents {
		if e.IsDir() && s.repoExists(region, e.Name()) {
			list = append(list, e.Name())
		}
	}
	sort.Strings(list)
	return list
}

// headBranch returns the branch HEAD names and whether it exists.
func (s *Server) headBranch(region, name string) (string, bool) {
	dir := s.repoPath(region, name)
	b, err := os.ReadFile(filepath.Join(dir, "HEAD"))
	if err != nil {
		return "", false
	}
	ref, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "ref: ")
	if !ok {
		return "", false
	}
	branch, ok := strings.CutPrefix(ref, "refs/heads/")
	if !ok {
		return "", false
	}
	return branch, refExists(dir, ref)
}

func refExists(dir, ref string) bool {
	if fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(ref))); err == nil && fi.Mode().IsRegular() {
		return true
	}
	b, err := os.ReadFile(filepath.Join(dir, "packed-refs"))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if _, r, ok := strings.Cut(line, " "); ok && r == ref && !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "^") {
			return true
		}
	}
	return false
}

// fixDefaultBranch mirrors CodeCommit: when HEAD names a branch that does
// not exist and branches do, the first pushed branch becomes the default
// (here: main, then master, then the first by name).
func (s *Server) fixDefaultBranch(region, name string) {
	if _, ok := s.headBranch(region, name); ok {
		return
	}
	dir := s.repoPath(region, name)
	out, err := gitOutput(dir, "for-each-ref", "--format=%(refname:strip=2)", "refs/heads/")
	if err != nil {
		return
	}
	branches := strings.Fields(out)
	if len(branches) == 0 {
		return
	}
	pick := branches[0]
	for _, pref := range []string{"master", "main"} {
		if contains(branches, pref) {
			pick = pref
		}
	}
	gitCmd(dir, "symbolic-ref", "HEAD", "refs/heads/"+pick)
}

// touchRepo records a modification (after a push).
func (s *Server) touchRepo(region, name string) {
	s.repoMu.Lock()
	defer s.repoMu.Unlock()
	if !s.repoExists(region, name) {
		return
	}
	m := s.loadMeta(region, name)
	m.Modified = s.now().UTC()
	writeMeta(s.repoPath(region, name), m)
}

// gitEnv is the environment of git commands the server runs itself.
func gitEnv() []string {
	env := []string{"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C"}
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "LD_LIBRARY_PATH"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

func gitOutput(dir string, args ...string) (string, error) {
	if dir != "" {
		args = append([]string{"--git-dir", dir}, args...)
	}
	cmd := exec.Command("git", args...)
	cmd.Env = gitEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

func gitCmd(dir string, args ...string) error {
	_, err := gitOutput(dir, args...)
	return err
}
