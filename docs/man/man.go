// Package man holds the toolset's manual pages, written once as Markdown
// (go-md2man's dialect): `make man` renders them to roff in man/man1 (see
// internal/manual), and `git codecommit help CMD` and `CMD --help` show the
// same text. A command NAME's page is git-codecommit-NAME.md.
package man

import "embed"

// Pages are the Markdown sources, NAME.md for the man page NAME(1).
//
//go:embed *.md
var Pages embed.FS
