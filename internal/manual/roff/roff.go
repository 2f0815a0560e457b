// Package roff renders the manual's Markdown pages to roff for man(1),
// with go-md2man. Only `make man` and the test that keeps man/man1 current
// use it.
package roff

import (
	"github.com/cpuguy83/go-md2man/v2/md2man"

	"github.com/gitcodecommit/git-codecommit/internal/manual"
)

// Render returns page name as a roff man page.
func Render(name string) ([]byte, bool) {
	src, ok := manual.Source(name)
	if !ok {
		return nil, false
	}
	return md2man.Render(src), true
}
