package main

import (
	"os"
	"syscall"
)

// maxRSSKB is the peak resident set size of a finished process in kB
// (Darwin reports bytes).
func maxRSSKB(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss / 1024
	}
	return 0
}
