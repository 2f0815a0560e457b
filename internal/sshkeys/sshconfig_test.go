package sshkeys

import (
	"strings"
	"testing"
)

func TestApplyRemoveRoundTrip(t *testing.T) {
	b := Block{KeyID: "APKAEXAMPLE000000001", IdentityFile: "/h/.ssh/codecommit_rsa", Uploaded: true}
	for _, c := range []struct {
		name, in string
		exists   bool
	}{
		{"no file", "", false},
		{"empty file", "", true},
		{"global lines", "ServerAliveInterval 30\n", true},
		{"no final newline, no Host", "ServerAliveInterval 30", true},
		{"Host block", "# c\nHost *\n  User me\n", true},
		{"Match with CRLF", "Compression yes\r\nMatch all\r\n  User me", true},
		{"Host= form", "Host=foo\n  User me\n", true},
	} {
		out, changed, err := Apply(c.in, c.exists, b)
		if err != nil || !changed {
			t.Fatalf("%s: Apply: %v %v", c.name, changed, err)
		}
		if !strings.Contains(out, "  User APKAEXAMPLE000000001\n") {
			t.Errorf("%s: no User line:\n%s", c.name, out)
		}
		if i, j := strings.Index(out, beginMarker), firstHostLine(strings.Replace(out, "Host "+HostPattern, "", 1)); j >= 0 && j < i {
			t.Errorf("%s: block after the first Host/Match line:\n%s", c.name, out)
		}
		again, changed, err := Apply(out, true, b)
		if err != nil || changed || again != out {
			t.Errorf("%s: second Apply changed the file (%v, %v)", c.name, changed, err)
		}
		back, remove, uploaded, changed, err := Remove(out)
		if err != nil || !changed || uploaded != b.KeyID {
			t.Fatalf("%s: Remove: %v %q %v", c.name, changed, uploaded, err)
		}
		if remove != !c.exists || back != c.in {
			t.Errorf("%s: Remove gave %q (remove %v), want %q (remove %v)", c.name, back, remove, c.in, !c.exists)
		}
	}
}

func TestApplyReplacesAnotherKeyInPlace(t *testing.T) {
	in := "Host a\n  User x\n"
	first, _, _ := Apply(in, true, Block{KeyID: "APKAOLD0000000000001", IdentityFile: "/k1", Uploaded: true})
	second, changed, _ := Apply(first, true, Block{KeyID: "APKANEW0000000000002", IdentityFile: "/k2"})
	if !changed || strings.Contains(second, "APKAOLD") || strings.Contains(second, "uploaded=") {
		t.Errorf("replacing the key:\n%s", second)
	}
	if back, _, _, _, _ := Remove(second); back != in {
		t.Errorf("Remove after replace: %q", back)
	}
	if _, _, err := findBlock(beginMarker + "\nHost x\n"); err == nil {
		t.Error("a block without its end line was accepted")
	}
}
