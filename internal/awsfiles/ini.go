package awsfiles

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/gitcodecommit/git-codecommit/internal/safefile"
)

// File is one AWS shared file (config or credentials), indexed by section
// in one pass over its bytes without keeping them: a generated config of
// thousands of profiles is streamed through one small buffer, and a lookup
// reads back only the sections it asks for.
//
// Lines are read as aws-sdk-go-v2 reads them (so the helpers and the SDK
// see the same settings): comment lines start with # or ;, a header is
// [NAME] or [TYPE NAME] with a trailing # or ; comment cut, a setting is
// KEY = VALUE or KEY: VALUE with " #" / " ;" comments cut and one pair of
// surrounding quotes removed, indented lines are nested settings or
// continuations. Lines the SDK would silently skip and botocore (the AWS
// CLI) refuses are errors naming the file and line: a header without its
// "]", a line that is no setting, a setting without a key ("= x"), a
// setting before any section.
//
// A file that fits in the first read (the usual one) is kept in memory. A
// larger one stays open (except on Windows: streamBig), and its sections
// are read back from it: the index is 8 bytes a section, so that reading a
// 480 KB config costs a process ten fresh pages of memory instead of a
// hundred and thirty-five (each a page fault, the larger part of what a big
// file cost the helpers).
// A file replaced by rename while open is still read as it was; one
// rewritten in place is read as any reader racing a writer reads it, and a
// section whose header is no longer where the index has it is not found.
type File struct {
	Path     string
	mem      []byte      // the whole file, when it fitted in the first read
	src      io.ReaderAt // else the open file
	size     int64
	sections []section

	// Facts of the names, noted while indexing (filecreds asks them of
	// every section).
	defaultInOtherCase bool // a section named "default" in another case ("Default")
	profilePrefixed    bool // a section whose name starts with "profile "

	namesOnce sync.Once
	names     []string
}

// section is where a section is: the offset of its header line in the
// file (safefile caps it at 4 MiB) and a hash of its name, with no pointer,
// so that the sections of a big file are one block the garbage collector
// does not scan. Its body runs from the header line's end to the next
// section's header line. A lookup compares hashes, then reads the header
// back to compare the name.
type section struct {
	hash uint32 // of the name ("profile dev", "default", "sso-session s"): nameHash
	line int32  // the header line's first byte
}

// nameSeed seeds the hashes of section names: random per process.
var nameSeed = maphash.MakeSeed()

func nameHash(name string) uint32 { return uint32(maphash.String(nameSeed, name)) }

func nameHashBytes(name []byte) uint32 { return uint32(maphash.Bytes(nameSeed, name)) }

// streamBig is whether a file larger than one read is streamed and kept
// open; else (on Windows) it is read whole into memory and closed, since a
// file Go opens there cannot be renamed over while open (no
// FILE_SHARE_DELETE), and the toolset and the AWS CLI replace these files
// by rename.
var streamBig = runtime.GOOS != "windows"

// chunkSize is the read buffer of a file larger than one read: 16 KiB,
// four pages (measured against 8, 32 and 64: fewer reads do not pay for
// more fresh pages). A line longer than the buffer grows it. Tests make it
// small.
var chunkSize = 16 << 10

// end is where section i's body ends.
func (f *File) end(i int) int32 {
	if i+1 < len(f.sections) {
		return f.sections[i+1].line
	}
	return int32(f.size)
}

// read returns the file's bytes [from, to): from memory, or read back from
// the open file (a new buffer); ok is false if the file no longer has them.
func (f *File) read(from, to int32) (b []byte, ok bool) {
	if f.mem != nil || f.src == nil {
		return f.mem[from:to], true
	}
	b = make([]byte, to-from)
	n, err := f.src.ReadAt(b, int64(from))
	return b, n == len(b) && (err == nil || err == io.EOF)
}

// headerOf reads the section name of a header line (from the line's first
// byte, without its "\n"), as the index read it; ok is false if the line
// is no header.
func headerOf(line []byte) (name []byte, ok bool) {
	line = bytes.TrimLeft(line, " \t")
	if len(line) == 0 || line[0] != '[' {
		return nil, false
	}
	return sectionHeader(line)
}

// splitHeader splits a section's bytes b (from its header line's first
// byte) into the header line (without its "\n"), its name and the body; ok
// is false if the line is no header.
func splitHeader(b []byte) (line, name, body []byte, ok bool) {
	line = b
	if j := bytes.IndexByte(b, '\n'); j >= 0 {
		line, body = b[:j], b[j+1:]
	}
	name, ok = headerOf(line)
	return line, name, body, ok
}

// header reads section i back: its header line (without its "\n"), name
// and body; ok is false if the file no longer has the section there.
func (f *File) header(i int) (line, name, body []byte, ok bool) {
	b, ok := f.read(f.sections[i].line, f.end(i))
	if !ok {
		return nil, nil, nil, false
	}
	line, name, body, ok = splitHeader(b)
	return line, name, body, ok && nameHashBytes(name) == f.sections[i].hash
}

// nextNamed is the first section named name (hashing to h) from i on, read
// back once: its index, header line and body; -1 if none.
func (f *File) nextNamed(name string, h uint32, i int) (int, []byte, string) {
	for i = f.next(h, i); i >= 0; i = f.next(h, i+1) {
		line, got, b, ok := f.header(i)
		if !ok || string(got) != name {
			continue
		}
		if f.mem == nil && len(b) > 0 {
			// b was read back for this call alone and is never written
			// again: the settings' strings share it instead of a copy.
			return i, line, unsafe.String(&b[0], len(b))
		}
		return i, line, string(b)
	}
	return -1, nil, ""
}

// named reports whether section i, whose name hashes as name does, is
// named name: its header line read back, into a buffer on the stack when
// the file is open and the line short (Has allocates nothing).
func (f *File) named(i int, name string) bool {
	if fd, ok := f.src.(*os.File); ok && f.mem == nil {
		var buf [128]byte
		from := int64(f.sections[i].line)
		b := buf[:min(int64(len(buf)), int64(f.end(i))-from)]
		if n, err := fd.ReadAt(b, from); n == len(b) && (err == nil || err == io.EOF) {
			if j := bytes.IndexByte(b, '\n'); j >= 0 {
				got, ok := headerOf(b[:j])
				return ok && string(got) == name
			}
		}
	}
	_, got, _, ok := f.header(i)
	return ok && string(got) == name
}

// plainHeader reports whether a header line is [NAME] or [TYPE NAME] in
// printable ASCII, without comment characters: read only for the sections
// looked up.
func plainHeader(line []byte) bool {
	_, _, plain, _ := headerGeneral(string(bytes.TrimLeft(line, " \t")))
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
	fd, err := safefile.Open(path, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, err
	}
	var hint int64
	if fi, err := fd.Stat(); err == nil {
		hint = fi.Size()
	}
	if err := f.parse(fd, fd, hint); err != nil {
		fd.Close()
		return nil, err
	}
	if f.src == nil {
		fd.Close()
	}
	return f, nil
}

// parse indexes what r yields (src reads it back), sizeHint its expected
// size: the whole of it in one buffer when it fits, else chunkSize bytes at
// a time, each chunk ending at a line end.
func (f *File) parse(r io.Reader, src io.ReaderAt, sizeHint int64) error {
	const limit = safefile.MaxSize
	r = safefile.LimitReader(r, f.Path, limit)
	bufLen := chunkSize
	if sizeHint+512 < int64(bufLen) || !streamBig {
		bufLen = int(sizeHint) + 512 // the usual file: one read, and the one that finds its end
	}
	buf := make([]byte, bufLen)
	x := indexer{f: f, src: src, cur: -1}
	n, base := 0, 0
	for {
		eof := false
		for n < len(buf) {
			m, err := r.Read(buf[n:])
			n += m
			if err == io.EOF {
				eof = true
				break
			}
			if err != nil {
				return err
			}
		}
		k := n
		if !eof {
			k = bytes.LastIndexByte(buf[:n], '\n') + 1
			if k == 0 || !streamBig { // a line longer than the buffer, or the whole file kept
				buf = append(buf, make([]byte, len(buf))...)
				continue
			}
		}
		if base == 0 {
			// Room for the sections: as many as the first chunk has '['
			// (a bound on its headers), and as many again for every
			// chunk the file's size says is left, a quarter more, at most
			// one for every 32 bytes. Room not written to is memory not
			// touched.
			c := bytes.Count(buf[:k], []byte{'['})
			if !eof {
				c = min(c+c*int(max(sizeHint-int64(k), 0)/int64(k))*5/4, int(min(sizeHint, limit)/32))
			}
			f.sections = make([]section, 0, c)
		}
		if err := x.chunk(buf[:k], base); err != nil {
			return err
		}
		if eof {
			f.size = int64(base + k)
			if base == 0 {
				f.mem = buf[:k:k]
			} else {
				f.src = src
			}
			return nil
		}
		n = copy(buf, buf[k:n])
		base += k
	}
}

// indexer is the state of indexing a file across its chunks.
type indexer struct {
	f   *File
	src io.ReaderAt // the file, to count the lines before a chunk when one is wrong
	cur int         // the current section, -1 before the first
}

// linesBefore counts the line breaks in the file's first n bytes, read
// back: only for the line number of an error.
func (x *indexer) linesBefore(n int) int {
	b := make([]byte, n)
	if m, _ := x.src.ReadAt(b, 0); m < n {
		return 0
	}
	return bytes.Count(b, []byte{'\n'})
}

// chunk checks every line of data (the file's bytes from base, whole lines
// only) and records each section (its name's hash, its header line's
// offset) and the facts of its name, allocating nothing per line or
// section.
//
// Every line is checked, since botocore refuses the whole file for one
// line anywhere that is no setting, or a header without its "]". The usual
// line (a setting: a key character first) costs a vector search for its
// end and a look at its first two 8-byte words for its "="; a header, the
// search for its end and the reading of its name, with '#', ';' and tab
// (which make a header unusual) found by searches over the whole chunk that
// run only as often as those bytes occur. Other lines (indented, comments,
// unusual headers) are read as before. What remains is per line (about 120
// instructions for a setting, most of it the search's fixed cost): finding
// each line's end and its "=" is what botocore's check asks for, and a scan
// of 8-byte words in Go costs more than the search (see README, Benchmarks).
func (x *indexer) chunk(data []byte, base int) error {
	f := x.f
	n := len(data)
	lineErr := func(lineStart int, reason string) error {
		line := bytes.Count(data[:lineStart], []byte{'\n'}) + 1
		if base > 0 {
			line += x.linesBefore(base)
		}
		return &LineError{Path: f.Path, Line: line, Reason: reason}
	}
	notSetting := func(lineStart int, line []byte) error {
		return lineErr(lineStart, fmt.Sprintf("%s is neither a [section], a KEY = VALUE setting nor a comment", quote(strings.TrimRight(string(line), "\r"))))
	}
	unusual := nextBytes{at: [3]int{-1, -1, -1}, first: -1}
	for pos := 0; pos < n; {
		lineStart := pos
		if keyStart[data[pos]] {
			// The usual line: a setting.
			end := bytes.IndexByte(data[pos:], '\n')
			if end < 0 {
				end = n
			} else {
				end += pos
			}
			// The usual key and its "=" are in the line's first 16 bytes.
			eq := end-pos >= 16 && zeros(binary.LittleEndian.Uint64(data[pos:])^spread*'=')|zeros(binary.LittleEndian.Uint64(data[pos+8:])^spread*'=') != 0
			if !eq && !hasEq(data, pos, end) && bytes.IndexByte(data[pos:end], ':') < 0 {
				return notSetting(lineStart, data[pos:end])
			}
			if x.cur < 0 {
				return lineErr(lineStart, "a setting before any [section] header")
			}
			pos = end + 1
			continue
		}
		if data[pos] == '\n' {
			pos++
			continue
		}
		end := lineEnd(data, pos)
		line := data[pos:end]
		pos = end + 1
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
			name, ok := headerName(line[i:], unusual.within(data, lineStart+i, end))
			if !ok {
				_, h, _, _ := headerGeneral(string(line[i:]))
				return lineErr(lineStart, fmt.Sprintf("section header %s has no closing \"]\"", quote(h)))
			}
			f.sections = append(f.sections, section{hash: nameHashBytes(name), line: int32(base + lineStart)})
			x.cur = len(f.sections) - 1
			if len(name) == len("default") && string(name) != "default" && bytes.EqualFold(name, []byte("default")) {
				f.defaultInOtherCase = true
			}
			if bytes.HasPrefix(name, []byte("profile ")) {
				f.profilePrefixed = true
			}
		case i > 0:
			// a nested setting or a continuation
		case c == '=' || c == ':':
			return lineErr(lineStart, fmt.Sprintf("%s has no key before its %q", quote(strings.TrimRight(string(line), "\r")), c))
		case bytes.IndexByte(line, '=') < 0 && bytes.IndexByte(line, ':') < 0:
			return notSetting(lineStart, line)
		case x.cur < 0:
			return lineErr(lineStart, "a setting before any [section] header")
		}
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

// lineEnd is the index of the first '\n' from i, or len(b).
func lineEnd(b []byte, i int) int {
	if j := bytes.IndexByte(b[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(b)
}

// hasEq reports whether the line b[i:end] holds an '=', reading it 8
// bytes a step (a key is short: its "=" is mostly in the first two steps):
// zeros marks the bytes of a word that are '=' (exactly whether any is).
func hasEq(b []byte, i, end int) bool {
	for ; end-i >= 8; i += 8 {
		if zeros(binary.LittleEndian.Uint64(b[i:])^spread*'=') != 0 {
			return true
		}
	}
	return bytes.IndexByte(b[i:end], '=') >= 0
}

const spread, highs = 0x0101010101010101, 0x8080808080808080

func zeros(x uint64) uint64 { return (x - spread) &^ x & highs }

// nextBytes finds whether a span of the file holds '#', ';' or a tab (the
// bytes that make a header unusual) from where each occurs next in the
// file, searched for again only once a span starts past it: a file with
// none costs three searches, and each header one comparison.
type nextBytes struct {
	at    [3]int // where each occurs next; -1: not searched yet
	first int    // the least of at
}

func (u *nextBytes) within(b []byte, from, to int) bool {
	if from <= u.first {
		return u.first < to
	}
	u.first = len(b)
	for k, c := range [3]byte{'#', ';', '\t'} {
		if u.at[k] < from {
			u.at[k] = len(b)
			if j := bytes.IndexByte(b[from:], c); j >= 0 {
				u.at[k] = from + j
			}
		}
		u.first = min(u.first, u.at[k])
	}
	return u.first < to
}

// sectionHeader reads a header line t (from its "["): the section's name,
// ok false when it has no closing "]". It is headerGeneral's name, found
// without a pass of its own over the usual header ("[NAME]" or "[TYPE
// NAME]" without comment, tab or spacing to normalise).
func sectionHeader(t []byte) (name []byte, ok bool) {
	return headerName(t, bytes.IndexByte(t, '#') >= 0 || bytes.IndexByte(t, ';') >= 0 || bytes.IndexByte(t, '\t') >= 0)
}

// headerName is sectionHeader for a line t that holds '#', ';' or a tab
// if unusual. The usual name is t's own bytes; only a name to normalise
// is copied.
func headerName(t []byte, unusual bool) (name []byte, ok bool) {
	e := len(t)
	for e > 1 && (t[e-1] == ' ' || t[e-1] == '\t' || t[e-1] == '\r') {
		e--
	}
	if !unusual && e > 2 && t[e-1] == ']' {
		inner := t[1 : e-1]
		if first, last := inner[0], inner[len(inner)-1]; !asciiSpaceOrHigh[first] && !asciiSpaceOrHigh[last] {
			sp := 7 // the usual [profile NAME]
			if len(inner) <= 8 || string(inner[:8]) != "profile " {
				sp = firstSpace(inner)
			}
			if sp < 0 || inner[sp+1] != ' ' {
				return inner, true
			}
		}
	}
	general, _, _, ok := headerGeneral(string(t))
	return []byte(general), ok
}

// firstSpace is bytes.IndexByte(s, ' '), by hand over the first bytes,
// where the space of "[profile NAME]" is.
func firstSpace(s []byte) int {
	for i := 0; i < len(s) && i < 16; i++ {
		if s[i] == ' ' {
			return i
		}
	}
	if len(s) <= 16 {
		return -1
	}
	if j := bytes.IndexByte(s[16:], ' '); j >= 0 {
		return 16 + j
	}
	return -1
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

// Names returns the section names, in file order, with repeats (nil if
// the file changed since it was indexed). The first call reads them back;
// each call then allocates only the slice.
func (f *File) Names() []string {
	f.namesOnce.Do(func() {
		if len(f.sections) == 0 {
			return
		}
		all, ok := f.read(0, int32(f.size))
		if !ok {
			return
		}
		names := make([]string, len(f.sections))
		for i, s := range f.sections {
			_, name, _, ok := splitHeader(all[s.line:f.end(i)])
			if !ok {
				return
			}
			names[i] = string(name)
		}
		f.names = names
	})
	return slices.Clone(f.names)
}

// Has reports whether the file has a section name.
func (f *File) Has(name string) bool {
	h := nameHash(name)
	for i := f.next(h, 0); i >= 0; i = f.next(h, i+1) {
		if f.named(i, name) {
			return true
		}
	}
	return false
}

// next is the index of the first section whose name hashes to h from i on,
// -1 if none.
func (f *File) next(h uint32, i int) int {
	for ; i < len(f.sections); i++ {
		if f.sections[i].hash == h {
			return i
		}
	}
	return -1
}

// DefaultInOtherCase reports whether the file has a section named
// "default" in another case ("Default", "DEFAULT"): the SDK keeps such a
// profile apart from [default].
func (f *File) DefaultInOtherCase() bool { return f.defaultInOtherCase }

// ProfilePrefixed reports whether the name of a section starts with
// "profile ": in the credentials file the SDK reads such a name otherwise
// than the config file does.
func (f *File) ProfilePrefixed() bool { return f.profilePrefixed }

// Plain reports whether every section named name has a plain header and
// holds only plain KEY = VALUE lines: printable ASCII, a key of lowercase-
// able letters, digits and '_', a non-empty value free of comment
// characters and quotes, nothing nested. Every AWS tool reads such a
// section alike; the strict resolution without the SDK takes nothing else.
func (f *File) Plain(name string) bool {
	var ss []Setting
	h := nameHash(name)
	for i, line, body := f.nextNamed(name, h, 0); i >= 0; i, line, body = f.nextNamed(name, h, i+1) {
		if !plainHeader(line) {
			return false
		}
		ss = appendSettings(ss, body)
	}
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
	h := nameHash(name)
	for i, _, body := f.nextNamed(name, h, 0); i >= 0; i, _, body = f.nextNamed(name, h, i+1) {
		found = true
		settings = appendSettings(settings, body)
	}
	return settings, found
}

// appendSettings appends the settings of a section's body to settings, an
// indented line read as aws-sdk-go-v2 reads it: a KEY = VALUE is a setting
// of its own after a setting with a value (or first in the section), else
// part of the empty setting before it (a nested block); a line without "="
// or ":" continues the value before it ("\n" and the line) when there is
// one, and is ignored otherwise (kept with no key, so that the section is
// never plain). Every setting an indented line touches is Nested.
func appendSettings(settings []Setting, body string) []Setting {
	if settings == nil {
		settings = make([]Setting, 0, strings.Count(body, "\n")+1)
	}
	cur := -1 // the section's last setting
	for len(body) > 0 {
		var raw string
		if i := strings.IndexByte(body, '\n'); i >= 0 {
			raw, body = body[:i], body[i+1:]
		} else {
			raw, body = body, ""
		}
		line := strings.TrimSuffix(raw, "\r")
		t := strings.TrimLeft(line, " \t")
		if len(t) == 0 || t[0] == '#' || t[0] == ';' {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			k, v := splitSetting(line)
			settings = append(settings, Setting{Key: k, Value: v, Raw: line})
			cur = len(settings) - 1
			continue
		}
		rt := strings.TrimLeft(raw, " \t") // the SDK keeps a "\r" here
		k, v, isSetting := cutSetting(rt)
		switch {
		case isSetting && (cur < 0 || settings[cur].Value != ""):
			// Comments are part of the value until it is unquoted.
			v = strings.TrimSpace(cutComment(unquote(strings.TrimSpace(v))))
			settings = append(settings, Setting{Key: strings.ToLower(strings.TrimSpace(k)), Value: v, Raw: line, Nested: true})
			cur = len(settings) - 1
		case isSetting:
			settings[cur].Nested = true
		case cur >= 0 && settings[cur].Value != "":
			settings[cur].Value += "\n" + rt
			settings[cur].Nested = true
		default:
			settings = append(settings, Setting{Raw: line, Nested: true})
		}
	}
	return settings
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
	line = strings.TrimRight(cutComment(line), " \t")
	k, v, _ := cutSetting(line)
	return strings.ToLower(strings.TrimSpace(k)), unquote(strings.TrimSpace(v))
}

// cutSetting cuts a line at its "=" or ":", whichever comes first; ok is
// false when it has neither.
func cutSetting(line string) (key, value string, ok bool) {
	sep := "="
	eq, colon := strings.Index(line, "="), strings.Index(line, ":")
	if eq < 0 || colon >= 0 && colon < eq {
		sep = ":"
	}
	return strings.Cut(line, sep)
}

// cutComment cuts a " #", " ;", "\t#" or "\t;" comment.
func cutComment(s string) string {
	for _, c := range []string{" #", " ;", "\t#", "\t;"} {
		s, _, _ = strings.Cut(s, c)
	}
	return s
}

// unquote removes one pair of surrounding quotes.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		return v[1 : len(v)-1]
	}
	return v
}
