// Command mangen writes the manual's pages as roff into a directory:
// `make man` runs it to refresh man/man1.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gitcodecommit/git-codecommit/internal/manual"
	"github.com/gitcodecommit/git-codecommit/internal/manual/roff"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: mangen DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "mangen:", err)
		os.Exit(1)
	}
	for _, n := range manual.Names() {
		b, _ := roff.Render(n)
		if err := os.WriteFile(filepath.Join(dir, n+".1"), b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "mangen:", err)
			os.Exit(1)
		}
	}
}
