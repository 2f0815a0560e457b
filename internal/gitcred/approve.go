package gitcred

import "io"

// WriteCredential encodes a credential for `git credential approve` or
// `reject`: protocol, host, path, username and password (each only if
// set), then the blank line. A value holding NUL, CR or LF is an error, so
// nothing can inject another attribute.
func WriteCredential(w io.Writer, c Request) error {
	var e encoder
	e.add("protocol", c.Protocol)
	e.add("host", c.Host)
	e.add("path", c.Path)
	e.add("username", c.Username)
	e.add("password", c.Password)
	e.b.WriteByte('\n')
	return e.writeTo(w)
}
