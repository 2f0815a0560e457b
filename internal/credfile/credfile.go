// Package credfile edits the AWS shared credentials file (~/.aws/credentials)
// without losing anything: it sets keys of one profile and leaves every other
// byte (comments, blank lines, other sections, their order, CRLF line
// endings) as it was.
//
// Scope: Update is the pure text transformation; SetProfile applies it to a
// file atomically (temporary file in the same directory, fsync, rename),
// following a symlinked credentials file and never loosening its mode. The
// caller passes the path (no HOME lookup here). Values are secrets: they
// never appear in errors.
package credfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/atomicfile"
	"github.com/gitcodecommit/git-codecommit/internal/filelock"
)

// line is one line of the file: its text and its terminator ("\n", "\r\n",
// or "" for a last line without one).
type line struct {
	text, eol string
	kind      kind
	key       string // for kindKey: the trimmed, lowercased key
	sep       int    // for kindKey: index of the separator in text
}

type kind int

const (
	kindBlank kind = iota
	kindComment
	kindHeader
	kindKey
	kindCont  // indented line continuing the previous key's value
	kindOther // anything else (kept as is)
)

func splitLines(content []byte) []line {
	var lines []line
	s := string(content)
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		var l line
		if i < 0 {
			l.text, s = s, ""
		} else {
			l.text, l.eol, s = s[:i], "\n", s[i+1:]
			if strings.HasSuffix(l.text, "\r") {
				l.text, l.eol = l.text[:len(l.text)-1], "\r\n"
			}
		}
		lines = append(lines, l)
	}
	classify(lines)
	return lines
}

// classify sets kind, key and sep of every line. The rules follow the
// parsers that read this file (botocore's configparser, the SDKs'): full-line
// comments start with '#' or ';', indented or not (configparser skips them
// even inside a multi-line value); a header is "[name]" with optional
// spaces; another indented non-blank line right after a key line continues
// its value;
// "key = value" or "key: value" otherwise.
func classify(lines []line) {
	prev := kindBlank
	for i := range lines {
		l := &lines[i]
		t := strings.TrimSpace(l.text)
		indented := len(l.text) > 0 && (l.text[0] == ' ' || l.text[0] == '\t')
		switch {
		case t == "":
			l.kind = kindBlank
		case t[0] == '#' || t[0] == ';':
			l.kind = kindComment
			continue // a comment does not end a multi-line value
		case indented && (prev == kindKey || prev == kindCont):
			l.kind = kindCont
		case t[0] == '[' && strings.IndexByte(t, ']') > 0:
			l.kind = kindHeader
		default:
			if sep := strings.IndexAny(l.text, "=:"); sep >= 0 {
				l.kind, l.sep = kindKey, sep
				l.key = strings.ToLower(strings.TrimSpace(l.text[:sep]))
			} else {
				l.kind = kindOther
			}
		}
		prev = l.kind
	}
}

// headerName returns the section name of a header line.
func headerName(text string) string {
	t := strings.TrimSpace(text)
	return strings.TrimSpace(t[1:strings.IndexByte(t, ']')])
}

func validate(profile string, values [][2]string) error {
	if profile == "" || strings.TrimSpace(profile) != profile || strings.ContainsAny(profile, "[]\r\n\x00") {
		return fmt.Errorf("invalid profile name %q", profile)
	}
	seen := map[string]bool{}
	for _, kv := range values {
		k, v := kv[0], kv[1]
		if k == "" || strings.TrimSpace(k) != k || strings.ContainsAny(k, "=:\r\n\x00") || strings.ContainsAny(k[:1], "[#;") {
			return fmt.Errorf("invalid key %q", k)
		}
		lk := strings.ToLower(k)
		if seen[lk] {
			return fmt.Errorf("key %q given twice", k)
		}
		seen[lk] = true
		if strings.ContainsAny(v, "\r\n\x00") {
			return fmt.Errorf("value of %s must be a single line without NUL", k)
		}
		if strings.TrimSpace(v) != v {
			return fmt.Errorf("value of %s has leading or trailing white space", k)
		}
	}
	return nil
}

// Update returns content with the keys of section [profile] set to values
// (ordered key, value pairs). Keys already in the section are replaced in
// place, keeping their spacing; missing keys are appended after the
// section's last key; a missing section is appended at the end. With
// duplicate sections the last one is updated (readers let it win). Everything
// else is preserved byte for byte. Keys match case-insensitively.
func Update(content []byte, profile string, values [][2]string) ([]byte, error) {
	if err := validate(profile, values); err != nil {
		return nil, err
	}
	lines := splitLines(content)
	eol := "\n"
	for _, l := range lines {
		if l.eol != "" {
			eol = l.eol
			break
		}
	}

	// Locate the last [profile] section: header index and end (exclusive).
	start, end := -1, len(lines)
	for i, l := range lines {
		if l.kind != kindHeader {
			continue
		}
		if start >= 0 && end == len(lines) && i > start {
			end = i
		}
		if headerName(l.text) == profile {
			start, end = i, len(lines)
		}
	}

	var out []line
	if start < 0 {
		out = append(out, lines...)
		if n := len(out); n > 0 {
			if out[n-1].eol == "" {
				out[n-1].eol = eol
			}
			if out[n-1].kind != kindBlank {
				out = append(out, line{eol: eol, kind: kindBlank})
			}
		}
		out = append(out, line{text: "[" + profile + "]", eol: eol, kind: kindHeader})
		for _, kv := range values {
			out = append(out, line{text: kv[0] + " = " + kv[1], eol: eol, kind: kindKey})
		}
		return join(out), nil
	}

	want := map[string]string{}
	for _, kv := range values {
		want[strings.ToLower(kv[0])] = kv[1]
	}
	done := map[string]bool{}
	out = append(out, lines[:start+1]...)
	insertAt := len(out) // after the header, or after the last content line
	skipCont := false
	for _, l := range lines[start+1 : end] {
		if l.kind == kindCont && skipCont {
			continue // continuation of a replaced value
		}
		if l.kind != kindComment {
			skipCont = false
		}
		if l.kind == kindKey {
			if v, ok := want[l.key]; ok {
				l.text = replaceValue(l.text, l.sep, v)
				done[l.key] = true
				skipCont = true
			}
		}
		out = append(out, l)
		if l.kind == kindKey || l.kind == kindCont || l.kind == kindOther {
			insertAt = len(out)
		}
	}
	var added []line
	for _, kv := range values {
		if !done[strings.ToLower(kv[0])] {
			added = append(added, line{text: kv[0] + " = " + kv[1], eol: eol, kind: kindKey})
		}
	}
	if len(added) > 0 {
		if out[insertAt-1].eol == "" {
			out[insertAt-1].eol = eol
		}
		tail := append([]line(nil), out[insertAt:]...)
		if indentedNext(append(tail, lines[end:]...)) {
			// The next line would read as a continuation of the last added
			// key (comments do not end one): a blank line ends the value.
			added = append(added, line{eol: eol, kind: kindBlank})
		}
		out = append(append(out[:insertAt], added...), tail...)
		// A section that ended the file without a final newline now ends
		// with an added line that has one; that is the only change there.
	}
	out = append(out, lines[end:]...)
	return join(out), nil
}

// indentedNext reports whether the first line of next that is not a comment
// is indented and not blank.
func indentedNext(next []line) bool {
	for _, l := range next {
		switch {
		case l.kind == kindComment:
			continue
		case strings.TrimSpace(l.text) == "":
			return false
		default:
			return l.text[0] == ' ' || l.text[0] == '\t'
		}
	}
	return false
}

// replaceValue keeps text up to the separator and the white space after it,
// and puts v after.
func replaceValue(text string, sep int, v string) string {
	i := sep + 1
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	prefix := text[:i]
	if i == len(text) && sep > 0 && (text[sep-1] == ' ' || text[sep-1] == '\t') && v != "" {
		prefix += " " // "key =" with no value: mirror the space before '='
	}
	return prefix + v
}

func join(lines []line) []byte {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l.text)
		b.WriteString(l.eol)
	}
	return b.Bytes()
}

// SetProfile sets keys of [profile] in the credentials file at path (see
// Update) and writes it atomically. A missing file (and its directory, mode
// 0700) is created; a symlink is followed and its target rewritten. The file
// gets mode 0600, or its existing mode if stricter. Concurrent writers are
// serialised through a lock file beside it (.NAME.lock, see package
// filelock), so none loses another's profile; waiting ends with ctx.
func SetProfile(ctx context.Context, path string, profile string, values [][2]string) error {
	_, err := SetProfileGuarded(ctx, path, profile, values, nil)
	return err
}

// Guard decides, under the file's lock, whether SetProfileGuarded may change
// [profile] as the file holds it now: existing is the section's keys (see
// Section), nil when there is none. An error refuses, leaving the file as it
// was; backup asks that the file as it was be saved beside it first.
type Guard func(existing map[string]string) (backup bool, err error)

// SetProfileGuarded is SetProfile with guard (if not nil) consulted on the
// content it is about to change, under the same lock, so no other writer
// slips in between the decision and the write. When guard asks for a backup,
// the whole file as it was is first written to PATH.bak (or PATH.bak.1, .2,
// …: never over an earlier backup), with the file's mode, and its path
// returned.
func SetProfileGuarded(ctx context.Context, path string, profile string, values [][2]string, guard Guard) (backup string, err error) {
	target, err := atomicfile.ResolveLinks(path)
	if err != nil {
		return "", err
	}
	unlock, err := filelock.Lock(ctx, filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".lock"), nil)
	if err != nil {
		return "", fmt.Errorf("locking credentials file: %w", err)
	}
	defer unlock()
	return setProfile(target, profile, values, guard, nil)
}

// setProfile is SetProfileGuarded under the lock, with a hook run before the
// rename (tests inject failures there).
func setProfile(path, profile string, values [][2]string, guard Guard, beforeRename func(tmp string) error) (backup string, err error) {
	target, err := atomicfile.ResolveLinks(path)
	if err != nil {
		return "", err
	}
	perm := fs.FileMode(0o600)
	content, err := os.ReadFile(target)
	switch {
	case err == nil:
		if fi, err := os.Stat(target); err == nil {
			if p := fi.Mode().Perm() & 0o600; p&0o400 != 0 {
				perm = p
			}
		}
	case errors.Is(err, fs.ErrNotExist):
		content = nil
	default:
		return "", fmt.Errorf("reading credentials file: %w", err)
	}
	out, err := Update(content, profile, values)
	if err != nil {
		return "", fmt.Errorf("credentials file %s: %w", target, err)
	}
	if guard != nil {
		keep, err := guard(Section(content, profile))
		if err != nil {
			return "", err
		}
		if keep && content != nil {
			if backup, err = writeBackup(target, content, perm); err != nil {
				return "", fmt.Errorf("saving a backup of the credentials file: %w", err)
			}
		}
	}
	if err := atomicfile.WriteHooked(target, out, perm, beforeRename); err != nil {
		return backup, fmt.Errorf("writing credentials file: %w", err)
	}
	return backup, nil
}

// writeBackup writes content to the first free name of path.bak, path.bak.1,
// … (created exclusively, never replacing a file) and syncs it.
func writeBackup(path string, content []byte, perm fs.FileMode) (string, error) {
	for i := 0; i < 1000; i++ {
		name := path + ".bak"
		if i > 0 {
			name = fmt.Sprintf("%s.bak.%d", path, i)
		}
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = f.Write(content)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(name)
			return "", err
		}
		return name, nil
	}
	return "", fmt.Errorf("%s.bak: too many backups", path)
}

// Section returns the keys of the last [profile] section of content (the one
// readers use), names lowercased and values trimmed, continuation lines left
// out; nil when there is no such section.
func Section(content []byte, profile string) map[string]string {
	var keys map[string]string
	in := false
	for _, l := range splitLines(content) {
		switch l.kind {
		case kindHeader:
			in = headerName(l.text) == profile
			if in {
				keys = map[string]string{}
			}
		case kindKey:
			if in {
				keys[l.key] = strings.TrimSpace(l.text[l.sep+1:])
			}
		}
	}
	return keys
}
