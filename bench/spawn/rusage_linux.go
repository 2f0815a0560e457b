package main

import (
	"os"
	"syscall"
)

// maxRSSKB is the peak resident set size of a finished process in kB: on
// Linux wait4 reports the largest of the process's own peak (across exec)
// and the peaks of the children it reaped.
func maxRSSKB(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss
	}
	return 0
}
