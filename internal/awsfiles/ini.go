package awsfiles

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/gitcodecommit/git-codecommit/internal/safefile"
)

// File is one AWS shared file (config or credentials), read once through
// safefile and indexed by section without building the settings of every
// profile: a generated config of thousands of profiles costs one pass over
// its bytes, and a lookup parses only the sections it asks for.
//
// Lines are read as aws-sdk-go-v2 reads them (so the helpers and the SDK
// see the same settings): comment lines start with # or ;, a header is
// [NAME] or [TYPE NAME] with a trailing # or ; comment cut, a setting is
// KEY = VALUE or KEY: VALUE with " #" / " ;" comments cut and one pair of
// surrounding quotes removed, indented lines are nested settings or
// continuations. Lines the SDK would silently skip and botocore (the AWS
// CLI) refuses are errors naming the file and line: a header without its
// "]", a line that is no setting, a setting before any section.
type File struct {
	Path     string
	data     []byte // the file as read
	names    string // the section names, one after the other
	sections []section
}

// section is where a section is: offsets in the file (safefile caps it at
// 4 MiB) and in File.names, with no pointer, so that the sections of a big
// file are one block the garbage collector does not scan.
type section struct {
	nameStart, nameEnd int32 // in names: "profile dev", "default", "sso-session s"
	header             int32 // the "[" of the header line
	start, end         int32 // the body's bytes
}

func (f *File) name(s section) string { return f.names[s.nameStart:s.nameEnd] }

// plainHeader reports whether the section's header is [NAME] or [TYPE NAME] in
// printable ASCII, without comment characters: read from the header line
// only when asked, for the sections looked up.
func (f *File) plainHeader(s section) bool {
	line := strings.TrimSuffix(string(f.data[s.header:s.start]), "\n")
	_, _, plain, _ := headerGeneral(line)
	return plain
}

// LineError is a line of an AWS file that no AWS tool reads alike.
type LineError struct {
	Path   string
	Line   int
	Reason string
}

func (e *LineError) Error() string {
	return fmt.Sprintf("%s line %d: %s", e.Path, e.Line, e.Reason)
}

// Hint says how to fix it.
func (e *LineError) Hint() string {
	return "fix line " + fmt.Sprint(e.Line) + " of " + e.Path + " (aws configure list shows what the AWS CLI makes of it)"
}

// Read reads and indexes the file at path; a missing file is an empty
// File. Every other problem is an error naming the file (and line).
func Read(path string) (*File, error) {
	f := &File{Path: path}
	data, err := safefile.Read(path, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, err
	}
	f.data = data
	return f, f.index()
}

// index checks every line and records each section's name and body in one
// pass that allocates nothing per line or section (one slice of sections,
// sized by an upper bound: the count of '['; the names copied into one
// string, of which each section's is a substring). Per
// line it costs a search for the line's end and, for a setting, for its
// "=": a generated config of thousands of profiles is indexed in well under
// a millisecond.
func (f *File) index() error {
	data := f.data
	n := len(data)
	f.sections = make([]section, 0, min(bytes.Count(data, []byte{'['}), n/3))
	var names strings.Builder
	names.Grow(n / 4)
	defer func() { f.names = names.String() }() // the sections before an error stay readable
	cur := -1
	lineErr := func(lineStart int, reason string) error {
		return &LineError{Path: f.Path, Line: bytes.Count(data[:lineStart], []byte{'\n'}) + 1, Reason: reason}
	}
	for pos := 0; pos < n; {
		lineStart := pos
		line := data[pos:]
		if e := bytes.IndexByte(line, '\n'); e >= 0 {
			line = line[:e]
		}
		pos += len(line) + 1
		if len(line) == 0 {
			continue
		}
		if keyStart[line[0]] {
			// The usual line: a setting.
			if bytes.IndexByte(line, '=') < 0 && bytes.IndexByte(line, ':') < 0 {
				return lineErr(lineStart, fmt.Sprintf("%s is neither a [section], a KEY = VALUE setting nor a comment", quote(strings.TrimRight(string(line), "\r"))))
			}
			if cur < 0 {
				return lineErr(lineStart, "a setting before any [section] header")
			}
			continue
		}
		i := 0
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == len(line) {
			continue
		}
		switch c := line[i]; {
		case c == '#' || c == ';' || c == '\r' && i == len(line)-1:
			// a comment or a blank line
		case c == '[':
			name, ok := sectionHeader(line[i:])
			if !ok {
				_, h, _, _ := headerGeneral(string(line[i:]))
				return lineErr(lineStart, fmt.Sprintf("section header %s has no closing \"]\"", quote(h)))
			}
			if cur >= 0 {
				f.sections[cur].end = int32(lineStart)
			}
			nameStart := names.Len()
			names.Write(name)
			f.sections = append(f.sections, section{nameStart: int32(nameStart), nameEnd: int32(names.Len()), header: int32(lineStart + i), start: int32(min(pos, n))})
			cur = len(f.sections) - 1
		case i > 0:
			// a nested setting or a continuation
		case bytes.IndexByte(line, '=') < 0 && bytes.IndexByte(line, ':') < 0:
			return lineErr(lineStart, fmt.Sprintf("%s is neither a [section], a KEY = VALUE setting nor a comment", quote(strings.TrimRight(string(line), "\r"))))
		case cur < 0:
			return lineErr(lineStart, "a setting before any [section] header")
		}
	}
	if cur >= 0 {
		f.sections[cur].end = int32(n)
	}
	return nil
}

// keyStart marks the bytes a setting's key usually starts with (letters,
// digits, '_'): such a line is a setting, checked with no further look.
var keyStart = func() (t [256]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
	}
	return t
}()

// sectionHeader reads a header line t (from its "["): the section's name,
// ok false when it has no closing "]". It is headerGeneral's name, found
// without a pass of its own over the usual header ("[NAME]" or "[TYPE
// NAME]" without comment, tab or spacing to normalise).
func sectionHeader(t []byte) (name []byte, ok bool) {
	e := len(t)
	for e > 1 && (t[e-1] == ' ' || t[e-1] == '\t' || t[e-1] == '\r') {
		e--
	}
	if e > 2 && t[e-1] == ']' && bytes.IndexByte(t, '#') < 0 && bytes.IndexByte(t, ';') < 0 && bytes.IndexByte(t, '\t') < 0 {
		inner := t[1 : e-1]
		if first, last := inner[0], inner[len(inner)-1]; !asciiSpaceOrHigh[first] && !asciiSpaceOrHigh[last] {
			if sp := bytes.IndexByte(inner, ' '); sp < 0 || inner[sp+1] != ' ' {
				return inner, true
			}
		}
	}
	general, _, _, ok := headerGeneral(string(t))
	return []byte(general), ok
}

// asciiSpaceOrHigh marks the bytes strings.TrimSpace may trim: ASCII
// white space, and every byte of a multi-byte character (some are spaces).
var asciiSpaceOrHigh = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 0x80 || c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
	}
	return t
}()

// headerGeneral reads any section header t as the SDK does: a # or ;
// comment cut, blanks trimmed (h), and "[" NAME "]"; ok is false when h
// does not end in "]". The header is plain when nothing but blanks follows
// the "]" and the inside is printable ASCII without brackets, with at most
// one space in the name.
func headerGeneral(t string) (name, h string, plain, ok bool) {
	h = t
	if j := strings.IndexAny(h, "#;"); j >= 0 {
		h = h[:j]
	}
	h = strings.TrimSpace(h)
	if h[len(h)-1] != ']' {
		return "", h, false, false
	}
	inner := h[1 : len(h)-1]
	plain = len(h) == len(strings.TrimRight(t, "\r \t")) && printable(inner) && strings.IndexByte(inner, '[') < 0 && strings.IndexByte(inner, ']') < 0
	name = sectionName(inner)
	if plain && strings.Count(name, " ") > 1 {
		plain = false
	}
	return name, h, plain, true
}

// sectionName is the SDK's name of a header's inside: "TYPE NAME" with the
// space between them normalised, or "NAME". It allocates only when the
// header spaces TYPE and NAME other than by one space.
func sectionName(s string) string {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s
	}
	rest := strings.TrimLeft(s[i:], " \t")
	if s[i] == ' ' && len(rest) == len(s)-i-1 {
		return s
	}
	return s[:i] + " " + rest
}

func printable[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 || c > 0x7e) && c != '\t' {
			return false
		}
	}
	return true
}

func quote(s string) string {
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// Names returns the section names, in file order, with repeats.
func (f *File) Names() []string {
	out := make([]string, len(f.sections))
	for i, s := range f.sections {
		out[i] = f.name(s)
	}
	return out
}

// Has reports whether the file has a section name.
func (f *File) Has(name string) bool {
	for _, s := range f.sections {
		if f.name(s) == name {
			return true
		}
	}
	return false
}

// Plain reports whether every section named name has a plain header and
// holds only plain KEY = VALUE lines: printable ASCII, a key of lowercase-
// able letters, digits and '_', a non-empty value free of comment
// characters and quotes, nothing nested. Every AWS tool reads such a
// section alike; the strict resolution without the SDK takes nothing else.
func (f *File) Plain(name string) bool {
	for _, s := range f.sections {
		if f.name(s) == name && !f.plainHeader(s) {
			return false
		}
	}
	ss, _ := f.Section(name)
	for _, s := range ss {
		if s.Nested || !printable(s.Raw) {
			return false
		}
		k, v, found := strings.Cut(strings.TrimSpace(s.Raw), "=")
		if !found || strings.Contains(k, ":") {
			return false
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if k == "" || strings.Trim(k, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" || v == "" || strings.ContainsAny(v, "#;\"'") {
			return false
		}
	}
	return true
}

// Setting is one KEY = VALUE of a section.
type Setting struct {
	Key, Value string // Key lowercased; Value as the SDK reads it
	Raw        string // the line as written (without the line break)
	Nested     bool   // a nested block (KEY = followed by indented lines) or continued value
}

// Section returns the settings of every section named name, in file order
// (a later duplicate wins where they are merged); found is false if there
// is none.
func (f *File) Section(name string) (settings []Setting, found bool) {
	for _, s := range f.sections {
		if f.name(s) != name {
			continue
		}
		found = true
		body := string(f.data[s.start:s.end])
		if settings == nil {
			settings = make([]Setting, 0, strings.Count(body, "\n")+1)
		}
		for len(body) > 0 {
			var line string
			if i := strings.IndexByte(body, '\n'); i >= 0 {
				line, body = body[:i], body[i+1:]
			} else {
				line, body = body, ""
			}
			line = strings.TrimSuffix(line, "\r")
			t := strings.TrimLeft(line, " \t")
			if len(t) == 0 || t[0] == '#' || t[0] == ';' {
				continue
			}
			if line[0] == ' ' || line[0] == '\t' {
				if n := len(settings); n > 0 {
					settings[n-1].Nested = true
					continue
				}
				// An indented line before any setting of the section is a
				// setting to the SDK: kept, but never plain.
				k, v := splitSetting(t)
				settings = append(settings, Setting{Key: k, Value: v, Raw: line, Nested: true})
				continue
			}
			k, v := splitSetting(line)
			settings = append(settings, Setting{Key: k, Value: v, Raw: line})
		}
	}
	return settings, found
}

// Map returns a section's settings as a map, later settings winning.
func (f *File) Map(name string) (map[string]string, bool) {
	ss, found := f.Section(name)
	if !found {
		return nil, false
	}
	m := make(map[string]string, len(ss))
	for _, s := range ss {
		m[s.Key] = s.Value
	}
	return m, true
}

// splitSetting reads KEY = VALUE (or KEY: VALUE, whichever comes first) as
// the SDK does.
func splitSetting(line string) (key, value string) {
	for _, c := range []string{" #", " ;", "\t#", "\t;"} {
		line, _, _ = strings.Cut(line, c)
	}
	line = strings.TrimRight(line, " \t")
	sep := "="
	eq, colon := strings.Index(line, "="), strings.Index(line, ":")
	if eq < 0 || colon >= 0 && colon < eq {
		sep = ":"
	}
	k, v, _ := strings.Cut(line, sep)
	k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		v = v[1 : len(v)-1]
	}
	return k, v
}
