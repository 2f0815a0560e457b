// Command spawn is the bench's measuring parent: it runs its arguments as a
// command with its own environment, directory and standard streams, writes
// "WALL_NS MAXRSS_KB CPU_NS" of that child to file descriptor 3 (CPU: user
// plus system time of the child and of every child it reaped), and exits with the
// child's status. It is small on purpose: the peak RSS the kernel reports
// for a child starts at its parent's resident set, so the parent must be
// lighter than anything it measures (about 2.5 MB on linux/amd64).
package main

import (
	"fmt"
	"os"
	"os/exec"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: spawn COMMAND [ARG...] 3>REPORT")
		os.Exit(2)
	}
	report := os.NewFile(3, "report")
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "spawn:", err)
		os.Exit(127)
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	fmt.Fprintf(report, "%d %d %d\n", wall.Nanoseconds(), maxRSSKB(cmd.ProcessState), cpu.Nanoseconds())
	os.Exit(cmd.ProcessState.ExitCode())
}
