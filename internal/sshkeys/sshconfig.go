package sshkeys

// Editing ~/.ssh/config: the one block `ssh setup` owns, between two marker
// comments, placed before the file's first Host or Match line (so it wins
// over a later `Host *`, and the file's global lines stay global), or at
// the end when there is none. Every other byte is kept; the begin marker
// records what the block added besides itself (a newline at the end of a
// file that had none, the file itself, the key it uploaded), so that
// --undo restores the file byte for byte.

import (
	"fmt"
	"strings"
)

const (
	beginMarker = "# git codecommit ssh setup: begin"
	endMarker   = "# git codecommit ssh setup: end"
)

// HostPattern is the Host pattern of CodeCommit's public SSH hosts.
const HostPattern = "git-codecommit.*.amazonaws.com"

// Block is the content of the managed block.
type Block struct {
	KeyID        string // the SSH key ID, CodeCommit's SSH user
	IdentityFile string // as written (~/… kept)
	ExtraHost    string // host of CODE_COMMIT_SSH_ENDPOINT, also matched
	HostName     string // from CODE_COMMIT_SSH_ENDPOINT
	Port         string // from CODE_COMMIT_SSH_ENDPOINT
	Uploaded     bool   // setup uploaded KeyID (undo deletes it)
}

// blockState is what the begin marker records besides the block.
type blockState struct {
	Block
	addedNewline bool // a newline was added to the file's last line
	createdFile  bool // the file did not exist
}

func (b blockState) text() string {
	var s strings.Builder
	s.WriteString(beginMarker)
	if b.Uploaded {
		s.WriteString(" uploaded=" + b.KeyID)
	}
	if b.createdFile {
		s.WriteString(" created-file")
	}
	if b.addedNewline {
		s.WriteString(" added-newline")
	}
	s.WriteString(" (remove with: git codecommit ssh setup --undo)\n")
	hosts := HostPattern
	if b.ExtraHost != "" {
		hosts += " " + b.ExtraHost
	}
	fmt.Fprintf(&s, "Host %s\n", hosts)
	fmt.Fprintf(&s, "  User %s\n", b.KeyID)
	fmt.Fprintf(&s, "  IdentityFile %s\n", b.IdentityFile)
	s.WriteString("  IdentitiesOnly yes\n")
	if b.HostName != "" {
		fmt.Fprintf(&s, "  HostName %s\n", b.HostName)
	}
	if b.Port != "" {
		fmt.Fprintf(&s, "  Port %s\n", b.Port)
	}
	s.WriteString(endMarker + "\n")
	return s.String()
}

// found is the managed block located in a file.
type found struct {
	start, end int // byte offsets of the block, end past its last newline
	state      blockState
}

// findBlock locates the managed block in content.
func findBlock(content string) (found, bool, error) {
	off := 0
	var f found
	inBlock := false
	for off < len(content) {
		nl := strings.IndexByte(content[off:], '\n')
		end := len(content)
		if nl >= 0 {
			end = off + nl + 1
		}
		line := strings.TrimRight(content[off:end], "\r\n")
		switch {
		case !inBlock && strings.HasPrefix(line, beginMarker):
			inBlock, f.start = true, off
			for _, w := range strings.Fields(strings.TrimPrefix(line, beginMarker)) {
				switch {
				case strings.HasPrefix(w, "uploaded="):
					f.state.Uploaded = true
					f.state.KeyID = strings.TrimPrefix(w, "uploaded=")
				case w == "created-file":
					f.state.createdFile = true
				case w == "added-newline":
					f.state.addedNewline = true
				}
			}
		case inBlock && line == endMarker:
			f.end = end
			return f, true, nil
		case inBlock:
			fs := strings.Fields(line)
			if len(fs) == 2 {
				switch strings.ToLower(fs[0]) {
				case "user":
					if !f.state.Uploaded {
						f.state.KeyID = fs[1]
					} else if f.state.KeyID != fs[1] {
						f.state.Uploaded = false // edited by hand: not ours to delete
						f.state.KeyID = fs[1]
					}
				case "identityfile":
					f.state.IdentityFile = fs[1]
				}
			}
		}
		off = end
	}
	if inBlock {
		return found{}, false, fmt.Errorf("the block of git codecommit ssh setup has no end line %q", endMarker)
	}
	return found{}, false, nil
}

// Apply returns content with the managed block set to b. exists says
// whether the file existed. changed is false when the block is already
// there as b would write it.
func Apply(content string, exists bool, b Block) (out string, changed bool, err error) {
	f, ok, err := findBlock(content)
	if err != nil {
		return "", false, err
	}
	if ok {
		st := f.state
		st.Block = b
		// A key uploaded by an earlier run stays ours to delete.
		st.Uploaded = b.Uploaded || (f.state.Uploaded && f.state.KeyID == b.KeyID)
		text := st.text()
		if content[f.start:f.end] == text {
			return content, false, nil
		}
		return content[:f.start] + text + content[f.end:], true, nil
	}
	st := blockState{Block: b, createdFile: !exists}
	if at := firstHostLine(content); at >= 0 {
		return content[:at] + st.text() + content[at:], true, nil
	}
	if content != "" && !strings.HasSuffix(content, "\n") {
		st.addedNewline = true
		return content + "\n" + st.text(), true, nil
	}
	return content + st.text(), true, nil
}

// Remove returns content without the managed block, as it was before
// Apply added it; remove says the file should be deleted (Apply created
// it). uploaded is the key ID Apply's run uploaded, if any.
func Remove(content string) (out string, remove bool, uploaded string, changed bool, err error) {
	f, ok, err := findBlock(content)
	if err != nil || !ok {
		return content, false, "", false, err
	}
	out = content[:f.start] + content[f.end:]
	if f.state.addedNewline && f.end == len(content) && strings.HasSuffix(out, "\n") {
		out = strings.TrimSuffix(out, "\n")
	}
	if f.state.Uploaded {
		uploaded = f.state.KeyID
	}
	return out, f.state.createdFile && out == "", uploaded, true, nil
}

// Current returns the key ID and IdentityFile of the managed block, if any.
func Current(content string) (keyID, identityFile string, ok bool) {
	f, ok, err := findBlock(content)
	if err != nil || !ok {
		return "", "", false
	}
	return f.state.KeyID, f.state.IdentityFile, true
}

// firstHostLine returns the offset of the first Host or Match line, or -1.
func firstHostLine(content string) int {
	off := 0
	for off < len(content) {
		nl := strings.IndexByte(content[off:], '\n')
		end := len(content)
		if nl >= 0 {
			end = off + nl + 1
		}
		fs := strings.FieldsFunc(content[off:end], func(r rune) bool { return r == ' ' || r == '\t' || r == '=' || r == '\r' || r == '\n' })
		if len(fs) > 0 {
			if k := strings.ToLower(fs[0]); k == "host" || k == "match" {
				return off
			}
		}
		off = end
	}
	return -1
}
