//go:build !unix

package proc

import "os"

func terminate(p *os.Process) error { return p.Kill() }
